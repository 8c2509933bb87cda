"""A real uvicorn server with the embedded app, on a loopback port, in a thread of the test process."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Coroutine
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import httpx
import uvicorn
from fastapi import FastAPI

from shared.settings import Settings
from switchboard.bootstrap import build_app
from switchboard.serve import uvicorn_config
from tests.api.conftest import ADMIN_KEY, make_settings
from tests.e2e.server import free_port

T = TypeVar("T")


def chat_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """Embedded settings on a free port, chatty limits unless overridden."""
    values: dict[str, Any] = {"port": free_port(), "log_level": "WARNING"}
    values.update(overrides)
    return make_settings(tmp_path, **values)


class Server:
    """``with Server(settings) as s:`` serves the embedded app (gateway, router, chat) until the block ends."""

    def __init__(self, settings: Settings, *, with_router: bool = True) -> None:
        self.settings = settings
        self.app: FastAPI = build_app(settings, with_router=with_router)
        self.server = uvicorn.Server(uvicorn_config(self.app, settings, settings.port))
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, name=f"server-{settings.port}", daemon=True)

    @property
    def http(self) -> str:
        """The server's base URL."""
        return f"http://127.0.0.1:{self.settings.port}"

    @property
    def ws(self) -> str:
        """The chat socket's URL."""
        return f"ws://127.0.0.1:{self.settings.port}/v1/chat/ws"

    def admin(self) -> httpx.AsyncClient:
        """An admin client of this server, over the network."""
        return httpx.AsyncClient(base_url=self.http, headers={"Authorization": f"Bearer {ADMIN_KEY}"})

    def call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run ``coroutine`` on the server's own loop (to reach its bus) and return its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(30)

    def _run(self) -> None:
        self.loop.run_until_complete(self.server.serve())
        self.loop.close()

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            assert self.thread.is_alive(), "the server stopped during start"
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.server.should_exit = True
        self.thread.join(30)
        assert not self.thread.is_alive(), "the server did not stop"
