"""The embedded bus: records live in the database; writes are group-committed (one fsync per batch).

A record may carry a message receipt (who posted the message): it is written in the same transaction as the
record, so a message is readable back exactly when it is durable, at no extra commit."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import Iterator, Sequence

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.bus.base import Record
from shared.db.inserts import insert_ignoring_duplicates
from shared.db.models import BusRecord, ConsumerOffset, MessageReceipt, utcnow
from shared.db.session import READ_ONLY
from shared.errors import BusUnavailable

log = logging.getLogger(__name__)

Receipt = tuple[str, str]
"""(message id, key id) of a message posted through the API."""
_Pending = tuple[str, str, bytes, Receipt | None, "asyncio.Future[None]"]


class EmbeddedBus:
    """A durable single-partition log per topic in the application's own database."""

    def __init__(self, engine: AsyncEngine, *, flush_max: int = 512) -> None:
        self._engine = engine
        self._flush_max = flush_max
        self._sqlite: sqlite3.Connection | None = None
        self._pending: list[_Pending] = []
        self._queued = asyncio.Event()
        self._unwritten = 0
        self._drained = asyncio.Event()
        self._drained.set()
        self._writer: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._appended = asyncio.Event()

    async def start(self) -> None:
        """Start the group-commit writer."""
        if self._writer is None:
            self._loop = asyncio.get_running_loop()
            if self._engine.url.get_backend_name() == "sqlite" and self._engine.url.database:
                self._sqlite = await asyncio.to_thread(_open_sqlite, self._engine.url.database)
            self._writer = asyncio.create_task(self._write_loop(), name="embedded-bus-writer")

    async def stop(self) -> None:
        """Write what is queued, then stop the writer."""
        if self._writer is None:
            return
        await self._drained.wait()
        self._writer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._writer
        self._writer = None
        if self._sqlite is not None:
            self._sqlite.close()
            self._sqlite = None

    async def publish(self, topic: str, key: str, value: bytes, *, receipt: Receipt | None = None) -> None:
        """Queue the record (and its receipt) for the next group commit and wait until it is on disk."""
        if self._writer is None or self._loop is None:
            raise BusUnavailable("the bus is not running")
        done: asyncio.Future[None] = self._loop.create_future()  # the loop of start(): no getpid() a message
        self._pending.append((topic, key, value, receipt, done))
        self._unwritten += 1
        self._drained.clear()
        self._queued.set()
        await done

    async def ready(self) -> bool:
        """Ready while the writer runs."""
        return self._writer is not None and not self._writer.done()

    def consumer(self, topic: str, group: str) -> EmbeddedConsumer:
        """A consumer reading ``topic`` from the group's committed offset."""
        return EmbeddedConsumer(self._engine, topic, group, self._appended)

    async def _write_loop(self) -> None:
        while True:
            await self._queued.wait()
            self._queued.clear()
            while self._pending:
                batch = self._pending[: self._flush_max]
                del self._pending[: self._flush_max]
                await self._write_batch(batch)

    async def _write_batch(self, batch: list[_Pending]) -> None:
        """Write one group commit and answer its publishers; the caller gets the error, the writer goes on."""
        try:
            await self._write(batch)
        except Exception as exc:
            log.exception("embedded bus write failed", extra={"records": len(batch)})
            for *_, done in batch:
                if not done.done():
                    done.set_exception(BusUnavailable(f"could not store the message: {type(exc).__name__}"))
        else:
            for *_, done in batch:
                if not done.done():
                    done.set_result(None)
            self._appended.set()
        self._unwritten -= len(batch)
        if not self._unwritten:
            self._drained.set()

    async def _write(self, batch: list[_Pending]) -> None:
        now = utcnow()
        receipts = [r for *_, r, _ in batch if r is not None]
        if self._sqlite is not None:
            stamp = now.replace(tzinfo=None).isoformat(sep=" ")
            records = [(t, k, v, stamp) for t, k, v, _, _ in batch]
            await asyncio.to_thread(_append_sqlite, self._sqlite, records, [(m, k, stamp) for m, k in receipts])
            return
        rows = [{"topic": t, "key": k, "value": v, "created_at": now} for t, k, v, _, _ in batch]
        async with self._engine.begin() as conn:
            await conn.execute(insert(BusRecord), rows)
            if receipts:
                await conn.execute(
                    insert_ignoring_duplicates(MessageReceipt, conn.dialect.name),
                    [{"message_id": m, "key_id": k, "accepted_at": now} for m, k in receipts],
                )


def _open_sqlite(path: str) -> sqlite3.Connection:
    """The writer's own connection: plain sqlite3, so a group commit costs one call and one fsync. It does not
    use SQLite's busy handler (``_append_sqlite`` waits for the write lock itself)."""
    conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA busy_timeout=0")
    return conn


