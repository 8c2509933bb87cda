"""The push machinery of one gateway process (the activity feed and the per-key caps), opened with the app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.push.caps import ConnectionCaps
from gateway.push.feed import ActivityFeed
from shared.settings import Settings


@dataclass(frozen=True)
class Push:
    """What the long-poll and the event stream share in one process."""

    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    feed: ActivityFeed
    caps: ConnectionCaps


@asynccontextmanager
async def running(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[Push]:
    """Start the feed for the app's lifetime; stop it afterwards."""
    feed = ActivityFeed(sessions, poll_seconds=settings.push_poll_seconds)
    caps = ConnectionCaps({"long-poll": settings.push_longpolls_per_key, "stream": settings.push_streams_per_key})
    await feed.start()
    try:
        yield Push(settings=settings, sessions=sessions, feed=feed, caps=caps)
    finally:
        await feed.stop()


async def get_push(request: Request) -> Push:
    """The process's push machinery, set by the app's lifespan."""
    push: Push = request.app.state.push
    return push


PushDep = Annotated[Push, Depends(get_push)]

__all__ = ["Push", "PushDep", "get_push", "running"]
