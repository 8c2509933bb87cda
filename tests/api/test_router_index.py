"""The router's in-memory agent index follows the database: prepared for a newly published ruleset before its
first message, built in steps that give the event loop turns, and updated in place by the periodic full reload
(agents that are gone leave it). A second router on the running app's database, driven by hand, shows it."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import delete

from router import indexing, planning
from router.assign import Demand
from router.service import Router
from shared.bus import Record
from shared.db.models import Agent, AgentCapacity
from shared.ids import new_id
from shared.normalize import conversation_key
from shared.schema import InboundMessage, Sender
from shared.settings import Settings
from tests.api.support import router_beside
from tests.api.test_rulesets import active_document, with_first_rule

pytestmark = pytest.mark.asyncio

SKILLED_REFUNDS = {
    "id": "refunds-need-seniors",
    "when": 'intent == "refund_return" && channel == "email"',
    "action": {"queue": "billing", "priority": 2, "required_skills": {"refunds": 3}},
}


@pytest.fixture
async def router(app: FastAPI, settings: Settings) -> Router:
    return await router_beside(app, settings)


async def publish_skilled_refunds(client: httpx.AsyncClient) -> int:
    """Publish the active ruleset with SKILLED_REFUNDS first: a new version with a new kind of work."""
    document = with_first_rule(await active_document(client), SKILLED_REFUNDS)
    version: int = (await client.post("/v1/rulesets", json={"document": document})).json()["version"]
    assert (await client.post(f"/v1/rulesets/{version}/publish")).status_code == 200
    return version


def email(text: str) -> Record:
    sender = f"customer-{new_id()[-8:]}@example.com"
    message = InboundMessage(
        id=new_id(), channel="email", provider="test", received_at=datetime.now(UTC),
        sender=Sender(kind="email", address=sender), recipient="support@example.com",
        conversation_key=conversation_key("email", sender, "support@example.com"), subject="Return", text=text,
    )  # fmt: skip
    return Record(topic="inbound", partition=0, offset=0, key=message.conversation_key, value=message.to_bytes())


async def test_a_published_ruleset_is_indexed_before_its_first_message(
    client: httpx.AsyncClient, router: Router
) -> None:
    version = await publish_skilled_refunds(client)

    await router.refresh()
    assert router.state.indexed is not None
    assert router.state.indexed[0] == version
    built_before = router.state.pool.misses
    await router.handle_batch([email("I would like to return the jacket and get my money back, please.")])
    decision: dict[str, Any] = (await client.get("/v1/messages", params={"limit": 1})).json()[0]["decision"]
    assert decision["queue"] == "billing"
    assert decision["trace"]["rules"]["rule_id"] == "refunds-need-seniors"
    assert router.state.pool.misses == built_before, "the decision found its index entries built"


async def test_the_full_reload_drops_agents_that_are_gone(
    client: httpx.AsyncClient, router: Router, app: FastAPI
) -> None:
    r = await client.post("/v1/agents", json={"name": "Temp", "languages": ["en"], "presence": "available"})
    agent_id = r.json()["id"]
    await router.refresh(force=True)
    assert agent_id in router.state.pool
    async with app.state.deps.sessions() as session:
        await session.execute(delete(AgentCapacity).where(AgentCapacity.agent_id == agent_id))
        await session.execute(delete(Agent).where(Agent.id == agent_id))
        await session.commit()
    await router.refresh(force=True)
    assert agent_id not in router.state.pool


async def test_building_the_index_gives_the_event_loop_turns(
    client: httpx.AsyncClient, router: Router, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At thousands of agents the build takes most of a second: the dispatcher and the API must not stall."""
    version = await publish_skilled_refunds(client)
    monkeypatch.setattr(indexing, "INDEX_SLICE_SECONDS", 0.0)  # a turn after every segment
    turns = 0
    seen: list[int] = []  # the other task's turns so far, at each step of the build
    preparing = router.state.pool.preparing

    def watched(demands: Iterable[Demand]) -> Iterator[None]:
        for step in preparing(demands):
            seen.append(turns)
            yield step

    async def elsewhere() -> None:
        nonlocal turns
        while True:
            turns += 1
            await asyncio.sleep(0)

    monkeypatch.setattr(router.state.pool, "preparing", watched)
    other = asyncio.create_task(elsewhere())
    await router.refresh()
    other.cancel()
    assert router.state.indexed is not None
    assert router.state.indexed[0] == version
    shapes = {(d.queue, d.channel, frozenset(d.required_skills.items())) for d in planning.demands(
        router.state.ruleset, router.state.policies)}  # fmt: skip
    assert len(seen) == len(shapes)
    assert all(later > earlier for earlier, later in itertools.pairwise(seen)), seen


async def test_an_index_build_that_fails_is_tried_again_by_the_next_refresh(
    client: httpx.AsyncClient, router: Router, monkeypatch: pytest.MonkeyPatch
) -> None:
    version = await publish_skilled_refunds(client)
    build = indexing.build_index

    async def fails_once(*args: Any) -> int:
        if args[0] is not router.state.pool:  # the app's own router, refreshing on its own tick
            return await build(*args)
        monkeypatch.setattr(indexing, "build_index", build)
        raise MemoryError("the build ran out of memory")

    monkeypatch.setattr(indexing, "build_index", fails_once)
    with pytest.raises(MemoryError):
        await router.refresh()
    await router.refresh()
    assert router.state.indexed is not None
    assert router.state.indexed[0] == version
    built_before = router.state.pool.misses
    await router.handle_batch([email("I would like to return the jacket and get my money back, please.")])
    assert router.state.pool.misses == built_before, "the second refresh built the index"
