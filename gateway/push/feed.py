"""The activity feed of one gateway process: one task reads new activity rows and hands each to the
subscribers of the agents it names.

Events travel through the database, never through this process's memory alone: whichever process wrote a
row (a router, another gateway), every gateway's feed reads it within ``poll_seconds``.

Ordering (see ``shared.db.activity``): on PostgreSQL a row can commit after a row with a higher id is visible.
The feed keeps a cursor (the highest id read) and the *gaps* below it, ids it has not seen yet; each read asks
for rows above the cursor or in a gap, and a gap is given up after ``SETTLE`` (a rolled-back insert leaves one
for good). A row is handed out when it first appears, so none is missed and none doubled.

Cheap when nobody listens: without subscribers the task sleeps and reads nothing. The first subscriber after
such a pause waits for one query that puts the cursor at the log's end (rows committed before it returns
are the subscriber's own first read's business: the long-poll and the stream read the database after
subscribing).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.push.events import ActivityRow
from shared.db.activity import SETTLE
from shared.db.models import Activity

log = logging.getLogger(__name__)

BATCH = 1000
"""Rows read at once; a full batch is followed by the next read at once."""
TAIL = 500
"""Ids behind the log's end checked for gaps when the feed (re)starts reading."""
MAX_GAPS = 10_000
"""Gaps remembered at once (the newest kept): past it, the oldest late commits may go unseen."""
MAX_PENDING = 1000
"""Rows one subscriber may leave unread; past it the subscriber is marked overflowed (a stream then ends and
its client resumes from the database with ``Last-Event-ID``)."""
RETRY_SECONDS = 1.0


class Subscription:
    """Rows for one agent, collected until the subscriber takes them."""

    def __init__(self, agent_id: str) -> None:
        self.agent_id = agent_id
        self.overflowed = False
        self._rows: deque[ActivityRow] = deque()
        self._ready = asyncio.Event()

    def put(self, row: ActivityRow) -> None:
        """Queue one row (called by the feed)."""
        if len(self._rows) >= MAX_PENDING:
            self.overflowed = True
        else:
            self._rows.append(row)
        self._ready.set()

    async def wait(self, timeout: float) -> list[ActivityRow]:
        """The rows that arrived, waiting up to ``timeout`` seconds for at least one (else an empty list)."""
        if not self._ready.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._ready.wait(), max(timeout, 0))
        rows = list(self._rows)
        self._rows.clear()
        self._ready.clear()
        return rows


class ActivityFeed:
    """Reads the activity log and fans rows out to subscriptions by agent id."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], *, poll_seconds: float) -> None:
        self._sessions = sessions
        self._poll_seconds = poll_seconds
        self._subs: dict[str, set[Subscription]] = {}
        self._cursor = 0
        self._gaps: dict[int, float] = {}
        self._live = False
        self._wanted = asyncio.Event()
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start the reading task."""
        self._task = asyncio.create_task(self._run(), name="push-feed")

    async def stop(self) -> None:
        """Stop the reading task."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    @property
    def listeners(self) -> int:
        """Open subscriptions."""
        return sum(len(s) for s in self._subs.values())

    @asynccontextmanager
    async def subscribe(self, agent_id: str) -> AsyncIterator[Subscription]:
        """Receive every row naming ``agent_id`` committed from now until the block ends."""
        sub = Subscription(agent_id)
        self._subs.setdefault(agent_id, set()).add(sub)
        try:
            if not self._live:
                async with self._lock:
                    if not self._live:
                        await self._catch_up_to_end()
                        self._live = True
                        self._wanted.set()
            yield sub
        finally:
            subs = self._subs.get(agent_id)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self._subs[agent_id]

    async def _run(self) -> None:
        while True:
            if not self._subs or not self._live:
                self._live = False
                self._wanted.clear()
                await self._wanted.wait()
                continue
            try:
                full = await self.poll()
            except Exception:
                log.exception("reading the activity log failed; retrying")
                await asyncio.sleep(RETRY_SECONDS)
                continue
            if not full:
                await asyncio.sleep(self._poll_seconds)

    async def _catch_up_to_end(self) -> None:
        """Put the cursor at the log's end, with the gaps of its tail (rows that may still commit)."""
        async with self._sessions() as session:
            ids = list(await session.scalars(select(Activity.id).order_by(Activity.id.desc()).limit(TAIL)))
        self._gaps.clear()
        self._cursor = ids[-1] - 1 if ids else 0
        self._note(ids)

    async def poll(self) -> bool:
        """Read and hand out what is new once; True when a full batch came back (read again at once)."""
        self._expire_gaps()
        wanted = Activity.id > self._cursor
        if self._gaps:
            wanted = or_(wanted, Activity.id.in_(sorted(self._gaps)))
        async with self._sessions() as session:
            found = list(await session.scalars(select(Activity).where(wanted).order_by(Activity.id).limit(BATCH)))
            rows = [detached(a) for a in found]
        fresh = self._note(r.id for r in rows)
        for row in rows:
            if row.id in fresh:
                self._dispatch(row)
        return len(rows) == BATCH

    def _note(self, ids: Iterable[int]) -> set[int]:
        """Record ids as seen (closing gaps, opening new ones below each); return those seen for the first time."""
        fresh: set[int] = set()
        deadline = time.monotonic() + SETTLE.total_seconds()
        for id_ in sorted(ids):
            if id_ > self._cursor:
                for missing in range(max(self._cursor + 1, id_ - MAX_GAPS), id_):
                    self._gaps[missing] = deadline
                self._cursor = id_
                fresh.add(id_)
            elif self._gaps.pop(id_, None) is not None:
                fresh.add(id_)
        if len(self._gaps) > MAX_GAPS:
            for id_ in sorted(self._gaps)[: len(self._gaps) - MAX_GAPS]:
                del self._gaps[id_]
        return fresh

    def _expire_gaps(self) -> None:
        now = time.monotonic()
        for id_ in [i for i, deadline in self._gaps.items() if deadline < now]:
            del self._gaps[id_]

    def _dispatch(self, row: ActivityRow) -> None:
        for agent_id in {row.agent_id, row.previous_agent_id}:
            if agent_id is not None:
                for sub in self._subs.get(agent_id, ()):
                    sub.put(row)


def detached(a: Activity) -> ActivityRow:
    """An ORM activity row as a plain value."""
    return ActivityRow(
        id=a.id,
        at=a.at,
        type=a.type,
        conversation_id=a.conversation_id,
        assignment_id=a.assignment_id,
        message_id=a.message_id,
        queue=a.queue,
        agent_id=a.agent_id,
        previous_agent_id=a.previous_agent_id,
        data=dict(a.data or {}),
    )


async def log_end(sessions: async_sessionmaker[AsyncSession]) -> int:
    """The highest activity id committed so far (0 for an empty log)."""
    async with sessions() as session:
        return int(await session.scalar(select(func.coalesce(func.max(Activity.id), 0))) or 0)


__all__ = ["ActivityFeed", "Subscription", "detached", "log_end"]
