"""Durable timers with two routers on real PostgreSQL and Kafka: each timer fires once, capacity stays exact.

Two ``Router`` instances, each with its own connection pool (as two processes would have), tick their
dispatchers at the same time over the same due work, with a clock the test sets: SLA warnings and breaches,
offer expiry and shift ends must each happen exactly once, with exactly one event.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from router.service import Router
from shared.db.migrate import upgrade_async
from shared.db.models import Agent, AgentCapacity, Assignment, Conversation, Queue, SlaPolicyRow
from shared.db.session import create_engine, session_factory
from shared.events import RoutedEvent
from shared.ids import new_id
from shared.settings import Settings
from switchboard.bootstrap import make_bus, shared_classifier
from tests.harness import Database

pytestmark = pytest.mark.integration

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
WORK = 260  # more than one dispatcher batch (200), so the routers' batches overlap


@dataclass
class Clock:
    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Pair:
    """Two routers on one database and one broker, and every event they announced."""

    routers: list[Router]
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    events: list[dict[str, Any]] = field(default_factory=list)

    async def tick_together(self, rounds: int = 3) -> None:
        """Both dispatchers tick at once, ``rounds`` times."""
        for _ in range(rounds):
            await asyncio.gather(*(r.tick() for r in self.routers))

    def count(self, kind: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for event in self.events:
            if event["type"] == kind:
                key = str(event.get("assignment_id") or event.get("agent_id"))
                counts[key] = counts.get(key, 0) + 1
        return counts


def recording(announce: Callable[[Sequence[RoutedEvent]], Awaitable[None]], into: list[dict[str, Any]]) -> Any:
    async def announce_and_record(events: Sequence[RoutedEvent]) -> None:
        into.extend(e.model_dump(mode="json", by_alias=True) for e in events)
        await announce(events)

    return announce_and_record


@pytest.fixture
async def pair(fresh_database: Database, kafka_bootstrap: str) -> AsyncIterator[Pair]:
    settings = Settings(
        database_url=fresh_database.url,
        kafka_bootstrap=kafka_bootstrap,
        kafka_partitions=2,
        topic_namespace=f"it-timers-{fresh_database.name}",
        away_grace_seconds=60,
    )
    await upgrade_async(settings.database_url)
    clock = Clock()
    engines = [create_engine(settings.database_url, pool_size=4) for _ in range(2)]
    buses = [make_bus(settings, engine) for engine in engines]
    classifier = shared_classifier(settings.languages)
    events: list[dict[str, Any]] = []
    routers = []
    for engine, bus in zip(engines, buses, strict=True):
        await bus.start()
        router = Router(
            settings=settings, sessions=session_factory(engine), bus=bus, classifier=classifier, clock=clock
        )
        router.announce = recording(router.announce, events)  # type: ignore[method-assign]
        routers.append(router)
    try:
        yield Pair(routers, session_factory(engines[0]), clock, events)
    finally:
        for bus in buses:
            await bus.stop()
        for engine in engines:
            await engine.dispose()


async def setup(sessions: async_sessionmaker[AsyncSession], *, agents: int, offered: int, accepted: int,
                queued: int, sla: bool, shift_ends_at: datetime | None = None) -> list[str]:  # fmt: skip
    """Queues, an SLA policy, ``agents`` agents, and per agent ``offered`` + ``accepted`` assignments (capacity
    claimed) plus ``queued`` waiting ones in total; with ``sla``, unanswered work warns at 30 s and breaches at
    60 s. Agents are busy (so nothing new is offered) unless they have a shift end, in which case they are
    available with no free capacity. Returns the agents' ids."""
    shift = {"tz": "UTC", "weekly": {"mon": [["08:00", "09:30"]]}} if shift_ends_at else None
    staff = [
        Agent(id=new_id(), name=f"agent {a}", languages=["en"], skills={}, queues=["returns"],
              presence="available" if shift else "busy", presence_changed_at=T0, shift=shift,
              shift_ends_at=shift_ends_at, updated_at=T0)
        for a in range(agents)
    ]  # fmt: skip
    work = [(status, agent.id) for agent in staff for status in ["offered"] * offered + ["accepted"] * accepted]
    work += [("queued", None)] * queued
    conversations = [Conversation(id=new_id(), key=new_id(), channel="sms", customer="+4520000000") for _ in work]
    async with sessions() as session:
        session.add_all([
            SlaPolicyRow(name="fast", first_response_s={"3": 60}, resolution_s={}, warn_ratio=0.5, updated_at=T0),
            Queue(name="returns", sla_policy="fast", offer_timeout_s=120, updated_at=T0),
            Queue(name="escalations", updated_at=T0),
            *staff,
            *conversations,
        ])  # fmt: skip
        await session.flush()
        per_agent = offered + accepted
        session.add_all(AgentCapacity(agent_id=a.id, channel="sms", capacity=per_agent, load=per_agent) for a in staff)
        session.add_all(
            Assignment(id=new_id(), conversation_id=conversation.id, channel="sms", queue="returns", agent_id=agent_id,
                       status=status, priority=3, sla_policy="fast" if sla else None, sla_priority=3, created_at=T0,
                       enqueued_at=T0, offered_at=T0 if agent_id else None,
                       accepted_at=T0 if status == "accepted" else None,
                       sla_next_check=T0 + timedelta(seconds=30) if sla and status != "accepted" else None)
            for (status, agent_id), conversation in zip(work, conversations, strict=True)
        )  # fmt: skip
        await session.commit()
    return [a.id for a in staff]


