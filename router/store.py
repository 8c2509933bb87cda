"""The router's reads and writes; every function takes the session its caller's transaction owns."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from router.assign import AgentPool, AgentState, QueuePolicy, SlaPolicy
from router.policies import queue_policy, sla_policy
from router.rules import RulesetDocument
from shared import lifecycle
from shared.db.models import (
    Agent,
    AgentCapacity,
    Assignment,
    Contact,
    ContactIdentity,
    Conversation,
    Decision,
    Message,
    Queue,
    Ruleset,
    RulesetActivation,
    SlaPolicyRow,
)
from shared.errors import InvalidRequest
from shared.normalize import conversation_id
from shared.schema import InboundMessage

REFRESH_OVERLAP = timedelta(seconds=5)
log = logging.getLogger(__name__)


@dataclass
class BatchState:
    """What routing a batch of messages reads from the database, loaded in a few queries up front and kept
    current as the batch is routed (a later message in the batch sees an earlier one's assignment)."""

    routed: set[str] = field(default_factory=set)
    provider_ids: set[tuple[str, str]] = field(default_factory=set)
    conversations: dict[str, Conversation] = field(default_factory=dict)
    open: dict[str, Assignment] = field(default_factory=dict)
    tiers: dict[str, str] = field(default_factory=dict)

    def seen(self, message: InboundMessage) -> bool:
        """Whether the message (or the provider's same message) was routed before; marks it routed."""
        provider_id = (message.provider, message.external_id) if message.external_id else None
        if message.id in self.routed or provider_id in self.provider_ids:
            return True
        self.routed.add(message.id)
        if provider_id is not None:
            self.provider_ids.add(provider_id)
        return False


async def load_batch(session: AsyncSession, messages: Sequence[InboundMessage], now: datetime) -> BatchState:
    """Decisions already made, conversations (created when new, and flushed), their open assignments (locked:
    a sticky message must not race a completion) and contact tiers for ``messages``."""
    state = BatchState()
    ids = [m.id for m in messages]
    state.routed = {i for chunk in _chunks(ids) for i in await session.scalars(
        select(Decision.message_id).where(Decision.message_id.in_(chunk)))}  # fmt: skip
    by_provider: dict[str, set[str]] = {}
    for m in messages:
        if m.external_id:
            by_provider.setdefault(m.provider, set()).add(m.external_id)
    for provider, external_ids in by_provider.items():
        for chunk in _chunks(sorted(external_ids)):
            found = await session.scalars(
                select(Message.external_id).where(Message.provider == provider, Message.external_id.in_(chunk))
            )
            state.provider_ids.update((provider, e) for e in found if e is not None)
    firsts = {conversation_id(m.conversation_key): m for m in reversed(messages)}
    conv_ids = sorted(firsts)
    for chunk in _chunks(conv_ids):
        state.conversations.update((c.id, c) for c in await session.scalars(
            select(Conversation).where(Conversation.id.in_(chunk))))  # fmt: skip
        rows = await session.scalars(
            select(Assignment)
            .where(Assignment.conversation_id.in_(chunk), Assignment.status.in_(lifecycle.OPEN))
            .order_by(Assignment.created_at)
            .with_for_update()
        )
        state.open.update((a.conversation_id, a) for a in rows)  # the newest open assignment wins
    new = [
        Conversation(id=conv_id, key=m.conversation_key, channel=m.channel, customer=m.sender.address,
                     created_at=now, last_message_at=now)
        for conv_id, m in firsts.items()
        if conv_id not in state.conversations
    ]  # fmt: skip
    if new:
        session.add_all(new)
        await session.flush()  # before the messages and assignments that refer to them
        state.conversations.update((c.id, c) for c in new)
    state.tiers = await contact_tiers(session, {m.sender.address for m in messages})
    return state


def _chunks(values: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


async def contact_tier(session: AsyncSession, address: str) -> str | None:
    """A known contact's tier, found by the contact's address or any of its other identities."""
    return (await contact_tiers(session, {address})).get(address)


async def contact_tiers(session: AsyncSession, addresses: Iterable[str]) -> dict[str, str]:
    """The tier of each address that belongs to a known contact: its own address, or another identity of it
    (the phone number of a contact known by email), so one person on several channels is one customer."""
    wanted = set(addresses)
    found: dict[str, str] = {}
    for chunk in _chunks(sorted(wanted)):
        rows = await session.execute(select(Contact.address, Contact.tier).where(Contact.address.in_(chunk)))
        found.update((address, tier) for address, tier in rows)
    rest = sorted(wanted - found.keys())
    for chunk in _chunks(rest):
        linked = select(ContactIdentity.address, Contact.tier).join(Contact, Contact.address == ContactIdentity.contact)
        rows = await session.execute(linked.where(ContactIdentity.address.in_(chunk)))
        found.update((address, tier) for address, tier in rows)
    return found


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
    """Every queue's policy; a queue whose stored settings are out of bounds is left out with a logged error
    (its work is then routed and offered by the defaults), so it cannot stop the others."""
    out: dict[str, QueuePolicy] = {}
    for row in await session.scalars(select(Queue)):
        try:
            out[row.name] = queue_policy(row)
        except InvalidRequest as exc:
            log.error("queue skipped: stored policy out of bounds", extra={"queue": row.name, "error": exc.detail})
    return out


async def sla_policies(session: AsyncSession) -> dict[str, SlaPolicy]:
    """Every SLA policy by name; one whose stored targets are out of bounds is left out with a logged error."""
    out: dict[str, SlaPolicy] = {}
    for row in await session.scalars(select(SlaPolicyRow)):
        try:
            out[row.name] = sla_policy(row)
        except InvalidRequest as exc:
            log.error("SLA policy skipped: stored targets out of bounds", extra={"sla_policy": row.name,
                                                                                 "error": exc.detail})  # fmt: skip
    return out


async def refresh_pool(session: AsyncSession, pool: AgentPool, since: datetime | None) -> datetime | None:
    """Upsert agents changed since ``since``; with None, every agent, and forget agents that are gone (the pool
    is updated in place, so its index stays built). Returns the new high-water mark."""
    stmt = select(Agent)
    if since is not None:
        stmt = stmt.where(Agent.updated_at >= since - REFRESH_OVERLAP)
    agents = list(await session.scalars(stmt))
    if since is None:
        for gone in pool.ids() - {a.id for a in agents}:
            pool.remove(gone)
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
