"""Abuse limits of one gateway process: requests per API key by role, failed logins per client address.

Both are kept in this process's memory: with N gateway processes behind a balancer, a key may make up
to N times its rate in all, and an address N times its failed attempts. They bound what one caller
can take from one process, which is what keeps the others served.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

from shared.auth import Principal, Role
from shared.errors import RateLimited

MAX_TRACKED = 100_000
"""Keys or addresses remembered at once; the least recently seen are forgotten first."""


@dataclass(slots=True)
class _Bucket:
    tokens: float
    at: float


class RequestLimits:
    """A token bucket per API key, its rate and burst set by the key's role."""

    def __init__(self, limits: Mapping[Role, tuple[float, int]]) -> None:
        self._limits = dict(limits)
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def admit(self, principal: Principal, now: float | None = None) -> None:
        """Take one request from the key's bucket; raise ``RateLimited`` when it is empty."""
        rate, burst = self._limits[principal.role]
        now = time.monotonic() if now is None else now
        bucket = self._buckets.get(principal.key_id)
        if bucket is None:
            bucket = self._buckets[principal.key_id] = _Bucket(float(burst), now)
            if len(self._buckets) > MAX_TRACKED:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(principal.key_id)
            bucket.tokens = min(float(burst), bucket.tokens + (now - bucket.at) * rate)
            bucket.at = now
        if bucket.tokens < 1:
            retry = max(1, math.ceil((1 - bucket.tokens) / rate))
            raise RateLimited(f"this key may make {rate:g} requests per second ({principal.role})", retry_after=retry)
        bucket.tokens -= 1


class LoginFailures:
    """Failed authentications per client address in a sliding minute; past the limit, 429 until it clears."""

    WINDOW_S = 60.0

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._failures: OrderedDict[str, list[float]] = OrderedDict()

    def check(self, address: str, now: float | None = None) -> None:
        """Raise ``RateLimited`` when this address has failed too often lately."""
        now = time.monotonic() if now is None else now
        recent = self._recent(address, now)
        if len(recent) >= self.per_minute:
            retry = max(1, math.ceil(recent[0] + self.WINDOW_S - now))
            raise RateLimited("too many failed authentications from this address", retry_after=retry)

    def failed(self, address: str, now: float | None = None) -> None:
        """Record one failed authentication."""
        now = time.monotonic() if now is None else now
        recent = self._recent(address, now)
        recent.append(now)
        self._failures[address] = recent[-self.per_minute :]
        self._failures.move_to_end(address)
        if len(self._failures) > MAX_TRACKED:
            self._failures.popitem(last=False)

    def _recent(self, address: str, now: float) -> list[float]:
        return [t for t in self._failures.get(address, ()) if t > now - self.WINDOW_S]
