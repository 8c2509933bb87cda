"""Durable timers run by the dispatcher: SLA warnings and breaches, away agents' work, shift ends, overflow.

Every timer is a row condition (a stored instant compared with now) and every firing is a conditional
update, so timers survive restarts and fire once even when several routers tick at the same time.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from router.assign import (
    Deadline,
    QueuePolicy,
    SlaClock,
    SlaPolicy,
    deadlines,
    escalation_for,
    sla_state,
)
from router.assign.hours import is_open, shift_end
from router.assign.sla import Breach
from router.policies import business_hours
from shared import lifecycle
from shared.db import activity, presence
from shared.db.assignments import apply, work_of
from shared.db.models import Agent, Assignment, AuditEvent
from shared.errors import InvalidRequest
from shared.events import AssignmentRequeued, QueueOverflowed, ShiftEnded, SlaChanged
from shared.policies import BusinessHours

BATCH = 200
SHIFT_RECHECK = timedelta(days=30)
log = logging.getLogger(__name__)


async def fire_sla(session: AsyncSession, slas: Mapping[str, SlaPolicy], now: datetime) -> list[SlaChanged]:
    """Move open work whose SLA check time has come to warning or breached; escalate a breach once. The
    first-response clock stops at the agent's first reply to the customer (``first_response_at``), not at
    the accept: accepted work nobody has answered still warns and breaches."""
    rows = await session.scalars(
        select(Assignment)
        .where(Assignment.sla_next_check <= now, Assignment.status.in_(lifecycle.OPEN))
        .order_by(Assignment.sla_next_check)
        .limit(BATCH)
    )
    events: list[SlaChanged] = []
    for row in list(rows):
        policy = slas.get(row.sla_policy or "")
        if policy is None:
            row.sla_next_check = None
            continue
        clock = SlaClock(priority=row.sla_priority, started_at=row.created_at, first_response_at=row.first_response_at)
        state = sla_state(clock, policy, now)
        claimed = await session.execute(
            update(Assignment)
            .where(Assignment.id == row.id, Assignment.sla_next_check == row.sla_next_check)
            .values(sla_state=state, sla_next_check=_next_check(deadlines(clock, policy), clock, now))
            .execution_options(synchronize_session="fetch")
        )
        if not getattr(claimed, "rowcount", 0) or state == "ok":
            continue
        event: dict[str, object] = {"type": f"sla.{state}", "assignment_id": row.id, "queue": row.queue,
                                    "conversation_id": row.conversation_id, "agent_id": row.agent_id,
                                    "at": now}  # fmt: skip
        activity.record(session, f"sla.{state}", now, conversation_id=row.conversation_id, assignment_id=row.id,
                        queue=row.queue, agent_id=row.agent_id, data={"sla_state": state})  # fmt: skip
        if state == "breached" and row.escalated_at is None:
            event.update(await _escalate(session, row, Breach("first_response", row.sla_priority, now), now))
        events.append(SlaChanged.model_validate(event))
    return events


def _next_check(due: list[Deadline], clock: SlaClock, now: datetime) -> datetime | None:
    """The next instant at which the work's SLA state can change."""
    pending = [
        instant
        for d in due
        if (clock.first_response_at is None or d.target != "first_response")
        for instant in (d.warn_at, d.due_at)
        if instant > now
    ]
    return min(pending, default=None)


async def _escalate(session: AsyncSession, row: Assignment, breach: Breach, now: datetime) -> dict[str, object]:
    """Raise priority; work nobody has accepted moves to the escalations queue. Returns how, for the event."""
    escalation = escalation_for(breach)
    transition = lifecycle.escalate_breach(work_of(row), now, priority=escalation.new_priority, queue=escalation.queue)
    if not await apply(session, transition, row.channel, now):
        return {}
    return dict(transition.detail)


async def requeue_absent(session: AsyncSession, grace: timedelta, now: datetime) -> list[AssignmentRequeued]:
    """Work of agents away or offline for longer than the grace period goes back to its queue."""
    rows = await session.scalars(
        select(Assignment)
        .join(Agent, Agent.id == Assignment.agent_id)
        .where(
            Assignment.status.in_(lifecycle.HELD),
            Agent.presence.in_(("away", "offline")),
            Agent.presence_changed_at <= now - grace,
        )
        .limit(BATCH)
    )
    events: list[AssignmentRequeued] = []
    for row in list(rows):
        transition = lifecycle.requeue_absent(work_of(row), now)
        if await apply(session, transition, row.channel, now):
            events.append(AssignmentRequeued(assignment_id=row.id, conversation_id=row.conversation_id,
                                             reason=transition.reason or "agent away", at=now))  # fmt: skip
    return events


