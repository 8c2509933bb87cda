"""Engine and session factory; created by a composition root, never at import time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL with full sync: a commit is on disk when it returns; writers wait instead of failing."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


READ_ONLY = "switchboard_read_only"
"""Execution option of an engine or connection that only reads (``engine.execution_options(**{READ_ONLY: True})``)."""


def _sqlite_begin(connection: Any) -> None:
    """Take the write lock when a transaction starts: a deferred transaction that reads and then writes
    fails at once (SQLITE_BUSY, no waiting) if another connection wrote in between. One marked ``READ_ONLY``
    begins deferred: in WAL mode a reader waits for no one, and a reader holding the write lock across its
    awaits kept every writer (the bus's group commits first) waiting for it."""
    if connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_engine(database_url: str, *, pool_size: int = 10) -> AsyncEngine:
    """Create the async engine for a URL, preparing SQLite files and pragmas."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        return engine
    return create_async_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)
