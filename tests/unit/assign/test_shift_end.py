"""When an agent's shift ends: the end of the working stretch on now, or of the next one."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from router.assign.hours import BusinessHours, is_open, next_open, shift_end


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


SPLIT = BusinessHours(tz="Europe/Copenhagen", weekly={0: ((time(9), time(12)), (time(13), time(17)))})


def test_on_shift_the_current_shift_ends() -> None:
    assert shift_end(SPLIT, utc(2025, 3, 3, 9, 30)) == utc(2025, 3, 3, 11, 0)  # Monday 10:30 CET -> 12:00


def test_between_split_shifts_the_next_one_ends() -> None:
    assert shift_end(SPLIT, utc(2025, 3, 3, 11, 30)) == utc(2025, 3, 3, 16, 0)  # 12:30 -> 17:00


def test_off_shift_it_is_the_end_of_the_next_shift_a_week_later() -> None:
    assert shift_end(SPLIT, utc(2025, 3, 3, 17, 0)) == utc(2025, 3, 10, 11, 0)


def test_a_night_shift_across_midnight_is_one_stretch() -> None:
    night = BusinessHours(tz="UTC", weekly={0: ((time(22), time(0)),), 1: ((time(0), time(6)),)})
    assert shift_end(night, utc(2025, 3, 3, 23, 0)) == utc(2025, 3, 4, 6, 0)


def test_a_shift_to_midnight_ends_at_midnight() -> None:
    late = BusinessHours(tz="UTC", weekly={0: ((time(18), time(0)),)})
    assert shift_end(late, utc(2025, 3, 3, 20, 0)) == utc(2025, 3, 4, 0, 0)


def test_holidays_are_skipped() -> None:
    christmas = BusinessHours(tz="UTC", weekly={d: ((time(8), time(16)),) for d in range(7)},
                              holidays=frozenset({date(2025, 12, 25)}))  # fmt: skip
    assert shift_end(christmas, utc(2025, 12, 24, 17, 0)) == utc(2025, 12, 26, 16, 0)


def test_the_end_is_in_local_time_across_a_dst_change() -> None:
    cph = BusinessHours(tz="Europe/Copenhagen", weekly={4: ((time(9), time(17)),), 0: ((time(9), time(17)),)})
    assert shift_end(cph, utc(2025, 3, 28, 10, 0)) == utc(2025, 3, 28, 16, 0)  # CET
    assert shift_end(cph, utc(2025, 3, 28, 17, 0)) == utc(2025, 3, 31, 15, 0)  # CEST


def test_hours_that_never_close_or_never_open_have_no_end() -> None:
    always = BusinessHours(tz="UTC", weekly={d: ((time(0), time(0)),) for d in range(7)})
    assert shift_end(always, utc(2025, 3, 3, 9, 0)) is None
    assert shift_end(BusinessHours(tz="UTC", weekly={}), utc(2025, 3, 3, 9, 0)) is None


minutes = st.integers(min_value=0, max_value=23 * 60 + 59).map(lambda m: time(m // 60, m % 60))
shifts = st.tuples(minutes, minutes).map(lambda p: (min(p), max(p))).filter(lambda p: p[0] < p[1])
weeks = st.dictionaries(st.integers(min_value=0, max_value=6), st.lists(shifts, min_size=1, max_size=3).map(tuple))
zones = st.sampled_from(["UTC", "Europe/Copenhagen", "America/New_York", "Asia/Manila", "Europe/Istanbul"])
instants = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 1, 1)).map(
    lambda d: d.replace(tzinfo=UTC)
)


@settings(max_examples=200, deadline=None)
@given(zones, weeks, instants)
def test_the_end_closes_the_stretch_that_starts_at_the_next_opening(
    tz: str, weekly: dict[int, tuple[tuple[time, time], ...]], now: datetime
) -> None:
    hours = BusinessHours(tz=tz, weekly=weekly)
    end = shift_end(hours, now)
    opening = next_open(hours, now)
    if opening is None:
        assert end is None
        return
    assert end is not None
    assert end > opening
    assert end > now
    assert not is_open(hours, end)
    assert is_open(hours, end - timedelta(seconds=1))
    step = (end - opening) / 8
    assert all(is_open(hours, opening + step * i) for i in range(8)), "open all the way from opening to end"
