"""Who may see which work: an agent its own, a supervisor the queues it oversees, an admin everything.

A supervisor's queues: a supervisor key linked to an agent profile (``agent_id`` on the key) oversees the
queues that agent lists, and the escalations queue (every supervisor takes escalations); a supervisor key
without an agent oversees every queue. Admins oversee every queue. Ops and integration keys oversee none
(ops configure queues, they do not read customers' conversations).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth import Principal
from shared.db.models import Agent, Assignment
from shared.lifecycle import ESCALATIONS_QUEUE

EVERY_QUEUE = None
"""What ``overseen_queues`` answers for a principal that oversees every queue."""


async def overseen_queues(session: AsyncSession, principal: Principal) -> frozenset[str] | None:
    """The queues ``principal`` oversees: a set, or None for every queue."""
    if principal.role == "admin" or (principal.role == "supervisor" and principal.agent_id is None):
        return EVERY_QUEUE
    if principal.role != "supervisor":
        return frozenset()
    queues = await session.scalar(select(Agent.queues).where(Agent.id == principal.agent_id))
    return frozenset([*(queues or []), ESCALATIONS_QUEUE])


async def may_read_queue(session: AsyncSession, principal: Principal, queue: str) -> bool:
    """Whether ``principal`` may see the work waiting and held in ``queue``."""
    overseen = await overseen_queues(session, principal)
    return overseen is EVERY_QUEUE or queue in overseen


async def may_read_conversation(session: AsyncSession, principal: Principal, conversation_id: str) -> bool:
    """Whether ``principal`` may read the conversation: an agent holding (or having completed) one of its
    assignments, a supervisor overseeing the queue one of its assignments is in now, an unlinked supervisor or
    an admin. The caller answers 404 when not, so another agent's conversation looks like one that does not
    exist (and checks that the conversation exists: this answers True for admins without reading it)."""
    if principal.role == "agent":
        held = select(Assignment.id).where(
            Assignment.conversation_id == conversation_id, Assignment.agent_id == principal.agent_id
        )
        return await session.scalar(held.limit(1)) is not None
    overseen = await overseen_queues(session, principal)
    queues = select(Assignment.queue).where(Assignment.conversation_id == conversation_id)
    if overseen is EVERY_QUEUE:
        return principal.role in ("admin", "supervisor")
    if not overseen:
        return False
    return await session.scalar(queues.where(Assignment.queue.in_(sorted(overseen))).limit(1)) is not None


__all__ = ["EVERY_QUEUE", "may_read_conversation", "may_read_queue", "overseen_queues"]
