"""The reply sender: a loop beside each router that sends due pending replies through their channel's port.

Several routers may run it at once: each reply attempt is claimed under a lease first (``store.claim``).
Nothing is held in memory between passes, so replies survive restarts: a reply whose router died mid-send
is taken over when its lease runs out (sent again: at least once; an email keeps its Message-ID).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from router.outbound import store
from router.outbound.backoff import Backoff
from router.outbound.ports import ReplyPort, SendFailed
from shared.blobs import BlobStore
from shared.settings import Settings

log = logging.getLogger(__name__)
BATCH = 20


def utcnow() -> datetime:
    """The sender's clock."""
    return datetime.now(UTC)


class ReplySender:
    """Sends replies until stopped; ``run_once`` is one pass (tests drive it with their own clock)."""

    def __init__(
        self,
        *,
        settings: Settings,
        sessions: async_sessionmaker[AsyncSession],
        blobs: BlobStore,
        ports: Mapping[str, ReplyPort],
        clock: Callable[[], datetime] = utcnow,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.sessions = sessions
        self.blobs = blobs
        self.ports = dict(ports)
        self.clock = clock
        self.jitter = jitter
        self.backoff = Backoff(settings.reply_max_attempts, settings.reply_retry_base_seconds,
                               settings.reply_retry_max_seconds)  # fmt: skip
        self.lease = timedelta(seconds=settings.reply_lease_seconds)
        self.poll = settings.reply_poll_seconds
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    async def start(self) -> None:
        """Start the loop."""
        self._stopping.clear()
        self._task = asyncio.create_task(self._loop(), name="reply-sender")

    async def stop(self) -> None:
        """Finish the attempt in hand and stop."""
        self._stopping.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def running(self) -> bool:
        """Whether the loop is alive."""
        return self._task is not None and not self._task.done()

    async def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                busy = await self.run_once() >= BATCH
            except Exception:
                log.exception("reply sender pass failed")
                busy = False
            if not busy:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), self.poll)

    async def run_once(self) -> int:
        """Claim the due replies and try each once. Returns how many were tried."""
        async with self.sessions() as session:
            claimed = await store.claim(session, self.clock(), self.lease, BATCH)
            await session.commit()
        for item in claimed:
            await self._attempt(item)
        return len(claimed)

    async def _attempt(self, claimed: store.Claimed) -> None:
        async with self.sessions() as session:
            reply = await store.outgoing(session, claimed, self.blobs)
        if reply is None:
            return
        port = self.ports.get(claimed.channel)
        try:
            if port is None:
                raise SendFailed(f"no outbound port for channel {claimed.channel}", permanent=True)
            ref = await port.send(reply, self.clock())
        except SendFailed as exc:
            await self._failed(claimed, exc)
            return
        except Exception as exc:  # a bug in a port must not lose the reply: it is retried like any failure
            log.exception("reply port failed", extra={"channel": claimed.channel})
            await self._failed(claimed, SendFailed(f"internal error: {type(exc).__name__}"))
            return
        async with self.sessions() as session:
            await store.mark_sent(session, claimed, ref, self.clock())
            await session.commit()

    async def _failed(self, claimed: store.Claimed, error: SendFailed) -> None:
        now = self.clock()
        again = self.backoff.next_attempt(claimed.attempt, now, self.jitter(), permanent=error.permanent)
        log.warning("reply attempt failed", extra={"reply_id": claimed.id, "attempt": claimed.attempt,
                                                    "error": error.reason, "final": again is None})  # fmt: skip
        async with self.sessions() as session:
            if again is None:
                await store.mark_failed(session, claimed, error.reason, now)
            else:
                await store.mark_retry(session, claimed, error.reason, again)
            await session.commit()


__all__ = ["ReplySender", "utcnow"]
