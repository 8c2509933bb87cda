"""An agent's Server-Sent Events stream: what it missed (after ``Last-Event-ID``), then what happens, with
heartbeats, until the client leaves or the stream's lifetime ends.

The stream subscribes to the feed *before* it reads what was missed, and skips live rows it has already
replayed, so the two overlap without a gap or a double.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Iterable

from sqlalchemy import or_, select
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from gateway.push.events import ActivityRow, AgentEvent, agent_event
from gateway.push.feed import detached, log_end
from gateway.push.hub import Push
from shared.db.models import Activity

RETRY_MS = 2000
"""How long an ``EventSource`` waits before reconnecting (sent in the stream's first lines)."""
HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
"""No cache may keep the stream, no proxy may buffer it (``X-Accel-Buffering`` is nginx's switch)."""


class EventStream(StreamingResponse):
    """A ``text/event-stream`` answer that gives back its connection slot however it ends."""

    media_type = "text/event-stream"

    def __init__(self, content: AsyncIterator[bytes], release: Callable[[], None]) -> None:
        super().__init__(content, headers=HEADERS)
        self._release = release

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._release()


def frame(event: AgentEvent) -> bytes:
    """One event in the wire format."""
    data = event.model_dump_json(exclude_none=True)
    return f"id: {event.id}\nevent: {event.type}\ndata: {data}\n\n".encode()


def reset_frame(log_id: int, reason: str) -> bytes:
    """``stream.reset``: the client should read its assignments afresh; the stream goes on from ``log_id``."""
    data = json.dumps({"id": log_id, "type": "stream.reset", "reason": reason})
    return f"id: {log_id}\nevent: stream.reset\ndata: {data}\n\n".encode()


async def agent_events(push: Push, agent_id: str, last_event_id: int | None) -> AsyncIterator[bytes]:
    """The stream's bytes for ``agent_id``: replay after ``last_event_id`` (when given), then live events."""
    settings = push.settings
    loop = asyncio.get_running_loop()
    ends = loop.time() + settings.push_stream_max_seconds
    async with push.feed.subscribe(agent_id) as sub:
        yield f"retry: {RETRY_MS}\n: connected\n\n".encode()
        replayed: set[int] = set()
        if last_event_id is not None:
            rows = await _missed(push, agent_id, last_event_id)
            if rows is None:
                yield reset_frame(await log_end(push.sessions), "more events were missed than are replayed")
            else:
                replayed = {r.id for r in rows}
                for chunk in _frames(rows, agent_id):
                    yield chunk
        while (left := ends - loop.time()) > 0:
            rows = await sub.wait(min(settings.push_heartbeat_seconds, left))
            if sub.overflowed:
                return  # the client reconnects with Last-Event-ID and reads the rest from the database
            fresh = [r for r in rows if r.id not in replayed]
            for chunk in _frames(fresh, agent_id):
                yield chunk
            if not rows:
                yield b": heartbeat\n\n"


async def _missed(push: Push, agent_id: str, after: int) -> list[ActivityRow] | None:
    """The rows naming the agent after id ``after``, oldest first; None when there are more than are replayed."""
    limit = push.settings.push_replay_max
    async with push.sessions() as session:
        found = await session.scalars(
            select(Activity)
            .where(Activity.id > after, or_(Activity.agent_id == agent_id, Activity.previous_agent_id == agent_id))
            .order_by(Activity.id)
            .limit(limit + 1)
        )
        rows = [detached(a) for a in found]
    return None if len(rows) > limit else rows


def _frames(rows: Iterable[ActivityRow], agent_id: str) -> Iterable[bytes]:
    for row in rows:
        event = agent_event(row, agent_id)
        if event is not None:
            yield frame(event)


def stream_for(push: Push, key_id: str, agent_id: str, last_event_id: int | None) -> EventStream:
    """The agent's stream within the key's cap on open streams (``RateLimited``, 429, past it)."""
    release = push.caps.acquire(key_id, "stream")
    return EventStream(agent_events(push, agent_id, last_event_id), release)


__all__ = ["HEADERS", "EventStream", "agent_events", "frame", "reset_frame", "stream_for"]
