"""Agents' replies to chat visitors: pushed to the visitor's open sockets, kept for the next resume otherwise.

Replies reach the chat through the database, not process memory: a reply recorded by any gateway is picked
up by whichever process holds the visitor's socket. Each process with open chat sockets runs one poller
(started with the first socket, ended with the last) that pushes the pending replies of its sessions and
marks them ``sent``. A socket that opens or resumes first gets every reply the widget has not acknowledged
(``seen``); delivery is at least once, so the widget drops a ``reply`` whose ``id`` it already shows.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.websockets import WebSocket

from services.chat.limits import Hub
from services.chat.parse import reply_frame
from services.common import AdapterDeps
from shared.db.models import Reply

log = logging.getLogger(__name__)
BATCH = 200
SESSIONS_PER_QUERY = 500


def _frame(row: Reply) -> dict[str, object]:
    return reply_frame(row.id, row.text, row.author, row.created_at)


async def unseen(sessions: async_sessionmaker[AsyncSession], session_id: str) -> list[Reply]:
    """The session's replies the widget has not acknowledged, oldest first (bounded)."""
    async with sessions() as session:
        rows = await session.scalars(
            select(Reply)
            .where(Reply.channel == "chat", Reply.recipient == session_id, Reply.seen_at.is_(None))
            .order_by(Reply.created_at, Reply.id)
            .limit(BATCH)
        )
        return list(rows)


async def mark_sent(sessions: async_sessionmaker[AsyncSession], reply_ids: Sequence[str]) -> None:
    """The replies were pushed to a socket of their visitor."""
    if not reply_ids:
        return
    now = datetime.now(UTC)
    async with sessions() as session:
        await session.execute(
            update(Reply)
            .where(Reply.id.in_(list(reply_ids)), Reply.status == "pending")
            .values(status="sent", sent_at=now, attempts=Reply.attempts + 1, provider_ref="chat")
        )
        await session.commit()


async def mark_seen(sessions: async_sessionmaker[AsyncSession], session_id: str, reply_id: str) -> None:
    """The widget shows ``reply_id``: it and the session's earlier replies are seen (and so sent)."""
    now = datetime.now(UTC)
    async with sessions() as session:
        last = await session.scalar(
            select(Reply.created_at).where(Reply.id == reply_id, Reply.recipient == session_id, Reply.channel == "chat")
        )
        if last is None:
            return
        mine = (Reply.channel == "chat", Reply.recipient == session_id, Reply.created_at <= last)
        await session.execute(update(Reply).where(*mine, Reply.seen_at.is_(None)).values(seen_at=now))
        delivered = {"status": "sent", "sent_at": now, "provider_ref": "chat"}
        await session.execute(update(Reply).where(*mine, Reply.status == "pending").values(**delivered))
        await session.commit()


async def push(sockets: frozenset[WebSocket], frames: list[dict[str, object]]) -> bool:
    """Send the frames to each socket; whether at least one socket took them all."""
    delivered = False
    for socket in sockets:
        try:
            for frame in frames:
                await socket.send_json(frame)
        except Exception as exc:  # a socket closing meanwhile: its own loop ends it
            log.debug("chat push to a closing socket failed", extra={"error": type(exc).__name__})
        else:
            delivered = True
    return delivered


async def send_backlog(deps: AdapterDeps, session_id: str, socket: WebSocket) -> None:
    """On open or resume: the replies the widget has not acknowledged, to this socket."""
    rows = await unseen(deps.sessions, session_id)
    if rows and await push(frozenset({socket}), [_frame(r) for r in rows]):
        await mark_sent(deps.sessions, [r.id for r in rows if r.status == "pending"])


class ChatOutbox:
    """The poller of one process's chat sockets."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self._task: asyncio.Task[None] | None = None

    def ensure_running(self, deps: AdapterDeps) -> None:
        """Start the poller unless it runs (called when a socket opens)."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._loop(deps), name="chat-outbox")

    def stop_if_idle(self) -> None:
        """End the poller once no socket is open here (called when a socket closes)."""
        if not self.hub.open and self._task is not None:
            self._task.cancel()
            self._task = None

    async def _loop(self, deps: AdapterDeps) -> None:
        while self.hub.open:
            try:
                await self.push_pending(deps)
            except Exception:
                log.exception("chat reply push failed")
            await asyncio.sleep(deps.settings.reply_poll_seconds)

    async def push_pending(self, deps: AdapterDeps) -> int:
        """Push the pending replies of the sessions open here; returns how many were delivered."""
        open_sessions = list(self.hub.open)
        delivered: list[str] = []
        for start in range(0, len(open_sessions), SESSIONS_PER_QUERY):
            chunk = open_sessions[start : start + SESSIONS_PER_QUERY]
            async with deps.sessions() as session:
                rows = list(
                    await session.scalars(
                        select(Reply)
                        .where(Reply.channel == "chat", Reply.status == "pending", Reply.recipient.in_(chunk))
                        .order_by(Reply.created_at, Reply.id)
                        .limit(BATCH)
                    )
                )
            for row in rows:
                if await push(self.hub.sockets(row.recipient), [_frame(row)]):
                    delivered.append(row.id)
        await mark_sent(deps.sessions, delivered)
        return len(delivered)


__all__ = ["ChatOutbox", "mark_seen", "send_backlog", "unseen"]
