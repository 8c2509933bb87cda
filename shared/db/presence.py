"""Handing work back when an agent leaves: shared by the agent's own presence change and a shift's end."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db import capacity
from shared.db.models import Assignment

ON = ("available", "busy")


async def requeue(session: AsyncSession, row: Assignment, now: datetime, *, exclude: bool) -> None:
    """Put an agent's assignment back in its queue and free the agent's capacity; ``exclude`` keeps the
    work from being offered to the same agent again (after a rejection, say)."""
    assert row.agent_id is not None
    await capacity.release(session, row.agent_id, row.channel, now)
    if exclude and row.agent_id not in row.excluded_agents:
        row.excluded_agents = [*row.excluded_agents, row.agent_id]
    row.status, row.agent_id, row.offered_at = "queued", None, None


async def hand_back_offers(session: AsyncSession, agent_id: str, now: datetime) -> list[str]:
    """Requeue every offer the agent has not accepted yet (they may come back, so no exclusion).
    Returns the assignment ids."""
    offers = list(
        await session.scalars(
            select(Assignment).where(Assignment.agent_id == agent_id, Assignment.status == "offered").with_for_update()
        )
    )
    for row in offers:
        await requeue(session, row, now, exclude=False)
    return [row.id for row in offers]
