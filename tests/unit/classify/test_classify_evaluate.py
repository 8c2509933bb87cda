"""The held-out evaluation: its metric functions, its report, and the set it reads."""

from __future__ import annotations

import ast
import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import router.classify.evaluate as evaluate
from router.classify import INTENTS, SUPPORTED_LANGUAGES
from router.classify.evaluate import (
    CHANNELS,
    DEFAULT_DATA,
    BinaryScores,
    Example,
    Predicted,
    Tally,
    binary_scores,
    confusion,
    format_confusion,
    grouped,
    is_urgent,
    load_examples,
    main,
    parse_example,
    score,
    tally,
)

TRAINING_DATA = Path(__file__).resolve().parents[2] / "data" / "classify"
BOOLS = st.lists(st.tuples(st.booleans(), st.booleans()), max_size=60)


def _example(intent: str, *, language: str = "en", channel: str = "email", urgency: str = "normal") -> Example:
    return Example("text", None, channel, language, intent, urgency, "neutral")


def _line(**changes: object) -> str:
    item: dict[str, object] = {
        "text": "Where is my parcel?",
        "channel": "sms",
        "language": "en",
        "intent": "order_status",
        "urgency": "normal",
        "sentiment": "neutral",
    }
    item.update(changes)
    return json.dumps(item)


def test_binary_scores_count_hits_false_alarms_and_misses() -> None:
    scores = binary_scores([(True, True), (True, True), (True, False), (False, True), (False, False)])
    assert scores == BinaryScores(true_positives=2, false_positives=1, false_negatives=1)
    assert scores.precision == pytest.approx(2 / 3)
    assert scores.recall == pytest.approx(2 / 3)
    assert scores.f1 == pytest.approx(2 / 3)


def test_binary_scores_are_zero_when_nothing_is_predicted_or_present() -> None:
    none_predicted = binary_scores([(True, False), (False, False)])
    assert (none_predicted.precision, none_predicted.recall, none_predicted.f1) == (0.0, 0.0, 0.0)
    nothing_there = binary_scores([(False, False)])
    assert (nothing_there.precision, nothing_there.recall, nothing_there.f1) == (0.0, 0.0, 0.0)


@given(BOOLS)
def test_f1_is_the_harmonic_mean_of_precision_and_recall(pairs: list[tuple[bool, bool]]) -> None:
    s = binary_scores(pairs)
    assert 0.0 <= s.precision <= 1.0
    assert 0.0 <= s.recall <= 1.0
    assert min(s.precision, s.recall) - 1e-9 <= s.f1 <= max(s.precision, s.recall) + 1e-9
    if s.precision and s.recall:
        assert 1 / s.f1 == pytest.approx((1 / s.precision + 1 / s.recall) / 2)


@given(st.lists(st.booleans(), max_size=60))
def test_perfect_predictions_score_one_when_anything_is_positive(truth: list[bool]) -> None:
    s = binary_scores((t, t) for t in truth)
    assert s.f1 == (1.0 if any(truth) else 0.0)


def test_tally_rate_is_hits_over_total_and_zero_when_empty() -> None:
    assert tally([True, False, True, True]) == Tally(3, 4)
    assert tally([True, False, True, True]).rate == pytest.approx(0.75)
    assert tally([]).rate == 0.0


@given(st.lists(st.tuples(st.sampled_from(["da", "en", "zh"]), st.booleans()), max_size=60))
def test_grouped_tallies_add_up_to_the_whole(pairs: list[tuple[str, bool]]) -> None:
    groups = grouped(pairs)
    assert list(groups) == sorted({key for key, _ in pairs})
    assert sum(t.total for t in groups.values()) == len(pairs)
    assert sum(t.hits for t in groups.values()) == sum(ok for _, ok in pairs)
    for key, t in groups.items():
        assert t == tally(ok for k, ok in pairs if k == key)


@given(st.lists(st.tuples(st.sampled_from(INTENTS), st.sampled_from(INTENTS)), max_size=60))
def test_confusion_counts_every_pair_once(pairs: list[tuple[str, str]]) -> None:
    matrix = confusion(pairs)
    assert sum(matrix.values()) == len(pairs)
    assert matrix == Counter(pairs)


def test_only_high_and_urgent_count_as_urgent() -> None:
    assert [is_urgent(u) for u in ("low", "normal", "high", "urgent")] == [False, False, True, True]


