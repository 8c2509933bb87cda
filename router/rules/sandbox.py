"""Bounded evaluation of heavy conditions: a child process, a deadline per rule and a time budget.

CEL evaluation holds the GIL for as long as it runs, so neither a thread nor a timer can stop it: a
condition that takes seconds freezes the event loop (``/healthz`` included). A heavy condition
(``router.rules.cost.is_light`` is false) therefore runs in one child process per Python process.
The caller waits at most ``RULE_DEADLINE_S``; a rule that overruns is skipped (its outcome is an
error in the trace), the child is killed and replaced, and the condition is set aside for
``QUARANTINE_S`` so that the next messages do not wait on it again. Heavy evaluation may also use at
most ``BUDGET_SHARE`` of wall-clock time (a bucket of ``BUDGET_BURST_S``): past that, heavy rules
are skipped as over budget until the bucket refills, so a flood of slow-but-legal rules cannot
starve the process either.
"""

from __future__ import annotations

import atexit
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

RULE_DEADLINE_S = 0.05
"""Longest one heavy rule may run on one message."""
QUARANTINE_S = 30.0
"""How long a condition that overran is skipped without being run."""
BUDGET_SHARE = 0.1
"""Share of wall-clock time heavy rules may use, over any window longer than the burst."""
BUDGET_BURST_S = 0.05
"""Heavy-rule time that may be spent at once when the budget is full."""
FIRST_START_S = 10.0
"""How long the first evaluation waits for the child process to start."""
_WORKER = Path(__file__).with_name("sandbox_worker.py")
_FRAME = struct.Struct(">I")

Answer = tuple[str, str | None]
"""("matched" | "no_match" | "error", error text)."""


class _Worker:
    """One child process and its pipes."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter running our own file
            [sys.executable, "-E", "-s", str(_WORKER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            close_fds=True,
        )
        self.ready = False
        self._buffer = b""

    def send(self, request: tuple[str, Mapping[str, object], Sequence[str]]) -> None:
        payload = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        assert self.process.stdin is not None
        self.process.stdin.write(_FRAME.pack(len(payload)) + payload)
        self.process.stdin.flush()

    def receive(self, deadline: float) -> tuple[object, ...] | None:
        """One answer frame, or None if the deadline passes or the child died."""
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        while True:
            if len(self._buffer) >= _FRAME.size:
                (size,) = _FRAME.unpack_from(self._buffer)
                if len(self._buffer) >= _FRAME.size + size:
                    frame = self._buffer[_FRAME.size : _FRAME.size + size]
                    self._buffer = self._buffer[_FRAME.size + size :]
                    answer: tuple[object, ...] = pickle.loads(frame)  # noqa: S301 - our own child wrote it
                    return answer
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                return None
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return None
            self._buffer += chunk

    def wait_ready(self, deadline: float) -> bool:
        if not self.ready:
            self.ready = self.receive(deadline) == ("ready",)
        return self.ready

    def close(self) -> None:
        """Kill the child and release its pipes."""
        self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


class Sandbox:
    """Runs heavy conditions in a child process under a deadline and a time budget."""

    def __init__(
        self,
        *,
        deadline_s: float = RULE_DEADLINE_S,
        quarantine_s: float = QUARANTINE_S,
        share: float = BUDGET_SHARE,
        burst_s: float = BUDGET_BURST_S,
    ) -> None:
        self.deadline_s, self.quarantine_s, self.share, self.burst_s = deadline_s, quarantine_s, share, burst_s
        self._lock = threading.Lock()
        self._worker: _Worker | None = None
        self._started_once = False
        self._quarantine: dict[str, float] = {}
        self._tokens = burst_s
        self._filled_at = time.monotonic()

    def evaluate(self, source: str, variables: Mapping[str, object], functions: Sequence[str]) -> Answer:
        """Evaluate one condition; never raises, never waits much longer than the deadline."""
        with self._lock:
            now = time.monotonic()
            until = self._quarantine.get(source)
            if until is not None and until > now:
                budget = f"{self.deadline_s * 1000:.0f} ms"
                return "error", f"skipped: over its {budget} budget in the last {self.quarantine_s:.0f} s"
            if not self._take(now):
                return "error", f"skipped: heavy rules used their {self.share:.0%} share of time"
            return self._run(source, variables, functions)

    def _take(self, now: float) -> bool:
        """Refill the budget bucket and say whether there is time left in it."""
        self._tokens = min(self.burst_s, self._tokens + (now - self._filled_at) * self.share)
        self._filled_at = now
        return self._tokens > 0

    def _run(self, source: str, variables: Mapping[str, object], functions: Sequence[str]) -> Answer:
        worker = self._worker or self._start()
        wait = FIRST_START_S if not self._started_once else self.deadline_s
        if not worker.wait_ready(time.monotonic() + wait):
            self._replace()
            return "error", "skipped: the rule evaluator was restarting"
        self._started_once = True
        started = time.monotonic()
        try:
            worker.send((source, dict(variables), list(functions)))
            answer = worker.receive(started + self.deadline_s)
        except OSError:
            answer = None
        finally:
            self._tokens -= time.monotonic() - started
        if answer is None:
            self._quarantine[source] = time.monotonic() + self.quarantine_s
            if len(self._quarantine) > 10_000:
                self._quarantine = {s: t for s, t in self._quarantine.items() if t > time.monotonic()}
            self._replace()
            return "error", f"over budget: stopped after {self.deadline_s * 1000:.0f} ms"
        return _outcome(answer)

    def _start(self) -> _Worker:
        self._worker = _Worker()
        return self._worker

    def _replace(self) -> None:
        """Kill the current child (it may be stuck) and start the next one now, so it is ready sooner."""
        if self._worker is not None:
            self._worker.close()
        self._start()

    def close(self) -> None:
        """Stop the child process."""
        with self._lock:
            if self._worker is not None:
                self._worker.close()
                self._worker = None


def describe_failure(kind: str, text: str, *, missing_key: str | None = None) -> str:
    """A short, single-line description of an evaluation error of type ``kind`` (in process or in the child)."""
    if kind == "KeyError":
        return f"no such key: {missing_key}" if missing_key is not None else "no such key"
    line = (text.splitlines() or [""])[0]
    sentence_end = line.find(". ")
    if sentence_end > 0:
        line = line[:sentence_end]
    return f"{kind}: {line}" if line else kind


def _outcome(answer: tuple[object, ...]) -> Answer:
    """Translate the child's answer into a rule outcome."""
    match answer:
        case ("bool", True):
            return "matched", None
        case ("bool", False):
            return "no_match", None
        case ("other", str(kind)):
            return "error", f"condition gave {kind}, not bool"
        case ("raised", str(kind), str(text), missing):
            return "error", describe_failure(kind, text, missing_key=missing if isinstance(missing, str) else None)
    return "error", "the rule evaluator gave no answer"


_shared: Sandbox | None = None
_shared_lock = threading.Lock()


def shared_sandbox() -> Sandbox:
    """The process's sandbox, started on first use and stopped at exit."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Sandbox()
            atexit.register(_shared.close)
        return _shared
