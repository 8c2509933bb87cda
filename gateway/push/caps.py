"""How many long-polls and event streams one API key may hold open at once, in this gateway process.

Kept in this process's memory, like the request limits (``gateway.limits``): with N gateway processes a key
may hold up to N times the cap in all. What the cap protects is one process's connections and tasks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from shared.errors import RateLimited

Kind = Literal["long-poll", "stream"]
RETRY_AFTER_S = 5
"""What a refused caller is told to wait: about the time a client takes to notice a connection is gone."""


class ConnectionCaps:
    """Counts of open connections per (key, kind), refused past the kind's limit."""

    def __init__(self, limits: dict[Kind, int]) -> None:
        self._limits = limits
        self._open: dict[tuple[str, Kind], int] = {}

    def acquire(self, key_id: str, kind: Kind) -> Callable[[], None]:
        """Take one slot or raise ``RateLimited`` (429); return the function that gives it back (once)."""
        slot = (key_id, kind)
        held = self._open.get(slot, 0)
        limit = self._limits[kind]
        if held >= limit:
            raise RateLimited(f"this key may hold {limit} open {kind} connection(s) at once", retry_after=RETRY_AFTER_S)
        self._open[slot] = held + 1
        released = False

        def release() -> None:
            nonlocal released
            if released:
                return
            released = True
            left = self._open.get(slot, 1) - 1
            if left > 0:
                self._open[slot] = left
            else:
                self._open.pop(slot, None)

        return release

    def held(self, key_id: str, kind: Kind) -> int:
        """Open connections of this kind for this key."""
        return self._open.get((key_id, kind), 0)

    def total(self, kind: Kind) -> int:
        """Open connections of this kind, all keys together."""
        return sum(n for (_, k), n in self._open.items() if k == kind)


__all__ = ["RETRY_AFTER_S", "ConnectionCaps", "Kind"]
