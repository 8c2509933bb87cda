"""The policy value objects both the API and the router apply (business hours, queue policy, SLA policy), and
the bounds of every duration, count and instant the API takes. Pure, no I/O.

Each bound is chosen so that the router can compute with any value inside it: an instant plus the longest
duration stays far inside ``datetime``'s range and the databases' integer columns. The API schemas take
their documented limits from these constants and build these objects to validate, so the gateway and the
router cannot disagree; a router that meets a stored value outside them skips that one object with a logged
error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shared.errors import InvalidRequest

DAY_S = 86_400
Strategy = Literal["least_loaded", "longest_idle", "round_robin"]
STRATEGIES: tuple[Strategy, ...] = ("least_loaded", "longest_idle", "round_robin")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MIDNIGHT = time(0)
Shift = tuple[time, time]


@dataclass(frozen=True, slots=True)
class Bounds:
    """An inclusive range of whole numbers."""

    low: int
    high: int

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and self.low <= value <= self.high


OFFER_TIMEOUT_S = Bounds(5, DAY_S)
"""How long an agent has to answer an offer: 5 s to a day."""
OVERFLOW_AFTER_S = Bounds(0, 30 * DAY_S)
"""How long work waits before it overflows to another queue: at once to 30 days."""
SLA_TARGET_S = Bounds(1, 366 * DAY_S)
"""A first-response or resolution target: 1 s to a year."""
PRIORITY = Bounds(1, 5)
"""Priority 1 (most urgent) to 5."""
RULESET_VERSION = Bounds(1, 2**31 - 1)
"""A ruleset version number (the database column is a 32-bit integer)."""
MAX_AGING_PER_MINUTE = 10.0
"""Priority levels waiting work gains per minute: more than 0, at most 10."""
DEFAULT_AGING_PER_MINUTE = 0.1
"""A priority-5 item overtakes a fresh priority-1 one after 40 minutes."""
MAX_SHIFTS_PER_DAY = 12
MAX_HOLIDAYS = 400
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
"""The earliest instant the API takes (a message's ``received_at``, a listing's ``before``, a window's start)."""
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
"""The latest instant the API takes as a query bound; holidays must fall between these two as well."""
MAX_CLOCK_SKEW = timedelta(hours=1)
"""How far in the future a message's ``received_at`` may lie (a sender's clock running fast)."""


class UnknownStrategy(InvalidRequest):
    """A queue names a strategy the engine does not know."""

    code = "unknown-strategy"


class InvalidQueuePolicy(InvalidRequest):
    """A queue policy outside its bounds (e.g. no aging, so work could starve)."""

    code = "invalid-queue-policy"


class InvalidBusinessHours(InvalidRequest):
    """Business hours with an unknown time zone, a bad weekday or an empty shift."""

    code = "invalid-business-hours"


class InvalidSlaPolicy(InvalidRequest):
    """An SLA policy with targets outside their bounds or a warn ratio outside (0, 1]."""

    code = "invalid-sla-policy"


class InstantOutOfRange(InvalidRequest):
    """An instant before ``EARLIEST`` or after ``LATEST`` (or, for a message, in the future)."""

    code = "instant-out-of-range"


@dataclass(frozen=True, slots=True)
class BusinessHours:
    """Weekly opening shifts by weekday (0 = Monday) in local wall time; an end of 00:00 means midnight."""

    tz: str
    weekly: Mapping[int, tuple[Shift, ...]]
    holidays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.tz)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InvalidBusinessHours(f"unknown time zone {self.tz!r}") from exc
        for day, shifts in self.weekly.items():
            if not 0 <= day <= 6:
                raise InvalidBusinessHours(f"weekday {day} is not 0 (Monday) .. 6 (Sunday)")
            if len(shifts) > MAX_SHIFTS_PER_DAY:
                raise InvalidBusinessHours(f"at most {MAX_SHIFTS_PER_DAY} shifts a day")
            for start, end in shifts:
                if end != MIDNIGHT and end <= start:
                    raise InvalidBusinessHours(f"shift {start:%H:%M}-{end:%H:%M} ends before it starts")
        if len(self.holidays) > MAX_HOLIDAYS:
            raise InvalidBusinessHours(f"at most {MAX_HOLIDAYS} holidays")
        if any(not EARLIEST.date() <= d < LATEST.date() for d in self.holidays):
            raise InvalidBusinessHours(f"holidays fall from {EARLIEST.year} to {LATEST.year - 1}")

    @property
    def zone(self) -> ZoneInfo:
        """The time zone the shifts are in."""
        return ZoneInfo(self.tz)


