"""Benchmark: one routing decision (facts, rules, candidate selection; classification excluded).

Prints p50/p99 microseconds for 10/100/1,000 rules x 100/1,000/10,000 agents so growth is visible.
Run: ``python tests/perf/bench_routing.py``. Not collected by pytest.
"""

from __future__ import annotations

import gc
import os
import random
import statistics
import time
from datetime import UTC, datetime

from router import engine
from router.assign import AgentPool
from router.rules import RulesetDocument, compile_ruleset
from shared.normalize import conversation_key
from shared.schema import InboundMessage, Sender
from tests.perf.bench_assign import QUEUES, SKILLS, make_agent
from tests.perf.bench_rules import CHANNELS, INTENTS, LANGUAGES, URGENCIES, make_ruleset

DECISIONS = 5_000
WARMUP = 2_000
NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def ruleset(size: int) -> RulesetDocument:
    """The rules benchmark's ruleset, its actions pointed at the agents' queues with skill needs."""
    document = make_ruleset(size)
    rules = document["rules"]
    assert isinstance(rules, list)
    for i, rule in enumerate(rules):
        rule["action"] = {
            "queue": QUEUES[i % len(QUEUES)],
            "priority": 1 + i % 5,
            "required_skills": {SKILLS[i % len(SKILLS)]: 2} if i % 3 else {},
            "required_languages": ["$language"] if i % 2 else [],
        }
    document["defaults"] = {"queue": QUEUES[0]}
    document["triage_queue"] = QUEUES[0]
    return RulesetDocument.model_validate(document)


def message(rng: random.Random, n: int) -> tuple[InboundMessage, dict[str, object]]:
    """A message and its classification."""
    sender = f"+4520{n:06d}"
    msg = InboundMessage(
        id=f"m{n}", channel=rng.choice(CHANNELS), provider="bench", received_at=NOW,
        sender=Sender(kind="phone", address=sender), recipient=f"support@brand{rng.randrange(25)}.example",
        conversation_key=conversation_key("sms", sender, None), subject="Order", text="Hello, refund for order 12345",
    )  # fmt: skip
    classified: dict[str, object] = {
        "language": rng.choice(LANGUAGES), "language_confidence": 0.9, "intent": rng.choice(INTENTS),
        "intent_confidence": rng.random(), "urgency": rng.choice(URGENCIES), "sentiment": "neutral",
        "sentiment_score": 0.0, "entities": {"order_numbers": ["12345"]},
    }  # fmt: skip
    return msg, classified


def bench(rules: int, agents: int) -> tuple[float, float]:
    """p50 and p99 of plan() + select() in microseconds."""
    rng = random.Random(rules * 100_003 + agents)
    compiled = compile_ruleset(ruleset(rules), version=1)
    pool = AgentPool()
    for n in range(agents):
        pool.upsert(make_agent(rng, n))
    inputs = [message(rng, n) for n in range(DECISIONS)]
    customer = engine.Customer(known=True, tier="standard", address="x")
    for msg, classified in inputs[:WARMUP]:  # builds the pool's index entry for each requirement set once
        plan = engine.plan(msg, classified, customer, compiled, preferred_agent=None, now=NOW)
        pool.select(plan.item, strategy="least_loaded", now=NOW)
    gc.collect()
    gc.freeze()
    samples = []
    for msg, classified in inputs:
        t0 = time.perf_counter_ns()
        plan = engine.plan(msg, classified, customer, compiled, preferred_agent=None, now=NOW)
        plan.selection = pool.select(plan.item, strategy="least_loaded", now=NOW)
        samples.append((time.perf_counter_ns() - t0) / 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99)]


def main() -> None:
    """Print the grid."""
    print(f"routing decision (rules + candidate selection), {DECISIONS} decisions after {WARMUP} warm-up,"
          f" load {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"{'rules':>6} {'agents':>7} {'p50 us':>8} {'p99 us':>8}")
    for rules in (10, 100, 1_000):
        for agents in (100, 1_000, 10_000):
            p50, p99 = bench(rules, agents)
            print(f"{rules:>6} {agents:>7} {p50:>8.1f} {p99:>8.1f}", flush=True)


if __name__ == "__main__":
    main()
