"""Benchmark: one routing decision (facts, rules, candidate selection; classification excluded).

Prints p50/p99 microseconds for 10/100/1,000 rules x 100/1,000/10,000 agents so growth is visible (and
the p99 of this thread's CPU time, which a busy machine's scheduler does not inflate),
with the work per decision: rules the index pre-selected, rules evaluated, index entries (agents)
examined, and index misses (segments or views built during a decision). The pool is prepared for the ruleset
and then frozen, as the router service does after loading it. Between decisions the pool changes as it does
in service (not timed): the chosen agent takes the work, and the oldest of the last ``HELD`` assignments is
released, so loads, idle clocks and round-robin turns move and the indexes re-rank lazily as in production.
The grid uses the least-loaded strategy; the other strategies follow at the largest cell.
Run: ``PYTHONPATH=. python tests/perf/bench_routing.py``. Not collected by pytest.
"""

from __future__ import annotations

import asyncio
import gc
import os
import random
import resource
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from router import planning
from router.assign import STRATEGIES, AgentPool, QueuePolicy, Selection, Strategy
from router.classify import load_classifier
from router.classify.train import load_records
from router.indexing import build_index
from router.rules import RulesetDocument, compile_ruleset
from shared.normalize import conversation_key
from shared.schema import InboundMessage, Sender
from tests.perf.bench_assign import QUEUES, SKILLS, make_agent
from tests.perf.bench_rules import CHANNELS, INTENTS, LANGUAGES, URGENCIES, make_ruleset

DECISIONS = 5_000
WARMUP = 2_000
HELD = 500
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


@dataclass
class Cell:
    """One grid cell's figures."""

    p50: float
    p99: float
    cpu_p99: float
    prepare_ms: float
    considered: float
    evaluated: float
    examined: float
    misses: int


def bench(rules: int, agents: int, strategy: Strategy = "least_loaded") -> Cell:
    """p50 and p99 of plan() + select() in microseconds, and the work done per decision."""
    rng = random.Random(rules * 100_003 + agents)
    compiled = compile_ruleset(ruleset(rules), version=1)
    pool = AgentPool()
    for n in range(agents):
        pool.upsert(make_agent(rng, n))
    started = time.perf_counter()
    policies = {q: QueuePolicy(name=q, strategy=strategy) for q in QUEUES}
    planning.prepare(pool, compiled, policies)  # what the router does after loading the pool and on a new ruleset
    prepare_ms = (time.perf_counter() - started) * 1000
    inputs = [message(rng, n) for n in range(DECISIONS)]
    customer = planning.Customer(known=True, tier="standard", address="x")
    held: list[tuple[str, str]] = []

    def take(selection: Selection, channel: str, n: int) -> None:
        """The router's bookkeeping after a claim: the agent takes the work; old work completes."""
        now = NOW + timedelta(seconds=n)
        if selection.agent_id is not None:
            pool.adjust_load(selection.agent_id, channel, +1, now)
            held.append((selection.agent_id, channel))
        if len(held) > HELD:
            agent_id, held_channel = held.pop(0)
            pool.adjust_load(agent_id, held_channel, -1, now)

    for n, (msg, classified) in enumerate(inputs[:WARMUP]):
        plan = planning.plan(msg, classified, customer, compiled, preferred_agent=None, now=NOW)
        take(pool.select(plan.item, strategy=strategy, now=NOW), msg.channel, n)
    gc.collect()
    gc.freeze()
    misses = pool.misses
    samples = []
    cpu = []
    considered = evaluated = examined = 0
    for n, (msg, classified) in enumerate(inputs, start=WARMUP):
        now = NOW + timedelta(seconds=n)
        t0, c0 = time.perf_counter_ns(), time.thread_time_ns()
        plan = planning.plan(msg, classified, customer, compiled, preferred_agent=None, now=now)
        plan.selection = pool.select(plan.item, strategy=strategy, now=now)
        samples.append((time.perf_counter_ns() - t0) / 1000)
        cpu.append((time.thread_time_ns() - c0) / 1000)
        take(plan.selection, msg.channel, n)
        considered += plan.rule.candidates_considered
        evaluated += len(plan.rule.tried)
        examined += plan.selection.examined
    gc.unfreeze()
    samples.sort()
    cpu.sort()
    n = len(samples)
    return Cell(
        statistics.median(samples), samples[int(n * 0.99)], cpu[int(n * 0.99)], prepare_ms,
        considered / n, evaluated / n, examined / n, pool.misses - misses,
    )  # fmt: skip


