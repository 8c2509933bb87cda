"""The webhook worker that runs beside each router: fan out, deliver, repeat; all its state is in the database."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from router.webhooks.delivery import Retry, claim, record, send
from router.webhooks.fanout import fan_out
from shared.db.activity import SETTLE
from shared.settings import Settings

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    """The worker's clock."""
    return datetime.now(UTC)


class WebhookWorker:
    """Delivers outbound webhooks out of the request path; several can run against one database."""

    def __init__(
        self,
        settings: Settings,
        sessions: async_sessionmaker[AsyncSession],
        *,
        clock: Callable[[], datetime] = utcnow,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.clock = clock
        self.retry = Retry(settings.webhook_backoff_seconds, settings.webhook_backoff_max_seconds,
                           settings.webhook_retry_seconds)  # fmt: skip
        self.lease_for = timedelta(seconds=settings.webhook_timeout_seconds + 5)
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._first_missing: dict[int, float] = {}
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    async def start(self) -> None:
        """Open the HTTP client and start the loop."""
        timeout = httpx.Timeout(self.settings.webhook_timeout_seconds)
        self._client = httpx.AsyncClient(timeout=timeout, follow_redirects=False, transport=self._transport)
        self._stopping.clear()
        self._task = asyncio.create_task(self._loop(), name="webhook-worker")

    async def stop(self) -> None:
        """Finish the attempts in hand (their outcome is stored), then close the client."""
        self._stopping.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def running(self) -> bool:
        """Whether the loop is alive."""
        return self._task is not None and not self._task.done()

    async def run_once(self) -> int:
        """One fan-out pass and one round of attempts. Returns activity rows fanned out plus attempts made
        (0: idle)."""
        assert self._client is not None
        async with self.sessions() as session:
            moved = await fan_out(session, self.clock(), first_missing=self._first_missing, clock=time.monotonic(),
                                  settle=SETTLE.total_seconds(), limit=self.settings.webhook_batch)  # fmt: skip
            await session.commit()
        async with self.sessions() as session:
            claimed = await claim(session, self.clock(), self.lease_for, self.settings.webhook_batch)
        allow, timeout = self.settings.webhook_allow_private, self.settings.webhook_timeout_seconds
        outcomes = await asyncio.gather(
            *(send(self._client, item, allow_private=allow, timeout=timeout) for item in claimed)
        )
        for item, outcome in zip(claimed, outcomes, strict=True):
            async with self.sessions() as session:
                await record(session, item, outcome, self.clock(), self.retry)
        return moved + len(claimed)

    async def _loop(self) -> None:
        while not self._stopping.is_set():
            busy = 0
            try:
                busy = await self.run_once()
            except Exception:
                log.exception("webhook pass failed; trying again")
            if not busy:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), self.settings.webhook_poll_seconds)


__all__ = ["WebhookWorker"]
