"""The Kafka bus on aiokafka: idempotent ``acks=all`` producer, manually committed group consumers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import CommitFailedError, KafkaError, TopicAlreadyExistsError

from shared.bus.base import Record
from shared.bus.spool import Spool, Spooled
from shared.errors import BusUnavailable
from shared.topics import Topics

log = logging.getLogger(__name__)
PUBLISH_TIMEOUT_S = 5.0
"""The producer's request timeout."""
ACK_WAIT_S = 2.0
"""How long a publish waits for the broker before the record goes to the spool instead."""
FORWARD_BATCH = 500


class KafkaBus:
    """Apache Kafka behind the ``Bus`` port."""

    def __init__(
        self,
        bootstrap: str,
        *,
        topics: Topics | None = None,
        partitions: int = 12,
        client_id: str = "switchboard",
        spool: Spool | None = None,
    ) -> None:
        self.bootstrap = bootstrap
        self.topics = topics or Topics()
        self.partitions = partitions
        self.client_id = client_id
        self.spool = spool
        self._producer: AIOKafkaProducer | None = None
        self._forwarder: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()

    async def start(self) -> None:
        """Open the spool, create missing topics and connect the producer."""
        if self.spool is not None:
            self.spool.open()
        try:
            await self._start()
        except BaseException:
            if self.spool is not None:
                self.spool.close()
            raise
        if self.spool is not None:
            self._forwarder = asyncio.create_task(self._forward(self.spool), name="spool-forwarder")

    async def _start(self) -> None:
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
        """Flush and disconnect (what is still spooled stays on disk for the next start)."""
        if self._forwarder is not None:
            self._forwarder.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._forwarder
            self._forwarder = None
        if self.spool is not None:
            self.spool.close()
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
        """Return once the record is durable: acknowledged by all in-sync replicas, or in the spool.

        Without a spool, a broker that does not answer in time gets ``BusUnavailable``; the record may then
        still be delivered (it was in flight), so only a spool makes a refusal certain.
        """
        if self._producer is None:
            raise BusUnavailable("the bus is not connected")
        spool = self.spool
        if spool is not None and spool.pending:
            await self._spooled(spool, topic, key, value)  # behind what waits already, to keep the order
            return
        try:
            sending = self._producer.send_and_wait(topic, value, key=key.encode())
            await asyncio.wait_for(sending, ACK_WAIT_S if spool is not None else PUBLISH_TIMEOUT_S)
        except (KafkaError, TimeoutError) as exc:
            if spool is None:
                raise BusUnavailable(
                    f"the message broker did not acknowledge the message ({type(exc).__name__})"
                ) from exc
            await self._spooled(spool, topic, key, value)

    async def _spooled(self, spool: Spool, topic: str, key: str, value: bytes) -> None:
        try:
            await spool.append(Spooled(topic, key, value))
        except OSError as exc:
            raise BusUnavailable(f"neither the broker nor the local spool took the message ({exc.strerror})") from exc
        self._wake.set()

    async def _forward(self, spool: Spool) -> None:
        """Send spooled records in order, a batch at a time, until the broker acknowledges them."""
        last_adopt = time.monotonic()
        while True:
            if not spool.pending:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), 5.0)
                self._wake.clear()
                if time.monotonic() - last_adopt > 30:
                    spool.adopt()
                    last_adopt = time.monotonic()
                continue
            batch = spool.head(FORWARD_BATCH)
            try:
                await asyncio.wait_for(self._send_all(batch), ACK_WAIT_S)
            except (KafkaError, TimeoutError):
                await asyncio.sleep(0.1)  # sent again next turn: consumers dedupe by message id
                continue
            await spool.forwarded(len(batch))
            log.info("forwarded spooled records", extra={"count": len(batch), "pending": spool.pending})

    async def _send_all(self, batch: list[Spooled]) -> None:
        """Send records in order and wait for every acknowledgement."""
        assert self._producer is not None
        sent = [await self._producer.send(r.topic, r.value, key=r.key.encode()) for r in batch]
        await asyncio.gather(*sent)

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
