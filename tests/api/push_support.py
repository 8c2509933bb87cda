"""A small Server-Sent Events client over httpx streaming, for the push tests and the SSE benchmark."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass
class Frame:
    """One block of the stream: an event (``event`` set) or only comments and fields."""

    id: int | None = None
    event: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)


class Sse:
    """Frames read from an open ``text/event-stream`` response."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self._lines = response.aiter_lines()

    async def frame(self, timeout: float = 10) -> Frame:
        """The next block, within ``timeout`` seconds."""
        return await asyncio.wait_for(self._read(), timeout)

    async def _read(self) -> Frame:
        out = Frame()
        data: list[str] = []
        async for line in self._lines:
            if line == "":
                if data:
                    out.data = json.loads("\n".join(data))
                return out
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "":
                out.comments.append(value)
            elif name == "id":
                out.id = int(value)
            elif name == "event":
                out.event = value
            elif name == "data":
                data.append(value)
        raise EOFError("the stream ended")

    async def event(self, timeout: float = 10) -> Frame:
        """The next event, skipping heartbeats."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            got = await self.frame(max(deadline - loop.time(), 0.01))
            if got.event is not None:
                return got

    async def events_until_heartbeat(self, timeout: float = 10) -> list[Frame]:
        """Every event up to the next heartbeat (the stream has nothing more to say for now)."""
        out = []
        while True:
            got = await self.frame(timeout)
            if "heartbeat" in got.comments:
                return out
            if got.event is not None:
                out.append(got)


@asynccontextmanager
async def sse(client: httpx.AsyncClient, path: str = "/v1/agents/me/events", **headers: str) -> AsyncIterator[Sse]:
    """An open event stream, returned once the server has subscribed it (its first block has arrived)."""
    async with client.stream("GET", path, headers=headers) as response:
        assert response.status_code == 200, await response.aread()
        stream = Sse(response)
        first = await stream.frame()
        assert "connected" in first.comments
        yield stream
