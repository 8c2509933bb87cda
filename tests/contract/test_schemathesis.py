"""Schemathesis against the live app, once per role, with every check on: zero failures.

A real ``switchboard run`` serves; the schemathesis CLI drives it over HTTP with each role's key, over the
operations that role may call (the scopes of the operation's bearer scheme). That a role is refused the
others is what ``tests/api/test_authorization_matrix.py`` proves for every role and operation; fuzzing
a 403 again for each role would only repeat it at a minute per role. Adapter routes that authenticate by
the provider's signature (``/v1/webhooks/*``, ``/v1/chat/*``) are not run with a bearer key: they get
their own run without one, under their own rule.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.server import CLI, HEADERS, free_port, server_env, stop, wait_ready
from tests.harness import run_async

# One server for the module's runs: on one xdist worker.
pytestmark = [pytest.mark.asyncio, pytest.mark.slow, pytest.mark.xdist_group("schemathesis")]

CONFIG = Path(__file__).with_name("schemathesis.toml")
SIGNED = r"^/v1/(webhooks/(?!subscriptions)|chat/)"
"""Adapter routes: provider webhooks and the chat; outbound webhook subscriptions take bearer keys."""
EXAMPLES = 25
PHASES_BY_ROLE = {"admin": "examples,coverage,fuzzing"}
"""The coverage phase (boundary values of every parameter, a fixed set per operation) runs with the admin key,
which may call every operation: the bounds are checked before the role matters. The other roles' runs fuzz
what their keys may call."""
UNLIMITED = json.dumps({role: [1e6, 1_000_000] for role in ("integration", "agent", "supervisor", "ops", "admin")})


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """A running server and a key per role, for every run of the module (rate limits out of the way: fuzzing is
    one client's flood; long-polls and streams kept short)."""
    tmp_path = tmp_path_factory.mktemp("fuzzed")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = server_env(tmp_path, port) | {
        "SWITCHBOARD_RATE_LIMITS": UNLIMITED,
        "SWITCHBOARD_AUTH_FAILURES_PER_MINUTE": "1000000",
        "SWITCHBOARD_ADAPTERS": "1",
        # Every adapter configured: the fuzzer meets the signature and credential checks, not the 503 of an
        # adapter without its secret.
        "SWITCHBOARD_MAILGUN_SIGNING_KEY": "fuzz-mailgun-key",
        "SWITCHBOARD_SENDGRID_USERNAME": "sendgrid",
        "SWITCHBOARD_SENDGRID_PASSWORD": "fuzz-sendgrid-password",
        "SWITCHBOARD_POSTMARK_USERNAME": "postmark",
        "SWITCHBOARD_POSTMARK_PASSWORD": "fuzz-postmark-password",
        "SWITCHBOARD_TWILIO_AUTH_TOKEN": "fuzz-twilio-token",
        "SWITCHBOARD_VONAGE_SIGNATURE_SECRET": "fuzz-vonage-secret",
        # Long-polls and event streams answer within a moment: a fuzzer reads every answer to its end.
        "SWITCHBOARD_PUSH_MAX_WAIT_SECONDS": "0.05",
        "SWITCHBOARD_PUSH_STREAM_MAX_SECONDS": "0.05",
    }
    with (tmp_path / "server.log").open("ab") as log:
        proc = subprocess.Popen([*CLI, "run"], env=env, stdout=log, stderr=log, cwd=tmp_path)
    try:
        yield base, run_async(role_keys(base, proc))
    finally:
        stop(proc)


async def role_keys(base: str, proc: subprocess.Popen[bytes]) -> dict[str, str]:
    """Once the server is ready, a new key for each role (the agent's linked to a new agent)."""
    await wait_ready(base, proc)
    async with httpx.AsyncClient(base_url=base, headers=HEADERS) as c:
        keys = {"admin": HEADERS["Authorization"].removeprefix("Bearer ")}
        for role in ("integration", "supervisor", "ops"):
            keys[role] = (await c.post("/v1/api-keys", json={"role": role})).json()["key"]
        agent = (await c.post("/v1/agents", json={"name": "Fuzzed", "languages": ["en"]})).json()["id"]
        keys["agent"] = (await c.post("/v1/api-keys", json={"role": "agent", "agent_id": agent})).json()["key"]
    return keys


async def schemathesis(
    base: str, workdir: Path, *options: str, phases: str = "examples,coverage,fuzzing"
) -> subprocess.CompletedProcess[str]:
    """Run the schemathesis CLI against the live schema with every check."""
    command = [
        sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONFIG), "--no-color", "run",
        f"{base}/openapi.json", "--checks", "all", "--max-examples", str(EXAMPLES),
        "--phases", phases, "--workers", "1", "--seed", "1", *options,
    ]  # fmt: skip
    return await asyncio.to_thread(
        subprocess.run, command, capture_output=True, text=True, timeout=900, check=False, cwd=workdir
    )


def operations_of(schema: dict[str, Any], role: str) -> list[str]:
    """The operation ids a bearer key of ``role`` may call, by the scopes each operation declares."""
    return [
        operation["operationId"]
        for item in schema["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict)
        and any(role in scopes for requirement in operation.get("security", []) for scopes in requirement.values())
    ]


@pytest.mark.parametrize("role", ["admin", "supervisor", "ops", "agent", "integration"])
async def test_schemathesis_finds_nothing_for_role(live: tuple[str, dict[str, str]], role: str, tmp_path: Path) -> None:
    base, keys = live
    async with httpx.AsyncClient(base_url=base) as c:
        allowed = operations_of((await c.get("/openapi.json")).json(), role)
    assert allowed, f"the schema grants {role} nothing"
    only = "^(" + "|".join(re.escape(o) for o in allowed) + ")$"
    run = await schemathesis(
        base, tmp_path, "-H", f"Authorization: Bearer {keys[role]}", "--exclude-path-regex", SIGNED,
        "--include-operation-id-regex", only, phases=PHASES_BY_ROLE.get(role, "fuzzing"),
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-20_000:]


async def test_schemathesis_finds_nothing_on_signature_authenticated_routes(
    live: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    base, _ = live
    async with httpx.AsyncClient(base_url=base) as c:
        paths = (await c.get("/openapi.json")).json()["paths"]
    signed = [p for p in paths if re.match(SIGNED, p)]
    if not signed:
        assert paths, "the schema lists no operations at all"
        return  # no adapter route is served by this build: nothing under this rule
    run = await schemathesis(base, tmp_path, "--include-path-regex", SIGNED)
    assert run.returncode == 0, run.stdout[-20_000:]
