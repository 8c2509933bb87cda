"""Waiting work: fire the durable timers, expire unanswered offers and offer queued conversations as soon as an
agent fits. Every state change is a conditional update, so several routers can dispatch at once and each timer
fires once."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from router import store, timers
from router.assign import Strategy, WorkItem, order_waiting
from router.state import RouterState
from shared import lifecycle
from shared.db import capacity
from shared.db.assignments import apply, work_of
from shared.db.models import Assignment
from shared.events import RoutedEvent
from shared.lifecycle import Status

BATCH = 200
DEFAULT_OFFER_TIMEOUT_S = 120


@dataclass
class Dispatched:
    """What one pass did: offers made, and the events to announce once its transaction has committed."""

    offered: int = 0
    events: list[RoutedEvent] = field(default_factory=list)


async def dispatch(session: AsyncSession, state: RouterState, now: datetime, *, away_grace: timedelta) -> Dispatched:
    """One pass inside the caller's transaction: timers, expired offers, then offers of waiting work."""
    done = Dispatched()
    done.events += await timers.fire_sla(session, state.sla, now)
    await timers.schedule_shift_ends(session, now)
    signed_off = await timers.end_shifts(session, now)
    for event in signed_off:
        await store.reload_agent(session, state.pool, event.agent_id)
    done.events += signed_off
    done.events += await timers.requeue_absent(session, away_grace, now)
    done.events += await timers.overflow(session, state.policies, now)
    await _expire_offers(session, state, now)
    done.offered = await _offer_waiting(session, state, now)
    return done


async def _expire_offers(session: AsyncSession, state: RouterState, now: datetime) -> None:
    policies = state.policies
    shortest = min((p.offer_timeout_s for p in policies.values()), default=DEFAULT_OFFER_TIMEOUT_S)
    rows = await session.scalars(
        select(Assignment)
        .where(Assignment.status == Status.OFFERED, Assignment.offered_at < now - timedelta(seconds=shortest))
        .limit(BATCH)
    )
    for row in rows:
        policy = policies.get(row.queue)
        timeout = policy.offer_timeout_s if policy is not None else DEFAULT_OFFER_TIMEOUT_S
        transition = lifecycle.expire(work_of(row), now, timeout)
        if transition is None or transition.release is None:
            continue
        if await apply(session, transition, row.channel, now):  # else answered or expired meanwhile
            state.pool.adjust_load(transition.release, row.channel, -1, now)


async def _offer_waiting(session: AsyncSession, state: RouterState, now: datetime) -> int:
    """Offer waiting work in aged-priority order (the most urgent and the longest waiting both make the cut)."""
    by_priority = select(Assignment).where(Assignment.status == Status.QUEUED)
    rows = {
        r.id: r
        for stmt in (
            by_priority.order_by(Assignment.priority, Assignment.enqueued_at).limit(BATCH),
            by_priority.order_by(Assignment.enqueued_at).limit(BATCH),
        )
        for r in await session.scalars(stmt)
    }
    if not rows:
        return 0
    items = {row.id: work_item(row) for row in rows.values()}
    by_item = {id(item): assignment_id for assignment_id, item in items.items()}
    offered = 0
    pool = state.pool
    for item in order_waiting(items.values(), now, state.policies):
        row = rows[by_item[id(item)]]
        selection = pool.select(item, strategy=_strategy(state, row.queue), now=now)
        if selection.agent_id is None:
            continue
        if not await capacity.claim(session, selection.agent_id, row.channel, now):
            await store.reload_agent(session, pool, selection.agent_id)
            continue
        if not await apply(session, lifecycle.offer(work_of(row), selection.agent_id, now), row.channel, now):
            await capacity.release(session, selection.agent_id, row.channel, now)
            continue
        pool.adjust_load(selection.agent_id, row.channel, +1, now)
        offered += 1
    return offered


def _strategy(state: RouterState, queue: str) -> Strategy:
    policy = state.policies.get(queue)
    return policy.strategy if policy is not None else "least_loaded"


def work_item(row: Assignment) -> WorkItem:
    """The pure assignment engine's view of a waiting assignment."""
    req = row.requirements or {}
    skills = req.get("skills", {})
    languages = req.get("languages", [])
    item = WorkItem(
        conversation_id=row.conversation_id,
        channel=row.channel,
        queue=row.queue,
        language=row.language,
        required_skills=dict(skills) if isinstance(skills, dict) else {},
        required_languages=frozenset(languages) if isinstance(languages, list) else frozenset(),
        priority=row.priority,
        enqueued_at=row.enqueued_at,
    )
    return replace(item, excluded_agents=frozenset(row.excluded_agents))
