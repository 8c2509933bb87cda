"""Smoke tests of the integration harness: a real broker and a real PostgreSQL answer."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError

pytestmark = pytest.mark.integration


async def create_topic(bootstrap: str, partitions: int = 3) -> str:
    topic = f"it.smoke.{uuid.uuid4().hex[:12]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)])
    finally:
        await admin.close()
    return topic


async def produce(bootstrap: str, topic: str, records: list[tuple[bytes, bytes]], **kw: Any) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, **kw)
    await producer.start()
    try:
        for key, value in records:
            await producer.send_and_wait(topic, value=value, key=key)
    finally:
        await producer.stop()


async def consume(bootstrap: str, topic: str, count: int, timeout: float = 30.0) -> list[tuple[bytes, bytes]]:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"it-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    got: list[tuple[bytes, bytes]] = []
    try:
        deadline = time.monotonic() + timeout
        while len(got) < count and time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=500)
            for records in batches.values():
                got.extend((r.key, r.value) for r in records)
        await consumer.commit()
    finally:
        await consumer.stop()
    return got


async def test_topics_are_not_auto_created(kafka_bootstrap: str) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all", request_timeout_ms=3000)
    await producer.start()
    try:
        with pytest.raises(KafkaError):
            await asyncio.wait_for(producer.send_and_wait(f"it.absent.{uuid.uuid4().hex}", b"x"), 10)
    finally:
        await producer.stop()


async def test_the_session_database_is_the_switchboard_database(postgres_url: str) -> None:
    conn = await asyncpg.connect(postgres_url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        assert await conn.fetchval("SELECT current_database()") == "switchboard"
    finally:
        await conn.close()


async def test_fresh_database_is_empty_and_its_own(fresh_database: Any, postgres_url: str) -> None:
    assert fresh_database.url.startswith("postgresql+asyncpg://")
    assert fresh_database.url != postgres_url
    conn = await asyncpg.connect(fresh_database.dsn)
    try:
        assert await conn.fetchval("SELECT current_database()") == fresh_database.name
        tables = await conn.fetchval("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
        assert tables == 0
    finally:
        await conn.close()


async def test_migrated_database_is_at_the_head_revision_and_its_own(migrated_database: Any) -> None:
    from alembic.script import ScriptDirectory

    from shared.db.migrate import alembic_config

    head = ScriptDirectory.from_config(alembic_config(migrated_database.url)).get_current_head()
    conn = await asyncpg.connect(migrated_database.dsn)
    try:
        assert await conn.fetchval("SELECT current_database()") == migrated_database.name
        assert await conn.fetchval("SELECT version_num FROM alembic_version") == head
        assert await conn.fetchval("SELECT count(*) FROM messages") == 0
    finally:
        await conn.close()


@pytest.mark.slow
async def test_broker_stop_and_restart_keeps_data(kafka_broker: Any) -> None:
    bootstrap = kafka_broker.bootstrap
    topic = await create_topic(bootstrap, partitions=1)
    await produce(bootstrap, topic, [(b"k", b"before")])

    kafka_broker.stop()
    assert not kafka_broker.answers()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", request_timeout_ms=2000)
    with pytest.raises(KafkaError):
        await producer.start()  # nothing listens: fails fast, does not hang
    await producer.stop()

    assert kafka_broker.start() == bootstrap  # same address, same data
    await produce(bootstrap, topic, [(b"k", b"after")])
    got = await consume(bootstrap, topic, 2)
    assert [v for _, v in got] == [b"before", b"after"]