_RECORDS = "INSERT INTO bus_records (topic, key, value, created_at) VALUES "
_RECEIPTS = "INSERT OR IGNORE INTO message_receipts (message_id, key_id, accepted_at) VALUES "
_ROWS_PER_STATEMENT = 200
"""At most 800 parameters a statement: within the 999 of the oldest SQLite builds."""


_LOCK_POLL_SECONDS = 0.0005
_LOCK_WAIT_SECONDS = 30.0


def _append_sqlite(
    conn: sqlite3.Connection, rows: list[tuple[str, str, bytes, str]], receipts: list[tuple[str, str, str]]
) -> None:
    """Append a batch and its receipts in one transaction (runs in a worker thread; the write loop is
    sequential), waiting up to 30 s for the database's write lock. A retried post's receipt is already there:
    kept as first written.

    The lock is polled every half millisecond rather than left to SQLite's busy handler, whose sleeps grow to
    100 ms: in embedded mode the router's transactions take the lock many times a second, and every publisher
    of a batch waited out the whole sleep after the lock was free.
    """
    statements = [*_statements(_RECORDS, rows), *_statements(_RECEIPTS, receipts)]
    deadline = time.monotonic() + _LOCK_WAIT_SECONDS
    while True:
        try:
            _execute(conn, statements)
            return
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise
        time.sleep(_LOCK_POLL_SECONDS)


def _execute(conn: sqlite3.Connection, statements: list[tuple[str, list[object]]]) -> None:
    """Run ``statements`` as one transaction, or fail having written nothing.

    Multi-row statements, not ``executemany``: each statement step gives up the GIL and must take it back from
    the event loop, which holds it while it serves requests, so row by row the writer queued behind the loop
    once per row. A batch that fits one statement (no receipts) is that statement alone: an SQLite statement
    outside a transaction is a transaction of its own, committed (and synced) before it returns.
    """
    if len(statements) == 1:
        conn.execute(*statements[0])
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        for sql, params in statements:
            conn.execute(sql, params)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _statements(insert: str, rows: Sequence[tuple[object, ...]]) -> Iterator[tuple[str, list[object]]]:
    """``insert`` for ``rows``, in order, at most ``_ROWS_PER_STATEMENT`` rows a statement."""
    for start in range(0, len(rows), _ROWS_PER_STATEMENT):
        chunk = rows[start : start + _ROWS_PER_STATEMENT]
        placeholders = "(" + ", ".join("?" * len(chunk[0])) + ")"
        yield insert + ", ".join([placeholders] * len(chunk)), [value for row in chunk for value in row]


class EmbeddedConsumer:
    """The one consumer of a group in embedded mode; position in memory, committed in the database."""

    def __init__(self, engine: AsyncEngine, topic: str, group: str, appended: asyncio.Event) -> None:
        self._engine = engine
        self._reader = engine.execution_options(**{READ_ONLY: True})
        self._topic = topic
        self._group = group
        self._appended = appended
        self._position = 0

    async def start(self) -> None:
        """Resume from the committed offset."""
        await self.rewind()

    async def stop(self) -> None:
        """Nothing to release: the position is committed explicitly."""

    async def rewind(self) -> None:
        """Go back to the committed offset."""
        async with self._reader.connect() as conn:
            committed = await conn.scalar(
                select(ConsumerOffset.offset).where(
                    ConsumerOffset.group == self._group, ConsumerOffset.topic == self._topic
                )
            )
        self._position = committed or 0

    async def fetch(self, max_records: int, timeout: float) -> list[Record]:
        """Records after the position; waits for the writer's signal up to ``timeout`` s when none."""
        self._appended.clear()
        records = await self._read(max_records)
        if not records and timeout > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._appended.wait(), timeout)
            records = await self._read(max_records)
        if records:
            self._position = records[-1].offset
        return records

    async def commit(self, records: list[Record]) -> None:
        """Store the highest offset of ``records`` as the group's position."""
        if not records:
            return
        offset = max(r.offset for r in records)
        async with self._engine.begin() as conn:
            row = await conn.scalar(
                select(func.count())
                .select_from(ConsumerOffset)
                .where(ConsumerOffset.group == self._group, ConsumerOffset.topic == self._topic)
            )
            if row:
                await conn.execute(
                    update(ConsumerOffset)
                    .where(ConsumerOffset.group == self._group, ConsumerOffset.topic == self._topic)
                    .values(offset=offset)
                )
            else:
                await conn.execute(insert(ConsumerOffset).values(group=self._group, topic=self._topic, offset=offset))

    async def _read(self, max_records: int) -> list[Record]:
        stmt = (
            select(BusRecord.offset, BusRecord.key, BusRecord.value)
            .where(BusRecord.topic == self._topic, BusRecord.offset > self._position)
            .order_by(BusRecord.offset)
            .limit(max_records)
        )
        async with self._reader.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        return [Record(self._topic, 0, off, key, bytes(value)) for off, key, value in rows]
