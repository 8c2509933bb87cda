"""Agent-side commands on assignments and presence; each owns exactly one commit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth import Principal
from shared.db import capacity, presence
from shared.db.models import Agent, Assignment, AuditEvent, Conversation, Queue
from shared.errors import Conflict, InvalidRequest, NotFound

OPEN = ("queued", "offered", "accepted")
ESCALATIONS = "escalations"


async def _own(session: AsyncSession, assignment_id: str, principal: Principal) -> Assignment:
    """The agent's own assignment, locked for update; others' look like they do not exist."""
    row = await session.scalar(select(Assignment).where(Assignment.id == assignment_id).with_for_update())
    if row is None or row.agent_id != principal.agent_id:
        raise NotFound("no such assignment for this agent")
    return row


async def accept(session: AsyncSession, assignment_id: str, principal: Principal, now: datetime) -> Assignment:
    """Accept an offered assignment."""
    row = await _own(session, assignment_id, principal)
    if row.status == "accepted":
        return row
    if row.status != "offered":
        raise Conflict(f"the assignment is {row.status}, only an offered one can be accepted")
    row.status, row.accepted_at = "accepted", now
    await session.commit()
    return row


async def reject(session: AsyncSession, assignment_id: str, principal: Principal, now: datetime) -> Assignment:
    """Decline an offer: the work goes back to its queue and will be offered to someone else."""
    row = await _own(session, assignment_id, principal)
    if row.status != "offered":
        raise Conflict(f"the assignment is {row.status}, only an offered one can be rejected")
    await presence.requeue(session, row, now, exclude=True)
    await session.commit()
    return row


async def complete(
    session: AsyncSession,
    assignment_id: str,
    principal: Principal,
    now: datetime,
    *,
    disposition: str,
    notes: str | None,
) -> Assignment:
    """Close the conversation's assignment with a disposition and notes."""
    row = await _own(session, assignment_id, principal)
    if row.status == "completed":
        raise Conflict("the assignment is already completed")
    if row.status not in ("offered", "accepted"):
        raise Conflict(f"the assignment is {row.status}")
    row.status, row.completed_at = "completed", now
    row.disposition, row.notes = disposition, notes
    if row.accepted_at is None:
        row.accepted_at = now
    assert row.agent_id is not None
    await capacity.release(session, row.agent_id, row.channel, now)
    await session.execute(
        update(Conversation)
        .where(Conversation.id == row.conversation_id)
        .values(last_agent_id=row.agent_id, last_closed_at=now)
    )
    await session.commit()
    return row


async def set_presence(session: AsyncSession, principal: Principal, status: str, now: datetime) -> int:
    """Change the agent's presence; going away hands back un-accepted offers at once. Returns how many."""
    assert principal.agent_id is not None
    agent = await session.get(Agent, principal.agent_id, with_for_update=True)
    if agent is None:
        raise NotFound("the agent of this key no longer exists")
    requeued = 0
    if agent.presence != status:
        agent.presence, agent.presence_changed_at = status, now
        agent.shift_ends_at = None  # a router computes the end of the shift this presence falls in
        if status == "available":
            agent.idle_since = now
        else:
            requeued = len(await presence.hand_back_offers(session, agent.id, now))
        session.add(
            AuditEvent(actor=principal.actor, action="agent.presence", subject=agent.id, detail={"status": status})
        )
    await capacity.touch_agents(session, [agent.id], now)
    await session.commit()
    return requeued


async def transfer(
    session: AsyncSession,
    assignment_id: str,
    principal: Principal,
    now: datetime,
    *,
    queue: str | None,
    agent_id: str | None,
) -> Assignment:
    """Hand the conversation to another queue, or straight to an agent who is available with room."""
    row = await _own(session, assignment_id, principal)
    if row.status not in ("offered", "accepted"):
        raise Conflict(f"the assignment is {row.status}")
    if (queue is None) == (agent_id is None):
        raise InvalidRequest("name exactly one of queue or agent_id")
    if queue is not None and await session.get(Queue, queue) is None:
        raise InvalidRequest(f"unknown queue {queue}")
    if agent_id is not None and (
        agent_id == row.agent_id or not await capacity.claim(session, agent_id, row.channel, now)
    ):
        raise Conflict("that agent is not available with free capacity on this channel")
    previous = row.agent_id
    await presence.requeue(session, row, now, exclude=False)
    if agent_id is not None:
        row.status, row.agent_id, row.offered_at = "offered", agent_id, now
    else:
        row.queue = queue or row.queue
    session.add(AuditEvent(actor=principal.actor, action="assignment.transfer", subject=row.id,
                           detail={"from_agent": previous, "to_agent": agent_id, "to_queue": queue}))  # fmt: skip
    await session.commit()
    return row


async def escalate(session: AsyncSession, assignment_id: str, principal: Principal, now: datetime) -> Assignment:
    """Send the conversation to the supervisors' escalations queue with top priority."""
    row = await _own(session, assignment_id, principal)
    if row.status not in ("offered", "accepted"):
        raise Conflict(f"the assignment is {row.status}")
    if await session.get(Queue, ESCALATIONS) is None:
        raise Conflict(f"there is no {ESCALATIONS} queue to escalate to")
    await presence.requeue(session, row, now, exclude=True)
    row.queue, row.priority, row.escalated_at = ESCALATIONS, 1, now
    session.add(AuditEvent(actor=principal.actor, action="assignment.escalate", subject=row.id))
    await session.commit()
    return row
