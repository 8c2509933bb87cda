"""The candidate index is exact: it never hides a rule that could match (property-tested)."""

from __future__ import annotations

import functools

import cel
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from router.rules import CompiledRuleset, RuleDecision, compile_ruleset
from router.rules.analysis import analyse_condition
from router.rules.index import CandidateIndex

_VALUES: dict[str, list[str]] = {
    "channel": ["email", "sms"],
    "intent": ["billing", "complaint", "other"],
    "language": ["da", "en", "sv"],
    "urgency": ["low", "high"],
    "customer.tier": ["vip", "std"],
    "recipient": ["a@x.io", "b@x.io"],
    "sentiment": ["negative", "neutral"],
}
_FIELD = st.sampled_from(sorted(_VALUES))


@st.composite
def _pin(draw: st.DrawFn) -> str:
    field = draw(_FIELD)
    values: list[str] = draw(st.lists(st.sampled_from(_VALUES[field]), max_size=3))
    form: int = draw(st.integers(0, 2))
    if values and form == 0:
        return f'"{values[0]}" == {field}'
    if values and form == 1:
        return f'{field} == "{values[0]}"'
    return f"{field} in [{', '.join(repr(v) for v in values)}]"


_OPAQUE = st.sampled_from(
    [
        'channel != "sms"',
        "hour >= 9",
        'text.contains("refund")',
        "attachments > 1",
        'customer.id == "c1"',
        "true",
        "false",
        '"vip" in tags',
        "size(language) == 2",
        "intent_confidence > 0.5",
    ]
)


@st.composite
def _atom(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 5))
    if kind <= 2:
        return draw(_pin())
    if kind == 3:
        return draw(_OPAQUE)
    if kind == 4:
        return f"!({draw(_pin())})"
    left, right = draw(_pin()), draw(st.one_of(_pin(), _OPAQUE))
    return f"({left} || {right})" if draw(st.booleans()) else f"({left} ? {right} : {draw(_pin())})"


@st.composite
def _condition(draw: st.DrawFn) -> str:
    atoms = draw(st.lists(_atom(), min_size=1, max_size=4))
    if len(atoms) > 2 and draw(st.booleans()):
        atoms = [f"({atoms[0]} && {atoms[1]})", *atoms[2:]]
    condition = " && ".join(atoms)
    shape = draw(st.integers(0, 3))
    if shape == 0:
        return f"({condition})"
    if shape == 1:
        return f"{condition} || {draw(_atom())}"
    return condition


@st.composite
def _ruleset_doc(draw: st.DrawFn) -> dict[str, object]:
    whens = draw(st.lists(_condition(), max_size=10))
    rules = [
        {"id": f"r{i}", "when": when, "action": {"queue": f"q{i}"}, "enabled": draw(st.booleans()) or i % 3 != 0}
        for i, when in enumerate(whens)
    ]
    triage = draw(st.sampled_from([None, "triage"]))
    return {"defaults": {"queue": "default"}, "rules": rules, "triage_queue": triage}


def _odd(draw: st.DrawFn) -> object:
    return draw(st.sampled_from([None, 1, ["x"], True, "zz"]))


@st.composite
def _facts(draw: st.DrawFn) -> dict[str, object]:
    facts: dict[str, object] = {}
    for field, values in _VALUES.items():
        choice = draw(st.integers(0, 9))
        value = draw(st.sampled_from(values)) if choice < 7 else _odd(draw)
        if field == "customer.tier":
            customer = {"tier": value, "id": draw(st.sampled_from(["c1", "c2"]))}
            facts["customer"] = draw(st.sampled_from([customer, {"id": "c1"}, {}, "vip"]))
        elif choice != 9:
            facts[field] = value
    facts["hour"] = draw(st.sampled_from([3, 12, "9"]))
    facts["attachments"] = draw(st.sampled_from([0, 2, "two"]))
    facts["text"] = draw(st.sampled_from(["", "a refund please"]))
    facts["tags"] = draw(st.sampled_from([[], ["vip"]]))
    if draw(st.booleans()):
        facts["intent_confidence"] = draw(st.sampled_from([0.2, 0.9, "high"]))
    return facts


def _naive(doc: dict[str, object], facts: dict[str, object]) -> tuple[str | None, str]:
    """Evaluate every enabled rule in order with plain CEL; the reference semantics."""
    context = cel.Context(facts)
    rules = doc["rules"]
    assert isinstance(rules, list)
    for rule in rules:
        if rule["enabled"] and _holds(rule["when"], context):
            return rule["id"], rule["action"]["queue"]
    confidence = facts.get("intent_confidence")
    confident = isinstance(confidence, float) and confidence >= 0.45
    if doc["triage_queue"] is not None and not confident:
        return None, "triage"
    return None, "default"


@functools.lru_cache(maxsize=4096)
def _program(when: str) -> cel.Program:
    return cel.compile(when)


def _holds(when: str, context: cel.Context) -> bool:
    try:
        return _program(when).execute(context) is True
    except Exception:
        return False


def _summary(decision: RuleDecision) -> tuple[str | None, str]:
    return decision.rule_id, decision.action.queue


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=_ruleset_doc(), facts_list=st.lists(_facts(), min_size=1, max_size=5))
def test_indexed_decision_equals_evaluating_every_rule_in_order(
    doc: dict[str, object], facts_list: list[dict[str, object]]
) -> None:
    compiled: CompiledRuleset = compile_ruleset(doc, version=1)
    for facts in facts_list:
        assert _summary(compiled.decide(facts)) == _naive(doc, facts)


@settings(max_examples=100, deadline=None)
@given(whens=st.lists(_condition(), min_size=1, max_size=8), facts=_facts())
def test_index_never_excludes_a_matching_rule_and_complete_pins_imply_a_match(
    whens: list[str], facts: dict[str, object]
) -> None:
    shapes = [analyse_condition(when) for when in whens]
    mask = CandidateIndex(shapes).candidates(facts)
    context = cel.Context(facts)
    for position, (when, shape) in enumerate(zip(whens, shapes, strict=True)):
        candidate = bool(mask >> position & 1)
        if _holds(when, context):
            assert candidate, when
        if candidate and shape.complete:
            assert _holds(when, context), when


@pytest.mark.parametrize(
    ("when", "pins", "complete"),
    [
        (
            'intent == "refund_return" && language in ["da","nb"]',
            {"intent": {"refund_return"}, "language": {"da", "nb"}},
            True,
        ),
        (
            '("billing" == intent) && (customer.tier == "vip" && hour > 3)',
            {"intent": {"billing"}, "customer.tier": {"vip"}},
            False,
        ),
        ('intent == "a" && intent in ["a", "b"]', {"intent": {"a"}}, True),
        ('intent == "a" || language == "da"', {}, False),
        ('!(intent == "a") && language == "da"', {"language": {"da"}}, False),
        ('intent == "a" ? language == "da" : true', {}, False),
        ('intent == "a\\"b"', {}, False),
        ('text == "a" && intent != "b"', {}, False),
        ("channel in []", {"channel": set()}, True),
    ],
)
def test_only_top_level_conjunction_pins_are_indexed(when: str, pins: dict[str, set[str]], complete: bool) -> None:
    shape = analyse_condition(when)
    assert {field: set(values) for field, values in shape.pins.items()} == pins
    assert shape.complete is complete