@dataclass(frozen=True, slots=True)
class QueuePolicy:
    """How one queue (department) assigns, ages, overflows and follows its business hours."""

    name: str
    strategy: Strategy = "least_loaded"
    offer_timeout_s: int = 120
    overflow_queue: str | None = None
    overflow_after_s: int | None = None
    aging_per_minute: float = DEFAULT_AGING_PER_MINUTE
    hours: BusinessHours | None = None
    after_hours_queue: str | None = None
    sla_policy: str | None = None

    def __post_init__(self) -> None:
        if self.strategy not in STRATEGIES:
            raise UnknownStrategy(f"queue {self.name}: unknown assignment strategy {self.strategy!r}")
        if not 0 < self.aging_per_minute <= MAX_AGING_PER_MINUTE:
            raise InvalidQueuePolicy(
                f"queue {self.name}: aging_per_minute must be > 0 (or waiting work can starve)"
                f" and at most {MAX_AGING_PER_MINUTE}"
            )
        _within(InvalidQueuePolicy, f"queue {self.name}: offer_timeout_s", self.offer_timeout_s, OFFER_TIMEOUT_S)
        if self.overflow_after_s is not None:
            _within(InvalidQueuePolicy, f"queue {self.name}: overflow_after_s", self.overflow_after_s, OVERFLOW_AFTER_S)


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    """Targets in seconds per priority (1 highest .. 5 lowest); a priority without a target is never late."""

    name: str
    first_response_s: Mapping[int, int]
    resolution_s: Mapping[int, int]
    warn_ratio: float = 0.8

    def __post_init__(self) -> None:
        if not 0 < self.warn_ratio <= 1:
            raise InvalidSlaPolicy(f"SLA policy {self.name}: warn_ratio must be in (0, 1]")
        for field_name, targets in (("first_response_s", self.first_response_s), ("resolution_s", self.resolution_s)):
            for priority, seconds in targets.items():
                _within(InvalidSlaPolicy, f"SLA policy {self.name}: a {field_name} priority", priority, PRIORITY)
                _within(InvalidSlaPolicy, f"SLA policy {self.name}: {field_name}", seconds, SLA_TARGET_S)


def _within(error: type[InvalidRequest], what: str, value: int, bounds: Bounds) -> None:
    if value not in bounds:
        raise error(f"{what} must be a whole number from {bounds.low} to {bounds.high}")


def hours_from_json(stored: Mapping[str, object]) -> BusinessHours:
    """``{"tz", "weekly": {"mon": [["09:00", "12:00"], ...]}, "holidays": ["2026-12-25"]}`` (the API's and the
    database's shape) -> BusinessHours; raises ``InvalidBusinessHours`` for anything else."""
    try:
        weekly_in = stored.get("weekly") or {}
        holidays_in = stored.get("holidays") or []
        if not isinstance(weekly_in, Mapping) or not isinstance(holidays_in, list):
            raise InvalidBusinessHours("weekly maps weekdays to shifts; holidays is a list of dates")
        weekly: dict[int, tuple[Shift, ...]] = {}
        for day, shifts in weekly_in.items():
            if day not in WEEKDAYS:
                raise InvalidBusinessHours(f"weekday {day!r} is not one of {', '.join(WEEKDAYS)}")
            weekly[WEEKDAYS.index(day)] = tuple((_hhmm(a), _hhmm(b)) for a, b in shifts)
        holidays = frozenset(date.fromisoformat(str(d)) for d in holidays_in)
        return BusinessHours(tz=str(stored.get("tz", "UTC")), weekly=weekly, holidays=holidays)
    except (TypeError, ValueError) as exc:
        raise InvalidBusinessHours(f"hours are malformed: {exc}") from None


def _hhmm(value: object) -> time:
    if not isinstance(value, str) or len(value) != 5 or value[2] != ":":
        raise InvalidBusinessHours("shift times are HH:MM")
    return time.fromisoformat(value)


def check_instant(value: datetime, what: str, *, now: datetime | None = None) -> datetime:
    """``value`` if it lies from ``EARLIEST`` to ``LATEST`` (or, given ``now``, to ``now + MAX_CLOCK_SKEW``);
    an instant without a time zone is refused."""
    if value.tzinfo is None:
        raise InstantOutOfRange(f"{what} needs a time zone (e.g. 2026-01-31T12:00:00Z)")
    latest = min(LATEST, now + MAX_CLOCK_SKEW) if now is not None else LATEST
    try:
        inside = EARLIEST <= value <= latest
    except OverflowError:  # an offset that takes the instant past year 1 or 9999
        inside = False
    if not inside:
        until = "now" if now is not None else latest.date().isoformat()
        raise InstantOutOfRange(f"{what} must lie from {EARLIEST.date().isoformat()} to {until}")
    return value


__all__ = [
    "DEFAULT_AGING_PER_MINUTE",
    "EARLIEST",
    "LATEST",
    "MAX_AGING_PER_MINUTE",
    "MAX_CLOCK_SKEW",
    "MAX_HOLIDAYS",
    "MAX_SHIFTS_PER_DAY",
    "OFFER_TIMEOUT_S",
    "OVERFLOW_AFTER_S",
    "PRIORITY",
    "RULESET_VERSION",
    "SLA_TARGET_S",
    "STRATEGIES",
    "WEEKDAYS",
    "Bounds",
    "BusinessHours",
    "InstantOutOfRange",
    "InvalidBusinessHours",
    "InvalidQueuePolicy",
    "InvalidSlaPolicy",
    "QueuePolicy",
    "SlaPolicy",
    "Strategy",
    "UnknownStrategy",
    "Weekday",
    "check_instant",
    "hours_from_json",
]
