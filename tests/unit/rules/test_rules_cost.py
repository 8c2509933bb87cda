"""Rule cost: what validation refuses, and heavy conditions evaluated in the sandbox under a deadline."""

from __future__ import annotations

import time

import cel
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from router.rules import compile_ruleset, facts_from, validate_ruleset
from router.rules.cost import MAX_RANGE, MAX_TOKENS
from router.rules.sandbox import RULE_DEADLINE_S, Sandbox
from router.rules.validate import KnownNames, check_ruleset


def _doc(*whens: str, action: dict[str, object] | None = None) -> dict[str, object]:
    rules = [{"id": f"r{i}", "when": when, "action": action or {"queue": "general"}} for i, when in enumerate(whens)]
    return {"defaults": {"queue": "general"}, "rules": rules}


def _messages(when: str) -> list[str]:
    return [error.message for error in validate_ruleset(_doc(when))]


NESTED_ALL = "tags.all(a, tags.all(b, tags.all(c, tags.all(d, true))))"
HUGE_RANGE = "size(lists.range(10000000)) > 0"


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (NESTED_ALL, "macros nested 4 deep"),
        ("lists.range(10).map(a, a).map(b, b).all(c, c > 0)", "macros nested 3 deep"),
        (HUGE_RANGE, "lists.range(10000000) is too wide"),
        ("size(lists.range(hour)) > 0", "needs an integer literal"),
        (" || ".join(['tags.exists(t, t == "x")'] * 5), "5 comprehension macros"),
        (" || ".join(["hour == 1"] * (MAX_TOKENS // 4 + 1)), "condition too large"),
    ],
)
def test_validation_refuses_conditions_whose_cost_cannot_be_bounded(when: str, expected: str) -> None:
    assert any(expected in message for message in _messages(when)), _messages(when)


def test_a_range_and_nesting_within_the_limits_are_valid() -> None:
    when = f"lists.range({MAX_RANGE}).exists(a, tags.exists(t, t == string(a)))"
    assert _messages(when) == []


@pytest.mark.parametrize(
    ("when", "kind"),
    [
        ("language", "string"),
        ("(customer.tier)", "string"),
        ("size(text)", "int"),
        ("hour + 1", "a number"),
        ('"urgent"', "string"),
        ("text.lowerAscii()", "string"),
        ("tags.map(t, t)", "list"),
    ],
)
def test_a_condition_that_is_not_a_bool_is_refused(when: str, kind: str) -> None:
    assert _messages(when) == [f"the condition gives {kind}, not bool: compare it with something"]


@pytest.mark.parametrize("when", ["customer.known", "true", 'text.contains("a")', 'tags.exists(t, t == "a")'])
def test_boolean_conditions_pass(when: str) -> None:
    assert _messages(when) == []


def test_unknown_queue_sla_policy_and_skill_are_each_reported() -> None:
    action = {"queue": "nowhere", "sla_policy": "gold", "required_skills": {"klingon": 2, "billing": 1}}
    known = KnownNames(queues={"general"}, sla_policies={"standard"}, skills={"billing"})
    errors = validate_ruleset(_doc("true", action=action), known=known)
    assert [(e.rule_id, e.field) for e in errors] == [
        ("r0", "rules[0].action.queue"),
        ("r0", "rules[0].action.required_skills.klingon"),
        ("r0", "rules[0].action.sla_policy"),
    ]
    assert [e.message for e in errors] == [
        "unknown queue 'nowhere'",
        "unknown skill 'klingon': no agent has it",
        "unknown SLA policy 'gold'",
    ]


def test_every_error_is_reported_not_only_the_first_structural_one() -> None:
    doc = _doc("language", 'intnet == "x"')
    doc["rules"].append({"id": "bad", "when": "true", "action": {"queue": "general", "priority": 9}})  # type: ignore[attr-defined]
    errors = check_ruleset(doc, known=KnownNames(queues={"general"})).errors
    assert sorted((e.rule_id, e.field) for e in errors) == [
        ("bad", "rules[2].action.priority"),
        ("r0", "rules[0].when"),
        ("r1", "rules[1].when"),
    ]


def test_heavy_rule_over_its_deadline_is_skipped_and_recorded_and_the_next_rule_decides() -> None:
    worst = "lists.range(1000).all(a, lists.range(1000).all(b, text + text + text + text != string(a + b)))"
    ruleset = compile_ruleset(_doc(worst, "true"), version=3, sandbox=_SANDBOX)
    facts = facts_from(text="x" * 10_000)
    started = time.monotonic()
    decision = ruleset.decide(facts)
    elapsed = time.monotonic() - started
    assert decision.rule_id == "r1"
    assert decision.tried[0].result == "error"
    assert decision.tried[0].error is not None
    assert "over budget" in decision.tried[0].error
    assert elapsed < RULE_DEADLINE_S * 40  # it was stopped: unbounded, this runs for minutes
    again = ruleset.decide(facts)
    assert again.rule_id == "r1"
    assert again.tried[0].error is not None
    assert "skipped" in again.tried[0].error


def test_a_heavy_rule_within_its_budget_matches_as_in_process() -> None:
    ruleset = compile_ruleset(_doc('entities.order_numbers.exists(n, n.startsWith("SO-"))'), version=1, sandbox=_ROOMY)
    decision = ruleset.decide(facts_from(entities={"order_numbers": ["X-1", "SO-7"]}))
    assert (decision.rule_id, decision.tried[0].result) == ("r0", "matched")
    decision = ruleset.decide(facts_from(entities={"order_numbers": ["X-1"]}))
    assert (decision.rule_id, decision.tried[0].result) == (None, "no_match")


def test_an_error_inside_the_sandbox_is_a_rule_error() -> None:
    ruleset = compile_ruleset(_doc("tags.exists(t, int(t) > 1)", "true"), version=1, sandbox=_ROOMY)
    decision = ruleset.decide(facts_from(tags=["not a number"]))
    assert decision.rule_id == "r1"
    assert decision.tried[0].result == "error"


@settings(max_examples=40, deadline=None)
@given(
    tags=st.lists(st.text(alphabet="abc", max_size=3), max_size=6),
    needle=st.text(alphabet="abc", max_size=2),
    minimum=st.integers(min_value=0, max_value=4),
)
def test_sandbox_agrees_with_evaluating_in_process(tags: list[str], needle: str, minimum: int) -> None:
    source = f'tags.filter(t, t.startsWith("{needle}")).size() >= {minimum} && tags.all(t, size(t) <= 3)'
    expected = cel.compile(source).execute(cel.Context({"tags": tags}))
    result, error = _ROOMY.evaluate(source, {"tags": tags}, [])
    assert error is None
    assert result == ("matched" if expected else "no_match")


_SANDBOX = Sandbox()
_ROOMY = Sandbox(deadline_s=5.0, share=1.0, burst_s=60.0)
"""For agreement tests: no deadline a loaded machine could trip."""


def teardown_module() -> None:
    _SANDBOX.close()
    _ROOMY.close()
