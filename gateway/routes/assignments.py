"""What an agent does with an assignment."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter

from gateway import commands
from gateway.deps import AgentDep, SessionDep
from gateway.schemas import AssignmentOut, CompleteIn, TransferIn

router = APIRouter(prefix="/v1/assignments", tags=["assignments"])


@router.post("/{assignment_id}/accept", response_model=AssignmentOut)
async def accept(assignment_id: str, principal: AgentDep, session: SessionDep) -> AssignmentOut:
    """Accept a conversation offered to you."""
    row = await commands.accept(session, assignment_id, principal, datetime.now(UTC))
    return AssignmentOut.model_validate(row, from_attributes=True)


@router.post("/{assignment_id}/reject", response_model=AssignmentOut)
async def reject(assignment_id: str, principal: AgentDep, session: SessionDep) -> AssignmentOut:
    """Decline an offer; it goes to the next fitting agent, never back to you."""
    row = await commands.reject(session, assignment_id, principal, datetime.now(UTC))
    return AssignmentOut.model_validate(row, from_attributes=True)


@router.post("/{assignment_id}/complete", response_model=AssignmentOut)
async def complete(assignment_id: str, body: CompleteIn, principal: AgentDep, session: SessionDep) -> AssignmentOut:
    """Close a conversation with a disposition (e.g. `resolved`, `refund_issued`) and notes."""
    row = await commands.complete(
        session, assignment_id, principal, datetime.now(UTC), disposition=body.disposition, notes=body.notes
    )
    return AssignmentOut.model_validate(row, from_attributes=True)


@router.post("/{assignment_id}/transfer", response_model=AssignmentOut)
async def transfer(assignment_id: str, body: TransferIn, principal: AgentDep, session: SessionDep) -> AssignmentOut:
    """Hand a conversation to another queue (`queue`) or directly to an available colleague (`agent_id`)."""
    row = await commands.transfer(
        session, assignment_id, principal, datetime.now(UTC), queue=body.queue, agent_id=body.agent_id
    )
    return AssignmentOut.model_validate(row, from_attributes=True)


@router.post("/{assignment_id}/escalate", response_model=AssignmentOut)
async def escalate(assignment_id: str, principal: AgentDep, session: SessionDep) -> AssignmentOut:
    """Escalate to a supervisor: the conversation moves to the escalations queue with top priority."""
    row = await commands.escalate(session, assignment_id, principal, datetime.now(UTC))
    return AssignmentOut.model_validate(row, from_attributes=True)
