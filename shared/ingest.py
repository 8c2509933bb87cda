"""Publish a normalized message: the adapter answers its provider only after this returns."""

from __future__ import annotations

from shared.bus import Bus
from shared.errors import BusUnavailable
from shared.metrics import MESSAGES_ACCEPTED, MESSAGES_REFUSED
from shared.schema import InboundMessage
from shared.settings import Settings


async def publish_inbound(message: InboundMessage, *, bus: Bus, settings: Settings) -> None:
    """Make ``message`` durable on the inbound topic, keyed by its conversation; raises ``BusUnavailable``."""
    try:
        await bus.publish(settings.topics.inbound, message.conversation_key, message.to_bytes())
    except BusUnavailable:
        MESSAGES_REFUSED.inc()
        raise
    MESSAGES_ACCEPTED.labels(message.channel).inc()
