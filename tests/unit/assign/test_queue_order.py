"""Waiting order with aging (nothing starves), overflow, and queue policy validation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from router.assign import (
    DEFAULT_AGING_PER_MINUTE,
    InvalidQueuePolicy,
    QueuePolicy,
    UnknownStrategy,
    effective_priority,
    order_waiting,
    overflow_target,
)
from tests.unit.assign.assign_factories import NOW, item


def test_higher_priority_goes_first_when_waits_are_equal() -> None:
    low, high = item("low", priority=5), item("high", priority=1)
    assert [i.conversation_id for i in order_waiting([low, high], NOW, {})] == ["high", "low"]


def test_equal_priority_goes_in_arrival_order() -> None:
    early = item("early", enqueued_at=NOW - timedelta(minutes=5))
    late = item("late", enqueued_at=NOW - timedelta(minutes=1))
    assert [i.conversation_id for i in order_waiting([late, early], NOW, {})] == ["early", "late"]


def test_long_waiting_low_priority_work_overtakes_fresh_urgent_work() -> None:
    old = item("old", priority=5, enqueued_at=NOW - timedelta(minutes=41))
    fresh = item("fresh", priority=1)
    assert [i.conversation_id for i in order_waiting([fresh, old], NOW, {})] == ["old", "fresh"]


def test_each_queue_ages_at_its_own_rate() -> None:
    policies = {"slow": QueuePolicy("slow", aging_per_minute=0.01), "fast": QueuePolicy("fast", aging_per_minute=1.0)}
    waited = NOW - timedelta(minutes=10)
    slow, fast = item("s", queue="slow", enqueued_at=waited), item("f", queue="fast", priority=5, enqueued_at=waited)
    assert [i.conversation_id for i in order_waiting([slow, fast], NOW, policies)] == ["f", "s"]


def test_effective_priority_never_ages_work_from_the_future() -> None:
    assert effective_priority(item(priority=2, enqueued_at=NOW + timedelta(minutes=5)), NOW, 1.0) == 2


@settings(max_examples=200, deadline=None)
@given(
    priorities=st.lists(st.integers(1, 5), min_size=1, max_size=20),
    starved=st.integers(1, 5),
    aging=st.floats(0.01, 5.0),
)
def test_nothing_starves_work_waiting_long_enough_goes_before_any_fresh_work(
    priorities: list[int], starved: int, aging: float
) -> None:
    policies = {"support": QueuePolicy("support", aging_per_minute=aging)}
    patience = timedelta(minutes=(starved - 1) / aging + 1)
    waiting = item("waiting", priority=starved, enqueued_at=NOW - patience)
    fresh = [item(f"fresh-{n}", priority=p) for n, p in enumerate(priorities)]
    assert order_waiting([*fresh, waiting], NOW, policies)[0].conversation_id == "waiting"


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 5), st.integers(0, 600)), min_size=1, max_size=30))
def test_ordering_is_a_permutation_sorted_by_aged_priority(specs: list[tuple[int, int]]) -> None:
    items = [item(f"c{n}", priority=p, enqueued_at=NOW - timedelta(minutes=m)) for n, (p, m) in enumerate(specs)]
    ordered = order_waiting(items, NOW, {})
    assert sorted(i.conversation_id for i in ordered) == sorted(i.conversation_id for i in items)
    aged = [effective_priority(i, NOW, DEFAULT_AGING_PER_MINUTE) for i in ordered]
    assert aged == sorted(aged)


def test_work_overflows_after_waiting_too_long() -> None:
    policy = QueuePolicy("billing", overflow_queue="general", overflow_after_s=300)
    assert overflow_target(item(queue="billing", enqueued_at=NOW - timedelta(seconds=299)), policy, NOW) is None
    assert overflow_target(item(queue="billing", enqueued_at=NOW - timedelta(seconds=300)), policy, NOW) == "general"


def test_queue_without_overflow_keeps_its_work() -> None:
    old = item(queue="billing", enqueued_at=NOW - timedelta(hours=5))
    assert overflow_target(old, QueuePolicy("billing"), NOW) is None
    assert overflow_target(old, QueuePolicy("billing", overflow_queue="billing", overflow_after_s=1), NOW) is None


@pytest.mark.parametrize(
    "kwargs",
    [{"aging_per_minute": 0.0}, {"offer_timeout_s": 0}, {"overflow_after_s": -1}],
)
def test_queue_policies_that_could_starve_or_stall_work_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(InvalidQueuePolicy):
        QueuePolicy("billing", **kwargs)  # type: ignore[arg-type]


def test_queue_with_unknown_strategy_is_refused() -> None:
    with pytest.raises(UnknownStrategy):
        QueuePolicy("billing", strategy="fastest")  # type: ignore[arg-type]
