"""The bus contract: one suite, run against every implementation of the ``Bus`` port.

The embedded bus (on SQLite, as ``make run`` uses it, and on PostgreSQL, as the API suite does) and
``KafkaBus`` on the real broker the harness starts must behave alike wherever the router relies on
it: durable publish, per-key order, commit, redelivery of what was not committed after a consumer
goes away, rewind to the committed position, independent groups.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import pytest

from shared.bus import Bus, Consumer, EmbeddedBus, Record
from shared.bus.kafka import KafkaBus
from shared.db.migrate import upgrade_async
from shared.db.session import create_engine
from shared.errors import BusUnavailable
from shared.topics import Topics
from tests.harness import Database, needs_servers, new_database, run_async

KAFKA_PARTITIONS = 3


@dataclass
class BusUnderTest:
    """A started bus, a topic of its own, and consumer groups named apart from other tests'."""

    bus: Bus
    topic: str
    prefix: str

    def consumer(self, group: str) -> Consumer:
        return self.bus.consumer(self.topic, f"{self.prefix}-{group}")

    async def publish(self, records: list[tuple[str, str]]) -> None:
        """Publish ``(key, value)`` pairs one after another (so their order is defined)."""
        for key, value in records:
            await self.bus.publish(self.topic, key, value.encode())


