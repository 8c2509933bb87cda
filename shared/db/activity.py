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

from sqlalchemy.ext.asyncio import AsyncSession

from shared.db.models import Activity
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


__all__ = ["SETTLE", "record", "record_transition"]
