"""Composition roots: the one place that connects things, for embedded and distributed processes."""

from __future__ import annotations

import functools
import gc
import sys
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from gateway import GatewayDeps, create_app, problems
from router.classify import Classifier, load_classifier
from router.ops import RulesOperations
from router.outbound import ReplySender, ports_for
from router.service import Router
from router.webhooks import WebhookWorker
from services.common import AdapterDeps
from services.routers import body_limits, http_routers, listeners
from shared.auth import generate_key, hash_token
from shared.blobs import FileBlobStore
from shared.bus import Bus, EmbeddedBus
from shared.db.migrate import upgrade_async
from shared.db.models import ApiKey, AuditEvent
from shared.db.session import create_engine, session_factory
from shared.settings import Settings
from switchboard.seed import seed_demo

BOOTSTRAP_KEY_ID = "bootstrap-admin"


@functools.cache
def shared_classifier(languages: tuple[str, ...]) -> Classifier:
    """One classifier per process and language set: it is immutable, and loading it takes a second."""
    return load_classifier(languages)


async def ensure_admin_key(sessions: async_sessionmaker[AsyncSession], settings: Settings) -> str | None:
    """Install the bootstrap admin key: ``SWITCHBOARD_ADMIN_KEY``, or a new one returned to print once."""
    generated = None
    if settings.admin_key is not None:
        token = settings.admin_key.get_secret_value()
    else:
        generated = token = generate_key().token
    async with sessions() as session:
        row = await session.get(ApiKey, BOOTSTRAP_KEY_ID)
        if row is None:
            row = ApiKey(id=BOOTSTRAP_KEY_ID, prefix="bootstrap", key_hash="", role="admin", name="bootstrap admin")
            session.add(row)
        if row.key_hash != hash_token(token):
            row.key_hash, row.revoked_at = hash_token(token), None
            session.add(AuditEvent(actor="system", action="api_key.bootstrap", subject=BOOTSTRAP_KEY_ID))
        await session.commit()
    return generated


def announce_key(token: str, port: int) -> None:
    """Print a generated admin key once, to the operator's terminal (never to the logs)."""
    print(
        f"\nSwitchboard admin key (shown once; set SWITCHBOARD_ADMIN_KEY to choose your own):\n  {token}\n"
        f"Try: curl -H 'Authorization: Bearer {token}' http://127.0.0.1:{port}/v1/queues\n",
        file=sys.stderr,
        flush=True,
    )


