"""Who may read a conversation, and who may answer it.

Agents read the conversations they hold (an offered or accepted assignment) or held last; supervisors read
those in the queues they oversee (``gateway.oversight``: every queue for a supervisor key without an agent
profile), admins any. Everyone else is told the conversation does not exist: an agent cannot learn which ids
are others' conversations.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.oversight import may_read_conversation
from shared.auth import Principal
from shared.db.models import Assignment, Conversation
from shared.errors import Conflict, NotFound
from shared.lifecycle import HELD, Status

NOT_FOUND = "no such conversation for this key"


async def reads_any(session: AsyncSession, principal: Principal, conversation: Conversation) -> bool:
    """Whether the caller reads this conversation by oversight: an admin, or a supervisor of its queue."""
    if principal.role not in ("supervisor", "admin"):
        return False
    return await may_read_conversation(session, principal, conversation.id)


async def readable(session: AsyncSession, conversation_id: str, principal: Principal) -> Conversation:
    """The conversation, when the caller may read it; ``NotFound`` otherwise."""
    conversation = await session.get(Conversation, conversation_id)
    if conversation is None:
        raise NotFound(NOT_FOUND)
    if await reads_any(session, principal, conversation):
        return conversation
    agent_id = principal.agent_id if principal.role == "agent" else None
    if agent_id is not None and await _holds(session, conversation_id, agent_id):
        return conversation
    raise NotFound(NOT_FOUND)


async def _holds(session: AsyncSession, conversation_id: str, agent_id: str) -> bool:
    """The agent holds an open assignment of the conversation, or held its latest one."""
    held = await session.scalar(
        select(Assignment.id)
        .where(
            Assignment.conversation_id == conversation_id, Assignment.agent_id == agent_id, Assignment.status.in_(HELD)
        )
        .limit(1)
    )
    if held is not None:
        return True
    latest = await session.scalar(
        select(Assignment.agent_id)
        .where(Assignment.conversation_id == conversation_id)
        .order_by(Assignment.created_at.desc(), Assignment.id.desc())
        .limit(1)
    )
    return latest == agent_id


async def answering(session: AsyncSession, conversation_id: str, principal: Principal) -> Assignment:
    """The caller's accepted assignment of the conversation, locked: only its holder may reply (409 before
    accepting, or once it is completed or moved on)."""
    row = await session.scalar(
        select(Assignment)
        .where(
            Assignment.conversation_id == conversation_id,
            Assignment.agent_id == principal.agent_id,
            Assignment.status == Status.ACCEPTED,
        )
        .with_for_update()
        .limit(1)
    )
    if row is None:
        raise Conflict("reply needs the conversation's assignment accepted by you: accept the offer first")
    return row


__all__ = ["answering", "readable", "reads_any"]
