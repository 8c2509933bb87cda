"""Validation of ruleset documents: positions, names, types, ids and queues."""

from __future__ import annotations

import pytest

from router.rules import RuleError, RulesetInvalid, compile_ruleset, default_ruleset, validate_ruleset
from router.rules.defaults import DEFAULT_QUEUES


def _doc(*whens: str, queue: str = "general") -> dict[str, object]:
    rules = [{"id": f"r{i}", "when": when, "action": {"queue": queue}} for i, when in enumerate(whens)]
    return {"defaults": {"queue": "general"}, "rules": rules}


def _only_error(when: str) -> RuleError:
    errors = validate_ruleset(_doc(when))
    assert len(errors) == 1, errors
    return errors[0]


def test_valid_default_ruleset_has_no_errors() -> None:
    assert validate_ruleset(default_ruleset(), known_queues=DEFAULT_QUEUES) == []


def test_parse_error_reports_line_and_column() -> None:
    error = _only_error('intent == "refund_return" &&')
    assert (error.rule_id, error.line, error.column, error.field) == ("r0", 1, 29, "rules[0].when")
    assert error.message.startswith("syntax error")
    assert "end of condition" in error.message


def test_parse_error_on_second_line_reports_that_line() -> None:
    error = _only_error('intent == "billing"\n  && (language == "da"')
    assert (error.line, error.column) == (2, 23)


def test_unknown_field_is_reported_with_its_position() -> None:
    error = _only_error('intent == "billing" && intnet == "x"')
    assert "unknown field 'intnet'" in error.message
    assert (error.line, error.column) == (1, 24)


def test_unknown_member_of_a_map_fact_is_reported() -> None:
    error = _only_error('customer.teir == "vip"')
    assert "customer.teir" in error.message
    assert (error.line, error.column) == (1, 10)


def test_unknown_function_is_reported() -> None:
    error = _only_error("shout(text)")
    assert "unknown function 'shout'" in error.message
    assert error.column == 1


@pytest.mark.parametrize(
    "when",
    [
        'tags.exists(t, t == "vip")',
        'entities.order_numbers.all(n, n.startsWith("SO-"))',
        'text.lowerAscii().contains("refund")',
        "math.greatest(attachments, 1) > 2",
        'received_at > timestamp("2024-01-01T00:00:00Z") && weekday in [6, 7]',
        "has(customer.tier) && customer.known && size(entities.emails) > 0",
        "type(intent) == string && intent_confidence > 0 && hour >= 8",
        "// a comment\nchannel == 'sms'",
    ],
)
def test_valid_conditions_using_macros_functions_and_comments_pass(when: str) -> None:
    assert validate_ruleset(_doc(when)) == []


@pytest.mark.parametrize(
    ("when", "column"),
    [("text > 3", 8), ('hour == "9"', 9), ('language in ["da", 1]', 20), ("customer.known == 'yes'", 19)],
)
def test_literal_of_the_wrong_type_is_a_type_error(when: str, column: int) -> None:
    error = _only_error(when)
    assert "compared with" in error.message
    assert error.column == column


def test_duplicate_rule_ids_are_reported_on_the_later_rule() -> None:
    doc = _doc('intent == "billing"', 'intent == "complaint"')
    rules = doc["rules"]
    assert isinstance(rules, list)
    rules[1]["id"] = "r0"
    errors = validate_ruleset(doc)
    assert [(e.rule_id, e.field) for e in errors] == [("r0", "rules[1].id")]
    assert "duplicate" in errors[0].message


def test_unknown_queues_are_reported_only_when_known_queues_given() -> None:
    doc = _doc("true", queue="nowhere")
    doc["triage_queue"] = "triage"
    assert validate_ruleset(doc) == []
    errors = validate_ruleset(doc, known_queues=["general"])
    assert [e.field for e in errors] == ["triage_queue", "rules[0].action.queue"]


def test_structural_errors_name_the_document_path_and_rule() -> None:
    doc = {
        "defaults": {"queue": "general"},
        "rules": [{"id": "bad", "when": "true", "action": {"queue": "q", "priority": 9}}],
    }
    errors = validate_ruleset(doc)
    assert [(e.rule_id, e.field) for e in errors] == [("bad", "rules[0].action.priority")]


def test_compile_raises_ruleset_invalid_with_every_error() -> None:
    with pytest.raises(RulesetInvalid) as caught:
        compile_ruleset(_doc("intnet == 'x'", "text > 3"), version=1)
    assert [e.rule_id for e in caught.value.rule_errors] == ["r0", "r1"]
    assert caught.value.errors is not None
    assert caught.value.errors[0]["rule_id"] == "r0"
    assert caught.value.code == "ruleset-invalid"
