"""Per-session allowances and the sessions this process holds open (so replies can later be pushed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from starlette.websockets import WebSocket

Verdict = Literal["ok", "limited", "flood"]
PRUNE_EVERY = 1024


@dataclass(slots=True)
class Allowance:
    """A token bucket: ``burst`` frames at once, refilled at ``per_minute``; a visitor who keeps sending
    while refused (``burst`` refusals in a row) is flooding."""

    per_minute: int
    burst: int
    tokens: float = -1.0
    stamp: float = 0.0
    refused: int = 0

    def take(self, now: float) -> tuple[Verdict, float]:
        """Spend one frame's worth at ``now`` (monotonic seconds): the verdict and, if refused, the wait."""
        rate = self.per_minute / 60.0
        if self.tokens < 0:
            self.tokens, self.stamp = float(self.burst), now
        self.tokens = min(float(self.burst), self.tokens + max(0.0, now - self.stamp) * rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            self.refused = 0
            return "ok", 0.0
        self.refused += 1
        if self.refused > self.burst:
            return "flood", 0.0
        return "limited", (1.0 - self.tokens) / rate

    def idle(self, now: float) -> bool:
        """Whether the bucket is full again (forgetting it changes nothing)."""
        return self.tokens < 0 or self.tokens + (now - self.stamp) * self.per_minute / 60.0 >= self.burst


@dataclass
class Hub:
    """The chat sessions of this process: each one's allowance (shared by all its sockets and REST calls)
    and its open sockets. Replies to visitors (issue 11) are delivered to ``sockets(session_id)``; a
    visitor with none gets them on resume."""

    allowances: dict[str, Allowance] = field(default_factory=dict)
    open: dict[str, set[WebSocket]] = field(default_factory=dict)
    _calls: int = 0

    def allowance(self, session_id: str, *, per_minute: int, burst: int, now: float) -> Allowance:
        """The session's allowance (created full); now and then forgets idle ones of closed sessions."""
        self._calls += 1
        if self._calls % PRUNE_EVERY == 0:
            self.allowances = {s: a for s, a in self.allowances.items() if s in self.open or not a.idle(now)}
        found = self.allowances.get(session_id)
        if found is None or (found.per_minute, found.burst) != (per_minute, burst):
            found = self.allowances[session_id] = Allowance(per_minute, burst)
        return found

    def join(self, session_id: str, socket: WebSocket) -> None:
        """A socket of the session opened."""
        self.open.setdefault(session_id, set()).add(socket)

    def leave(self, session_id: str, socket: WebSocket) -> None:
        """A socket of the session closed."""
        sockets = self.open.get(session_id)
        if sockets is not None:
            sockets.discard(socket)
            if not sockets:
                del self.open[session_id]

    def sockets(self, session_id: str) -> frozenset[WebSocket]:
        """The session's open sockets in this process."""
        return frozenset(self.open.get(session_id, ()))
