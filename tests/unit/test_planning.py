"""Preparing the agent pool for a ruleset: decisions then never build index entries themselves."""

from __future__ import annotations

from datetime import UTC, datetime, time

from router import planning
from router.assign import AgentPool, AgentState, BusinessHours, QueuePolicy
from router.rules import compile_ruleset
from shared.schema import InboundMessage, Sender

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)  # a Monday, 09:00 UTC
RULES = compile_ruleset(
    {
        "defaults": {"queue": "general"},
        "triage_queue": "triage",
        "rules": [
            {"id": "refunds", "when": 'intent == "refund_return"',
             "action": {"queue": "returns", "required_skills": {"refunds": 2}, "required_languages": ["$language"]}},
            {"id": "night", "when": 'intent == "billing"', "action": {"queue": "billing"}},
        ],
    },
    version=1,
)  # fmt: skip
POLICIES = {
    "billing": QueuePolicy(
        "billing", hours=BusinessHours(tz="UTC", weekly={0: ((time(12), time(17)),)}), after_hours_queue="overnight"
    ),
    "overnight": QueuePolicy("overnight", strategy="round_robin"),
}


def _agent(agent_id: str, queues: frozenset[str], skills: dict[str, int]) -> AgentState:
    return AgentState(
        agent_id, agent_id, frozenset({"en", "da"}), skills, {"email": 2, "chat": 1}, {}, "available", queues
    )


def _message(channel: str) -> InboundMessage:
    return InboundMessage(
        id=f"m-{channel}", channel=channel, provider="test", received_at=NOW,
        sender=Sender(kind="email", address="a@example.com"), conversation_key="k", text="hello",
    )  # fmt: skip


def test_demands_cover_every_action_queue_after_hours_and_channel() -> None:
    demands = planning.demands(RULES, POLICIES)
    shapes = {(d.queue, d.channel, tuple(d.required_skills.items()), d.strategy) for d in demands}
    assert ("returns", "chat", (("refunds", 2),), "least_loaded") in shapes
    assert ("overnight", "sms", (), "round_robin") in shapes
    assert {d.queue for d in demands} == {"returns", "billing", "overnight", "triage", "general"}


def test_a_prepared_pool_routes_without_index_misses_even_for_agents_added_later() -> None:
    pool = AgentPool()
    pool.upsert(_agent("ann", frozenset({"returns"}), {"refunds": 3}))
    planning.prepare(pool, RULES, POLICIES)
    pool.upsert(_agent("bob", frozenset(), {"refunds": 2}))
    customer = planning.Customer()
    for intent in ("refund_return", "billing", "other"):
        for channel in ("email", "chat", "sms"):
            classified = {"intent": intent, "intent_confidence": 0.9, "language": "da"}
            plan = planning.plan(_message(channel), classified, customer, RULES, preferred_agent=None, now=NOW)
            plan.selection = planning.select(pool, plan.item, POLICIES, NOW)
            trace = planning.trace(plan, classified, "assigned", "")
            assignment = trace["assignment"]
            assert isinstance(assignment, dict)
            assert assignment["examined"] == plan.selection.examined
    assert pool.misses == 0


def test_a_new_rulesets_index_replaces_the_old_ones_and_old_shapes_are_built_again_on_demand() -> None:
    """Memory follows the active ruleset; work still waiting in an old rule's shape is placed all the same."""
    pool = AgentPool()
    pool.upsert(_agent("ann", frozenset({"returns"}), {"refunds": 3}))
    planning.prepare(pool, RULES, POLICIES)
    old_shape = planning.plan(
        _message("email"), {"intent": "refund_return", "intent_confidence": 0.9, "language": "da"},
        planning.Customer(), RULES, preferred_agent=None, now=NOW,
    ).item  # fmt: skip
    assert pool.select(old_shape, strategy="least_loaded", now=NOW).agent_id == "ann"
    assert pool.misses == 0

    planning.prepare(pool, compile_ruleset({"defaults": {"queue": "general"}}, version=2), POLICIES)
    assert pool.select(old_shape, strategy="least_loaded", now=NOW).agent_id == "ann"
    rebuilt = pool.misses
    assert rebuilt > 0, "the old rule's segment was dropped with its ruleset and built again"
    assert pool.select(old_shape, strategy="least_loaded", now=NOW).agent_id == "ann"
    assert pool.misses == rebuilt, "and then kept"
