"""Check the urgency and sentiment cues on the training data: python -m router.classify.cue_check [--data DIR].

The cues are written by hand, not fitted, but they are checked like a model: urgency precision, recall
and F1 (urgent = high or urgent) on the training split and, separately, on the held-back split of the
labelled training messages (the same crc32 split the intent model holds back), whole and hand-written
only; sentiment, as the router's classifier gives it, on the hand-written messages whose sentiment is
labelled (`cues/written_sentiment.tsv`: by group, so every language and rendering of a message), split
the same way; then urgency and sentiment on the cue set (`cues/<lang>.txt`: short messages labelled with
both, the look-alikes included). A cue change is kept when it helps the held-back split without hurting
the training split, before anyone looks at the held-out set.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from router.classify.cues import analyze
from router.classify.evaluate import BinaryScores, Tally, binary_scores, grouped, is_urgent, tally
from router.classify.pipeline import load_classifier
from router.classify.train import DEFAULT_DATA, Record, is_held_back, is_written, load_records, model_text

CUE_SET = "cues"
WRITTEN_SENTIMENT = "written_sentiment.tsv"
# A cue-set line is "<urgency> <sentiment> <text>": urgency L N H U, sentiment - 0 +.
URGENCY_MARKS = {"L": "low", "N": "normal", "H": "high", "U": "urgent"}
SENTIMENT_MARKS = {"-": "negative", "0": "neutral", "+": "positive"}


@dataclass(frozen=True, slots=True)
class CueExample:
    """One message of the cue set with its urgency and sentiment labels."""

    language: str
    text: str
    urgency: str
    sentiment: str


def parse_cue_line(language: str, line: str) -> CueExample:
    """Parse one cue-set line ("H - text"); raises ValueError on an unknown mark."""
    parts = line.split(maxsplit=2)
    if len(parts) < 3 or parts[0] not in URGENCY_MARKS or parts[1] not in SENTIMENT_MARKS:
        raise ValueError(f"{language}: bad cue-set line {line[:20]!r}")
    urgency, sentiment, text = parts
    return CueExample(language, text.strip(), URGENCY_MARKS[urgency], SENTIMENT_MARKS[sentiment])


def load_cue_set(directory: Path) -> list[CueExample]:
    """Every labelled line of <directory>/<lang>.txt (blank lines and # comments skipped)."""
    examples: list[CueExample] = []
    for path in sorted(directory.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                examples.append(parse_cue_line(path.stem, line))
    return examples


def load_written_sentiment(path: Path) -> dict[str, str]:
    """Group -> sentiment from a "<intent group> TAB <one mark per message>" file (empty when absent)."""
    if not path.exists():
        return {}
    labels: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            prefix, marks = line.split("\t")
            labels.update({f"{prefix}/{i}": SENTIMENT_MARKS[mark] for i, mark in enumerate(marks)})
    return labels


def sentiment_report(records: Sequence[Record], labels: dict[str, str]) -> list[str]:
    """Sentiment agreement of the classifier with the labelled groups, per split and per label."""
    classifier = load_classifier()
    lines = []
    for name, held in (("training split", False), ("held-back split", True)):
        pairs = [
            (labels[r["group"]], classifier.classify(text=r["text"], subject=r.get("subject"), channel=r["channel"]))
            for r in records
            if r.get("group") in labels and is_held_back(r) == held
        ]
        total = tally(label == result.sentiment for label, result in pairs)
        by_label = grouped((label, label == result.sentiment) for label, result in pairs)
        lines.append(
            f"sentiment, {name}, labelled hand-written: {total.rate:.3f} ({total.hits}/{total.total}) | "
            + "  ".join(f"{k} {t.rate:.3f} ({t.hits}/{t.total})" for k, t in by_label.items())
        )
    return lines


def urgency_scores(records: Iterable[Record]) -> BinaryScores:
    """Urgency of the cues against the records' labels, on the text the classifier reads."""
    return binary_scores(
        (is_urgent(r["urgency"]), is_urgent(analyze(model_text(r), noisy=r["channel"] == "fax")[1])) for r in records
    )


def _format(title: str, scores: BinaryScores) -> str:
    s = scores
    return (
        f"{title:<34} precision {s.precision:.3f} recall {s.recall:.3f} F1 {s.f1:.3f} "
        f"(found {s.true_positives} of {s.true_positives + s.false_negatives}, {s.false_positives} false alarms)"
    )


def split_report(records: Sequence[Record]) -> list[str]:
    """Urgency lines for the training and held-back splits, all records and hand-written only."""
    parts: list[tuple[str, Callable[[Record], bool]]] = [
        ("training split", lambda r: not is_held_back(r)),
        ("held-back split", is_held_back),
    ]
    lines = []
    for name, keep in parts:
        chosen = [r for r in records if keep(r)]
        lines.append(_format(f"urgency, {name}", urgency_scores(chosen)))
        lines.append(_format(f"urgency, {name}, hand-written", urgency_scores(r for r in chosen if is_written(r))))
    return lines


def cue_set_report(examples: Sequence[CueExample]) -> list[str]:
    """Urgency and sentiment lines for the cue set, overall and per label or language."""
    predicted = [analyze(ex.text) for ex in examples]
    urgency = binary_scores((is_urgent(ex.urgency), is_urgent(p[1])) for ex, p in zip(examples, predicted, strict=True))
    by_label = grouped((ex.sentiment, ex.sentiment == p[2]) for ex, p in zip(examples, predicted, strict=True))
    by_language = grouped(
        (ex.language, is_urgent(ex.urgency) == is_urgent(p[1]) and ex.sentiment == p[2])
        for ex, p in zip(examples, predicted, strict=True)
    )
    agreement: Tally = tally(ex.sentiment == p[2] for ex, p in zip(examples, predicted, strict=True))
    return [
        _format("urgency, cue set", urgency),
        f"sentiment, cue set: {agreement.rate:.3f} ({agreement.hits}/{agreement.total}) | "
        + "  ".join(f"{k} {t.rate:.3f} ({t.hits}/{t.total})" for k, t in by_label.items()),
        "both right, cue set, by language: "
        + "  ".join(f"{k} {t.rate:.3f} ({t.hits}/{t.total})" for k, t in by_language.items()),
    ]


def main(argv: Sequence[str] | None = None) -> None:
    """Print the urgency figures of the training splits and the cue set's urgency and sentiment."""
    parser = argparse.ArgumentParser(prog="python -m router.classify.cue_check", description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="training data directory")
    args = parser.parse_args(argv)
    records = load_records(args.data)
    lines = split_report(records)
    labels = load_written_sentiment(args.data / CUE_SET / WRITTEN_SENTIMENT)
    if labels:
        lines.extend(sentiment_report(records, labels))
    cue_set = load_cue_set(args.data / CUE_SET)
    if cue_set:
        lines.extend(cue_set_report(cue_set))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
