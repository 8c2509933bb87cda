"""The reply retry schedule: doubling waits within a cap, jittered in the upper half, a fixed number of tries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from router.outbound import Backoff

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
schedules = st.builds(
    Backoff,
    max_attempts=st.integers(1, 50),
    base=st.floats(0.001, 600, allow_nan=False),
    cap=st.floats(0.001, 86_400, allow_nan=False),
)


def test_the_waits_double_from_the_base() -> None:
    backoff = Backoff(max_attempts=8, base=30, cap=3600)
    assert [backoff.delay(n, 1.0).total_seconds() for n in range(1, 9)] == [30, 60, 120, 240, 480, 960, 1920, 3600]
    assert [backoff.delay(n, 0.0).total_seconds() for n in range(1, 4)] == [15, 30, 60]


@given(schedules, st.integers(1, 200), st.floats(0, 1))
def test_every_wait_is_within_half_and_all_of_the_capped_doubling(
    backoff: Backoff, attempt: int, jitter: float
) -> None:
    full = min(backoff.cap, backoff.base * 2 ** min(attempt - 1, 60))
    wait = backoff.delay(attempt, jitter).total_seconds()
    assert full / 2 - 1e-6 <= wait <= full + 1e-6


@given(schedules, st.floats(0, 1))
def test_waits_never_shrink_as_attempts_grow(backoff: Backoff, jitter: float) -> None:
    waits = [backoff.delay(n, jitter) for n in range(1, 70)]
    assert waits == sorted(waits)


@given(schedules, st.integers(1, 60), st.floats(0, 1))
def test_a_reply_is_tried_exactly_max_attempts_times(backoff: Backoff, attempt: int, jitter: float) -> None:
    after = backoff.next_attempt(attempt, NOW, jitter)
    assert (after is None) == (attempt >= backoff.max_attempts)
    if after is not None:
        assert after - NOW == backoff.delay(attempt, jitter)
        assert after > NOW - timedelta(seconds=0)


def test_a_permanent_failure_is_not_tried_again() -> None:
    assert Backoff(8, 30, 3600).next_attempt(1, NOW, 0.5, permanent=True) is None
