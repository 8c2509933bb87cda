"""Deciding: first match wins, defaults, triage, error skipping, traces."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from router.classify.labels import ENTITY_KINDS
from router.rules import Action, CompiledRuleset, compile_ruleset, default_ruleset, facts_from
from router.rules.defaults import DEFAULT_QUEUES


def _ruleset(*rules: tuple[str, str], triage: str | None = None, **extra: object) -> CompiledRuleset:
    doc: dict[str, object] = {
        "defaults": {"queue": "general", "priority": 4},
        "rules": [{"id": rule_id, "when": when, "action": {"queue": rule_id}} for rule_id, when in rules],
        "triage_queue": triage,
        **extra,
    }
    return compile_ruleset(doc, version=7)


def test_first_matching_rule_in_order_wins() -> None:
    rules = _ruleset(("first", 'intent == "billing" && hour >= 0'), ("second", 'intent == "billing"'))
    decision = rules.decide(facts_from(intent="billing", intent_confidence=0.9))
    assert (decision.rule_id, decision.action.queue, decision.version) == ("first", "first", 7)
    assert [(o.rule_id, o.result) for o in decision.tried] == [("first", "matched")]


def test_later_rule_routes_when_earlier_rule_does_not_match() -> None:
    rules = _ruleset(("vip", 'customer.tier == "vip" && urgency == "high"'), ("billing", 'intent == "billing"'))
    decision = rules.decide(facts_from(intent="billing", customer_tier="vip", urgency="low", intent_confidence=1))
    assert decision.rule_id == "billing"


def test_no_match_gives_the_defaults() -> None:
    decision = _ruleset(("billing", 'intent == "billing"')).decide(facts_from(intent="other"))
    assert decision.rule_id is None
    assert decision.action == Action(queue="general", priority=4)
    assert "defaults" in decision.reason


def test_low_confidence_without_match_goes_to_triage_keeping_default_priority() -> None:
    rules = _ruleset(("billing", 'intent == "billing"'), triage="triage", min_intent_confidence=0.5)
    decision = rules.decide(facts_from(intent="other", intent_confidence=0.3))
    assert (decision.rule_id, decision.action.queue, decision.action.priority) == (None, "triage", 4)
    assert "triage" in decision.reason


def test_matching_rule_beats_triage_even_with_low_confidence() -> None:
    rules = _ruleset(("billing", 'intent == "billing"'), triage="triage")
    assert rules.decide(facts_from(intent="billing", intent_confidence=0.1)).rule_id == "billing"


def test_confident_message_without_match_gets_defaults_not_triage() -> None:
    rules = _ruleset(("billing", 'intent == "billing"'), triage="triage")
    assert rules.decide(facts_from(intent="other", intent_confidence=0.9)).action.queue == "general"


def test_missing_confidence_counts_as_low() -> None:
    assert _ruleset(triage="triage").decide({}).action.queue == "triage"


def test_rule_with_type_error_is_skipped_and_next_rule_routes() -> None:
    rules = _ruleset(("many", "attachments > 2"), ("fallback", 'channel == "email"'))
    facts = facts_from(channel="email") | {"attachments": "three"}
    decision = rules.decide(facts)
    assert decision.rule_id == "fallback"
    first = decision.tried[0]
    assert (first.rule_id, first.result) == ("many", "error")
    assert first.error is not None
    assert "overload" in first.error


def test_rule_reading_a_missing_map_key_is_skipped() -> None:
    rules = _ruleset(("vip", 'customer.tier == "vip" || customer.id == "1"'), ("any", "true"))
    decision = rules.decide({"customer": {}})
    assert decision.rule_id == "any"
    assert decision.tried[0].result == "error"


def test_rule_on_a_missing_fact_is_skipped_and_defaults_route() -> None:
    decision = _ruleset(("night", "hour < 6")).decide({"intent_confidence": 1.0})
    assert decision.rule_id is None
    assert [o.result for o in decision.tried] == ["error"]


def test_condition_that_is_not_a_bool_is_an_error() -> None:
    # `intent` alone is refused by validation; an index into a map is only known at run time.
    decision = _ruleset(("odd", 'customer["tier"]'), ("any", "true")).decide(facts_from(intent="x"))
    assert (decision.rule_id, decision.tried[0].result) == ("any", "error")


def test_decide_never_raises_on_unconvertible_facts() -> None:
    decision = _ruleset(("text", 'text.contains("x")')).decide({"text": object(), "intent_confidence": 1.0})
    assert decision.rule_id is None
    assert decision.tried[0].result == "error"


def test_disabled_rule_is_never_tried() -> None:
    doc = {
        "defaults": {"queue": "general"},
        "rules": [{"id": "off", "when": "true", "action": {"queue": "x"}, "enabled": False}],
    }
    decision = compile_ruleset(doc, version=1).decide(facts_from(intent_confidence=1))
    assert (decision.rule_id, decision.tried) == (None, ())


def test_stdlib_functions_work_at_decision_time() -> None:
    rules = _ruleset(("refund", 'text.lowerAscii().contains("refund") && math.greatest(attachments, 1) == 1'))
    assert rules.decide(facts_from(text="REFUND please")).rule_id == "refund"


def test_language_placeholder_becomes_the_detected_language() -> None:
    rules = compile_ruleset(default_ruleset(), version=1, known_queues=DEFAULT_QUEUES)
    decision = rules.decide(facts_from(intent="cancellation", intent_confidence=0.9, language="sv"))
    assert (decision.action.queue, decision.action.required_languages) == ("returns", ["sv"])


def test_default_ruleset_escalates_angry_complaints_and_triages_unclear_messages() -> None:
    rules = compile_ruleset(default_ruleset(), version=1, known_queues=DEFAULT_QUEUES)
    angry = facts_from(intent="complaint", intent_confidence=0.8, sentiment="negative", language="en")
    assert (rules.decide(angry).action.queue, rules.decide(angry).action.priority) == ("escalations", 1)
    billing = facts_from(intent="billing", intent_confidence=0.9, customer_tier="vip")
    assert rules.decide(billing).rule_id == "billing-vip"
    unclear = facts_from(intent="other", intent_confidence=0.2, language="en")
    assert (rules.decide(unclear).rule_id, rules.decide(unclear).action.queue) == (None, "general")


def test_trace_is_json_ready() -> None:
    rules = _ruleset(("bad", "attachments > 1"), ("billing", 'intent == "billing" && weekday >= 1'))
    facts = facts_from(intent="billing", received_at=datetime(2024, 5, 6, 9, tzinfo=UTC)) | {"attachments": None}
    trace = rules.decide(facts).trace()
    assert json.loads(json.dumps(trace)) == trace
    assert trace["rule_id"] == "billing"
    assert trace["tried"] == [
        {"rule_id": "bad", "result": "error", "error": trace["tried"][0]["error"]},  # type: ignore[index]
        {"rule_id": "billing", "result": "matched", "error": None},
    ]


def test_facts_from_fills_typed_defaults_and_local_time() -> None:
    facts = facts_from(received_at=datetime(2024, 5, 5, 23, 30, tzinfo=UTC))
    assert facts["hour"] == 23
    assert facts["weekday"] == 7
    assert facts["customer"] == {"tier": "", "id": "", "known": False}
    assert facts["entities"] == {"order_numbers": [], "amounts": [], "emails": [], "phones": [], "dates": []}


def test_rules_see_every_entity_kind_the_classifier_extracts() -> None:
    assert set(facts_from()["entities"]) == set(ENTITY_KINDS)
    facts = facts_from(entities={"dates": ["2024-05-05"]})
    assert facts["entities"]["dates"] == ["2024-05-05"]
