"""Serve a process until SIGINT/SIGTERM, closing everything it opened."""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Literal

import uvicorn
from fastapi import FastAPI

from gateway import create_process_app
from router.service import Router
from services.routers import listeners
from shared.db.session import create_engine, session_factory
from shared.settings import Settings
from switchboard.bootstrap import adapter_app, build_app, components, prepare_database

log = logging.getLogger(__name__)


async def serve(settings: Settings, *, with_router: bool) -> None:
    """Run the gateway (with a router and the adapters' listeners in embedded mode) under uvicorn."""
    app = build_app(settings, with_router=with_router, listen=with_router)
    await uvicorn.Server(uvicorn_config(app, settings, settings.port)).serve()


def uvicorn_config(app: FastAPI, settings: Settings, port: int) -> uvicorn.Config:
    """How uvicorn serves ``app`` on ``settings.host``: quiet, with the chat's frame limit on every socket."""
    return uvicorn.Config(
        app,
        host=settings.host,
        port=port,
        log_level=settings.log_level.lower(),
        access_log=False,
        log_config=None,
        timeout_graceful_shutdown=10,
        h11_max_incomplete_event_size=settings.max_header_bytes,
        server_header=False,
        ws_max_size=settings.chat_max_frame_bytes,
    )


async def serve_router(settings: Settings, stop: asyncio.Event | None = None) -> int:
    """Run a router until SIGTERM (or ``stop``): finish the batch, commit, leave the group; exit status 0.

    Should one of its loops end on its own (a bug the loops' own retries did not absorb), leave the group
    the same way and return 1, so the supervisor restarts the process instead of it idling on its
    partitions.
    """
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        async with components(settings) as parts:
            router = parts.router()
            await router.start()
            sender = parts.reply_sender()
            await sender.start()
            worker = parts.webhooks()
            await worker.start()
            http: uvicorn.Server | None = None
            serving: asyncio.Task[None] | None = None
            try:
                if settings.router_port is not None:
                    app = create_process_app(parts.gateway_deps(), router.running, title="Switchboard router")
                    http = uvicorn.Server(uvicorn_config(app, settings, settings.router_port))
                    serving = asyncio.create_task(http.serve(), name="router-http")
                return await _until_stopped_or_ended(router, stop)
            finally:
                if http is not None and serving is not None:
                    http.should_exit = True
                    await serving
                await sender.stop()
                await worker.stop()
                await router.stop()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


async def _until_stopped_or_ended(router: Router, stop: asyncio.Event) -> int:
    """0 once ``stop`` is set; 1 (logged) should one of the router's loops end first."""
    stopped, ended = asyncio.create_task(stop.wait()), asyncio.create_task(router.ended())
    await asyncio.wait({stopped, ended}, return_when=asyncio.FIRST_COMPLETED)
    stopped.cancel()
    ended.cancel()
    if stop.is_set():
        return 0
    log.error("router loop %s ended on its own; stopping so that the process is restarted", ended.result())
    return 1


async def serve_adapters(settings: Settings, kind: Literal["smtp", "http"], stop: asyncio.Event | None = None) -> None:
    """Run the channel adapters alone (distributed mode) until SIGTERM (or ``stop``): ``smtp`` the SMTP
    listener on ``SWITCHBOARD_SMTP_PORT``, ``http`` the provider webhooks on ``SWITCHBOARD_PORT``."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        async with components(settings) as parts:
            if kind == "smtp":
                async with listeners(parts):
                    await stop.wait()
                return
            http = uvicorn.Server(uvicorn_config(adapter_app(parts), settings, settings.port))
            serving = asyncio.create_task(http.serve(), name="adapter-http")
            stopped = asyncio.create_task(stop.wait())
            await asyncio.wait({serving, stopped}, return_when=asyncio.FIRST_COMPLETED)
            stopped.cancel()
            http.should_exit = True
            await serving
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


async def prepare_only(settings: Settings) -> None:
    """Migrate, install the admin key, seed."""
    engine = create_engine(settings.database_url)
    try:
        await prepare_database(settings, session_factory(engine))
    finally:
        await engine.dispose()
