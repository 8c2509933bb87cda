"""The embedded bus on SQLite writes a group commit as a few multi-row statements: what is published together
is stored together, in the order it was queued, with its receipts, and a failed batch stores nothing."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from shared.bus import EmbeddedBus
from shared.bus.embedded import _append_sqlite
from shared.db.migrate import upgrade_async
from shared.db.session import READ_ONLY, create_engine
from shared.errors import BusUnavailable

TOPIC = "batches.topic"


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[tuple[EmbeddedBus, Path]]:
    """A started embedded bus on a migrated SQLite file, and the file."""
    path = tmp_path / "bus.db"
    url = f"sqlite+aiosqlite:///{path}"
    await upgrade_async(url)
    engine = create_engine(url)
    bus = EmbeddedBus(engine)
    await bus.start()
    try:
        yield bus, path
    finally:
        await bus.stop()
        await engine.dispose()


def stored(path: Path) -> tuple[list[tuple[str, bytes]], set[tuple[str, str]]]:
    """The topic's records (key, value) in offset order, and the receipts (message id, key id)."""
    with sqlite3.connect(path) as conn:
        query = "SELECT key, value FROM bus_records WHERE topic = ? ORDER BY offset"
        records = conn.execute(query, (TOPIC,)).fetchall()
        receipts = set(conn.execute("SELECT message_id, key_id FROM message_receipts").fetchall())
    return [(k, bytes(v)) for k, v in records], receipts


@pytest.mark.parametrize("count", [1, 7, 450])
async def test_records_published_together_are_stored_in_the_order_they_were_queued(
    database: tuple[EmbeddedBus, Path], count: int
) -> None:
    bus, path = database
    published = [(f"conv-{i % 7}", f"message {i}".encode()) for i in range(count)]
    receipts = {i: (f"m-{i}", "key-1") for i in range(0, count, 3)}
    await asyncio.gather(*(bus.publish(TOPIC, k, v, receipt=receipts.get(i)) for i, (k, v) in enumerate(published)))
    records, got_receipts = stored(path)
    assert records == published
    assert got_receipts == set(receipts.values())


async def test_a_retried_receipt_keeps_the_first_one_written(database: tuple[EmbeddedBus, Path]) -> None:
    bus, path = database
    await bus.publish(TOPIC, "conv", b"first", receipt=("m-1", "key-1"))
    await asyncio.gather(bus.publish(TOPIC, "conv", b"again", receipt=("m-1", "key-2")),
                         bus.publish(TOPIC, "conv", b"other", receipt=("m-2", "key-2")))  # fmt: skip
    records, receipts = stored(path)
    assert [v for _, v in records] == [b"first", b"again", b"other"]
    assert receipts == {("m-1", "key-1"), ("m-2", "key-2")}


@pytest.mark.parametrize("count", [1, 450])
def test_a_batch_that_fails_stores_nothing(tmp_path: Path, count: int) -> None:
    path = tmp_path / "bus.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE bus_records (offset INTEGER PRIMARY KEY, topic TEXT, key TEXT NOT NULL, value BLOB,"
                 " created_at TEXT)")  # fmt: skip
    rows: list[tuple[str, str, bytes, str]] = [(TOPIC, "conv", b"v", "2026-01-01 00:00:00")] * count
    broken = [*rows[:-1], (TOPIC, None, b"v", "2026-01-01 00:00:00")]  # the last row breaks NOT NULL
    with pytest.raises(sqlite3.IntegrityError):
        _append_sqlite(conn, broken, [])  # type: ignore[arg-type]
    assert conn.execute("SELECT count(*) FROM bus_records").fetchone() == (0,)
    assert not conn.in_transaction


async def test_a_failed_group_commit_refuses_all_its_records_and_the_bus_goes_on(
    database: tuple[EmbeddedBus, Path],
) -> None:
    bus, path = database
    results = await asyncio.gather(
        bus.publish(TOPIC, "conv", b"fine"),
        bus.publish(TOPIC, "conv", None),  # type: ignore[arg-type]  # breaks the batch: value is NOT NULL
        return_exceptions=True,
    )
    assert [type(r) for r in results] == [BusUnavailable, BusUnavailable]
    await bus.publish(TOPIC, "conv", b"later")
    records, _ = stored(path)
    assert records == [("conv", b"later")]


async def test_a_group_commit_waits_for_another_writer_and_then_lands(database: tuple[EmbeddedBus, Path]) -> None:
    bus, path = database
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer (a router's transaction) holds the write lock
    try:
        publishing = asyncio.create_task(bus.publish(TOPIC, "conv", b"waited"))
        done, _ = await asyncio.wait({publishing}, timeout=0.2)
        assert not done, "nothing is durable while another connection holds the write lock"
    finally:
        other.execute("COMMIT")
        other.close()
    await publishing
    records, _ = stored(path)
    assert records == [("conv", b"waited")]


async def test_the_consumer_reads_while_another_connection_holds_the_write_lock(
    database: tuple[EmbeddedBus, Path],
) -> None:
    bus, path = database
    await bus.publish(TOPIC, "conv", b"one")
    consumer = bus.consumer(TOPIC, "g")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        await consumer.start()
        assert [r.value for r in await consumer.fetch(10, 0)] == [b"one"]
    finally:
        other.execute("ROLLBACK")
        other.close()


async def test_a_read_only_transaction_takes_no_write_lock(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    url = f"sqlite+aiosqlite:///{path}"
    await upgrade_async(url)
    engine = create_engine(url)
    try:
        async with engine.execution_options(**{READ_ONLY: True}).connect() as conn:
            await conn.exec_driver_sql("SELECT count(*) FROM bus_records")
            assert conn.in_transaction()
            writer = sqlite3.connect(path, isolation_level=None, timeout=0)
            writer.execute("BEGIN IMMEDIATE")  # fails at once (database is locked) if the reader held the lock
            writer.execute("ROLLBACK")
            writer.close()
        async with engine.connect() as conn:
            await conn.exec_driver_sql("SELECT count(*) FROM bus_records")
            writer = sqlite3.connect(path, isolation_level=None, timeout=0)
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                writer.execute("BEGIN IMMEDIATE")  # any other transaction takes the lock when it begins
            writer.close()
    finally:
        await engine.dispose()
