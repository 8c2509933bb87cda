"""The Kafka bus on aiokafka: idempotent ``acks=all`` producer, manually committed group consumers."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import CommitFailedError, KafkaError, TopicAlreadyExistsError

from shared.bus.base import Record
from shared.errors import BusUnavailable
from shared.topics import Topics

log = logging.getLogger(__name__)
PUBLISH_TIMEOUT_S = 5.0


class KafkaBus:
    """Apache Kafka behind the ``Bus`` port."""

    def __init__(
        self, bootstrap: str, *, topics: Topics | None = None, partitions: int = 12, client_id: str = "switchboard"
    ) -> None:
        self.bootstrap = bootstrap
        self.topics = topics or Topics()
        self.partitions = partitions
        self.client_id = client_id
        self._producer: AIOKafkaProducer | None = None

    async def start(self) -> None:
        """Create missing topics and connect the producer."""
        await self.ensure_topics()
        producer = AIOKafkaProducer(
            bootstrap_servers=self.bootstrap,
            client_id=self.client_id,
            acks="all",
            enable_idempotence=True,
            linger_ms=2,
            max_batch_size=256 * 1024,
            request_timeout_ms=int(PUBLISH_TIMEOUT_S * 1000),
            retry_backoff_ms=100,
        )
        await producer.start()
        self._producer = producer

    async def stop(self) -> None:
        """Flush and disconnect."""
        if self._producer is not None:
            with contextlib.suppress(KafkaError):
                await self._producer.stop()
            self._producer = None

    async def ensure_topics(self) -> None:
        """Create the inbound (keyed, partitioned), routed and DLQ topics when missing."""
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap, client_id=f"{self.client_id}-admin")
        await admin.start()
        try:
            existing = set(await admin.list_topics())
            wanted = [
                NewTopic(self.topics.inbound, self.partitions, 1),
                NewTopic(self.topics.routed, self.partitions, 1),
                NewTopic(self.topics.dlq, 1, 1, topic_configs={"retention.ms": str(30 * 24 * 3600 * 1000)}),
            ]
            missing = [t for t in wanted if t.name not in existing]
            if missing:
                with contextlib.suppress(TopicAlreadyExistsError):
                    await admin.create_topics(missing)
        finally:
            await admin.close()

    async def publish(self, topic: str, key: str, value: bytes) -> None:
        """Return once the broker has acknowledged the record from all in-sync replicas."""
        if self._producer is None:
            raise BusUnavailable("the bus is not connected")
        try:
            await asyncio.wait_for(self._producer.send_and_wait(topic, value, key=key.encode()), PUBLISH_TIMEOUT_S)
        except (KafkaError, TimeoutError) as exc:
            raise BusUnavailable(f"the message broker did not acknowledge the message ({type(exc).__name__})") from exc

    async def ready(self) -> bool:
        """Whether a broker answers a metadata request."""
        if self._producer is None:
            return False
        try:
            await asyncio.wait_for(self._producer.client.fetch_all_metadata(), 2.0)
        except (KafkaError, TimeoutError):
            return False
        return True

    def consumer(self, topic: str, group: str) -> KafkaConsumer:
        """A member of consumer group ``group`` on ``topic``."""
        return KafkaConsumer(self.bootstrap, topic, group, client_id=self.client_id)


class KafkaConsumer:
    """Manual commits only, after the caller has recorded the batch's effects."""

    def __init__(self, bootstrap: str, topic: str, group: str, *, client_id: str) -> None:
        self._consumer = AIOKafkaConsumer(
            topic,
            bootstrap_servers=bootstrap,
            group_id=group,
            client_id=client_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            isolation_level="read_committed",
            max_poll_interval_ms=300_000,
            session_timeout_ms=10_000,
            heartbeat_interval_ms=2_000,
        )

    async def start(self) -> None:
        """Join the group."""
        await self._consumer.start()

    async def stop(self) -> None:
        """Leave the group so its partitions move at once."""
        with contextlib.suppress(KafkaError):
            await self._consumer.stop()

    async def fetch(self, max_records: int, timeout: float) -> list[Record]:
        """Up to ``max_records`` records from the assigned partitions."""
        batches = await self._consumer.getmany(timeout_ms=int(timeout * 1000), max_records=max_records)
        return [
            Record(tp.topic, tp.partition, r.offset, r.key.decode() if r.key else None, r.value or b"")
            for tp, records in batches.items()
            for r in records
        ]

    async def commit(self, records: list[Record]) -> None:
        """Commit the next offset after each partition's last processed record."""
        offsets: dict[TopicPartition, int] = {}
        for r in records:
            tp = TopicPartition(r.topic, r.partition)
            offsets[tp] = max(offsets.get(tp, 0), r.offset + 1)
        if not offsets:
            return
        try:
            await self._consumer.commit(offsets)
        except CommitFailedError:
            log.warning("offset commit failed after a rebalance; the new owner re-reads (decisions are idempotent)")
            await self.rewind()

    async def rewind(self) -> None:
        """Seek every assigned partition back to its committed offset."""
        for tp in self._consumer.assignment():
            committed = await self._consumer.committed(tp)
            if committed is None:
                await self._consumer.seek_to_beginning(tp)
            else:
                self._consumer.seek(tp, committed)