async def schedule_shift_ends(session: AsyncSession, now: datetime) -> None:
    """Work out when each signed-on agent with working hours is to be signed off. The gateway clears
    ``shift_ends_at`` when presence or hours change; the update is conditional on the row being unchanged."""
    rows = await session.execute(
        select(Agent.id, Agent.shift, Agent.updated_at)
        .where(Agent.shift_ends_at.is_(None), Agent.shift.is_not(None), Agent.presence.in_(presence.ON))
        .limit(BATCH)
    )
    for agent_id, shift, seen in list(rows):
        await session.execute(
            update(Agent)
            .where(Agent.id == agent_id, Agent.updated_at == seen, Agent.shift_ends_at.is_(None))
            .values(shift_ends_at=_sign_off_at(agent_id, shift, now))
        )


async def end_shifts(session: AsyncSession, now: datetime) -> list[ShiftEnded]:
    """Sign off agents whose shift has ended: offers go back at once, accepted work after the away grace
    period (counted from the shift's end, see ``requeue_absent``)."""
    rows = await session.execute(
        select(Agent.id, Agent.shift, Agent.shift_ends_at)
        .where(Agent.shift_ends_at <= now, Agent.presence.in_(presence.ON))
        .order_by(Agent.shift_ends_at)
        .limit(BATCH)
    )
    events: list[ShiftEnded] = []
    for agent_id, shift, ends in list(rows):
        hours = _shift_hours(agent_id, shift)
        unchanged = (Agent.id == agent_id, Agent.shift_ends_at == ends, Agent.presence.in_(presence.ON))
        if hours is None or is_open(hours, now):  # hours removed, or a re-check of hours that never close
            await session.execute(
                update(Agent).where(*unchanged).values(shift_ends_at=_sign_off_at(agent_id, shift, now))
            )
            continue
        signed_off = await session.execute(
            update(Agent)
            .where(*unchanged)
            .values(
                presence="offline",
                presence_changed_at=ends,
                shift_ends_at=None,
                idle_since=None,
                revision=Agent.revision + 1,
                updated_at=now,
            )
            .execution_options(synchronize_session="fetch")
        )
        if not getattr(signed_off, "rowcount", 0):
            continue  # another router signed the agent off, or the agent changed presence meanwhile
        requeued = await presence.hand_back_offers(session, agent_id, now)
        session.add(AuditEvent(actor="router", action="agent.presence", subject=agent_id,
                               detail={"status": "offline", "reason": "shift ended"}))  # fmt: skip
        events.append(ShiftEnded(agent_id=agent_id, requeued=requeued, at=now))
    return events


def _sign_off_at(agent_id: str, shift: object, now: datetime) -> datetime | None:
    """The end of the shift on at ``now`` (or of the next one); hours that never close, and stored hours out of
    bounds (logged), are checked again later."""
    try:
        hours = business_hours(shift if isinstance(shift, Mapping) else None)
    except InvalidRequest as exc:
        log.error("shift skipped: stored hours out of bounds", extra={"agent_id": agent_id, "error": exc.detail})
        return now + SHIFT_RECHECK
    if hours is None:
        return None
    return shift_end(hours, now) or now + SHIFT_RECHECK


def _shift_hours(agent_id: str, shift: object) -> BusinessHours | None:
    """An agent's stored working hours; None when there are none or they are out of bounds (logged)."""
    try:
        return business_hours(shift if isinstance(shift, Mapping) else None)
    except InvalidRequest as exc:
        log.error("shift skipped: stored hours out of bounds", extra={"agent_id": agent_id, "error": exc.detail})
        return None


async def overflow(session: AsyncSession, policies: Mapping[str, QueuePolicy], now: datetime) -> list[QueueOverflowed]:
    """Work waiting longer than its queue's overflow time moves to the overflow queue."""
    events: list[QueueOverflowed] = []
    for policy in policies.values():
        if policy.overflow_queue is None or policy.overflow_after_s is None:
            continue
        waited_since = now - timedelta(seconds=policy.overflow_after_s)  # bounded: cannot leave datetime's range
        moved = await session.execute(
            update(Assignment)
            .where(
                Assignment.status == lifecycle.Status.QUEUED,
                Assignment.queue == policy.name,
                Assignment.enqueued_at <= waited_since,
            )
            .values(queue=policy.overflow_queue)
            .execution_options(synchronize_session="fetch")
        )
        count = getattr(moved, "rowcount", 0)
        if count:
            events.append(QueueOverflowed(from_queue=policy.name, to_queue=policy.overflow_queue, count=count, at=now))
    return events
