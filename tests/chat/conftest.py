"""Chat tests: a real server per test, reached by real WebSocket and HTTP clients."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Origin

from tests.chat.server import Server, chat_settings


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """The embedded app with its router, served on a loopback port."""
    with Server(chat_settings(tmp_path)) as running:
        yield running


async def open_chat(
    server: Server, *, resume: str | None = None, origin: str | None = None
) -> tuple[ClientConnection, dict[str, Any]]:
    """A visitor's socket and the session frame the server opened it with."""
    url = server.ws + (f"?resume={quote(resume)}" if resume else "")
    ws = await connect(url, origin=Origin(origin) if origin else None)
    first = json.loads(await ws.recv())
    assert first["type"] == "session", first
    return ws, first


async def exchange(ws: ClientConnection, frame: dict[str, Any] | str) -> dict[str, Any]:
    """Send one frame and return the server's answer."""
    await ws.send(frame if isinstance(frame, str) else json.dumps(frame))
    answer: dict[str, Any] = json.loads(await ws.recv())
    return answer


async def rule_first(admin: httpx.AsyncClient, rule: dict[str, Any]) -> None:
    """Publish the active ruleset with ``rule`` tried first."""
    active = (await admin.get("/v1/rulesets/active")).json()["document"]
    version = (await admin.post("/v1/rulesets", json={"document": active | {"rules": [rule]}})).json()["version"]
    assert (await admin.post(f"/v1/rulesets/{version}/publish")).status_code == 200
