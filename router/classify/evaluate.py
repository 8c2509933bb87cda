"""Held-out evaluation of the classifier: python -m router.classify.evaluate [--data FILE] [--repeat N].

Runs labelled messages through exactly what the router uses (`load_classifier(...).classify(text=...,
subject=..., channel=...)`, the entry of `switchboard classify`) and prints language accuracy, intent
accuracy overall and per language, channel and intent, the intent confusion matrix, urgency
precision/recall/F1 (urgent = high or urgent), sentiment agreement and throughput. Pure reporting: it
imports nothing from training, so the held-out set stays out of the training path.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from router.classify.labels import INTENTS, SENTIMENTS, SUPPORTED_LANGUAGES, URGENCIES
from router.classify.pipeline import load_classifier
from router.classify.result import Classifier

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "tests" / "data" / "classify_eval" / "heldout.jsonl"
CHANNELS = ("email", "sms", "chat", "fax")
URGENT = frozenset({"high", "urgent"})
_FIELDS = {"text", "subject", "channel", "language", "intent", "urgency", "sentiment"}
_TOP_CONFUSIONS = 10


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled message of the evaluation set."""

    text: str
    subject: str | None
    channel: str
    language: str
    intent: str
    urgency: str
    sentiment: str


@dataclass(frozen=True, slots=True)
class Predicted:
    """The classifier's labels for one message (the fields the evaluation scores)."""

    language: str
    intent: str
    urgency: str
    sentiment: str


@dataclass(frozen=True, slots=True)
class Tally:
    """Hits out of a total."""

    hits: int
    total: int

    @property
    def rate(self) -> float:
        """The share of hits (0.0 for an empty tally)."""
        return self.hits / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class BinaryScores:
    """Counts and scores of a yes/no prediction against the truth."""

    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        """Of the predicted positives, the share that are positive (0.0 when none were predicted)."""
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 0.0

    @property
    def recall(self) -> float:
        """Of the true positives, the share that were found (0.0 when there are none)."""
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else 0.0

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall (0.0 when both are 0)."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class Throughput:
    """How fast the classifier went over the set."""

    messages: int
    cpu_seconds: float
    wall_seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def per_cpu_second(self) -> float:
        """Messages per CPU second (per core)."""
        return self.messages / self.cpu_seconds if self.cpu_seconds > 0 else 0.0


@dataclass(frozen=True, slots=True)
class Report:
    """Every figure the evaluation prints."""

    size: int
    language: Tally
    intent: Tally
    intent_by_language: Mapping[str, Tally]
    intent_by_channel: Mapping[str, Tally]
    intent_by_intent: Mapping[str, Tally]
    confusion: Mapping[tuple[str, str], int]
    urgency: BinaryScores
    sentiment: Tally
    sentiment_by_label: Mapping[str, Tally]


def parse_example(line: str, number: int) -> Example:
    """Parse and validate one JSON line of the evaluation set (`number` names it in errors)."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"line {number}: not JSON ({exc.msg})") from None
    if not isinstance(item, dict) or not set(item) <= _FIELDS:
        raise ValueError(f"line {number}: expected an object with keys among {sorted(_FIELDS)}")
    vocabularies = {
        "channel": CHANNELS,
        "language": SUPPORTED_LANGUAGES,
        "intent": INTENTS,
        "urgency": URGENCIES,
        "sentiment": SENTIMENTS,
    }
    for field, allowed in vocabularies.items():
        if item.get(field) not in allowed:
            raise ValueError(f"line {number}: {field} must be one of {list(allowed)}")
    text, subject = item.get("text"), item.get("subject")
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"line {number}: text must be a non-empty string")
    if not isinstance(subject, str | None):
        raise ValueError(f"line {number}: subject must be a string or absent")
    return Example(
        text=text,
        subject=subject,
        channel=item["channel"],
        language=item["language"],
        intent=item["intent"],
        urgency=item["urgency"],
        sentiment=item["sentiment"],
    )


def load_examples(path: Path) -> list[Example]:
    """Read a JSON-lines evaluation set (blank lines skipped)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [parse_example(line, n) for n, line in enumerate(lines, start=1) if line.strip()]


def is_urgent(urgency: str) -> bool:
    """Whether an urgency label counts as urgent (high or urgent)."""
    return urgency in URGENT


def tally(flags: Iterable[bool]) -> Tally:
    """Count the true flags and all flags."""
    values = list(flags)
    return Tally(hits=sum(values), total=len(values))


def grouped(pairs: Iterable[tuple[str, bool]]) -> dict[str, Tally]:
    """Tally the flags per key, keys sorted."""
    groups: dict[str, list[bool]] = {}
    for key, ok in pairs:
        groups.setdefault(key, []).append(ok)
    return {key: tally(groups[key]) for key in sorted(groups)}


def confusion(pairs: Iterable[tuple[str, str]]) -> Counter[tuple[str, str]]:
    """Count (true, predicted) pairs, the diagonal included."""
    return Counter(pairs)


def binary_scores(pairs: Iterable[tuple[bool, bool]]) -> BinaryScores:
    """Score (true, predicted) yes/no pairs."""
    counts = Counter(pairs)
    return BinaryScores(
        true_positives=counts[True, True], false_positives=counts[False, True], false_negatives=counts[True, False]
    )


