"""What an agent does with an assignment, and what a supervisor does with the work in its queues."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from gateway import commands, oversight
from gateway.deps import AgentDep, SessionDep, SupervisorDep
from gateway.schemas import AssignmentOut, CompleteIn, ReassignIn, TransferIn
from gateway.summaries import assignment_out, assignments_out
from shared.db.models import Assignment, Queue
from shared.errors import Forbidden, InvalidRequest
from shared.lifecycle import OPEN, Status

router = APIRouter(prefix="/v1/assignments", tags=["assignments"])


@router.get("", response_model=list[AssignmentOut])
async def list_open_work(
    principal: SupervisorDep,
    session: SessionDep,
    queue: Annotated[str | None, Query(max_length=64)] = None,
    status: Annotated[list[Status] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[AssignmentOut]:
    """Work waiting and held in the queues you oversee (or in one `queue`), most urgent and oldest first.

    `status` is any of `queued`, `offered`, `accepted` (default: all three). A supervisor key linked to an agent
    oversees that agent's queues and the escalations queue; one without an agent, and admins, oversee all.
    """
    wanted = status or list(OPEN)
    if Status.COMPLETED in wanted:
        raise InvalidRequest("status: only open work is listed here (queued, offered, accepted)")
    overseen = await oversight.overseen_queues(session, principal)
    stmt = select(Assignment).where(Assignment.status.in_(wanted))
    if queue is not None:
        if await session.get(Queue, queue) is None:
            raise InvalidRequest(f"queue: unknown queue {queue}")
        if overseen is not oversight.EVERY_QUEUE and queue not in overseen:
            raise Forbidden(f"you do not oversee the queue {queue}")
        stmt = stmt.where(Assignment.queue == queue)
    elif overseen is not oversight.EVERY_QUEUE:
        stmt = stmt.where(Assignment.queue.in_(sorted(overseen)))
    rows = await session.scalars(stmt.order_by(Assignment.priority, Assignment.enqueued_at).limit(limit))
    return await assignments_out(session, list(rows))


@router.post("/{assignment_id}/accept", response_model=AssignmentOut)
async def accept(assignment_id: str, principal: AgentDep, session: SessionDep) -> AssignmentOut:
    """Accept a conversation offered to you."""
    row = await commands.accept(session, assignment_id, principal, datetime.now(UTC))
    return await assignment_out(session, row)


@router.post("/{assignment_id}/reject", response_model=AssignmentOut)
async def reject(assignment_id: str, principal: AgentDep, session: SessionDep) -> AssignmentOut:
    """Decline an offer; it goes to the next fitting agent, never back to you."""
    row = await commands.reject(session, assignment_id, principal, datetime.now(UTC))
    return await assignment_out(session, row)


@router.post("/{assignment_id}/complete", response_model=AssignmentOut)
async def complete(assignment_id: str, body: CompleteIn, principal: AgentDep, session: SessionDep) -> AssignmentOut:
    """Close a conversation you accepted with a disposition (e.g. `resolved`, `refund_issued`) and notes; an
    offer you have not accepted is 409."""
    row = await commands.complete(
        session, assignment_id, principal, datetime.now(UTC), disposition=body.disposition, notes=body.notes
    )
    return await assignment_out(session, row)


@router.post("/{assignment_id}/transfer", response_model=AssignmentOut)
async def transfer(assignment_id: str, body: TransferIn, principal: AgentDep, session: SessionDep) -> AssignmentOut:
    """Hand a conversation to another queue (`queue`) or directly to an available colleague (`agent_id`), who
    must accept it."""
    row = await commands.transfer(
        session, assignment_id, principal, datetime.now(UTC), queue=body.queue, agent_id=body.agent_id
    )
    return await assignment_out(session, row)


@router.post("/{assignment_id}/escalate", response_model=AssignmentOut)
async def escalate(assignment_id: str, principal: AgentDep, session: SessionDep) -> AssignmentOut:
    """Escalate to a supervisor: the conversation moves to the escalations queue with top priority."""
    row = await commands.escalate(session, assignment_id, principal, datetime.now(UTC))
    return await assignment_out(session, row)


@router.post("/{assignment_id}/reassign", response_model=AssignmentOut)
async def reassign(
    assignment_id: str, body: ReassignIn, principal: SupervisorDep, session: SessionDep
) -> AssignmentOut:
    """Supervisors: offer open work in your queues to an agent who is available with room on its channel
    (even one who declined it before); whoever held it gives it up, and the new holder must accept."""
    row = await commands.reassign(session, assignment_id, principal, datetime.now(UTC), agent_id=body.agent_id)
    return await assignment_out(session, row)


@router.post("/{assignment_id}/withdraw", response_model=AssignmentOut)
async def withdraw(assignment_id: str, principal: SupervisorDep, session: SessionDep) -> AssignmentOut:
    """Supervisors: pull offered or accepted work in your queues back from its agent; it waits in its queue for
    the next fitting agent."""
    row = await commands.withdraw(session, assignment_id, principal, datetime.now(UTC))
    return await assignment_out(session, row)


@router.post("/{assignment_id}/take", response_model=AssignmentOut)
async def take(assignment_id: str, principal: SupervisorDep, session: SessionDep) -> AssignmentOut:
    """Supervisors whose key is linked to an agent profile: take an escalation (work waiting in, or offered
    from, the escalations queue); it is yours, accepted, at once."""
    row = await commands.take(session, assignment_id, principal, datetime.now(UTC))
    return await assignment_out(session, row)
