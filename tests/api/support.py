"""Helpers for API tests: agents with their own clients, waiting for routing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx
from fastapi import FastAPI

from router.service import Router
from router.service import utcnow as real_time
from shared.settings import Settings
from switchboard.bootstrap import shared_classifier
from tests.api.conftest import eventually, routed


async def agent_client(client: httpx.AsyncClient, spec: dict[str, Any]) -> tuple[str, httpx.AsyncClient]:
    """Create an agent and a client carrying its key."""
    r = await client.post("/v1/agents", json=spec)
    assert r.status_code == 201, r.text
    agent_id = r.json()["id"]
    r = await client.post("/v1/api-keys", json={"role": "agent", "agent_id": agent_id})
    assert r.status_code == 201, r.text
    assert r.json()["key"].startswith("sb_")
    headers = {"Authorization": f"Bearer {r.json()['key']}"}
    return agent_id, httpx.AsyncClient(transport=client._transport, base_url=str(client.base_url), headers=headers)


async def everyone_offline(client: httpx.AsyncClient, keep: set[str] | None = None) -> None:
    """Set every agent but ``keep`` offline, through their own keys."""
    for agent in (await client.get("/v1/agents")).json():
        if agent["id"] in (keep or set()) or agent["presence"] == "offline":
            continue
        key = (await client.post("/v1/api-keys", json={"role": "agent", "agent_id": agent["id"]})).json()["key"]
        r = await client.put("/v1/agents/me/presence", json={"status": "offline"},
                             headers={"Authorization": f"Bearer {key}"})  # fmt: skip
        assert r.status_code == 200


async def post_and_route(client: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    """Post a message and wait for its decision."""
    r = await client.post("/v1/messages", json=body)
    assert r.status_code == 202, r.text
    return await routed(client, r.json()["id"])


async def assignments(agent: httpx.AsyncClient, wait_for: int = 0) -> list[dict[str, Any]]:
    """The agent's open assignments, waiting until there are at least ``wait_for``."""

    async def check() -> list[dict[str, Any]] | None:
        got: list[dict[str, Any]] = (await agent.get("/v1/agents/me/assignments")).json()
        return got if len(got) >= wait_for else None

    if wait_for == 0:
        result: list[dict[str, Any]] = (await agent.get("/v1/agents/me/assignments")).json()
        return result
    found: list[dict[str, Any]] = await eventually(check)
    return found


async def router_beside(app: FastAPI, settings: Settings, clock: Callable[[], datetime] = real_time) -> Router:
    """A second router on the running app's database and bus, loaded but not started: a test drives it by
    hand (routers share all state through the database)."""
    deps = app.state.deps
    router = Router(settings=settings, sessions=deps.sessions, bus=deps.bus,
                    classifier=shared_classifier(settings.languages), clock=clock)  # fmt: skip
    await router.refresh(force=True)
    return router


async def dispatch_at(app: FastAPI, settings: Settings, moment: datetime) -> None:
    """One dispatcher pass at ``moment``: timers (SLA, offer expiry, overflow, shifts) fire as they would then."""
    later = await router_beside(app, settings, clock=lambda: moment)
    await later.tick()
