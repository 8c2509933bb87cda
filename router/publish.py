"""What a router publishes besides its database writes: decision and timer events, and dead letters."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime

from shared.bus import Bus, Record
from shared.events import DeadLetter, RoutedEvent
from shared.metrics import DEAD_LETTERS, EVENTS
from shared.topics import Topics

log = logging.getLogger(__name__)
MAX_ERROR_CHARS = 2000


async def announce(bus: Bus, topics: Topics, events: Sequence[RoutedEvent]) -> None:
    """Publish events keyed by conversation; they are notifications, so a failure is logged, not retried."""
    if not events:
        return
    for event in events:
        EVENTS.labels(event.type).inc()
    results = await asyncio.gather(
        *(bus.publish(topics.routed, e.bus_key, e.to_bytes()) for e in events), return_exceptions=True
    )
    failed = sum(1 for r in results if isinstance(r, BaseException))
    if failed:
        log.warning("could not publish decision events", extra={"failed": failed})


async def dead_letter(bus: Bus, topics: Topics, record: Record, error: str, now: datetime) -> None:
    """Send a record that cannot be routed to the DLQ with the error, so the partition moves on."""
    log.error("message sent to the DLQ", extra={"offset": record.offset, "partition": record.partition})
    DEAD_LETTERS.inc()
    envelope = DeadLetter(
        error=error[:MAX_ERROR_CHARS],
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        key=record.key,
        value=record.value.decode("utf-8", "replace"),
        at=now,
    )
    await bus.publish(topics.dlq, envelope.bus_key, envelope.to_bytes())