def rebuild(rules: int, agents: int) -> tuple[float, float]:
    """A router's index rebuild after a ruleset change (new skill levels: all-new segments), as the service
    runs it beside other work: (total ms, longest pause of the event loop in ms, the final collector pass
    included). Before builds gave the loop turns, the whole build was one pause."""
    rng = random.Random(agents)
    pool = AgentPool()
    for n in range(agents):
        pool.upsert(make_agent(rng, n))
    policies = {q: QueuePolicy(name=q, strategy="least_loaded") for q in QUEUES}
    planning.prepare(pool, compile_ruleset(ruleset(rules), version=1), policies)
    gc.collect()
    gc.freeze()
    changed = ruleset(rules).model_dump()
    for rule in changed["rules"]:
        rule["action"]["required_skills"] = dict.fromkeys(rule["action"]["required_skills"], 3)
    compiled = compile_ruleset(RulesetDocument.model_validate(changed), version=2)

    async def run() -> tuple[float, float]:
        longest = 0.0
        done = False

        async def other_work() -> None:
            nonlocal longest
            last = time.perf_counter()
            while not done:
                await asyncio.sleep(0)
                now = time.perf_counter()
                longest, last = max(longest, now - last), now

        watcher = asyncio.create_task(other_work())
        await asyncio.sleep(0)
        started = time.perf_counter()
        await build_index(pool, compiled, policies)
        total = time.perf_counter() - started
        done = True
        await watcher
        return total * 1000, longest * 1000

    try:
        return asyncio.run(run())
    finally:
        gc.unfreeze()


def main() -> None:
    """Print the grid."""
    print(f"routing decision (rules + candidate selection), {DECISIONS} decisions after {WARMUP} warm-up,"
          f" load {os.getloadavg()[0]:.1f}")  # fmt: skip
    work = f"{'rules pre-selected':>18} {'evaluated':>9} {'agents examined':>15}"
    print(f"{'rules':>6} {'agents':>7} {'p50 us':>8} {'p99 us':>8} {'cpu p99':>8} | per decision: {work}"
          f" | {'misses':>6} {'prepare ms':>10}")  # fmt: skip
    for rules in (10, 100, 1_000):
        for agents in (100, 1_000, 10_000):
            show(f"{rules:>6} {agents:>7}", bench(rules, agents))
    print("strategies at 1,000 rules x 10,000 agents")
    for strategy in STRATEGIES:
        show(f"{strategy:>14}", bench(1_000, 10_000, strategy))
    print(f"peak RSS {peak_mb():.0f} MB (largest cell: compiled rules and a prepared pool; classifier not loaded)")
    total, pause = rebuild(1_000, 10_000)
    print(f"index rebuild after a ruleset change, 1,000 rules x 10,000 agents: {total:.0f} ms,"
          f" longest event-loop pause {pause:.1f} ms; peak RSS {peak_mb():.0f} MB (old and new index side by side"
          " until the build ends)")  # fmt: skip
    print(f"one router's memory, 1,000 rules x 10,000 agents prepared and the classifier loaded and warmed:"
          f" {one_router(1_000, 10_000):.0f} MB resident")  # fmt: skip


def one_router(rules: int, agents: int) -> float:
    """Resident MB with what one router holds at once: the compiled rules, a prepared pool, and the
    classifier loaded and warmed on the labelled set (its per-token caches filled)."""
    rng = random.Random(agents)
    compiled = compile_ruleset(ruleset(rules), version=1)
    pool = AgentPool()
    for n in range(agents):
        pool.upsert(make_agent(rng, n))
    planning.prepare(pool, compiled, {q: QueuePolicy(name=q) for q in QUEUES})
    classifier = load_classifier()
    for record in load_records(Path(__file__).resolve().parents[1] / "data/classify"):
        classifier.classify(text=record["text"], subject=record["subject"] or None, channel=record["channel"])
    gc.collect()
    with open("/proc/self/status") as status:
        resident = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    return resident / 1024


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def show(label: str, c: Cell) -> None:
    work = f"{c.considered:>18.1f} {c.evaluated:>9.1f} {c.examined:>15.1f}"
    times = f"{c.p50:>8.1f} {c.p99:>8.1f} {c.cpu_p99:>8.1f}"
    print(f"{label} {times} | {'':>13} {work} | {c.misses:>6} {c.prepare_ms:>10.0f}", flush=True)


if __name__ == "__main__":
    main()
