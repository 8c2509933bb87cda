"""Handing work back when an agent leaves: shared by the agent's own presence change and a shift's end."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shared import lifecycle
from shared.db.assignments import apply, work_of
from shared.db.models import Assignment

ON = ("available", "busy")


async def hand_back_offers(session: AsyncSession, agent_id: str, now: datetime) -> list[str]:
    """Requeue every offer the agent has not accepted yet (they may come back, so no exclusion).
    Returns the ids of the assignments handed back."""
    offers = list(
        await session.scalars(
            select(Assignment)
            .where(Assignment.agent_id == agent_id, Assignment.status == lifecycle.Status.OFFERED)
            .with_for_update()
        )
    )
    handed = []
    for row in offers:
        if await apply(session, lifecycle.hand_back(work_of(row), now), row.channel, now):
            handed.append(row.id)
    return handed
