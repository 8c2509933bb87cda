"""Classifier benchmark: python tests/perf/bench_classify.py [--repeat N].

Prints messages/s, p50/p99 latency over the held-back mixed-language set, and process RSS.
Not collected by pytest (file name does not start with test_).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from router.classify import load_classifier  # noqa: E402
from router.classify.train import is_held_back, load_records  # noqa: E402


def rss_mb() -> float:
    """Peak resident set size of this process in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    """Classify the held-back set `repeat` times and report throughput and latency."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    started = time.perf_counter()
    classifier = load_classifier()
    load_s = time.perf_counter() - started
    held = [r for r in load_records(ROOT / "tests/data/classify") if is_held_back(r)]
    for rec in held:  # warm-up (fills the per-token caches)
        classifier.classify(text=rec["text"], subject=rec["subject"], channel=rec["channel"])
    latencies: list[float] = []
    cpu_start, wall_start = time.process_time(), time.perf_counter()
    for _ in range(args.repeat):
        for rec in held:
            t0 = time.perf_counter()
            classifier.classify(text=rec["text"], subject=rec["subject"], channel=rec["channel"])
            latencies.append(time.perf_counter() - t0)
    wall, cpu = time.perf_counter() - wall_start, time.process_time() - cpu_start
    quantiles = statistics.quantiles(latencies, n=100)
    print(f"messages: {len(latencies)} ({len(held)} held-back x {args.repeat}), load {load_s:.2f} s")
    print(f"throughput: {len(latencies) / wall:,.0f} msg/s wall, {len(latencies) / cpu:,.0f} msg/s CPU")
    print(f"latency: p50 {quantiles[49] * 1e3:.3f} ms, p99 {quantiles[98] * 1e3:.3f} ms")
    print(f"peak RSS: {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
