"""The router process: consume inbound messages, route each in one transaction, then commit offsets."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pydantic import ValidationError
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from router import engine, store
from router.assign import AgentPool, QueuePolicy, SlaPolicy
from router.classify import Classifier
from router.dispatch import Dispatcher
from router.indexing import build_index
from router.route import route_batch
from router.rules import CompiledRuleset, compile_ruleset, default_ruleset
from shared.bus import Bus, Consumer, Record
from shared.metrics import DEAD_LETTERS, EVENTS, MESSAGES_ROUTED, ROUTER_BATCH_SECONDS
from shared.schema import InboundMessage
from shared.settings import Settings

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
FULL_RELOAD_SECONDS = 60.0
EMBEDDED_BATCH = 32
REWIND_FIRST_SECONDS = 1.0
REWIND_MAX_SECONDS = 30.0


def utcnow() -> datetime:
    """The router's clock."""
    return datetime.now(UTC)


@dataclass
class RouterState:
    """What the router keeps in memory between batches."""

    ruleset: CompiledRuleset
    activation: int | None
    pool: AgentPool
    policies: dict[str, QueuePolicy]
    sla: dict[str, SlaPolicy] = field(default_factory=dict)
    config_seen: tuple[object, ...] = ()
    agents_seen: datetime | None = None
    full_reload_at: float = 0.0
    indexed: tuple[int, dict[str, QueuePolicy]] | None = None
    """The ruleset version and queue policies the pool's index was built (or is being built) for."""


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
        self.state = RouterState(compile_ruleset(default_ruleset(), version=0), None, AgentPool(), {})
        self.dispatcher = Dispatcher(self)
        # Embedded mode shares SQLite's single write lock with ingest: short transactions keep 202s fast.
        embedded = settings.bus != "kafka"
        self.batch_size = min(settings.router_batch_size, EMBEDDED_BATCH) if embedded else settings.router_batch_size
        self.routed = 0
        self._consumer: Consumer | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = asyncio.Event()
        self._indexing = asyncio.Lock()

    async def start(self) -> None:
        """Load state, join the consumer group and start the loops."""
        await self.refresh(force=True)
        self._consumer = self.bus.consumer(self.settings.topics.inbound, self.settings.topics.router_group)
        await self._consumer.start()
        self._stopping.clear()
        self._tasks = [
            asyncio.create_task(self._consume_loop(), name="router-consume"),
            asyncio.create_task(self.dispatcher.run(self._stopping), name="router-dispatch"),
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
        """Pick up a newly published ruleset, changed queue/SLA settings and changed agents; every
        ``FULL_RELOAD_SECONDS`` (and when forced) re-read every agent, in case an update was missed."""
        state = self.state
        full = force or time.monotonic() >= state.full_reload_at
        async with self.sessions() as session:
            config = await store.config_fingerprint(session)
            if full or config != state.config_seen:
                active = await store.active_ruleset(session)
                if active is not None and active[0] != state.activation:
                    act_id, version, document = active
                    state.ruleset = compile_ruleset(document, version=version)
                    state.activation = act_id
                    log.info("ruleset active", extra={"version": version})
                state.policies = await store.queue_policies(session)
                state.sla = await store.sla_policies(session)
                state.config_seen = config
            if full:
                state.full_reload_at = time.monotonic() + FULL_RELOAD_SECONDS
            state.agents_seen = await store.refresh_pool(session, state.pool, None if full else state.agents_seen)
        await self._reindex()

    async def _reindex(self) -> None:
        """Build the pool's index for every kind of work the ruleset can send, off the decision path, when
        the ruleset or the queue policies differ from what it was built for (see ``build_index``)."""
        state = self.state
        if (state.ruleset.version, state.policies) == state.indexed:
            return  # built, or being built: another task (the dispatcher's tick) goes on with the pool meanwhile
        async with self._indexing:  # one build at a time; a caller that waited may find its work done
            target = (state.ruleset.version, state.policies)
            if target == state.indexed:
                return
            state.indexed = target
            started = time.perf_counter()
            try:
                turns = await build_index(state.pool, state.ruleset, state.policies)
            except BaseException:
                state.indexed = None  # not built: the next refresh tries again
                raise
            ms = round((time.perf_counter() - started) * 1000)
            log.info("agent index ready", extra={"agents": len(state.pool), "ms": ms, "turns": turns})

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
                self.state.full_reload_at = 0.0  # re-read every agent: claims may have been rolled back
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
            async with self.sessions() as session:
                events = await route_batch(
                    [(m, c) for (_, m), c in zip(parsed, classified, strict=True)], session=session, router=self
                )
                await session.commit()
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
            MESSAGES_ROUTED.labels(event["outcome"]).inc()
        await self.announce(routed)

    async def _classify(self, message: InboundMessage, position: int) -> dict[str, object]:
        """Classify before the transaction opens (CPU work must not hold the database's write lock),
        letting other tasks such as ingest run between messages."""
        if position % 8 == 7:
            await asyncio.sleep(0)
        return self.classifier.classify(text=message.text, subject=message.subject, channel=message.channel).as_dict()

    async def _route_alone(
        self, record: Record, message: InboundMessage, classified: dict[str, object]
    ) -> dict[str, object] | None:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                async with self.sessions() as session:
                    [event] = await route_batch([(message, classified)], session=session, router=self)
                    await session.commit()
                return event
            except OperationalError:
                raise
            except Exception as exc:
                if attempt == MAX_ATTEMPTS:
                    await self._dead_letter(record, f"{type(exc).__name__}: {exc}")
                    return None
                await asyncio.sleep(0.05 * attempt)
        return None

    async def _parse(self, record: Record) -> InboundMessage | None:
        try:
            return InboundMessage.from_bytes(record.value)
        except (ValidationError, ValueError) as exc:
            await self._dead_letter(record, f"invalid InboundMessage: {exc.__class__.__name__}")
            return None

    async def _dead_letter(self, record: Record, error: str) -> None:
        """Send a record that cannot be routed to the DLQ with the error, so the partition moves on."""
        log.error("message sent to the DLQ", extra={"offset": record.offset, "partition": record.partition})
        DEAD_LETTERS.inc()
        envelope = {
            "error": error[:2000],
            "topic": record.topic,
            "partition": record.partition,
            "offset": record.offset,
            "key": record.key,
            "value": record.value.decode("utf-8", "replace"),
            "at": self.clock().isoformat(),
        }
        await self.bus.publish(self.settings.topics.dlq, record.key or "", json.dumps(envelope).encode())

    async def announce(self, events: list[dict[str, object]]) -> None:
        """Publish decision and timer events; they are notifications, so a failure is logged, not retried."""
        if not events:
            return
        topic = self.settings.topics.routed
        for event in events:
            EVENTS.labels(str(event.get("type", "message.routed"))).inc()
        results = await asyncio.gather(
            *(self.bus.publish(topic, str(e.get("conversation_id", "")), json.dumps(e).encode()) for e in events),
            return_exceptions=True,
        )
        failed = sum(1 for r in results if isinstance(r, BaseException))
        if failed:
            log.warning("could not publish decision events", extra={"failed": failed})


__all__ = ["Router", "engine"]
