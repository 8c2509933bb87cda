"""Applying lifecycle transitions to stored assignments: one conditional update each."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CursorResult, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db import activity, capacity
from shared.db.models import Assignment
from shared.lifecycle import Status, Transition, Work


def work_of(row: Assignment) -> Work:
    """The lifecycle's view of a stored assignment."""
    return Work(
        id=row.id,
        status=Status(row.status),
        agent_id=row.agent_id,
        queue=row.queue,
        conversation_id=row.conversation_id,
        offered_at=row.offered_at,
        accepted_at=row.accepted_at,
        excluded_agents=tuple(row.excluded_agents),
        priority=row.priority,
    )


async def apply(session: AsyncSession, transition: Transition, channel: str, now: datetime) -> bool:
    """Apply ``transition`` if the row still holds what it expects, give back the capacity it releases and
    record it in the activity log. False when another writer changed the row first (nothing is written then).
    """
    guard = [
        getattr(Assignment, column).is_(None) if value is None else getattr(Assignment, column) == value
        for column, value in transition.expect.items()
    ]
    result = await session.execute(
        update(Assignment)
        .where(Assignment.id == transition.work.id, *guard)
        .values(**transition.changes)
        .execution_options(synchronize_session="fetch")
    )
    if not (result.rowcount if isinstance(result, CursorResult) else 0):
        return False
    if transition.release is not None:
        await capacity.release(session, transition.release, channel, now)
    activity.record_transition(session, transition, now)
    return True
