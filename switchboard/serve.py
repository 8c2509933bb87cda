"""Serve a process until SIGINT/SIGTERM, closing everything it opened."""

from __future__ import annotations

import asyncio
import logging
import signal

import uvicorn

from gateway import create_app
from router.service import Router
from shared.db.session import create_engine, session_factory
from shared.settings import Settings
from switchboard.bootstrap import make_bus, prepare_database, runtime, shared_classifier

log = logging.getLogger(__name__)


async def serve(settings: Settings, *, with_router: bool) -> None:
    """Run the gateway (with a router in embedded mode) under uvicorn."""
    app = create_app(settings, lambda: runtime(settings, with_router=with_router))
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        access_log=False,
        log_config=None,
        timeout_graceful_shutdown=10,
    )
    await uvicorn.Server(config).serve()


async def serve_router(settings: Settings, stop: asyncio.Event | None = None) -> int:
    """Run a router until SIGTERM (or ``stop``): finish the batch, commit, leave the group; exit status 0.

    Should one of its loops end on its own (a bug the loops' own retries did not absorb), leave the group
    the same way and return 1, so the supervisor restarts the process instead of it idling on its
    partitions.
    """
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    bus = make_bus(settings, engine)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await bus.start()
        router = Router(settings=settings, sessions=sessions, bus=bus, classifier=shared_classifier(settings.languages))
        await router.start()
        try:
            stopped, ended = asyncio.create_task(stop.wait()), asyncio.create_task(router.ended())
            await asyncio.wait({stopped, ended}, return_when=asyncio.FIRST_COMPLETED)
            stopped.cancel()
            ended.cancel()
            if stop.is_set():
                return 0
            log.error("router loop %s ended on its own; stopping so that the process is restarted", ended.result())
            return 1
        finally:
            await router.stop()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        await bus.stop()
        await engine.dispose()


async def prepare_only(settings: Settings) -> None:
    """Migrate, install the admin key, seed."""
    engine = create_engine(settings.database_url)
    try:
        await prepare_database(settings, session_factory(engine))
    finally:
        await engine.dispose()
