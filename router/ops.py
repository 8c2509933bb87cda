"""Ruleset operations for the gateway: validate, simulate and backtest, with nothing persisted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from router import planning, store
from router.assign import AgentPool
from router.classify import Classifier
from router.rules import RulesetDocument, compile_ruleset, validate_ruleset
from router.rules.validate import KnownNames, salvaged_rule_errors
from shared.db.models import Message
from shared.schema import InboundMessage

MAX_MOVES_LISTED = 200


class RulesOperations:
    """The router's implementation of the gateway's ``RulesOps`` port."""

    def __init__(self, classifier: Classifier, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.classifier = classifier
        self.sessions = sessions

    def validate(
        self,
        document: Mapping[str, object],
        known_queues: Collection[str],
        *,
        known_sla_policies: Collection[str] | None = None,
        known_skills: Collection[str] | None = None,
    ) -> list[dict[str, object]]:
        """Every error: document errors (kind ``document``) and rule errors with positions (kind ``rule``).

        Rules that parse are checked even when the document as a whole does not.
        """
        known = KnownNames(queues=known_queues, sla_policies=known_sla_policies, skills=known_skills)
        try:
            parsed = RulesetDocument.model_validate(document)
        except ValidationError as exc:
            structural: list[dict[str, object]] = [
                {
                    "kind": "document",
                    "rule_id": None,
                    "message": e["msg"],
                    "location": list(e["loc"]),
                    "line": None,
                    "column": None,
                    "field": None,
                }
                for e in exc.errors()
            ]
            return structural + [{"kind": "rule", **e.to_dict()} for e in salvaged_rule_errors(document, known)]
        return [{"kind": "rule", **e.to_dict()} for e in validate_ruleset(parsed, known=known)]

    async def simulate(
        self, document: Mapping[str, object], version: int, message: InboundMessage
    ) -> dict[str, object]:
        """Classify, apply the rules and pick a candidate among the current agents, without writing."""
        ruleset = compile_ruleset(RulesetDocument.model_validate(document), version=version)
        classified = self.classifier.classify(text=message.text, subject=message.subject, channel=message.channel)
        now = message.received_at
        pool = AgentPool()
        async with self.sessions() as session:
            customer = await _customer(session, message.sender.address)
            await store.refresh_pool(session, pool, None)
            policies = await store.queue_policies(session)
        plan = planning.plan(message, classified.as_dict(), customer, ruleset, preferred_agent=None, now=now)
        plan.selection = planning.select(pool, plan.item, policies, now)
        outcome: planning.Outcome = "assigned" if plan.selection.agent_id else "queued"
        return {
            "version": version,
            "queue": plan.queue,
            "priority": plan.priority,
            "agent_id": plan.selection.agent_id,
            "trace": planning.trace(plan, classified.as_dict(), outcome, plan.selection.reason),
        }

    async def backtest(
        self,
        active: tuple[int, Mapping[str, object]] | None,
        draft: tuple[int, Mapping[str, object]],
        since: datetime,
        until: datetime,
        limit: int,
    ) -> dict[str, object]:
        """Replay stored messages (with their stored classification) under both rulesets."""
        draft_rules = compile_ruleset(RulesetDocument.model_validate(draft[1]), version=draft[0])
        active_rules = None
        if active is not None:
            active_rules = compile_ruleset(RulesetDocument.model_validate(active[1]), version=active[0])
        async with self.sessions() as session:
            rows = list(
                await session.scalars(
                    select(Message)
                    .where(Message.received_at >= since, Message.received_at < until)
                    .order_by(Message.received_at)
                    .limit(limit)
                )
            )
            tiers = await store.contact_tiers(session, {_sender(r) for r in rows})
        before: Counter[str] = Counter()
        after: Counter[str] = Counter()
        moves: list[dict[str, object]] = []
        moved = 0
        for row in rows:
            message = _inbound(row)
            customer = planning.Customer(
                known=message.sender.address in tiers, tier=tiers.get(message.sender.address, "standard")
            )
            facts = planning.facts(message, row.classification, customer)
            new = draft_rules.decide(facts).action.queue
            old = active_rules.decide(facts).action.queue if active_rules is not None else None
            after[new] += 1
            if old is not None:
                before[old] += 1
            if old != new:
                moved += 1
                if len(moves) < MAX_MOVES_LISTED:
                    moves.append({"message_id": row.id, "conversation_id": row.conversation_id, "from": old, "to": new})
        queues = sorted(set(before) | set(after))
        return {
            "window": {"since": since.isoformat(), "until": until.isoformat()},
            "messages": len(rows),
            "active_version": active[0] if active is not None else None,
            "draft_version": draft[0],
            "per_queue": [
                {"queue": q, "active": before[q], "draft": after[q], "change": after[q] - before[q]} for q in queues
            ],
            "moved": moved,
            "moves": moves,
        }


def _sender(row: Message) -> str:
    sender = row.body.get("sender", {})
    return str(sender.get("address", "")) if isinstance(sender, dict) else ""


def _inbound(row: Message) -> InboundMessage:
    """Rebuild the normalized message from its stored row."""
    body = dict(row.body)
    body.update(
        id=row.id, channel=row.channel, provider=row.provider, external_id=row.external_id, received_at=row.received_at
    )
    return InboundMessage.model_validate(body)


async def _customer(session: AsyncSession, address: str) -> planning.Customer:
    tier = await store.contact_tier(session, address)
    return planning.Customer(known=tier is not None, tier=tier or "standard", address=address)
