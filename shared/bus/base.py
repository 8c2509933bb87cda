"""The bus port: publish durably, consume in order per key, commit after processing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Record:
    """One record read from a topic partition."""

    topic: str
    partition: int
    offset: int
    key: str | None
    value: bytes


class Consumer(Protocol):
    """A member of a consumer group on one topic."""

    async def start(self) -> None:
        """Join the group and resume from the committed positions."""

    async def stop(self) -> None:
        """Leave the group (committed positions stay)."""

    async def fetch(self, max_records: int, timeout: float) -> list[Record]:
        """Up to ``max_records`` records past the current position, waiting at most ``timeout`` s."""
        ...

    async def commit(self, records: list[Record]) -> None:
        """Mark these records (and everything before them on their partitions) processed."""

    async def rewind(self) -> None:
        """Go back to the committed positions (after a failed batch)."""


class Bus(Protocol):
    """Durable publish/subscribe with per-key ordering."""

    async def start(self) -> None:
        """Connect; create topics when missing."""

    async def stop(self) -> None:
        """Flush what is pending and disconnect."""

    async def publish(self, topic: str, key: str, value: bytes) -> None:
        """Return only once the record is durable; raise ``BusUnavailable`` when it cannot be."""

    def consumer(self, topic: str, group: str) -> Consumer:
        """A consumer of ``topic`` in consumer group ``group``."""
        ...

    async def ready(self) -> bool:
        """Whether the bus can accept records right now (for /readyz)."""
        ...
