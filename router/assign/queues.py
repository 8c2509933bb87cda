"""Applying queue policies (``shared.policies.QueuePolicy``): waiting order with aging, overflow, and
business-hours routing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from router.assign.hours import is_open
from router.assign.model import WorkItem
from shared.policies import DEFAULT_AGING_PER_MINUTE, QueuePolicy


def effective_priority(item: WorkItem, now: datetime, aging: float) -> float:
    """The item's priority lowered (made more urgent) by ``aging`` levels per minute waited; lower goes first."""
    waited_min = max(0.0, (now - item.enqueued_at).total_seconds() / 60.0)
    return item.priority - aging * waited_min


def order_waiting(items: Iterable[WorkItem], now: datetime, policies: Mapping[str, QueuePolicy]) -> list[WorkItem]:
    """Waiting work in the order to offer it: aged priority, then longest waiting, then conversation id."""

    def key(item: WorkItem) -> tuple[float, datetime, str]:
        policy = policies.get(item.queue)
        aging = policy.aging_per_minute if policy is not None else DEFAULT_AGING_PER_MINUTE
        return (effective_priority(item, now, aging), item.enqueued_at, item.conversation_id)

    return sorted(items, key=key)


def overflow_target(item: WorkItem, policy: QueuePolicy, now: datetime) -> str | None:
    """The queue the item should move to because it waited too long, or None to stay."""
    if policy.overflow_queue is None or policy.overflow_after_s is None or policy.overflow_queue == item.queue:
        return None
    if (now - item.enqueued_at).total_seconds() >= policy.overflow_after_s:
        return policy.overflow_queue
    return None


def route_for_hours(policy: QueuePolicy, now: datetime) -> str:
    """The queue new work should go to now: the queue itself when open, else its after-hours queue."""
    if policy.hours is None or policy.after_hours_queue is None or is_open(policy.hours, now):
        return policy.name
    return policy.after_hours_queue
