"""Stored queue and SLA settings turned into the pure engine's policy objects."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, time

from router.assign import BusinessHours, QueuePolicy, SlaPolicy
from shared.db.models import Queue, SlaPolicyRow

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def business_hours(stored: Mapping[str, object] | None) -> BusinessHours | None:
    """``{"tz", "weekly": {"mon": [["09:00", "12:00"], ...]}, "holidays": ["2026-12-25"]}`` -> BusinessHours."""
    if not stored:
        return None
    weekly_in = stored.get("weekly", {})
    holidays_in = stored.get("holidays", [])
    weekly: dict[int, tuple[tuple[time, time], ...]] = {}
    if isinstance(weekly_in, Mapping):
        for day, shifts in weekly_in.items():
            weekly[WEEKDAYS.index(str(day))] = tuple(
                (time.fromisoformat(str(a)), time.fromisoformat(str(b))) for a, b in shifts
            )
    holidays = (
        frozenset(date.fromisoformat(str(d)) for d in holidays_in) if isinstance(holidays_in, list) else frozenset()
    )
    return BusinessHours(tz=str(stored.get("tz", "UTC")), weekly=weekly, holidays=holidays)


def queue_policy(row: Queue) -> QueuePolicy:
    """A queue row as a policy."""
    return QueuePolicy(
        name=row.name,
        strategy=row.strategy,  # type: ignore[arg-type]
        offer_timeout_s=row.offer_timeout_s,
        overflow_queue=row.overflow_queue,
        overflow_after_s=row.overflow_after_s,
        aging_per_minute=row.aging_per_minute,
        hours=business_hours(row.hours),
        after_hours_queue=row.after_hours_queue,
        sla_policy=row.sla_policy,
    )


def sla_policy(row: SlaPolicyRow) -> SlaPolicy:
    """An SLA row as a policy (JSON keys are priorities as strings)."""
    return SlaPolicy(
        name=row.name,
        first_response_s={int(k): int(v) for k, v in row.first_response_s.items()},
        resolution_s={int(k): int(v) for k, v in row.resolution_s.items()},
        warn_ratio=row.warn_ratio,
    )
