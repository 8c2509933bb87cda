"""The cue check's data formats: the cue set and the sentiment labels of hand-written messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from router.classify.cue_check import (
    CueExample,
    cue_set_report,
    load_cue_set,
    load_written_sentiment,
    parse_cue_line,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "classify" / "cues"


def test_a_cue_line_carries_urgency_sentiment_and_text() -> None:
    assert parse_cue_line("en", "H - The internet is down") == CueExample(
        "en", "The internet is down", "high", "negative"
    )


@pytest.mark.parametrize("line", ["X - text", "H ? text", "H -  "])
def test_a_malformed_cue_line_is_refused(line: str) -> None:
    with pytest.raises(ValueError, match="bad cue-set line"):
        parse_cue_line("en", line)


def test_the_cue_set_skips_comments_and_blank_lines(tmp_path: Path) -> None:
    (tmp_path / "da.txt").write_text("# comment\n\nL 0 Det haster ikke\nN + Tusind tak!\n", encoding="utf-8")
    assert [(e.language, e.urgency, e.sentiment) for e in load_cue_set(tmp_path)] == [
        ("da", "low", "neutral"),
        ("da", "normal", "positive"),
    ]


def test_written_sentiment_labels_each_message_of_an_intent_in_order(tmp_path: Path) -> None:
    path = tmp_path / "labels.tsv"
    path.write_text("# comment\nwritten/billing\t-0+\n", encoding="utf-8")
    assert load_written_sentiment(path) == {
        "written/billing/0": "negative",
        "written/billing/1": "neutral",
        "written/billing/2": "positive",
    }
    assert load_written_sentiment(tmp_path / "missing.tsv") == {}


def test_the_committed_cue_set_covers_every_language_and_parses() -> None:
    examples = load_cue_set(DATA)
    assert {e.language for e in examples} == {"da", "de", "en", "es", "fr", "nb", "sv", "tl", "tr", "zh"}
    assert len(cue_set_report(examples)) == 3
