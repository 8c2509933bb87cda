"""The router's reads and writes; every function takes the session its caller's transaction owns."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from router.assign import AgentPool, AgentState, QueuePolicy, SlaPolicy
from router.policies import queue_policy, sla_policy
from router.rules import RulesetDocument
from shared.db.models import (
    Agent,
    AgentCapacity,
    Assignment,
    Contact,
    Conversation,
    Decision,
    Message,
    Queue,
    Ruleset,
    RulesetActivation,
    SlaPolicyRow,
)

OPEN = ("queued", "offered", "accepted")
REFRESH_OVERLAP = timedelta(seconds=5)


async def already_routed(session: AsyncSession, message_id: str, provider: str, external_id: str | None) -> bool:
    """Whether this message (or the provider's same message) was routed before."""
    if await session.get(Decision, message_id) is not None:
        return True
    if external_id is None:
        return False
    found = await session.scalar(
        select(Message.id).where(Message.provider == provider, Message.external_id == external_id).limit(1)
    )
    return found is not None


async def conversation(
    session: AsyncSession, conv_id: str, key: str, channel: str, customer: str, now: datetime
) -> Conversation:
    """The conversation for a key, created on its first message."""
    row = await session.get(Conversation, conv_id)
    if row is None:
        row = Conversation(id=conv_id, key=key, channel=channel, customer=customer, created_at=now, last_message_at=now)
        session.add(row)
        await session.flush()
    else:
        row.last_message_at = now
    return row


async def open_assignment(session: AsyncSession, conv_id: str) -> Assignment | None:
    """The conversation's open assignment, if any (locked: a sticky message must not race a completion)."""
    return await session.scalar(
        select(Assignment)
        .where(Assignment.conversation_id == conv_id, Assignment.status.in_(OPEN))
        .order_by(Assignment.created_at.desc())
        .limit(1)
        .with_for_update()
    )


async def contact_tier(session: AsyncSession, address: str) -> str | None:
    """A known contact's tier."""
    return await session.scalar(select(Contact.tier).where(Contact.address == address))


async def active_ruleset(session: AsyncSession) -> tuple[int, int, RulesetDocument] | None:
    """(activation id, version, document) of the active ruleset."""
    row = (
        await session.execute(
            select(RulesetActivation.id, Ruleset.version, Ruleset.document)
            .join(Ruleset, Ruleset.version == RulesetActivation.version)
            .order_by(RulesetActivation.id.desc())
            .limit(1)
        )
    ).first()
    if row is None:
        return None
    return row[0], row[1], RulesetDocument.model_validate(row[2])


async def config_fingerprint(session: AsyncSession) -> tuple[object, ...]:
    """What changes when a ruleset is published or a queue or SLA policy is edited: compared per batch."""
    row = (
        await session.execute(
            select(
                select(func.max(RulesetActivation.id)).scalar_subquery(),
                select(func.max(Queue.updated_at)).scalar_subquery(),
                select(func.count()).select_from(Queue).scalar_subquery(),
                select(func.max(SlaPolicyRow.updated_at)).scalar_subquery(),
                select(func.count()).select_from(SlaPolicyRow).scalar_subquery(),
            )
        )
    ).one()
    return tuple(row)


async def queue_policies(session: AsyncSession) -> dict[str, QueuePolicy]:
    """Every queue's policy."""
    return {q.name: queue_policy(q) for q in await session.scalars(select(Queue))}


async def sla_policies(session: AsyncSession) -> dict[str, SlaPolicy]:
    """Every SLA policy by name."""
    return {p.name: sla_policy(p) for p in await session.scalars(select(SlaPolicyRow))}


async def refresh_pool(session: AsyncSession, pool: AgentPool, since: datetime | None) -> datetime | None:
    """Upsert agents changed since ``since`` (all when None); returns the new high-water mark."""
    stmt = select(Agent)
    if since is not None:
        stmt = stmt.where(Agent.updated_at >= since - REFRESH_OVERLAP)
    agents = list(await session.scalars(stmt))
    if not agents:
        return since
    caps = await _capacities(session, [a.id for a in agents])
    for agent in agents:
        pool.upsert(to_state(agent, caps.get(agent.id, ())))
    newest = max(a.updated_at for a in agents)
    return newest if since is None or newest > since else since


async def reload_agent(session: AsyncSession, pool: AgentPool, agent_id: str) -> None:
    """Refresh one agent after a failed capacity claim showed our view was stale."""
    agent = await session.get(Agent, agent_id, populate_existing=True)
    if agent is None:
        pool.remove(agent_id)
        return
    caps = await _capacities(session, [agent_id])
    pool.upsert(to_state(agent, caps.get(agent_id, ())))


async def _capacities(session: AsyncSession, ids: list[str]) -> dict[str, list[AgentCapacity]]:
    out: dict[str, list[AgentCapacity]] = {}
    for i in range(0, len(ids), 500):
        rows = await session.scalars(
            select(AgentCapacity)
            .where(AgentCapacity.agent_id.in_(ids[i : i + 500]))
            .execution_options(populate_existing=True)
        )
        for row in rows:
            out.setdefault(row.agent_id, []).append(row)
    return out


def to_state(agent: Agent, caps: Iterable[AgentCapacity]) -> AgentState:
    """The pure engine's view of an agent row."""
    caps = list(caps)
    return AgentState(
        id=agent.id,
        name=agent.name,
        languages=frozenset(agent.languages),
        skills=dict(agent.skills),
        capacity={c.channel: c.capacity for c in caps},
        load={c.channel: c.load for c in caps},
        presence=agent.presence,  # type: ignore[arg-type]
        queues=frozenset(agent.queues),
        idle_since=agent.idle_since,
        last_assigned_at=agent.last_assigned_at,
    )


async def offer_queued(session: AsyncSession, assignment_id: str, agent_id: str, now: datetime) -> bool:
    """Move a queued assignment to an agent, unless another router got there first."""
    result = await session.execute(
        update(Assignment)
        .where(Assignment.id == assignment_id, Assignment.status == "queued")
        .values(status="offered", agent_id=agent_id, offered_at=now)
    )
    return bool(getattr(result, "rowcount", 0))
