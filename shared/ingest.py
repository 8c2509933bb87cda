"""Publish a normalized message: the adapter answers its provider only after this returns."""

from __future__ import annotations

import functools

from prometheus_client import Counter

from shared.bus import Bus, EmbeddedBus
from shared.db.receipts import ReceiptLog
from shared.errors import BusUnavailable
from shared.metrics import MESSAGES_ACCEPTED, MESSAGES_REFUSED
from shared.schema import InboundMessage
from shared.settings import Settings


async def publish_inbound(
    message: InboundMessage,
    *,
    bus: Bus,
    settings: Settings,
    poster: str | None = None,
    receipts: ReceiptLog | None = None,
) -> None:
    """Make ``message`` durable on the inbound topic, keyed by its conversation; raises ``BusUnavailable``.

    ``poster`` (the id of the API key that posted it) is recorded as the message's receipt before this
    returns: with the record itself on the embedded bus (one commit), otherwise in ``receipts`` first, so a
    message the caller hears was accepted can always be read back.
    """
    topic, key, value = settings.topics.inbound, message.conversation_key, message.to_bytes()
    try:
        if poster is not None and isinstance(bus, EmbeddedBus):
            await bus.publish(topic, key, value, receipt=(message.id, poster))
        else:
            if poster is not None and receipts is not None:
                await receipts.record(message.id, poster)
            await bus.publish(topic, key, value)
    except BusUnavailable:
        MESSAGES_REFUSED.inc()
        raise
    _accepted(message.channel).inc()


@functools.cache
def _accepted(channel: str) -> Counter:
    """The accepted-messages counter of one channel (looked up once: ``labels`` takes a lock and builds a key)."""
    return MESSAGES_ACCEPTED.labels(channel)
