"""Atomic agent-capacity claims: a conditional update, so no two writers push an agent past capacity."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db.models import Agent, AgentCapacity


async def claim(session: AsyncSession, agent_id: str, channel: str, now: datetime, *, touch: bool = True) -> bool:
    """Take one unit of the agent's capacity on ``channel`` if free and the agent is available. A caller
    claiming for many messages passes ``touch=False`` and calls ``touch_agents`` once for them all."""
    result = await session.execute(
        update(AgentCapacity)
        .where(
            AgentCapacity.agent_id == agent_id,
            AgentCapacity.channel == channel,
            AgentCapacity.load < AgentCapacity.capacity,
            AgentCapacity.agent_id.in_(
                Agent.__table__.select().with_only_columns(Agent.id).where(Agent.presence == "available")
            ),
        )
        .values(load=AgentCapacity.load + 1)
        .execution_options(synchronize_session=False)
    )
    if not _rowcount(result):
        return False
    if touch:
        await touch_agents(session, [agent_id], now, assigned=True)
    return True


async def release(session: AsyncSession, agent_id: str, channel: str, now: datetime) -> None:
    """Give back one unit of capacity (never below zero)."""
    await session.execute(
        update(AgentCapacity)
        .where(AgentCapacity.agent_id == agent_id, AgentCapacity.channel == channel, AgentCapacity.load > 0)
        .values(load=AgentCapacity.load - 1)
        .execution_options(synchronize_session=False)
    )
    busy = select(AgentCapacity.agent_id).where(AgentCapacity.agent_id == agent_id, AgentCapacity.load > 0).exists()
    await session.execute(
        update(Agent)
        .where(Agent.id == agent_id, ~busy)
        .values(idle_since=now)
        .execution_options(synchronize_session=False)
    )
    await touch_agents(session, [agent_id], now)


async def touch_agents(
    session: AsyncSession, agent_ids: Collection[str], now: datetime, *, assigned: bool = False
) -> None:
    """Bump the agents' revisions (and, for new work, ``last_assigned_at``) so routers refresh their view."""
    if not agent_ids:
        return
    values: dict[str, object] = {"revision": Agent.revision + 1, "updated_at": now}
    if assigned:
        values["last_assigned_at"] = now
    await session.execute(
        update(Agent)
        .where(Agent.id.in_(sorted(agent_ids)))
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def _rowcount(result: object) -> int:
    return result.rowcount if isinstance(result, CursorResult) else 0
