"""Pure composition of one routing decision: facts -> rules -> candidate selection, with its trace."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from router.assign import (
    CHANNELS,
    AgentPool,
    Demand,
    QueuePolicy,
    Selection,
    SlaClock,
    SlaPolicy,
    WorkItem,
    deadlines,
    route_for_hours,
)
from router.rules import CompiledRuleset, RuleDecision, facts_from
from shared.events import Outcome
from shared.schema import InboundMessage


@dataclass(frozen=True, slots=True)
class Customer:
    """What we know of the sender."""

    known: bool = False
    tier: str = "standard"
    address: str = ""


@dataclass(slots=True)
class Plan:
    """Where one message goes and why; ``agent_id`` is a proposal until its capacity is claimed."""

    queue: str
    priority: int
    language: str
    requirements: dict[str, object]
    sla_policy: str | None
    rule: RuleDecision
    item: WorkItem
    selection: Selection | None = None
    after_hours_from: str | None = None
    sla_next_check: datetime | None = None


def facts(
    message: InboundMessage, classified: Mapping[str, object], customer: Customer, *, tags: tuple[str, ...] = ()
) -> dict[str, object]:
    """The fields a rule condition can see, from a message and its (live or stored) classification."""
    entities = classified.get("entities")
    return facts_from(
        channel=message.channel,
        language=_str(classified.get("language"), "und"),
        language_confidence=_float(classified.get("language_confidence")),
        intent=_str(classified.get("intent"), "other"),
        intent_confidence=_float(classified.get("intent_confidence")),
        urgency=_str(classified.get("urgency"), "normal"),
        sentiment=_str(classified.get("sentiment"), "neutral"),
        sentiment_score=_float(classified.get("sentiment_score")),
        customer_tier=customer.tier,
        customer_id=customer.address,
        customer_known=customer.known,
        recipient=message.recipient or "",
        sender=message.sender.address,
        subject=message.subject or "",
        text=message.text,
        entities={k: [str(x) for x in v] for k, v in entities.items() if isinstance(v, list | tuple)}
        if isinstance(entities, Mapping)
        else None,
        received_at=message.received_at,
        tags=tags,
        attachments=len(message.attachments),
    )


def _str(value: object, default: str) -> str:
    return value if isinstance(value, str) else default


def _float(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def plan(
    message: InboundMessage,
    classified: Mapping[str, object],
    customer: Customer,
    ruleset: CompiledRuleset,
    *,
    preferred_agent: str | None,
    now: datetime,
    policies: Mapping[str, QueuePolicy] | None = None,
    slas: Mapping[str, SlaPolicy] | None = None,
) -> Plan:
    """Decide queue (after-hours aware), priority, requirements and SLA for a message that starts new work."""
    decision = ruleset.decide(facts(message, classified, customer))
    action = decision.action
    language = _str(classified.get("language"), "und")
    languages = frozenset(language if lang == "$language" else lang for lang in action.required_languages)
    languages = frozenset(lang for lang in languages if lang != "und")
    queue, after_hours_from = action.queue, None
    policy = (policies or {}).get(queue)
    if policy is not None:
        open_queue = route_for_hours(policy, now)
        if open_queue != queue:
            queue, after_hours_from = open_queue, queue
    sla_name = action.sla_policy or (policy.sla_policy if policy is not None else None)
    sla = (slas or {}).get(sla_name) if sla_name else None
    due = deadlines(SlaClock(priority=action.priority, started_at=now), sla) if sla is not None else []
    item = WorkItem(
        conversation_id="",
        channel=message.channel,
        queue=queue,
        language=language,
        required_skills=dict(action.required_skills),
        required_languages=languages,
        priority=action.priority,
        enqueued_at=now,
        preferred_agent=preferred_agent,
    )
    return Plan(
        queue=queue,
        priority=action.priority,
        language=language,
        requirements={
            "skills": dict(action.required_skills),
            "languages": sorted(languages),
            "tags": list(action.tags),
        },
        sla_policy=sla.name if sla is not None else None,
        rule=decision,
        item=item,
        after_hours_from=after_hours_from,
        sla_next_check=min((d.warn_at for d in due), default=None),
    )


def prepare(pool: AgentPool, ruleset: CompiledRuleset, policies: Mapping[str, QueuePolicy] | None = None) -> None:
    """Build the pool's index for every kind of work the ruleset can send it, so no decision has to.

    Call after loading the pool and after a ruleset or queue policy change (before ``gc.freeze()``).
    """
    pool.prepare(demands(ruleset, policies or {}))


def demands(ruleset: CompiledRuleset, policies: Mapping[str, QueuePolicy]) -> list[Demand]:
    """The kinds of work the ruleset's actions produce: each queue (and where its after-hours and
    overflow work goes), on every channel, with the action's skills, by that queue's strategy."""
    seen: set[tuple[str, frozenset[tuple[str, int]]]] = set()
    out: list[Demand] = []
    for action in ruleset.actions:
        policy = policies.get(action.queue)
        queues = [action.queue]
        if policy is not None:
            queues += [q for q in (policy.after_hours_queue, policy.overflow_queue) if q is not None]
        for queue in queues:
            skills = frozenset(action.required_skills.items())
            if (queue, skills) in seen:
                continue
            seen.add((queue, skills))
            target = policies.get(queue)
            strategy = target.strategy if target is not None else "least_loaded"
            out += [Demand(queue, channel, dict(skills), strategy) for channel in CHANNELS]
    return out


def select(pool: AgentPool, item: WorkItem, policies: Mapping[str, QueuePolicy], now: datetime) -> Selection:
    """Ask the pool for the best fitting agent by the queue's strategy."""
    policy = policies.get(item.queue)
    strategy = policy.strategy if policy is not None else "least_loaded"
    return pool.select(item, strategy=strategy, now=now)


def trace(planned: Plan | None, classified: Mapping[str, object], outcome: Outcome, note: str) -> dict[str, object]:
    """The stored decision trace: classifier outputs, ruleset version and rules tried, candidates."""
    out: dict[str, object] = {"outcome": outcome, "note": note, "classification": dict(classified)}
    if planned is not None:
        out["rules"] = planned.rule.trace()
        out["queue"] = {
            "name": planned.queue,
            "after_hours_from": planned.after_hours_from,
            "sla_policy": planned.sla_policy,
        }
        if planned.selection is not None:
            out["assignment"] = {
                "reason": planned.selection.reason,
                "examined": planned.selection.examined,
                "candidates": [
                    {"agent_id": c.agent_id, "outcome": c.outcome, "reason": c.reason}
                    for c in planned.selection.candidates
                ],
            }
    return out


__all__ = ["Customer", "Outcome", "Plan", "demands", "facts", "plan", "prepare", "select", "trace"]
