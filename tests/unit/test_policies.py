"""The policy value objects and their bounds: what the API accepts, the router can compute with, and the two
agree because the API builds the same objects."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from gateway.schemas import HoursIn, QueueIn, SlaPolicyIn
from router.assign import SlaClock, deadlines
from shared.errors import InvalidRequest
from shared.policies import (
    EARLIEST,
    LATEST,
    MAX_CLOCK_SKEW,
    OFFER_TIMEOUT_S,
    OVERFLOW_AFTER_S,
    SLA_TARGET_S,
    InstantOutOfRange,
    InvalidBusinessHours,
    QueuePolicy,
    SlaPolicy,
    check_instant,
    hours_from_json,
)

ANY_INT = st.one_of(st.integers(), st.integers(-(10**6), 40 * 86_400), st.sampled_from([0, 4, 5, 86_400, 86_401]))
INSTANTS = st.datetimes(min_value=EARLIEST.replace(tzinfo=None), max_value=LATEST.replace(tzinfo=None)).map(
    lambda d: d.replace(tzinfo=UTC)
)


def _accepts(build: Any, *args: Any, **kwargs: Any) -> bool:
    try:
        build(*args, **kwargs)
    except (InvalidRequest, ValidationError):
        return False
    return True


@given(ANY_INT, ANY_INT)
def test_the_api_and_the_router_accept_the_same_queue_policies(offer_timeout_s: int, overflow_after_s: int) -> None:
    fields = {"offer_timeout_s": offer_timeout_s, "overflow_queue": "general", "overflow_after_s": overflow_after_s}
    by_router = _accepts(QueuePolicy, name="q", **fields)
    assert _accepts(QueueIn.model_validate, {"name": "q"} | fields) == by_router
    assert by_router == (offer_timeout_s in OFFER_TIMEOUT_S and overflow_after_s in OVERFLOW_AFTER_S)


@given(ANY_INT, INSTANTS)
def test_an_accepted_overflow_time_can_be_computed_with_at_any_instant(seconds: int, now: datetime) -> None:
    if _accepts(QueuePolicy, name="q", overflow_queue="general", overflow_after_s=seconds):
        assert now - timedelta(seconds=seconds) < now + MAX_CLOCK_SKEW


@given(st.integers(0, 6), ANY_INT, INSTANTS)
def test_accepted_sla_targets_give_deadlines_at_any_instant(priority: int, seconds: int, started: datetime) -> None:
    targets = {priority: seconds}
    by_router = _accepts(SlaPolicy, "p", targets, targets)
    assert _accepts(SlaPolicyIn.model_validate, {"name": "p", "first_response_s": targets}) == by_router
    assert by_router == (1 <= priority <= 5 and seconds in SLA_TARGET_S)
    if by_router:
        due = deadlines(SlaClock(priority=priority, started_at=started + MAX_CLOCK_SKEW), SlaPolicy("p", targets, {}))
        assert [d.target for d in due] == ["first_response"]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)


@given(st.fixed_dictionaries({"tz": st.sampled_from(["UTC", "Mars/Olympus", 3]), "weekly": JSON, "holidays": JSON}))
def test_stored_hours_are_either_business_hours_or_invalid_business_hours(stored: dict[str, Any]) -> None:
    with contextlib.suppress(InvalidBusinessHours):
        hours_from_json(stored)
    assert _accepts(HoursIn.model_validate, stored) <= _accepts(hours_from_json, stored)


def test_hours_keep_the_api_shape() -> None:
    hours = hours_from_json({"tz": "Europe/Copenhagen", "weekly": {"mon": [["09:00", "00:00"]]}, "holidays": []})
    assert hours.weekly[0][0][0].hour == 9


@pytest.mark.parametrize(
    "instant",
    [datetime(1999, 12, 31, 23, 59, tzinfo=UTC), datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, tzinfo=UTC)],
)
def test_instants_outside_the_range_are_refused(instant: datetime) -> None:
    with pytest.raises(InstantOutOfRange):
        check_instant(instant, "t")


def test_a_message_may_be_stamped_a_little_ahead_of_now_but_not_more() -> None:
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert check_instant(now + MAX_CLOCK_SKEW, "received_at", now=now) == now + MAX_CLOCK_SKEW
    with pytest.raises(InstantOutOfRange):
        check_instant(now + MAX_CLOCK_SKEW + timedelta(seconds=1), "received_at", now=now)
    with pytest.raises(InstantOutOfRange):
        check_instant(now.replace(tzinfo=None), "received_at", now=now)
