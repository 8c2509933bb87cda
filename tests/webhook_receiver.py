"""A real webhook receiver for tests: uvicorn on loopback, serving an ASGI app that records every POST,
checks its signature with its own HMAC (not Switchboard's code), and fails each event's first attempts."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.types import Receive, Scope, Send


@dataclass
class Received:
    """One POST the receiver answered."""

    event: dict[str, Any]
    signature_ok: bool
    status: int


@dataclass
class Receiver:
    """Answers 500 to the first ``fail_first`` attempts of each event id, then 200."""

    secret: str
    fail_first: int = 0
    attempts: dict[str, int] = field(default_factory=dict)
    log: list[Received] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    url: str = ""

    @property
    def accepted(self) -> list[dict[str, Any]]:
        """The events answered 2xx, in the order they arrived."""
        return [r.event for r in self.log if r.status == 200]

    def signature_ok(self, header: str, body: bytes) -> bool:
        """Check ``t=<unix>,v1=<hex>`` independently: HMAC-SHA256 of ``t.body``, within five minutes."""
        parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
        if "t" not in parts or "v1" not in parts or abs(time.time() - int(parts["t"])) > 300:
            return False
        expected = hmac.new(self.secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, parts["v1"])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        event = json.loads(body)
        seen = self.attempts[event["id"]] = self.attempts.get(event["id"], 0) + 1
        status = 500 if seen <= self.fail_first else 200
        self.log.append(Received(event, self.signature_ok(headers.get("switchboard-signature", ""), body), status))
        self.changed.set()
        await send({"type": "http.response.start", "status": status, "headers": [(b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})

    async def wait_for(self, count: int, timeout: float = 60) -> None:
        """Wait until ``count`` events have been accepted."""
        async with asyncio.timeout(timeout):
            while len({e["id"] for e in self.accepted}) < count:
                self.changed.clear()
                await self.changed.wait()


@contextlib.asynccontextmanager
async def serving(receiver: Receiver) -> AsyncIterator[Receiver]:
    """Serve ``receiver`` on a free loopback port (its ``url`` set) until the block ends."""
    config = uvicorn.Config(receiver, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    receiver.url = f"http://127.0.0.1:{port}/hooks"
    try:
        yield receiver
    finally:
        server.should_exit = True
        await task
