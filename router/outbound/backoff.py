"""When a failed reply is tried again (pure): exponential backoff with jitter, and when to give up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class Backoff:
    """``max_attempts`` tries in all; after the n-th failure wait ``base * 2**(n-1)`` (at most ``cap``) seconds,
    of which the lower half is fixed and the upper half scaled by a jitter in [0, 1), so routers that failed
    together do not all retry together."""

    max_attempts: int
    base: float
    cap: float

    def delay(self, attempt: int, jitter: float) -> timedelta:
        """The wait after failed attempt number ``attempt`` (1-based)."""
        full = min(self.cap, self.base * 2.0 ** min(max(attempt, 1) - 1, 60))
        return timedelta(seconds=full / 2 + full / 2 * min(max(jitter, 0.0), 1.0))

    def next_attempt(self, attempt: int, now: datetime, jitter: float, *, permanent: bool = False) -> datetime | None:
        """When to try again after attempt ``attempt`` failed; None when the reply has failed for good
        (the attempts are spent, or the channel said the failure is permanent)."""
        if permanent or attempt >= self.max_attempts:
            return None
        return now + self.delay(attempt, jitter)


__all__ = ["Backoff"]
