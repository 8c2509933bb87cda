"""Business hours per queue, in the queue's own time zone, with split shifts and holidays."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from shared.policies import MIDNIGHT, BusinessHours, Shift

LOOKAHEAD_DAYS = 400


def _in_shift(moment: time, shift: Shift) -> bool:
    start, end = shift
    return start <= moment and (end == MIDNIGHT or moment < end)


def is_open(hours: BusinessHours, now: datetime) -> bool:
    """Whether the queue is open at ``now`` (tz-aware), judged by its local wall clock."""
    local = now.astimezone(hours.zone)
    if local.date() in hours.holidays:
        return False
    wall = local.time().replace(tzinfo=None)
    return any(_in_shift(wall, shift) for shift in hours.weekly.get(local.weekday(), ()))


def next_open(hours: BusinessHours, now: datetime) -> datetime | None:
    """The first instant at or after ``now`` when the queue is open (UTC), or None if it never opens."""
    if is_open(hours, now):
        return now
    zone = hours.zone
    for day, shifts in _working_days(hours, now.astimezone(zone).date()):
        for start, _ in sorted(shifts):
            opening = _first_instant_at(day, start, zone)
            if opening > now:
                return opening
    return None


def shift_end(hours: BusinessHours, now: datetime) -> datetime | None:
    """When the shift on at ``now`` ends or, off shift, when the next one ends (UTC). Back-to-back shifts (one
    ending at midnight, the next starting then) are one stretch. None if it never opens or never closes."""
    start = next_open(hours, now)
    if start is None:
        return None
    zone = hours.zone
    for day, shifts in _working_days(hours, start.astimezone(zone).date()):
        for _, end in sorted(shifts, key=lambda shift: (shift[1] == MIDNIGHT, shift[1])):
            closing = (
                _first_instant_at(day + timedelta(days=1), MIDNIGHT, zone)
                if end == MIDNIGHT
                else _first_instant_at(day, end, zone)
            )
            if closing > start and not is_open(hours, closing):
                return closing
    return None


def _working_days(hours: BusinessHours, first: date) -> Iterator[tuple[date, tuple[Shift, ...]]]:
    """Each day from ``first`` within the lookahead that is not a holiday, with its shifts."""
    for offset in range(LOOKAHEAD_DAYS):
        day = first + timedelta(days=offset)
        if day not in hours.holidays:
            yield day, tuple(hours.weekly.get(day.weekday(), ()))


def _first_instant_at(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """The first instant whose local wall time on ``day`` is at or after ``wall`` (the gap's end in spring)."""
    naive = datetime.combine(day, wall)
    later = naive.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if later.astimezone(zone).replace(tzinfo=None) == naive:
        return later
    # ``wall`` falls in a DST gap: bisect (whole seconds) for the transition between the two readings.
    low = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
    lo, hi = 0, int((later - low).total_seconds())
    while lo < hi:
        mid = (lo + hi) // 2
        if (low + timedelta(seconds=mid)).astimezone(zone).replace(tzinfo=None) >= naive:
            hi = mid
        else:
            lo = mid + 1
    return low + timedelta(seconds=lo)
