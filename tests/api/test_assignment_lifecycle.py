"""The assignment lifecycle on the running app: an expired offer cannot be accepted, an accept that races an
expiry loses or wins as a whole, and capacity follows the work.

The running app routes in real time; a second router on the same database with a later clock plays the
dispatcher at the moment the offer times out.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from shared import lifecycle
from shared.db.assignments import apply, work_of
from shared.db.models import Assignment
from shared.settings import Settings
from tests.api.support import agent_client, assignments, everyone_offline, post_and_route, router_beside

pytestmark = pytest.mark.asyncio

ASTA = {
    "name": "Asta",
    "languages": ["da", "en"],
    "skills": {"refunds": 5},
    "capacity": {"sms": 2},
    "queues": ["returns"],
}
REFUND = {"channel": "sms", "sender": {"address": "+4520515151"}, "text": "Jeg vil returnere varen og have refusion"}


async def offered_to_asta(client: httpx.AsyncClient) -> tuple[str, httpx.AsyncClient, dict[str, Any]]:
    agent_id, agent = await agent_client(client, ASTA)
    await everyone_offline(client, keep={agent_id})
    await agent.put("/v1/agents/me/presence", json={"status": "available"})
    message = await post_and_route(client, REFUND)
    assert message["decision"]["agent_id"] == agent_id
    [offer] = await assignments(agent, wait_for=1)
    return agent_id, agent, offer


async def load(client: httpx.AsyncClient, agent_id: str) -> int:
    found: int = (await client.get(f"/v1/agents/{agent_id}")).json()["load"]["sms"]
    return found


async def test_an_offer_expired_by_a_router_can_no_longer_be_accepted(
    app: FastAPI, client: httpx.AsyncClient, settings: Settings
) -> None:
    agent_id, agent, offer = await offered_to_asta(client)
    later = await router_beside(app, settings, clock=lambda: datetime.now(UTC) + timedelta(hours=1))
    await later.tick()

    r = await agent.post(f"/v1/assignments/{offer['id']}/accept")
    assert r.status_code == 404, "the work has gone back to its queue: it is no longer this agent's"
    assert await assignments(agent) == []
    assert await load(client, agent_id) == 0
    queues = {q["name"]: q for q in (await client.get("/v1/queues")).json()}
    assert queues[offer["queue"]]["waiting"] == 1


async def test_an_accept_and_an_expiry_racing_for_one_offer_apply_once(app: FastAPI, client: httpx.AsyncClient) -> None:
    agent_id, _, offer = await offered_to_asta(client)
    sessions = app.state.deps.sessions
    late = datetime.now(UTC) + timedelta(hours=1)
    async with sessions() as session:
        row = await session.get(Assignment, offer["id"])
        assert row is not None
        read = work_of(row)
    accepted = lifecycle.accept(read, late)
    expired = lifecycle.expire(read, late, timeout_s=120)
    assert accepted is not None
    assert expired is not None

    async with sessions() as session:
        assert await apply(session, expired, "sms", late)
        await session.commit()
    async with sessions() as session:
        assert not await apply(session, accepted, "sms", late), "the offer it read is gone"
        await session.commit()
    async with sessions() as session:
        stored = await session.scalar(select(Assignment).where(Assignment.id == offer["id"]))
        assert stored is not None
        assert (stored.status, stored.agent_id, stored.excluded_agents) == ("queued", None, [agent_id])
    assert await load(client, agent_id) == 0, "capacity given back once"


async def test_rejecting_twice_is_refused_and_frees_capacity_once(client: httpx.AsyncClient) -> None:
    agent_id, agent, offer = await offered_to_asta(client)
    assert (await agent.post(f"/v1/assignments/{offer['id']}/reject")).status_code == 200
    assert (await agent.post(f"/v1/assignments/{offer['id']}/reject")).status_code == 404
    assert await load(client, agent_id) == 0


async def test_completing_an_offer_never_accepted_is_a_conflict(client: httpx.AsyncClient) -> None:
    agent_id, agent, offer = await offered_to_asta(client)
    r = await agent.post(f"/v1/assignments/{offer['id']}/complete", json={"disposition": "resolved"})
    assert r.status_code == 409
    assert r.json()["type"].endswith("/assignment-state")
    [still] = await assignments(agent)
    assert (still["status"], still["accepted_at"]) == ("offered", None)
    assert await load(client, agent_id) == 1


async def test_completing_twice_is_a_conflict(client: httpx.AsyncClient) -> None:
    _, agent, offer = await offered_to_asta(client)
    body = {"disposition": "resolved"}
    assert (await agent.post(f"/v1/assignments/{offer['id']}/accept")).status_code == 200
    assert (await agent.post(f"/v1/assignments/{offer['id']}/complete", json=body)).status_code == 200
    again = await agent.post(f"/v1/assignments/{offer['id']}/complete", json=body)
    assert again.status_code == 409
    assert again.json()["type"].endswith("/assignment-state")