async def prepare_database(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> None:
    """Migrate, install the admin key and seed the demo setup when asked."""
    await upgrade_async(settings.database_url)
    generated = await ensure_admin_key(sessions, settings)
    if settings.seed_demo:
        await seed_demo(sessions, datetime.now(UTC))
    if generated:
        announce_key(generated, settings.port)


def make_bus(settings: Settings, engine: AsyncEngine) -> Bus:
    """The bus the settings ask for."""
    if settings.bus == "kafka":
        from shared.bus.kafka import KafkaBus
        from shared.bus.spool import Spool

        assert settings.kafka_bootstrap is not None
        return KafkaBus(
            settings.kafka_bootstrap,
            topics=settings.topics,
            partitions=settings.kafka_partitions,
            client_id=settings.kafka_client_id,
            spool=Spool(settings.spool_dir, settings.instance_id),
        )
    return EmbeddedBus(engine, flush_max=settings.ingest_flush_max)


def adapter_app(deps: AdapterDeps) -> FastAPI:
    """The adapters' HTTP routes alone (``switchboard adapter http``), with problem+json, the body limits
    and ``GET /healthz``."""
    app = FastAPI(title="Switchboard adapters", version="1", docs_url=None, redoc_url=None)
    problems.install(app)
    settings = deps.settings
    app.add_middleware(problems.BodyLimit, limit=settings.max_body_bytes, overrides=body_limits(settings))
    app.add_middleware(problems.HeaderLimit, size=settings.max_header_bytes, count=settings.max_header_count)
    app.state.deps = deps
    for router in http_routers():
        app.include_router(router)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


def build_app(settings: Settings, *, with_router: bool, listen: bool = False) -> FastAPI:
    """The gateway app (with a router in embedded mode, and the channel adapters unless turned off).

    ``listen`` also runs the adapters' own listeners (SMTP) for the app's lifetime, as ``switchboard run`` does.
    """
    if not settings.adapters:
        return create_app(settings, lambda: runtime(settings, with_router=with_router))
    return create_app(
        settings,
        lambda: runtime(settings, with_router=with_router, listen=listen),
        routers=http_routers(),
        body_limits=body_limits(settings),
    )


@dataclass(frozen=True)
class Components:
    """The parts every process is built from, open: database, bus, classifier, blob store."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    bus: Bus
    classifier: Classifier
    blobs: FileBlobStore

    def gateway_deps(self) -> GatewayDeps:
        """What the gateway's routes (and the adapters' and a router process's HTTP side) depend on."""
        rules = RulesOperations(self.classifier, self.sessions)
        return GatewayDeps(settings=self.settings, sessions=self.sessions, bus=self.bus, rules=rules, blobs=self.blobs)

    def router(self) -> Router:
        """A router on these parts (not started)."""
        return Router(settings=self.settings, sessions=self.sessions, bus=self.bus, classifier=self.classifier)

    def reply_sender(self) -> ReplySender:
        """The reply sender that runs beside every router (not started)."""
        return ReplySender(settings=self.settings, sessions=self.sessions, blobs=self.blobs,
                           ports=ports_for(self.settings))  # fmt: skip

    def webhooks(self) -> WebhookWorker:
        """The outbound webhook worker that runs beside every router (not started)."""
        return WebhookWorker(self.settings, self.sessions)


@asynccontextmanager
async def components(settings: Settings, *, prepare: bool = False) -> AsyncIterator[Components]:
    """Open the database and the bus (migrating and seeding first when ``prepare``); close both afterwards."""
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    bus: Bus | None = None
    try:
        if prepare:
            await prepare_database(settings, sessions)
        bus = make_bus(settings, engine)
        await bus.start()
        yield Components(
            settings=settings,
            engine=engine,
            sessions=sessions,
            bus=bus,
            classifier=shared_classifier(settings.languages),
            blobs=FileBlobStore(settings.blob_dir),
        )
    finally:
        if bus is not None:
            await bus.stop()
        await engine.dispose()


@asynccontextmanager
async def runtime(
    settings: Settings, *, with_router: bool, prepare: bool = True, listen: bool = False
) -> AsyncIterator[GatewayDeps]:
    """Open the parts (and a router, and the adapters' listeners, when asked) for one process's lifetime;
    yield what the gateway needs."""
    async with components(settings, prepare=prepare) as parts, AsyncExitStack() as stack:
        deps = parts.gateway_deps()
        router: Router | None = None
        sender: ReplySender | None = None
        worker: WebhookWorker | None = None
        try:
            if with_router:
                router = parts.router()
                await router.start()
                deps.extra_ready.append(router.running)
                sender = parts.reply_sender()
                await sender.start()
                worker = parts.webhooks()
                await worker.start()
                deps.extra_ready.append(worker.running)
            if listen and settings.adapters:
                await stack.enter_async_context(listeners(deps))
            # What is loaded by now (the app, the classifier, the ORM) lives as long as the process: out of the
            # cyclic collector's passes, which under load would walk all of it again and again (a sixth of the
            # gateway's CPU at full ingest, by perf).
            gc.collect()
            gc.freeze()
            yield deps
        finally:
            await stack.aclose()  # the listeners first: nothing is accepted once the router and bus stop
            if sender is not None:
                await sender.stop()
            if worker is not None:
                await worker.stop()
            if router is not None:
                await router.stop()
