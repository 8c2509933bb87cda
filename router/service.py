"""The router process: consume inbound messages, route each batch in one transaction, then commit offsets; beside
it, dispatch waiting work. This module does the I/O around the steps (``route``, ``dispatch``, ``state``,
``indexing``, ``publish``), which take what they need as arguments and return what they decided."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from pydantic import ValidationError
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from router import publish
from router.classify import Classifier
from router.dispatch import dispatch
from router.indexing import Indexer
from router.route import route_batch
from router.state import RouterState, reload
from shared.bus import Bus, Consumer, Record
from shared.db import activity
from shared.events import MessageRouted, RoutedEvent
from shared.metrics import MESSAGES_ROUTED, ROUTER_BATCH_SECONDS
from shared.schema import InboundMessage
from shared.settings import Settings

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
EMBEDDED_BATCH = 32
TICK_SECONDS = 0.5
PRUNE_EVERY_SECONDS = 60.0
"""How often a router prunes the activity log and ended webhook deliveries (``activity.prune``)."""
REWIND_FIRST_SECONDS = 1.0
REWIND_MAX_SECONDS = 30.0


def utcnow() -> datetime:
    """The router's clock."""
    return datetime.now(UTC)


class Router:
    """One router instance: a consumer-group member plus the dispatcher for waiting work."""

    def __init__(
        self,
        *,
        settings: Settings,
        sessions: async_sessionmaker[AsyncSession],
        bus: Bus,
        classifier: Classifier,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.bus = bus
        self.classifier = classifier
        self.clock = clock
        self.state = RouterState.initial()
        self.indexer = Indexer()
        # Embedded mode shares SQLite's single write lock with ingest: short transactions keep 202s fast.
        embedded = settings.bus != "kafka"
        self.batch_size = min(settings.router_batch_size, EMBEDDED_BATCH) if embedded else settings.router_batch_size
        self.routed = 0
        self._consumer: Consumer | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = asyncio.Event()

    async def start(self) -> None:
        """Load state, join the consumer group and start the loops."""
        await self.refresh(force=True)
        self._consumer = self.bus.consumer(self.settings.topics.inbound, self.settings.topics.router_group)
        await self._consumer.start()
        self._stopping.clear()
        self._tasks = [
            asyncio.create_task(self._consume_loop(), name="router-consume"),
            asyncio.create_task(self._dispatch_loop(), name="router-dispatch"),
        ]

    async def stop(self) -> None:
        """Finish the batch in hand, commit, leave the group (a loop that had failed is logged, not raised)."""
        self._stopping.set()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                try:
                    await task
                except Exception:
                    log.exception("router loop %s had failed", task.get_name())
        self._tasks = []
        if self._consumer is not None:
            await self._consumer.stop()
            self._consumer = None

    def running(self) -> bool:
        """Whether the loops are alive (for readiness)."""
        return bool(self._tasks) and not any(t.done() for t in self._tasks)

    async def ended(self) -> str:
        """Wait until one of the loops ends (only ``stop`` should end them) and name it."""
        done, _ = await asyncio.wait(self._tasks, return_when=asyncio.FIRST_COMPLETED)
        return next(iter(done)).get_name()

    async def refresh(self, *, force: bool = False) -> None:
        """Bring the state up to date with the database, then the pool's index with the state."""
        async with self.sessions() as session:
            await reload(session, self.state, force=force)
        await self.indexer.ensure(self.state)

    async def tick(self) -> int:
        """One dispatcher pass in one transaction, its events announced after the commit. Returns the offers
        made."""
        await self.refresh()
        grace = timedelta(seconds=self.settings.away_grace_seconds)
        async with self.sessions() as session:
            done = await dispatch(session, self.state, self.clock(), away_grace=grace)
            await session.commit()
        await self.announce(done.events)
        return done.offered

    async def prune(self) -> int:
        """Delete activity and ended webhook deliveries past their retention, in a transaction of its own."""
        keep = timedelta(days=self.settings.activity_retention_days)
        async with self.sessions() as session:
            deleted = await activity.prune(session, self.clock(), keep)
            await session.commit()
        return deleted

    async def _dispatch_loop(self) -> None:
        pruned_at = -PRUNE_EVERY_SECONDS
        while not self._stopping.is_set():
            try:
                await self.tick()
                if time.monotonic() - pruned_at >= PRUNE_EVERY_SECONDS:
                    pruned_at = time.monotonic()
                    await self.prune()
            except Exception:
                log.exception("dispatcher tick failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), TICK_SECONDS)

    async def _consume_loop(self) -> None:
        assert self._consumer is not None
        consumer = self._consumer
        while not self._stopping.is_set():
            try:
                records = await consumer.fetch(self.batch_size, self.settings.router_poll_seconds)
                if not records:
                    continue
                await self.refresh()
                await self.handle_batch(records)
                await consumer.commit(records)
            except Exception:
                log.exception("router batch failed; retrying from the committed offset")
                self.state.reload_everything_next()  # claims may have been rolled back
                await self._rewind(consumer)

    async def _rewind(self, consumer: Consumer) -> None:
        """Go back to the committed offset, retrying while the bus or the database is down: the outage
        that failed the batch may also fail this, and the loop must outlive it."""
        delay = REWIND_FIRST_SECONDS
        while not self._stopping.is_set():
            await asyncio.sleep(delay)
            try:
                await consumer.rewind()
                return
            except Exception:
                log.exception("router could not go back to the committed offset; retrying")
                delay = min(delay * 2, REWIND_MAX_SECONDS)

    async def handle_batch(self, records: list[Record]) -> None:
        """Route a batch in one transaction; on failure, route its records one by one."""
        with ROUTER_BATCH_SECONDS.time():
            await self._handle_batch(records)

    async def _handle_batch(self, records: list[Record]) -> None:
        parsed: list[tuple[Record, InboundMessage]] = []
        for record in records:
            message = await self._parse(record)
            if message is not None:
                parsed.append((record, message))
        classified = [await self._classify(m, i) for i, (_, m) in enumerate(parsed)]
        try:
            events = await self._route([(m, c) for (_, m), c in zip(parsed, classified, strict=True)])
        except OperationalError:
            raise
        except Exception:
            log.warning("batch failed, isolating the record that fails", exc_info=True)
            await self.refresh(force=True)  # the rolled-back claims are still counted in the pool's loads
            events = [
                await self._route_alone(record, message, c)
                for (record, message), c in zip(parsed, classified, strict=True)
            ]
        routed = [e for e in events if e is not None]
        self.routed += len(routed)
        for event in routed:
            MESSAGES_ROUTED.labels(event.outcome).inc()
        await self.announce(routed)

    async def _route(self, batch: list[tuple[InboundMessage, dict[str, object]]]) -> list[MessageRouted | None]:
        """Route ``batch`` in one transaction and commit it."""
        async with self.sessions() as session:
            events = await route_batch(batch, session=session, state=self.state, settings=self.settings,
                                       now=self.clock())  # fmt: skip
            await session.commit()
        return events

    async def _classify(self, message: InboundMessage, position: int) -> dict[str, object]:
        """Classify before the transaction opens (CPU work must not hold the database's write lock),
        letting other tasks such as ingest run between messages."""
        if position % 8 == 7:
            await asyncio.sleep(0)
        return self.classifier.classify(text=message.text, subject=message.subject, channel=message.channel).as_dict()

    async def _route_alone(
        self, record: Record, message: InboundMessage, classified: dict[str, object]
    ) -> MessageRouted | None:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                [event] = await self._route([(message, classified)])
                return event
            except OperationalError:
                raise
            except Exception as exc:
                if attempt == MAX_ATTEMPTS:
                    await publish.dead_letter(self.bus, self.settings.topics, record, f"{type(exc).__name__}: {exc}",
                                              self.clock())  # fmt: skip
                    return None
                await asyncio.sleep(0.05 * attempt)
        return None

    async def _parse(self, record: Record) -> InboundMessage | None:
        try:
            return InboundMessage.from_bytes(record.value)
        except (ValidationError, ValueError) as exc:
            error = f"invalid InboundMessage: {exc.__class__.__name__}"
            await publish.dead_letter(self.bus, self.settings.topics, record, error, self.clock())
            return None

    async def announce(self, events: Sequence[RoutedEvent]) -> None:
        """Publish decision and timer events (notifications: a failure is logged, not retried)."""
        await publish.announce(self.bus, self.settings.topics, events)


__all__ = ["Router", "utcnow"]
