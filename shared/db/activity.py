"""The activity log: what happened, written in the transaction that made it happen (a transactional outbox).

Agents' event streams and long-polls read the rows that name them (``agent_id``: who holds the work now,
``previous_agent_id``: who held it before); the webhook worker fans every row out to its subscriptions. Rows
are only ever added.

Ordering: ``id`` is assigned at insert, but on PostgreSQL two transactions can commit in the other order, so
a reader that has seen id 12 may later find id 11. Readers keep a cursor *and* re-read a short window behind
it (``SETTLE``), remembering the ids they have already handled, so a row that commits late is still seen.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import CursorResult, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db.models import Activity, WebhookDelivery, WebhookSubscription
from shared.lifecycle import Transition

SETTLE = timedelta(seconds=10)
"""How long a row may take to commit after a later id is visible: readers re-read this far behind."""


def record(
    session: AsyncSession,
    type_: str,
    at: datetime,
    *,
    conversation_id: str | None = None,
    assignment_id: str | None = None,
    message_id: str | None = None,
    queue: str | None = None,
    agent_id: str | None = None,
    previous_agent_id: str | None = None,
    data: Mapping[str, object] | None = None,
) -> None:
    """Add one row to the caller's transaction (written with its commit, or not at all)."""
    session.add(
        Activity(
            at=at,
            type=type_,
            conversation_id=conversation_id,
            assignment_id=assignment_id,
            message_id=message_id,
            queue=queue,
            agent_id=agent_id,
            previous_agent_id=previous_agent_id,
            data=dict(data or {}),
        )
    )


def record_transition(session: AsyncSession, transition: Transition, now: datetime) -> None:
    """The row for an applied lifecycle transition, named by its event (``assignment.offered``, ...)."""
    work, changes = transition.work, transition.changes
    holder = changes.get("agent_id", work.agent_id)
    holder = holder if isinstance(holder, str) else None
    queue = changes.get("queue", work.queue)
    data: dict[str, object] = {"status": str(changes.get("status", work.status)), **transition.detail}
    if transition.reason:
        data["reason"] = transition.reason
    record(
        session,
        transition.event,
        now,
        conversation_id=work.conversation_id or None,
        assignment_id=work.id,
        queue=queue if isinstance(queue, str) else work.queue,
        agent_id=holder,
        previous_agent_id=work.agent_id if work.agent_id != holder else None,
        data=data,
    )


async def prune(session: AsyncSession, now: datetime, keep: timedelta, *, batch: int = 5000) -> int:
    """Delete up to ``batch`` activity rows older than ``keep`` that every webhook subscription has fanned out,
    and webhook deliveries that ended (delivered or parked) that long ago, in the caller's transaction.
    Returns the rows deleted. Idempotent, so several routers may prune at once."""
    cutoff = now - keep
    old = select(Activity.id).where(Activity.at < cutoff)
    fanned_out = await session.scalar(select(func.min(WebhookSubscription.cursor)))
    if fanned_out is not None:
        old = old.where(Activity.id <= fanned_out)
    ids = list(await session.scalars(old.order_by(Activity.id).limit(batch)))
    deleted = 0
    if ids:
        deleted += _count(await session.execute(delete(Activity).where(Activity.id.in_(ids))))
    ended = select(WebhookDelivery.id).where(
        WebhookDelivery.status.in_(("delivered", "parked")), WebhookDelivery.created_at < cutoff
    )
    ended_ids = list(await session.scalars(ended.limit(batch)))
    if ended_ids:
        deleted += _count(await session.execute(delete(WebhookDelivery).where(WebhookDelivery.id.in_(ended_ids))))
    return deleted


def _count(result: object) -> int:
    return result.rowcount if isinstance(result, CursorResult) else 0


__all__ = ["SETTLE", "prune", "record", "record_transition"]