async def loads(sessions: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    async with sessions() as session:
        rows = await session.execute(select(AgentCapacity.agent_id, AgentCapacity.load))
        return {str(agent_id): int(load) for agent_id, load in rows}


async def by_status(sessions: async_sessionmaker[AsyncSession]) -> dict[tuple[str, str], int]:
    async with sessions() as session:
        rows = await session.execute(
            select(Assignment.status, Assignment.queue, func.count()).group_by(Assignment.status, Assignment.queue)
        )
        return {(status, queue): n for status, queue, n in rows}


async def test_sla_warning_and_breach_fire_once_across_two_routers(pair: Pair) -> None:
    await setup(pair.sessions, agents=4, offered=20, accepted=0, queued=WORK - 80, sla=True)
    for router in pair.routers:
        await router.refresh(force=True)

    pair.clock.now = T0 + timedelta(seconds=40)  # past the warning (30 s), before the breach (60 s)
    await pair.tick_together()
    warnings = pair.count("sla.warning")
    assert len(warnings) == WORK
    assert set(warnings.values()) == {1}
    assert pair.count("sla.breached") == {}

    pair.clock.now = T0 + timedelta(seconds=70)
    await pair.tick_together()
    breaches = pair.count("sla.breached")
    assert len(breaches) == WORK
    assert set(breaches.values()) == {1}
    assert set(pair.count("sla.warning").values()) == {1}, "no warning fired twice"
    async with pair.sessions() as session:
        priorities = set(await session.scalars(select(Assignment.priority)))
    assert priorities == {2}, "each breach escalated exactly one priority level"
    assert await by_status(pair.sessions) == {("queued", "escalations"): WORK}
    assert set((await loads(pair.sessions)).values()) == {0}, "each offer's capacity released exactly once"


async def test_offer_expiry_releases_capacity_once_across_two_routers(pair: Pair) -> None:
    agents = await setup(pair.sessions, agents=10, offered=20, accepted=3, queued=0, sla=False)
    for router in pair.routers:
        await router.refresh(force=True)

    pair.clock.now = T0 + timedelta(seconds=121)  # the offers time out (120 s)
    await pair.tick_together()
    assert await loads(pair.sessions) == dict.fromkeys(agents, 3), "only the accepted work still holds capacity"
    async with pair.sessions() as session:
        rows = list(await session.scalars(select(Assignment).where(Assignment.accepted_at.is_(None))))
    assert len(rows) == 200
    assert all(r.status == "queued" and r.agent_id is None for r in rows)
    assert all(len(r.excluded_agents) == 1 for r in rows), "each expired offer excludes its agent once"


async def test_shift_end_signs_an_agent_off_once_across_two_routers(pair: Pair) -> None:
    ends = T0 + timedelta(minutes=30)
    agents = await setup(pair.sessions, agents=12, offered=2, accepted=2, queued=0, sla=False, shift_ends_at=ends)
    for router in pair.routers:
        await router.refresh(force=True)

    pair.clock.now = ends + timedelta(seconds=1)
    await pair.tick_together()
    ended = pair.count("agent.shift_ended")
    assert ended == dict.fromkeys(agents, 1)
    assert all(len(e["requeued"]) == 2 for e in pair.events if e["type"] == "agent.shift_ended")
    assert await loads(pair.sessions) == dict.fromkeys(agents, 2), "offers handed back once; accepted work stays"
    for router in pair.routers:
        assert {router.state.pool.get(a).presence for a in agents} == {"offline"}  # type: ignore[union-attr]

    pair.clock.now = ends + timedelta(seconds=61)  # past the away grace (60 s), counted from the shift's end
    await pair.tick_together()
    assert await loads(pair.sessions) == dict.fromkeys(agents, 0)
    assert await by_status(pair.sessions) == {("queued", "returns"): 48}
    assert len(pair.count("assignment.requeued")) == 24
    async with pair.sessions() as session:
        signed_off = list(await session.execute(select(Agent.presence, Agent.presence_changed_at, Agent.shift_ends_at)))
    assert set(signed_off) == {("offline", ends, None)}
