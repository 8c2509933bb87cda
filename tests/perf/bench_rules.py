"""Benchmark: compile time and decide() latency for rulesets of 10, 100 and 1,000 rules.

Run with ``python tests/perf/bench_rules.py``; pytest never collects it (not a test_ file, and
the work happens under ``__main__``).
"""

from __future__ import annotations

import os
import random
import time
from datetime import UTC, datetime, timedelta

import cel

from router.rules import CompiledRuleset, compile_ruleset, facts_from

INTENTS = [
    "order_status", "order_change", "cancellation", "refund_return", "billing",
    "complaint", "technical_support", "account_update", "product_inquiry", "other",
]  # fmt: skip
LANGUAGE_GROUPS = [["da", "nb", "sv"], ["de"], ["fr"], ["es"], ["en"], ["zh"], ["tl"], ["tr"], ["fi", "et"]]
LANGUAGES = [language for group in LANGUAGE_GROUPS for language in group]
CHANNELS = ["email", "sms", "chat", "fax"]
URGENCIES = ["low", "normal", "high", "urgent"]
TIERS = ["standard", "gold", "vip"]
UNPINNED = [
    '"spam" in tags',
    "entities.order_numbers.size() > 5",
    "attachments > 10 && hour < 6",
    'text.contains("GDPR") && !customer.known',
    "sentiment_score < -0.9 && intent_confidence > 0.8",
]
EXTRAS = ["hour >= 8 && hour < 17", "sentiment_score < -0.5", 'text.contains("refund")', "weekday >= 6"]


def _quoted(values: list[str]) -> str:
    return "[" + ", ".join(f'"{value}"' for value in values) + "]"


def _condition(rng: random.Random, mailboxes: list[str]) -> str:
    """A realistic condition: an intent plus some of language, channel, tier, urgency, mailbox."""
    parts = [
        f'intent == "{rng.choice(INTENTS)}"' if rng.random() < 0.7 else f"intent in {_quoted(rng.sample(INTENTS, 2))}"
    ]
    if rng.random() < 0.6:
        parts.append(f"language in {_quoted(rng.choice(LANGUAGE_GROUPS))}")
    if rng.random() < 0.4:
        parts.append(f'channel == "{rng.choice(CHANNELS)}"')
    if rng.random() < 0.3:
        parts.append(f'customer.tier == "{rng.choice(TIERS)}"')
    if rng.random() < 0.3:
        parts.append(f"urgency in {_quoted(rng.sample(URGENCIES, 2))}")
    if rng.random() < 0.5:
        parts.append(f'recipient == "{rng.choice(mailboxes)}"')
    if rng.random() < 0.25:
        parts.append(rng.choice(EXTRAS))
    return " && ".join(parts)


def make_ruleset(size: int, seed: int = 7) -> dict[str, object]:
    """Generate ``size`` rules: mostly pinned conditions, plus a few unpinned ones spread through."""
    rng = random.Random(seed)
    mailboxes = [f"support@brand{i}.example" for i in range(max(1, size // 40))]
    whens = [_condition(rng, mailboxes) for _ in range(size - len(UNPINNED))]
    for when in UNPINNED:
        whens.insert(rng.randrange(len(whens) + 1), when)
    rules = [
        {"id": f"rule-{i}", "when": when, "action": {"queue": f"q{i % 25}", "priority": 1 + i % 5}}
        for i, when in enumerate(whens)
    ]
    return {"defaults": {"queue": "general"}, "rules": rules, "triage_queue": "general"}


def make_facts(rng: random.Random, size: int) -> dict[str, object]:
    """A random classified message."""
    return facts_from(
        channel=rng.choice(CHANNELS),
        language=rng.choice(LANGUAGES),
        language_confidence=rng.random(),
        intent=rng.choice(INTENTS),
        intent_confidence=rng.random(),
        urgency=rng.choice(URGENCIES),
        sentiment=rng.choice(["negative", "neutral", "positive"]),
        sentiment_score=rng.uniform(-1, 1),
        customer_tier=rng.choice(TIERS),
        customer_id=f"c{rng.randrange(10_000)}",
        customer_known=rng.random() < 0.7,
        recipient=f"support@brand{rng.randrange(max(1, size // 40))}.example",
        sender="someone@example.com",
        subject="Order question",
        text="Hello, I would like a refund for order 12345. " * rng.randrange(1, 40),
        entities={"order_numbers": ["12345"], "amounts": ["49.95"]},
        received_at=datetime(2024, 5, 6, tzinfo=UTC) + timedelta(minutes=rng.randrange(10_080)),
        tags=rng.choice([[], ["returning"], ["spam"]]),
        attachments=rng.choice([0, 0, 1, 12]),
    )


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _naive_mean_us(doc: dict[str, object], messages: list[dict[str, object]]) -> float:
    """Mean latency of evaluating every rule in order (what the index avoids), in microseconds."""
    rules = doc["rules"]
    assert isinstance(rules, list)
    programs = [cel.compile(rule["when"]) for rule in rules]
    started = time.perf_counter()
    for facts in messages:
        context = cel.Context(facts)
        for program in programs:
            try:
                if program.execute(context) is True:
                    break
            except Exception:
                continue
    return (time.perf_counter() - started) / len(messages) * 1e6


def bench(size: int, decisions: int = 20_000) -> None:
    """Print compile time and decide() latency percentiles for one ruleset size."""
    doc = make_ruleset(size)
    started = time.perf_counter()
    ruleset: CompiledRuleset = compile_ruleset(doc, version=1)
    compile_ms = (time.perf_counter() - started) * 1e3
    rng = random.Random(size)
    messages = [make_facts(rng, size) for _ in range(2_000)]
    for facts in messages:
        ruleset.decide(facts)  # warm-up
    rounds: list[list[float]] = []
    candidates, evaluated, matched = 0, 0, 0
    for _ in range(5):  # five rounds; the median round is reported, so one noisy round cannot skew it
        samples = []
        for i in range(decisions // 5):
            facts = messages[i % len(messages)]
            started_ns = time.perf_counter_ns()
            decision = ruleset.decide(facts)
            samples.append((time.perf_counter_ns() - started_ns) / 1e3)
            candidates += decision.candidates_considered
            evaluated += len(decision.tried)
            matched += decision.rule_id is not None
        rounds.append(samples)
    samples = sorted(rounds, key=lambda r: _percentile(r, 0.99))[len(rounds) // 2]
    naive = _naive_mean_us(doc, messages[:300])
    print(
        f"{size:>6} rules | compile {compile_ms:8.1f} ms | decide p50 {_percentile(samples, 0.5):6.1f} us"
        f"  p99 {_percentile(samples, 0.99):6.1f} us  max {max(samples):7.1f} us"
        f" | candidates {candidates / decisions:5.1f}  tried {evaluated / decisions:4.1f}"
        f"  matched {matched / decisions:4.0%} | naive all-rules mean {naive:7.1f} us"
    )


def main() -> None:
    """Run the benchmark for 10, 100 and 1,000 rules."""
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    for size in (10, 100, 1_000):
        bench(size)
    print("target: decide p99 < 200 us, flat in the number of rules")


if __name__ == "__main__":
    main()