@pytest.fixture(scope="module")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One migrated SQLite file for the module; tests keep apart by topic and group."""
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('bus') / 'bus.db'}"
    run_async(upgrade_async(url))
    return url


@pytest.fixture(scope="module")
def postgres_bus_database(request: pytest.FixtureRequest) -> Iterator[Database]:
    """One migrated PostgreSQL database for the module (only when a PostgreSQL case runs)."""
    with new_database(request.getfixturevalue("postgres_url")) as database:
        run_async(upgrade_async(database.url))
        yield database


@pytest.fixture(
    params=[
        "embedded-sqlite",
        pytest.param("embedded-postgres", marks=needs_servers("postgres_url")),
        pytest.param("kafka", marks=needs_servers("kafka_bootstrap")),
    ]
)
async def subject(request: pytest.FixtureRequest) -> AsyncIterator[BusUnderTest]:
    """Each implementation, started, with a fresh topic."""
    prefix = f"ct{uuid.uuid4().hex[:10]}"
    if request.param == "kafka":
        bus: Bus = KafkaBus(
            request.getfixturevalue("kafka_bootstrap"),
            topics=Topics.for_namespace(prefix),
            partitions=KAFKA_PARTITIONS,
            client_id=prefix,
        )
        await bus.start()
        try:
            yield BusUnderTest(bus, Topics.for_namespace(prefix).inbound, prefix)
        finally:
            await bus.stop()
        return
    if request.param == "embedded-sqlite":
        url = request.getfixturevalue("sqlite_url")
    else:
        url = request.getfixturevalue("postgres_bus_database").url
    engine = create_engine(url)
    bus = EmbeddedBus(engine)
    await bus.start()
    try:
        yield BusUnderTest(bus, f"{prefix}.topic", prefix)
    finally:
        await bus.stop()
        await engine.dispose()


async def started(subject: BusUnderTest, group: str) -> Consumer:
    consumer = subject.consumer(group)
    await consumer.start()
    return consumer


async def fetch_at_least(consumer: Consumer, count: int, timeout: float = 30.0) -> list[Record]:
    """Fetch until ``count`` records have arrived (a Kafka consumer first has to join its group)."""
    got: list[Record] = []
    deadline = asyncio.get_running_loop().time() + timeout
    while len(got) < count:
        left = deadline - asyncio.get_running_loop().time()
        if left <= 0:
            pytest.fail(f"{len(got)} of {count} records arrived within {timeout}s")
        got += await consumer.fetch(count - len(got), min(left, 1.0))
    return got


def values(records: list[Record]) -> list[str]:
    return [r.value.decode() for r in records]


def by_key(records: list[Record]) -> dict[str | None, list[str]]:
    grouped: dict[str | None, list[str]] = {}
    for r in records:
        grouped.setdefault(r.key, []).append(r.value.decode())
    return grouped


async def test_published_records_are_fetched_with_their_keys_and_values(subject: BusUnderTest) -> None:
    await subject.publish([("conv-1", "hello"), ("conv-2", "hej")])
    consumer = await started(subject, "g")
    try:
        got = await fetch_at_least(consumer, 2)
    finally:
        await consumer.stop()
    assert sorted((r.key, r.value) for r in got) == [("conv-1", b"hello"), ("conv-2", b"hej")]
    assert {r.topic for r in got} == {subject.topic}


async def test_records_of_one_key_arrive_in_the_order_they_were_published(subject: BusUnderTest) -> None:
    published = [(f"conv-{i % 5}", f"message {i}") for i in range(40)]
    await subject.publish(published)
    consumer = await started(subject, "g")
    try:
        got = await fetch_at_least(consumer, len(published))
    finally:
        await consumer.stop()
    expected: dict[str | None, list[str]] = {}
    for key, value in published:
        expected.setdefault(key, []).append(value)
    assert by_key(got) == expected
    partitions = {key: {r.partition for r in got if r.key == key} for key in expected}
    assert all(len(p) == 1 for p in partitions.values()), "one key lives in one partition"


async def test_a_new_member_resumes_after_the_committed_records(subject: BusUnderTest) -> None:
    await subject.publish([("conv", f"m{i}") for i in range(10)])
    first = await started(subject, "g")
    try:
        got = await fetch_at_least(first, 10)
        await first.commit(got[:4])
    finally:
        await first.stop()
    second = await started(subject, "g")
    try:
        resumed = await fetch_at_least(second, 6)
        assert await second.fetch(10, 0.5) == [], "nothing committed comes back"
    finally:
        await second.stop()
    assert values(resumed) == [f"m{i}" for i in range(4, 10)]


async def test_records_a_stopped_consumer_never_committed_are_delivered_again(subject: BusUnderTest) -> None:
    published = [(f"conv-{i % 3}", f"m{i}") for i in range(12)]
    await subject.publish(published)
    crashed = await started(subject, "g")
    try:
        seen = await fetch_at_least(crashed, len(published))
    finally:
        await crashed.stop()  # gone before it recorded anything: no commit
    assert sorted(values(seen)) == sorted(v for _, v in published)
    successor = await started(subject, "g")
    try:
        again = await fetch_at_least(successor, len(published))
    finally:
        await successor.stop()
    assert sorted(values(again)) == sorted(v for _, v in published)
    assert by_key(again) == by_key(seen), "redelivered in the same order per key"


async def test_rewind_returns_to_the_committed_position(subject: BusUnderTest) -> None:
    await subject.publish([("conv", f"m{i}") for i in range(6)])
    consumer = await started(subject, "g")
    try:
        got = await fetch_at_least(consumer, 6)
        await consumer.commit(got[:2])
        await consumer.rewind()
        replayed = await fetch_at_least(consumer, 4)
    finally:
        await consumer.stop()
    assert values(replayed) == ["m2", "m3", "m4", "m5"]


async def test_rewind_before_any_commit_starts_from_the_beginning(subject: BusUnderTest) -> None:
    await subject.publish([("conv", f"m{i}") for i in range(3)])
    consumer = await started(subject, "g")
    try:
        await fetch_at_least(consumer, 3)
        await consumer.rewind()
        replayed = await fetch_at_least(consumer, 3)
    finally:
        await consumer.stop()
    assert values(replayed) == ["m0", "m1", "m2"]


async def test_each_group_reads_every_record_whatever_the_others_committed(subject: BusUnderTest) -> None:
    await subject.publish([("conv", f"m{i}") for i in range(5)])
    router = await started(subject, "router")
    try:
        await router.commit(await fetch_at_least(router, 5))
    finally:
        await router.stop()
    auditor = await started(subject, "audit")
    try:
        assert values(await fetch_at_least(auditor, 5)) == [f"m{i}" for i in range(5)]
    finally:
        await auditor.stop()


async def test_a_waiting_fetch_returns_when_a_record_arrives_not_at_its_timeout(subject: BusUnderTest) -> None:
    consumer = await started(subject, "g")
    try:
        await subject.publish([("conv", "first")])
        await fetch_at_least(consumer, 1)  # joined and positioned
        waiting = asyncio.create_task(consumer.fetch(10, 120.0))
        await subject.publish([("conv", "second")])
        got = await asyncio.wait_for(waiting, 20.0)
    finally:
        await consumer.stop()
    assert values(got) == ["second"]


async def test_a_stopped_bus_refuses_to_publish_and_is_not_ready(subject: BusUnderTest) -> None:
    assert await subject.bus.ready()
    await subject.bus.stop()
    assert not await subject.bus.ready()
    with pytest.raises(BusUnavailable):
        await subject.bus.publish(subject.topic, "conv", b"late")
    await subject.bus.start()  # the fixture stops it again
