"""The message bus port and its implementations (embedded in the database, Apache Kafka)."""

from shared.bus.base import Bus, Consumer, Record
from shared.bus.embedded import EmbeddedBus

__all__ = ["Bus", "Consumer", "EmbeddedBus", "Record"]