def test_score_compares_each_prediction_with_its_label() -> None:
    examples = [
        _example("billing", language="da", channel="sms", urgency="urgent"),
        _example("billing", language="da", channel="fax"),
        _example("complaint", language="zh", channel="sms", urgency="high"),
    ]
    predictions = [
        Predicted("da", "billing", "high", "neutral"),
        Predicted("nb", "refund_return", "high", "negative"),
        Predicted("zh", "complaint", "normal", "neutral"),
    ]
    report = score(examples, predictions)
    assert (report.size, report.language, report.intent) == (3, Tally(2, 3), Tally(2, 3))
    assert report.intent_by_language == {"da": Tally(1, 2), "zh": Tally(1, 1)}
    assert report.intent_by_channel == {"fax": Tally(0, 1), "sms": Tally(2, 2)}
    assert report.intent_by_intent == {"billing": Tally(1, 2), "complaint": Tally(1, 1)}
    assert report.confusion == {
        ("billing", "billing"): 1,
        ("billing", "refund_return"): 1,
        ("complaint", "complaint"): 1,
    }
    assert report.urgency == BinaryScores(true_positives=1, false_positives=1, false_negatives=1)
    assert report.sentiment == Tally(2, 3)


def test_score_refuses_a_prediction_count_that_does_not_match() -> None:
    with pytest.raises(ValueError, match="one prediction per example"):
        score([_example("other")], [])


def test_confusion_table_has_true_rows_and_lists_the_worst_mixups_first() -> None:
    text = format_confusion({("other", "complaint"): 6, ("billing", "billing"): 3, ("billing", "other"): 1})
    lines = text.splitlines()
    assert lines[0].split() == ["billin", "compla", "other"]
    assert lines[1].split() == ["billing", "3", ".", "1"]
    assert lines[-1] == "most confused (true -> predicted): other -> complaint 6, billing -> other 1"


def test_a_line_without_subject_parses_and_keeps_its_labels() -> None:
    example = parse_example(_line(), 1)
    assert example == Example("Where is my parcel?", None, "sms", "en", "order_status", "normal", "neutral")


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("{not json", "not JSON"),
        (_line(intent="shipping"), "intent must be one of"),
        (_line(language="xx"), "language must be one of"),
        (_line(channel="pigeon"), "channel must be one of"),
        (_line(urgency="asap"), "urgency must be one of"),
        (_line(text="  "), "text must be a non-empty string"),
        (_line(subject=7), "subject must be a string"),
        (_line(mood="grumpy"), "expected an object"),
        ("[1, 2]", "expected an object"),
    ],
)
def test_a_malformed_line_is_refused_with_its_line_number(line: str, problem: str) -> None:
    with pytest.raises(ValueError, match=f"line 7: {problem}"):
        parse_example(line, 7)


def test_the_heldout_set_covers_every_language_intent_and_channel() -> None:
    examples = load_examples(DEFAULT_DATA)
    assert len(examples) >= 400
    for language in SUPPORTED_LANGUAGES:
        own = [ex for ex in examples if ex.language == language]
        assert len(own) >= 40, language
        assert {ex.intent for ex in own} == set(INTENTS), language
        assert {ex.channel for ex in own} == set(CHANNELS), language
    share_urgent = sum(is_urgent(ex.urgency) for ex in examples) / len(examples)
    assert 0.15 <= share_urgent <= 0.30


def test_the_heldout_set_lives_outside_the_training_data() -> None:
    assert TRAINING_DATA not in DEFAULT_DATA.parents
    assert not DEFAULT_DATA.is_relative_to(TRAINING_DATA)


def test_the_evaluation_imports_nothing_from_training() -> None:
    tree = ast.parse(Path(evaluate.__file__).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not {name for name in imported if name and ("train" in name or "cue_lexicon" in name)}


def test_main_prints_every_figure_for_a_set(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "set.jsonl"
    data.write_text(
        "\n".join([_line(), "", _line(text="Please cancel order 4410982 now", intent="cancellation", urgency="high")]),
        encoding="utf-8",
    )
    main(["--data", str(data), "--repeat", "1"])
    out = capsys.readouterr().out
    assert out.startswith("messages: 2\n")
    for heading in ("language:", "intent by language:", "intent by channel:", "intent by intent:", "confusion"):
        assert heading in out
    assert "urgency (high|urgent): precision" in out
    assert "sentiment agreement:" in out
    assert "msg/s per core" in out
