"""Benchmark AgentPool.select (plus the adjust_load an assignment causes) at 100, 1,000 and 10,000 agents.

Run: ``python tests/perf/bench_assign.py``. Not collected by pytest (no ``test_`` prefix).
"""

from __future__ import annotations

import gc
import random
import statistics
import time
import timeit
from datetime import UTC, datetime, timedelta

from router.assign import CHANNELS, STRATEGIES, AgentPool, AgentState, Presence, Strategy, WorkItem

QUEUES = ("billing", "orders", "returns", "tech", "sales", "vip", "nordic", "dach", "latam", "apac")
LANGUAGES = ("en", "da", "nb", "sv", "de", "fr", "es", "zh", "tl", "tr")
SKILLS = ("refunds", "billing", "shipping", "technical", "complaints", "b2b", "vip", "fraud")
SIZES = (100, 1_000, 10_000)
REQUESTS = 20_000
WARMUP = 2_000
NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def make_agent(rng: random.Random, n: int) -> AgentState:
    """A plausible agent: English plus one or two more languages, a few skills, two or three queues."""
    languages = frozenset({"en", *rng.sample(LANGUAGES[1:], rng.randint(0, 2))})
    skills = {s: rng.randint(1, 5) for s in rng.sample(SKILLS, rng.randint(1, 4))}
    capacity = {"email": rng.choice((5, 10)), "sms": 3, "chat": rng.choice((2, 3)), "fax": 1}
    load = {ch: rng.randint(0, cap - 1) for ch, cap in capacity.items()}
    presences: tuple[Presence, ...] = ("available", "busy", "away", "offline")
    presence = rng.choices(presences, (0.7, 0.15, 0.05, 0.1))[0]
    return AgentState(
        id=f"agent-{n:05d}",
        name=f"Agent {n}",
        languages=languages,
        skills=skills,
        capacity=capacity,
        load=load,
        presence=presence,
        queues=frozenset(rng.sample(QUEUES, rng.randint(2, 3))),
        idle_since=NOW - timedelta(seconds=rng.randint(0, 3600)),
        last_assigned_at=NOW - timedelta(seconds=rng.randint(0, 3600)),
    )


def make_item(rng: random.Random, n: int) -> WorkItem:
    """A plausible work item: the shapes a ruleset's actions produce (few distinct requirement sets)."""
    language = rng.choice(LANGUAGES)
    skill = rng.choice(SKILLS)
    required = rng.choice(({}, {skill: 2}, {skill: 3, "complaints": 1}))
    return WorkItem(
        conversation_id=f"conv-{n}",
        channel=rng.choice(CHANNELS),
        queue=rng.choice(QUEUES),
        language=language,
        required_skills=required,
        required_languages=rng.choice((frozenset(), frozenset({language}))),
        priority=rng.randint(1, 5),
        enqueued_at=NOW,
    )


def warm(pool: AgentPool, strategy: Strategy) -> float:
    """Build every view the timed run can ask for (a long-running router has them); returns ms taken."""
    start = time.perf_counter()
    for queue in QUEUES:
        for channel in CHANNELS:
            for skill in SKILLS:
                for required in ({}, {skill: 2}, {skill: 3, "complaints": 1}):
                    for language in (None, *LANGUAGES):
                        item = WorkItem(
                            conversation_id="warm",
                            channel=channel,
                            queue=queue,
                            language=language or "en",
                            required_skills=required,
                            required_languages=frozenset({language}) if language else frozenset(),
                            priority=3,
                            enqueued_at=NOW,
                        )
                        pool.select(item, strategy=strategy, now=NOW)
    return (time.perf_counter() - start) * 1000


def run(size: int, strategy: Strategy, rng: random.Random) -> tuple[list[float], list[float], int, float]:
    """Time select + the assignment's adjust_load; a completion elsewhere keeps load steady."""
    pool = AgentPool()
    for n in range(size):
        pool.upsert(make_agent(rng, n))
    warm_ms = warm(pool, strategy)
    gc.collect()
    gc.freeze()  # the long-lived pool is not garbage: keep full collections from rescanning it (as a router should)
    items = [make_item(rng, n) for n in range(REQUESTS + WARMUP)]
    assigned: list[tuple[str, str]] = []
    timings: list[float] = []
    releases: list[float] = []
    hits = 0
    clock = time.perf_counter_ns
    for n, item in enumerate(items):
        now = NOW + timedelta(milliseconds=n)
        start = clock()
        selection = pool.select(item, strategy=strategy, now=now)
        if selection.agent_id is not None:
            pool.adjust_load(selection.agent_id, item.channel, +1, now)
        elapsed = clock() - start
        if selection.agent_id is not None:
            assigned.append((selection.agent_id, item.channel))
            hits += n >= WARMUP
        if len(assigned) > size // 4:
            agent_id, channel = assigned.pop(rng.randrange(len(assigned)))
            start = clock()
            pool.adjust_load(agent_id, channel, -1, now)
            releases.append((clock() - start) / 1000)
        if n >= WARMUP:
            timings.append(elapsed / 1000)
    gc.unfreeze()
    return timings, releases, hits, warm_ms


def calibrate() -> float:
    """Microseconds for sum(range(1000)) on this machine (about 8-10 on a typical modern core)."""
    runs = [timeit.timeit("sum(range(1000))", number=1000) * 1000 for _ in range(5)]
    return min(runs)


def main() -> None:
    """Print p50/p99 per pool size and strategy."""
    print(f"machine speed: sum(range(1000)) takes {calibrate():.1f} us")
    print(f"select + adjust_load, {REQUESTS} requests after {WARMUP} warm-up (microseconds)")
    print(
        f"{'agents':>7} {'strategy':<13} {'p50':>7} {'p99':>7} {'max':>8} {'assigned':>9}"
        f" {'warm-up ms':>10} {'release p50/p99':>16}"
    )
    for size in SIZES:
        for strategy in STRATEGIES:
            timings, releases, hits, warm_ms = run(size, strategy, random.Random(size))
            q = statistics.quantiles(timings, n=100)
            r = statistics.quantiles(releases, n=100)
            print(
                f"{size:>7} {strategy:<13} {q[49]:7.1f} {q[98]:7.1f} {max(timings):8.1f} {hits / REQUESTS:9.0%}"
                f" {warm_ms:10.0f} {r[49]:8.1f}/{r[98]:7.1f}"
            )


if __name__ == "__main__":
    main()
