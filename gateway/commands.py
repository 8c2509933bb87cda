"""Agent-side commands on assignments and presence; each applies one lifecycle transition and owns exactly
one commit. Every change to an assignment writes an audit row naming the caller (``role:key``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway import oversight
from shared import lifecycle
from shared.auth import Principal
from shared.db import capacity, presence
from shared.db.assignments import apply, work_of
from shared.db.models import Agent, Assignment, AuditEvent, Conversation, Queue
from shared.errors import Conflict, Forbidden, InvalidRequest, NotFound


def _audit(session: AsyncSession, principal: Principal, action: str, row: Assignment, **detail: object) -> None:
    """The audit row of a step on an assignment: who (with role), what, and the agent acting."""
    extra = {"role": principal.role, "agent_id": principal.agent_id} | detail
    session.add(AuditEvent(actor=principal.actor, action=action, subject=row.id, detail=extra))


async def _own(session: AsyncSession, assignment_id: str, principal: Principal) -> Assignment:
    """The agent's own assignment, locked for update; others' look like they do not exist."""
    row = await session.scalar(select(Assignment).where(Assignment.id == assignment_id).with_for_update())
    if row is None or row.agent_id != principal.agent_id:
        raise NotFound("no such assignment for this agent")
    return row


async def _apply(session: AsyncSession, row: Assignment, transition: lifecycle.Transition, now: datetime) -> None:
    """Apply the transition to ``row`` (refused if another writer changed it first) and re-read it."""
    if not await apply(session, transition, row.channel, now):
        raise Conflict("the assignment changed meanwhile; read it again")
    await session.refresh(row)


async def accept(session: AsyncSession, assignment_id: str, principal: Principal, now: datetime) -> Assignment:
    """Accept an offered assignment (accepting it again changes nothing)."""
    row = await _own(session, assignment_id, principal)
    transition = lifecycle.accept(work_of(row), now)
    if transition is None:
        return row
    await _apply(session, row, transition, now)
    _audit(session, principal, "assignment.accept", row)
    await session.commit()
    return row


async def reject(session: AsyncSession, assignment_id: str, principal: Principal, now: datetime) -> Assignment:
    """Decline an offer: the work goes back to its queue and will be offered to someone else."""
    row = await _own(session, assignment_id, principal)
    await _apply(session, row, lifecycle.reject(work_of(row), now), now)
    _audit(session, principal, "assignment.reject", row)
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
    """Close the conversation's accepted assignment with a disposition and notes (an offer is 409: accept it
    first)."""
    row = await _own(session, assignment_id, principal)
    agent_id = row.agent_id
    await _apply(session, row, lifecycle.complete(work_of(row), now, disposition=disposition, notes=notes), now)
    await session.execute(
        update(Conversation)
        .where(Conversation.id == row.conversation_id)
        .values(last_agent_id=agent_id, last_closed_at=now)
    )
    _audit(session, principal, "assignment.complete", row, disposition=disposition)
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
    """Hand the conversation to another queue, or straight to an agent who is available with room; either way
    the next holder must accept it."""
    row = await _own(session, assignment_id, principal)
    work = work_of(row)
    if (queue is None) == (agent_id is None):
        raise InvalidRequest("name exactly one of queue or agent_id")
    if queue is not None:
        if await session.get(Queue, queue) is None:
            raise InvalidRequest(f"unknown queue {queue}")
        transition = lifecycle.transfer_to_queue(work, queue, now)
    else:
        assert agent_id is not None
        transition = lifecycle.transfer_to_agent(work, agent_id, now)
        if not await capacity.claim(session, agent_id, row.channel, now):
            raise Conflict("that agent is not available with free capacity on this channel")
    await _apply(session, row, transition, now)
    _audit(session, principal, "assignment.transfer", row, **transition.detail)
    await session.commit()
    return row


async def escalate(session: AsyncSession, assignment_id: str, principal: Principal, now: datetime) -> Assignment:
    """Send the conversation to the supervisors' escalations queue with top priority."""
    row = await _own(session, assignment_id, principal)
    transition = lifecycle.escalate(work_of(row), now)
    if await session.get(Queue, lifecycle.ESCALATIONS_QUEUE) is None:
        raise Conflict(f"there is no {lifecycle.ESCALATIONS_QUEUE} queue to escalate to")
    await _apply(session, row, transition, now)
    _audit(session, principal, "assignment.escalate", row, **transition.detail)
    await session.commit()
    return row


async def _overseen(session: AsyncSession, assignment_id: str, principal: Principal) -> Assignment:
    """An assignment in a queue the supervisor oversees, locked for update; others look like they do not exist."""
    row = await session.scalar(select(Assignment).where(Assignment.id == assignment_id).with_for_update())
    if row is None or not await oversight.may_read_queue(session, principal, row.queue):
        raise NotFound("no such assignment in your queues")
    return row


async def reassign(session: AsyncSession, assignment_id: str, principal: Principal, now: datetime, *,
                   agent_id: str) -> Assignment:  # fmt: skip
    """A supervisor offers open work to an agent who is available with room on its channel."""
    row = await _overseen(session, assignment_id, principal)
    transition = lifecycle.reassign(work_of(row), agent_id, now)
    if await session.get(Agent, agent_id) is None:
        raise InvalidRequest("no such agent")
    if not await capacity.claim(session, agent_id, row.channel, now):
        raise Conflict("that agent is not available with free capacity on this channel")
    await _apply(session, row, transition, now)
    _audit(session, principal, "assignment.reassign", row, **transition.detail)
    await session.commit()
    return row


async def withdraw(session: AsyncSession, assignment_id: str, principal: Principal, now: datetime) -> Assignment:
    """A supervisor pulls held work back to its queue, to be offered again."""
    row = await _overseen(session, assignment_id, principal)
    transition = lifecycle.withdraw(work_of(row), now)
    await _apply(session, row, transition, now)
    _audit(session, principal, "assignment.withdraw", row, **transition.detail)
    await session.commit()
    return row


async def take(session: AsyncSession, assignment_id: str, principal: Principal, now: datetime) -> Assignment:
    """A supervisor takes an escalation for the agent profile its key is linked to, accepted at once."""
    row = await _overseen(session, assignment_id, principal)
    if principal.agent_id is None:
        raise Forbidden("taking work needs a supervisor key linked to an agent profile (agent_id)")
    transition = lifecycle.take(work_of(row), principal.agent_id, now)
    if not await capacity.claim(session, principal.agent_id, row.channel, now):
        raise Conflict("your agent profile is not available with free capacity on this channel")
    await _apply(session, row, transition, now)
    _audit(session, principal, "assignment.take", row, **transition.detail)
    await session.commit()
    return row
