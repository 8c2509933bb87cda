"""Who may call what: the role x endpoint matrix, generated from the app's route table (its OpenAPI document).

Every operation the app serves must have a row here: a new endpoint fails this test until someone writes
down who may call it. Three rules, kept apart:
- bearer operations: the roles in the row are exactly the roles the operation declares, and each role's
  key is let through (not 401/403) or refused with 403 accordingly;
- adapter routes (``/v1/webhooks/*``, ``/v1/chat/*`` without a bearer scheme), authenticated by the
  provider's signature or the chat session's own token: a bearer key of any role changes nothing (the
  answer is the one the same request gets without it);
- public operations (health): answer without a key.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.api.support import agent_client

pytestmark = pytest.mark.asyncio

ROLES = ("integration", "agent", "supervisor", "ops", "admin")
ADMIN, SUPERVISORS, INGEST, AGENT = {"admin"}, {"admin", "supervisor"}, {"integration", "admin"}, {"agent"}
CONVERSATION_READERS = {"agent", "supervisor", "admin"}
"""An agent is let in by its role, then sees only its own conversations (404 for others')."""
OPS, READERS = {"admin", "ops"}, {"admin", "supervisor", "ops"}
MATRIX: dict[tuple[str, str], set[str]] = {
    ("post", "/v1/messages"): INGEST,
    ("get", "/v1/messages"): ADMIN,
    ("get", "/v1/messages/{message_id}"): INGEST,
    ("get", "/v1/messages/{message_id}/attachments/{sha256}"): ADMIN,
    ("get", "/v1/agents"): SUPERVISORS,
    ("post", "/v1/agents"): ADMIN,
    ("get", "/v1/agents/me"): AGENT,
    ("put", "/v1/agents/me/presence"): AGENT,
    ("get", "/v1/agents/me/assignments"): AGENT,
    ("get", "/v1/agents/me/events"): AGENT,
    ("get", "/v1/agents/{agent_id}"): SUPERVISORS,
    ("patch", "/v1/agents/{agent_id}"): ADMIN,
    ("get", "/v1/assignments"): SUPERVISORS,
    ("post", "/v1/assignments/{assignment_id}/accept"): AGENT,
    ("post", "/v1/assignments/{assignment_id}/reject"): AGENT,
    ("post", "/v1/assignments/{assignment_id}/complete"): AGENT,
    ("post", "/v1/assignments/{assignment_id}/transfer"): AGENT,
    ("post", "/v1/assignments/{assignment_id}/escalate"): AGENT,
    ("get", "/v1/conversations/{conversation_id}"): CONVERSATION_READERS,
    ("get", "/v1/conversations/{conversation_id}/attachments/{sha256}"): CONVERSATION_READERS,
    ("post", "/v1/conversations/{conversation_id}/replies"): AGENT,
    ("post", "/v1/assignments/{assignment_id}/reassign"): SUPERVISORS,
    ("post", "/v1/assignments/{assignment_id}/withdraw"): SUPERVISORS,
    ("post", "/v1/assignments/{assignment_id}/take"): SUPERVISORS,
    ("get", "/v1/api-keys"): ADMIN,
    ("post", "/v1/api-keys"): ADMIN,
    ("delete", "/v1/api-keys/{key_id}"): ADMIN,
    ("get", "/v1/queues"): READERS,
    ("post", "/v1/queues"): OPS,
    ("get", "/v1/queues/{name}"): READERS,
    ("put", "/v1/queues/{name}"): OPS,
    ("patch", "/v1/queues/{name}"): OPS,
    ("delete", "/v1/queues/{name}"): OPS,
    ("get", "/v1/rulesets"): READERS,
    ("post", "/v1/rulesets"): OPS,
    ("get", "/v1/rulesets/active"): READERS,
    ("get", "/v1/rulesets/{version}"): READERS,
    ("put", "/v1/rulesets/{version}"): OPS,
    ("delete", "/v1/rulesets/{version}"): OPS,
    ("post", "/v1/rulesets/validate"): OPS,
    ("post", "/v1/rulesets/{version}/validate"): OPS,
    ("post", "/v1/rulesets/{version}/simulate"): OPS,
    ("post", "/v1/rulesets/{version}/backtest"): OPS,
    ("post", "/v1/rulesets/{version}/publish"): OPS,
    ("post", "/v1/rulesets/{version}/rollback"): OPS,
    ("put", "/v1/sla-policies/{name}"): OPS,
    ("delete", "/v1/sla-policies/{name}"): OPS,
    ("get", "/v1/sla-policies"): READERS,
    ("put", "/v1/contacts"): OPS,
    ("get", "/v1/contacts/{address}"): READERS,
    ("patch", "/v1/contacts/{address}"): OPS,
    ("post", "/v1/webhooks/subscriptions"): OPS,
    ("get", "/v1/webhooks/subscriptions"): OPS,
    ("get", "/v1/webhooks/subscriptions/{subscription_id}"): OPS,
    ("delete", "/v1/webhooks/subscriptions/{subscription_id}"): OPS,
    ("get", "/v1/webhooks/subscriptions/{subscription_id}/deliveries"): OPS,
    ("get", "/v1/audit"): READERS,
    ("get", "/metrics"): SUPERVISORS,
}
PUBLIC = {("get", "/healthz"), ("get", "/readyz")}
SIGNATURE_PREFIXES = ("/v1/webhooks/", "/v1/chat/")
PATH_VALUES = {"version": "999999", "name": "no-such-thing"}


def operations(app: FastAPI) -> dict[tuple[str, str], dict[str, Any]]:
    """Every operation the app documents (its route table as OpenAPI)."""
    paths: dict[str, dict[str, Any]] = app.openapi()["paths"]
    return {(method, path): op for path, ops in paths.items() for method, op in ops.items()}


def bearer_roles(operation: dict[str, Any]) -> set[str] | None:
    """The roles an operation declares (None when it takes no bearer key)."""
    for requirement in operation.get("security", []):
        if "bearer" in requirement:
            return set(requirement["bearer"])
    return None


def url(path: str) -> str:
    for name, value in PATH_VALUES.items():
        path = path.replace("{" + name + "}", value)
    return path.replace("{", "no-such-").replace("}", "")


@pytest.fixture
async def keys(client: httpx.AsyncClient) -> dict[str, str]:
    out = {}
    for role in ("integration", "supervisor", "ops"):
        r = await client.post("/v1/api-keys", json={"role": role})
        out[role] = r.json()["key"]
    _, agent = await agent_client(client, {"name": "Matrix", "languages": ["en"]})
    out["agent"] = agent.headers["authorization"].removeprefix("Bearer ")
    out["admin"] = client.headers["authorization"].removeprefix("Bearer ")
    return out


async def test_every_operation_has_a_row_and_declares_exactly_its_roles(app: FastAPI) -> None:
    served = operations(app)
    signed = {op for op in served if op[1].startswith(SIGNATURE_PREFIXES) and bearer_roles(served[op]) is None}
    assert set(served) - signed == set(MATRIX) | PUBLIC, "add a row to MATRIX (or PUBLIC) for every new endpoint"
    for op, roles in MATRIX.items():
        assert bearer_roles(served[op]) == roles, op
    for op in PUBLIC | signed:
        assert bearer_roles(served[op]) is None, op


async def test_each_role_reaches_exactly_the_operations_of_its_row(
    app: FastAPI, client: httpx.AsyncClient, keys: dict[str, str]
) -> None:
    wrong: list[str] = []
    for (method, path), allowed in sorted(MATRIX.items()):
        for role in ROLES:
            headers = {"Authorization": f"Bearer {keys[role]}"}
            r = await client.request(method.upper(), url(path), headers=headers, json={})
            refused = r.status_code == 403
            if refused == (role in allowed) or r.status_code == 401:
                wrong.append(f"{role} {method.upper()} {path}: {r.status_code}")
        r = await client.request(method.upper(), url(path), headers={"Authorization": ""}, json={})
        if r.status_code != 401:
            wrong.append(f"anonymous {method.upper()} {path}: {r.status_code}")
    assert wrong == []


async def test_no_bearer_key_stands_in_for_an_adapters_own_authentication(
    app: FastAPI, client: httpx.AsyncClient, keys: dict[str, str]
) -> None:
    served = operations(app)
    signed = [op for op in served if op[1].startswith(SIGNATURE_PREFIXES) and bearer_roles(served[op]) is None]
    assert signed, "the adapters' routes are served"
    changed = []
    for method, path in signed:
        bare = await client.request(method.upper(), url(path), headers={"Authorization": ""}, content=b"x=1")
        for role in ROLES:
            headers = {"Authorization": f"Bearer {keys[role]}"}
            r = await client.request(method.upper(), url(path), headers=headers, content=b"x=1")
            if r.status_code != bare.status_code:
                changed.append(f"{role} {method.upper()} {path}: {r.status_code}, without a key {bare.status_code}")
    assert changed == []


async def test_public_operations_answer_without_a_key(client: httpx.AsyncClient) -> None:
    for method, path in sorted(PUBLIC):
        r = await client.request(method.upper(), path, headers={"Authorization": ""})
        assert r.status_code == 200, path
