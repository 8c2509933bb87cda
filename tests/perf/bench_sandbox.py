"""Benchmark: what a heavy rule (a comprehension macro) costs in the sandbox process, against in process.

Run with ``python tests/perf/bench_sandbox.py``; pytest never collects it. The sandbox's budget is lifted
here, so every evaluation runs (in service, heavy rules get at most a tenth of the time).
"""

from __future__ import annotations

import os
import time

import cel

from router.rules import compile_ruleset, facts_from
from router.rules.sandbox import Sandbox

WHEN = 'entities.order_numbers.exists(n, n.startsWith("SO-")) && tags.all(t, size(t) < 20)'
ROUNDS = 5_000


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    """Print p50/p99 of one heavy decision through the sandbox and of the same condition in process."""
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    sandbox = Sandbox(deadline_s=1.0, share=1.0, burst_s=3600.0)
    document = {"defaults": {"queue": "general"}, "rules": [{"id": "r", "when": WHEN, "action": {"queue": "x"}}]}
    ruleset = compile_ruleset(document, version=1, sandbox=sandbox)
    facts = facts_from(entities={"order_numbers": ["X-1", "SO-7"]}, tags=["vip", "returns"], text="hej " * 200)
    ruleset.decide(facts)  # starts the child
    program = cel.compile(WHEN)
    context = {"entities": facts["entities"], "tags": facts["tags"]}
    for label, run in (("sandbox", lambda: ruleset.decide(facts)), ("in process", lambda: program.execute(context))):
        samples = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            run()
            samples.append((time.perf_counter() - started) * 1e6)
        print(f"{label:>10}: p50 {_percentile(samples, 0.5):7.1f} us  p99 {_percentile(samples, 0.99):7.1f} us")
    sandbox.close()


if __name__ == "__main__":
    main()
