"""Classifier benchmark: python tests/perf/bench_classify.py [--repeat N].

Prints messages/s, p50/p99 latency and process RSS over the held-back mixed-language set, then
end-to-end accuracy of the whole classifier (cleaning, language ID, intent) on the same set, by
language, intent and channel. The per-token caches are warmed on the training split first, so the
timed messages are not ones the caches have already seen. Not collected by pytest (file name does
not start with test_).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from router.classify import Classification, DefaultClassifier, load_classifier  # noqa: E402
from router.classify.train import is_held_back, load_records  # noqa: E402

Record = dict[str, str]


def rss_mb() -> float:
    """Peak resident set size of this process in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def classify(classifier: DefaultClassifier, rec: Record) -> Classification:
    """Classify one labelled record as the router would."""
    return classifier.classify(text=rec["text"], subject=rec["subject"] or None, channel=rec["channel"])


def print_accuracy(title: str, pairs: Iterable[tuple[str, bool]]) -> None:
    """One line: accuracy per key and overall."""
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for key, ok in pairs:
        table[key][0] += ok
        table[key][1] += 1
    hits, total = sum(v[0] for v in table.values()), sum(v[1] for v in table.values())
    cells = " ".join(f"{key} {ok / n:.1%}" for key, (ok, n) in sorted(table.items()))
    print(f"{title}: all {hits / max(total, 1):.1%} | {cells}")


def main() -> None:
    """Time the classifier over the held-back set `repeat` times, then report its accuracy."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    started = time.perf_counter()
    classifier = load_classifier()
    load_s = time.perf_counter() - started
    records = load_records(ROOT / "tests/data/classify")
    held = [r for r in records if is_held_back(r)]
    for rec in records:
        if not is_held_back(rec):
            classify(classifier, rec)
    latencies: list[float] = []
    cpu_start, wall_start = time.process_time(), time.perf_counter()
    for _ in range(args.repeat):
        for rec in held:
            t0 = time.perf_counter()
            classify(classifier, rec)
            latencies.append(time.perf_counter() - t0)
    wall, cpu = time.perf_counter() - wall_start, time.process_time() - cpu_start
    quantiles = statistics.quantiles(latencies, n=100)
    print(f"messages: {len(latencies)} ({len(held)} held-back x {args.repeat}), load {load_s:.2f} s")
    print(f"throughput: {len(latencies) / wall:,.0f} msg/s wall, {len(latencies) / cpu:,.0f} msg/s CPU")
    print(f"latency: p50 {quantiles[49] * 1e3:.3f} ms, p99 {quantiles[98] * 1e3:.3f} ms")
    print(f"peak RSS: {rss_mb():.0f} MB")
    results = [(rec, classify(classifier, rec)) for rec in held]
    intent_hits = [(rec, res.intent == rec["intent"]) for rec, res in results]
    print_accuracy("intent by language", ((r["language"], ok) for r, ok in intent_hits))
    print_accuracy("intent by intent", ((r["intent"], ok) for r, ok in intent_hits))
    print_accuracy("intent by channel", ((r["channel"], ok) for r, ok in intent_hits))
    print_accuracy("language ID", ((r["language"], res.language == r["language"]) for r, res in results))


if __name__ == "__main__":
    main()