def score(examples: Sequence[Example], predictions: Sequence[Predicted]) -> Report:
    """Compare predictions with the labels, message by message."""
    if len(examples) != len(predictions):
        raise ValueError("one prediction per example is needed")
    pairs = list(zip(examples, predictions, strict=True))
    intent_ok = [(ex, ex.intent == pr.intent) for ex, pr in pairs]
    sentiment_ok = [(ex.sentiment, ex.sentiment == pr.sentiment) for ex, pr in pairs]
    return Report(
        size=len(pairs),
        language=tally(ex.language == pr.language for ex, pr in pairs),
        intent=tally(ok for _, ok in intent_ok),
        intent_by_language=grouped((ex.language, ok) for ex, ok in intent_ok),
        intent_by_channel=grouped((ex.channel, ok) for ex, ok in intent_ok),
        intent_by_intent=grouped((ex.intent, ok) for ex, ok in intent_ok),
        confusion=confusion((ex.intent, pr.intent) for ex, pr in pairs),
        urgency=binary_scores((is_urgent(ex.urgency), is_urgent(pr.urgency)) for ex, pr in pairs),
        sentiment=tally(ok for _, ok in sentiment_ok),
        sentiment_by_label=grouped(sentiment_ok),
    )


def predict(classifier: Classifier, examples: Iterable[Example]) -> list[Predicted]:
    """Classify every example as the router does."""
    out = []
    for ex in examples:
        result = classifier.classify(text=ex.text, subject=ex.subject, channel=ex.channel)
        out.append(Predicted(result.language, result.intent, result.urgency, result.sentiment))
    return out


def measure(classifier: Classifier, examples: Sequence[Example], repeat: int) -> Throughput:
    """Time `repeat` passes over the examples, one message at a time."""
    latencies: list[float] = []
    cpu_start, wall_start = time.process_time(), time.perf_counter()
    for _ in range(repeat):
        for ex in examples:
            started = time.perf_counter()
            classifier.classify(text=ex.text, subject=ex.subject, channel=ex.channel)
            latencies.append(time.perf_counter() - started)
    cpu, wall = time.process_time() - cpu_start, time.perf_counter() - wall_start
    if len(latencies) < 2:  # quantiles need two points; one or none is its own percentile
        latencies = latencies * 2 or [0.0, 0.0]
    cuts = statistics.quantiles(latencies, n=100)
    return Throughput(len(latencies), cpu, wall, cuts[49] * 1e3, cuts[98] * 1e3)


def _line(title: str, total: Tally, groups: Mapping[str, Tally]) -> str:
    cells = "  ".join(f"{key} {t.rate:.3f} ({t.hits}/{t.total})" for key, t in groups.items())
    return f"{title}: {total.rate:.3f} ({total.hits}/{total.total})" + (f" | {cells}" if cells else "")


def format_confusion(matrix: Mapping[tuple[str, str], int]) -> str:
    """The confusion matrix as a table (rows true, columns predicted) and its largest off-diagonal cells."""
    labels = [i for i in INTENTS if any(i in key for key in matrix)]
    width = max((len(label) for label in labels), default=5)
    head = " " * width + " " + " ".join(f"{label[:6]:>6}" for label in labels)
    rows = [f"{t:<{width}} " + " ".join(f"{matrix.get((t, p), 0) or '.':>6}" for p in labels) for t in labels]
    misses = sorted(((n, t, p) for (t, p), n in matrix.items() if t != p), key=lambda c: (-c[0], c[1], c[2]))
    top = ", ".join(f"{t} -> {p} {n}" for n, t, p in misses[:_TOP_CONFUSIONS])
    return "\n".join([head, *rows, f"most confused (true -> predicted): {top or 'none'}"])


def format_report(report: Report, throughput: Throughput | None = None) -> str:
    """The report as printed text."""
    u = report.urgency
    lines = [
        f"messages: {report.size}",
        f"language: {report.language.rate:.3f} ({report.language.hits}/{report.language.total})",
        _line("intent", report.intent, {}),
        _line("intent by language", report.intent, report.intent_by_language),
        _line("intent by channel", report.intent, report.intent_by_channel),
        _line("intent by intent", report.intent, report.intent_by_intent),
        "intent confusion (rows true, columns predicted):",
        format_confusion(report.confusion),
        f"urgency (high|urgent): precision {u.precision:.3f} recall {u.recall:.3f} F1 {u.f1:.3f} "
        f"(found {u.true_positives} of {u.true_positives + u.false_negatives}, {u.false_positives} false alarms)",
        _line("sentiment agreement", report.sentiment, report.sentiment_by_label),
    ]
    if throughput is not None:
        lines.append(
            f"throughput: {throughput.per_cpu_second:,.0f} msg/s per core (CPU), "
            f"{throughput.messages / throughput.wall_seconds:,.0f} msg/s wall; "
            f"latency p50 {throughput.p50_ms:.3f} ms, p99 {throughput.p99_ms:.3f} ms ({throughput.messages} messages)"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    """Evaluate the router's classifier on a labelled JSON-lines set and print the report."""
    parser = argparse.ArgumentParser(prog="python -m router.classify.evaluate", description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="JSON-lines evaluation set")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over the set (0: no timing)")
    parser.add_argument("--languages", default=None, help="comma-separated ISO 639-1 codes to detect")
    args = parser.parse_args(argv)
    examples = load_examples(args.data)
    classifier = load_classifier(tuple(args.languages.split(",")) if args.languages else None)
    report = score(examples, predict(classifier, examples))
    throughput = measure(classifier, examples, args.repeat) if args.repeat > 0 and examples else None
    print(format_report(report, throughput))


if __name__ == "__main__":
    main()
