"""Loading rulesets from JSON and YAML text."""

from __future__ import annotations

import json

import pytest

from router.rules import RulesetInvalid, default_ruleset, parse_ruleset_text

_YAML = """
defaults:
  queue: general
triage_queue: general
rules:
  - id: billing
    when: intent == "billing" && language in ["da", "nb"]
    action:
      queue: billing
      required_languages: ["$language"]
"""


def test_json_text_loads_to_the_same_document() -> None:
    doc = default_ruleset()
    assert parse_ruleset_text(doc.model_dump_json()) == doc


def test_yaml_text_loads() -> None:
    doc = parse_ruleset_text(_YAML)
    assert doc.rules[0].when == 'intent == "billing" && language in ["da", "nb"]'
    assert doc.rules[0].action.required_languages == ["$language"]


def test_broken_json_reports_line_and_column() -> None:
    with pytest.raises(RulesetInvalid) as caught:
        parse_ruleset_text('{"defaults": {"queue": "general"},\n "rules": [}')
    error = caught.value.rule_errors[0]
    assert error.message.startswith("invalid JSON")
    assert (error.line, error.column) == (2, 12)


def test_broken_yaml_reports_line_and_column() -> None:
    with pytest.raises(RulesetInvalid) as caught:
        parse_ruleset_text("defaults:\n  queue: general\nrules: [\n  - id: x\n")
    error = caught.value.rule_errors[0]
    assert error.message.startswith("invalid YAML")
    assert error.line is not None
    assert error.column is not None


def test_text_that_is_not_a_mapping_is_rejected() -> None:
    with pytest.raises(RulesetInvalid, match="mapping"):
        parse_ruleset_text(json.dumps(["not", "a", "ruleset"]))


def test_document_with_wrong_shape_names_the_offending_rule() -> None:
    text = json.dumps({"defaults": {"queue": "general"}, "rules": [{"id": "r1", "when": "true"}]})
    with pytest.raises(RulesetInvalid) as caught:
        parse_ruleset_text(text)
    assert [(e.rule_id, e.field) for e in caught.value.rule_errors] == [("r1", "rules[0].action")]
