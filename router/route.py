"""Route a batch of messages inside the caller's transaction: each sticky, or rules then assignment."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from router import planning, store
from router.assign import WorkItem, sticky_agent
from router.state import RouterState
from shared.db import activity, capacity
from shared.db.models import Assignment, AuditEvent, Decision, Message
from shared.events import FlaggedOutcome, MessageRouted
from shared.ids import new_id
from shared.lifecycle import Status
from shared.normalize import conversation_id
from shared.schema import InboundMessage
from shared.settings import Settings

MAX_CLAIMS = 3


async def route_batch(
    batch: Sequence[tuple[InboundMessage, Mapping[str, object]]],
    *,
    session: AsyncSession,
    state: RouterState,
    settings: Settings,
    now: datetime,
) -> list[MessageRouted | None]:
    """Route classified messages in order inside the caller's transaction; returns each one's routed event,
    None for a message routed before. Reads are batched up front and inserts flushed together at the end, so
    a message costs one capacity claim rather than a string of round trips."""
    loaded = await store.load_batch(session, [m for m, _ in batch], now)
    step = _Step(session, state, settings, now, loaded)
    with session.no_autoflush:
        events = [await _route(m, c, step) for m, c in batch]
    await capacity.touch_agents(session, step.claimed, now, assigned=True)
    await session.flush()  # messages and assignments first: decisions refer to them
    session.add_all(step.decisions)
    return events


@dataclass
class _Step:
    """What routing one batch works with, and what it writes after its per-message work: decisions, and the
    agents whose capacity it claimed (their revisions are bumped once)."""

    session: AsyncSession
    state: RouterState
    settings: Settings
    now: datetime
    loaded: store.BatchState
    decisions: list[Decision] = field(default_factory=list)
    claimed: set[str] = field(default_factory=set)


async def _route(message: InboundMessage, classified: Mapping[str, object], step: _Step) -> MessageRouted | None:
    loaded, session, now = step.loaded, step.session, step.now
    if loaded.seen(message):
        return None
    conv_id = conversation_id(message.conversation_key)
    conv = loaded.conversations[conv_id]
    conv.last_message_at = now
    session.add(
        Message(
            id=message.id,
            conversation_id=conv_id,
            channel=message.channel,
            provider=message.provider,
            external_id=message.external_id,
            received_at=message.received_at,
            routed_at=now,
            body=message.model_dump(mode="json", exclude={"id", "channel", "provider", "external_id", "received_at"}),
            classification=dict(classified),
        )
    )
    if message.flags.auto_reply or message.flags.bounce:
        return _file_flagged(step, message, conv_id, classified)
    current = loaded.open.get(conv_id)
    if current is not None:
        current.message_count += 1
        trace = planning.trace(None, classified, "sticky", "joined the conversation's open assignment")
        return _record(step, message, current, None, "sticky", trace)
    tier = loaded.tiers.get(message.sender.address)
    customer = planning.Customer(known=tier is not None, tier=tier or "standard", address=message.sender.address)
    window = step.settings.sticky_window_seconds
    preferred = sticky_agent(None, conv.last_agent_id, conv.last_closed_at, now, window)
    state = step.state
    plan = planning.plan(
        message, classified, customer, state.ruleset, preferred_agent=preferred, now=now, policies=state.policies,
        slas=state.sla,
    )  # fmt: skip
    agent_id = await _claim_agent(session, state, plan, now)
    if agent_id is not None:
        step.claimed.add(agent_id)
    outcome: planning.Outcome = "assigned" if agent_id else "queued"
    row = Assignment(
        id=new_id(),
        conversation_id=conv_id,
        channel=message.channel,
        queue=plan.queue,
        agent_id=agent_id,
        status=Status.OFFERED if agent_id else Status.QUEUED,
        priority=plan.priority,
        language=plan.language,
        requirements=plan.requirements,
        excluded_agents=[],
        message_count=1,
        created_at=now,
        enqueued_at=now,
        offered_at=now if agent_id else None,
        sla_policy=plan.sla_policy,
        sla_priority=plan.priority,
        sla_next_check=plan.sla_next_check,
    )
    session.add(row)
    if agent_id is not None:
        activity.record(session, "assignment.offered", now, conversation_id=conv_id, assignment_id=row.id,
                        queue=row.queue, agent_id=agent_id, data={"status": Status.OFFERED})  # fmt: skip
    loaded.open[conv_id] = row  # a later message of this conversation in the batch joins it
    note = plan.selection.reason if plan.selection is not None else ""
    return _record(step, message, row, plan.rule.version, outcome, planning.trace(plan, classified, outcome, note))


async def _claim_agent(session: AsyncSession, state: RouterState, plan: planning.Plan, now: datetime) -> str | None:
    """Pick the best agent and take its capacity atomically; a stale pick is refreshed and retried."""
    pool = state.pool
    item = plan.item
    for _ in range(MAX_CLAIMS):
        plan.selection = planning.select(pool, item, state.policies, now)
        agent_id = plan.selection.agent_id
        if agent_id is None:
            return None
        if await capacity.claim(session, agent_id, item.channel, now, touch=False):
            pool.adjust_load(agent_id, item.channel, +1, now)
            return agent_id
        await store.reload_agent(session, pool, agent_id)
        item = _exclude(item, agent_id)
    return None


def _exclude(item: WorkItem, agent_id: str) -> WorkItem:
    return replace(item, excluded_agents=item.excluded_agents | {agent_id})


def _record(
    step: _Step,
    message: InboundMessage,
    assignment: Assignment,
    version: int | None,
    outcome: planning.Outcome,
    trace: dict[str, object],
) -> MessageRouted:
    step.decisions.append(
        Decision(
            message_id=message.id,
            conversation_id=assignment.conversation_id,
            queue=assignment.queue,
            agent_id=assignment.agent_id,
            assignment_id=assignment.id,
            ruleset_version=version,
            outcome=outcome,
            routed_by=step.settings.instance_id,
            trace=trace,
        )
    )
    activity.record(step.session, "message.routed", step.now, conversation_id=assignment.conversation_id,
                    assignment_id=assignment.id, message_id=message.id, queue=assignment.queue,
                    agent_id=assignment.agent_id, data={"outcome": outcome, "ruleset_version": version})  # fmt: skip
    return MessageRouted(
        message_id=message.id,
        conversation_id=assignment.conversation_id,
        assignment_id=assignment.id,
        queue=assignment.queue,
        agent_id=assignment.agent_id,
        outcome=outcome,
        ruleset_version=version,
    )


def _file_flagged(
    step: _Step, message: InboundMessage, conv_id: str, classified: Mapping[str, object]
) -> MessageRouted:
    """An auto-reply, bounce or list mail is never offered and never answered: filed in the configured queue
    (a decision without an assignment), or dropped with an audit entry. Either way the message is stored."""
    queue = step.settings.auto_reply_queue
    outcome: FlaggedOutcome = "filed" if queue else "dropped"
    kind = "bounce" if message.flags.bounce else "auto_reply"
    note = f"flagged {kind}: {'filed, not offered' if queue else 'not routed'}"
    step.decisions.append(
        Decision(
            message_id=message.id,
            conversation_id=conv_id,
            queue=queue or "",
            ruleset_version=None,
            outcome=outcome,
            routed_by=step.settings.instance_id,
            trace={"outcome": outcome, "note": note, "classification": dict(classified)},
        )
    )
    if queue is None:
        step.session.add(
            AuditEvent(actor="router", action="message.dropped", subject=message.id, detail={"flag": kind})
        )
    activity.record(step.session, "message.routed", step.now, conversation_id=conv_id, message_id=message.id,
                    queue=queue, data={"outcome": outcome, "ruleset_version": None})  # fmt: skip
    return MessageRouted(
        message_id=message.id,
        conversation_id=conv_id,
        assignment_id=None,
        queue=queue,
        agent_id=None,
        outcome=outcome,
        ruleset_version=None,
    )
