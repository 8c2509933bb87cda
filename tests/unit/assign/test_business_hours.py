"""Business hours in a queue's own time zone: split shifts, holidays, and daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from router.assign import BusinessHours, InvalidBusinessHours, QueuePolicy, is_open, next_open, route_for_hours

WEEKDAYS = range(5)
SPLIT = ((time(9), time(12)), (time(13), time(17)))


def hours(
    tz: str, shifts: tuple[tuple[time, time], ...] = SPLIT, holidays: frozenset[date] = frozenset()
) -> BusinessHours:
    return BusinessHours(tz=tz, weekly=dict.fromkeys(WEEKDAYS, shifts), holidays=holidays)


def utc(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (utc(2025, 3, 3, 7, 59), False),  # 08:59 CET
        (utc(2025, 3, 3, 8, 0), True),  # 09:00
        (utc(2025, 3, 3, 10, 59), True),  # 11:59
        (utc(2025, 3, 3, 11, 30), False),  # 12:30 lunch
        (utc(2025, 3, 3, 12, 0), True),  # 13:00
        (utc(2025, 3, 3, 16, 0), False),  # 17:00 closing
        (utc(2025, 3, 8, 10, 0), False),  # Saturday
    ],
)
def test_split_shift_is_open_only_inside_its_shifts(moment: datetime, expected: bool) -> None:
    assert is_open(hours("Europe/Copenhagen"), moment) is expected


def test_holiday_is_closed_all_day_and_next_open_skips_it() -> None:
    christmas = hours("Europe/Copenhagen", holidays=frozenset({date(2025, 12, 24), date(2025, 12, 25)}))
    assert not is_open(christmas, utc(2025, 12, 24, 10, 0))
    assert next_open(christmas, utc(2025, 12, 24, 10, 0)) == utc(2025, 12, 26, 8, 0)


def test_copenhagen_opens_at_nine_local_on_both_sides_of_spring_forward() -> None:
    cph = hours("Europe/Copenhagen", shifts=((time(9), time(17)),))
    assert is_open(cph, utc(2025, 3, 28, 8, 0))  # Friday 09:00 CET
    assert not is_open(cph, utc(2025, 3, 31, 6, 30))  # Monday 08:30 CEST
    assert is_open(cph, utc(2025, 3, 31, 7, 0))  # Monday 09:00 CEST
    assert next_open(cph, utc(2025, 3, 29, 12, 0)) == utc(2025, 3, 31, 7, 0)


def test_copenhagen_after_fall_back_opens_an_hour_later_in_utc() -> None:
    cph = hours("Europe/Copenhagen", shifts=((time(9), time(17)),))
    assert next_open(cph, utc(2025, 10, 25, 12, 0)) == utc(2025, 10, 27, 8, 0)
    assert not is_open(cph, utc(2025, 10, 27, 7, 30))


def test_new_york_opens_at_nine_local_across_both_transitions() -> None:
    nyc = hours("America/New_York", shifts=((time(9), time(17)),))
    assert next_open(nyc, utc(2025, 3, 8, 12, 0)) == utc(2025, 3, 10, 13, 0)  # EDT, UTC-4
    assert next_open(nyc, utc(2025, 11, 1, 12, 0)) == utc(2025, 11, 3, 14, 0)  # EST, UTC-5
    assert is_open(nyc, utc(2025, 3, 10, 20, 59))
    assert not is_open(nyc, utc(2025, 3, 10, 21, 0))


def test_shift_starting_inside_the_spring_gap_opens_when_the_gap_ends() -> None:
    night = BusinessHours(tz="America/New_York", weekly={6: ((time(2, 30), time(6)),)})
    assert next_open(night, utc(2025, 3, 9, 0, 0)) == utc(2025, 3, 9, 7, 0)  # 03:00 EDT
    assert is_open(night, utc(2025, 3, 9, 7, 0))


def test_shift_in_the_repeated_fall_back_hour_opens_at_its_first_occurrence() -> None:
    night = BusinessHours(tz="America/New_York", weekly={6: ((time(1, 30), time(6)),)})
    assert next_open(night, utc(2025, 11, 2, 0, 0)) == utc(2025, 11, 2, 5, 30)  # 01:30 EDT


def test_shift_to_midnight_is_open_until_the_day_ends() -> None:
    late = BusinessHours(tz="UTC", weekly={0: ((time(18), time(0)),)})
    assert is_open(late, utc(2025, 3, 3, 23, 59))
    assert not is_open(late, utc(2025, 3, 4, 0, 0))


def test_open_now_means_next_open_is_now_and_never_open_is_none() -> None:
    cph = hours("Europe/Copenhagen")
    assert next_open(cph, utc(2025, 3, 3, 9, 0)) == utc(2025, 3, 3, 9, 0)
    assert next_open(BusinessHours(tz="UTC", weekly={}), utc(2025, 3, 3, 9, 0)) is None


def test_closed_queue_routes_new_work_to_its_after_hours_queue() -> None:
    policy = QueuePolicy(name="billing", hours=hours("Europe/Copenhagen"), after_hours_queue="overnight")
    assert route_for_hours(policy, utc(2025, 3, 3, 9, 0)) == "billing"
    assert route_for_hours(policy, utc(2025, 3, 3, 20, 0)) == "overnight"
    assert route_for_hours(QueuePolicy(name="web"), utc(2025, 3, 3, 20, 0)) == "web"


@pytest.mark.parametrize(
    ("tz", "weekly"),
    [
        ("Mars/Olympus", {0: SPLIT}),
        ("UTC", {7: SPLIT}),
        ("UTC", {0: ((time(12), time(9)),)}),
    ],
)
def test_invalid_business_hours_are_refused(tz: str, weekly: dict[int, tuple[tuple[time, time], ...]]) -> None:
    with pytest.raises(InvalidBusinessHours):
        BusinessHours(tz=tz, weekly=weekly)
