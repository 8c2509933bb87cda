"""The gateway's composition: ``create_app(settings, deps_factory)``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import APIRouter, FastAPI

from gateway import contract, docs, problems, push
from gateway.access import AccessLog
from gateway.deps import GatewayDeps
from gateway.routes import (
    agents,
    assignments,
    audit,
    config,
    conversations,
    health,
    keys,
    messages,
    metrics,
    queues,
    rulesets,
    webhooks,
)
from gateway.routes import push as push_routes
from shared.settings import Settings

DepsFactory = Callable[[], AbstractAsyncContextManager[GatewayDeps]]


def create_app(
    settings: Settings,
    deps_factory: DepsFactory,
    *,
    routers: Sequence[APIRouter] = (),
    body_limits: Mapping[str, int] | None = None,
) -> FastAPI:
    """Build the API; ``deps_factory`` opens the database and bus for the app's lifetime.

    ``routers`` are served beside the gateway's own (the channel adapters' webhooks, in embedded mode);
    they find their resources on ``app.state.deps`` like the gateway's routes. ``body_limits`` raise the
    request-body limit for paths under a prefix (a mail posted by its provider carries its attachments).
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with deps_factory() as deps, push.running(deps.settings, deps.sessions) as hub:
            app.state.deps = deps
            app.state.push = hub
            yield

    app = FastAPI(
        title="Switchboard",
        version="1",
        summary="Routes every customer message to the right person.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    problems.install(app)
    contract.install(app)
    app.add_middleware(problems.BodyLimit, limit=settings.max_body_bytes, overrides=body_limits)
    app.add_middleware(problems.HeaderLimit, size=settings.max_header_bytes, count=settings.max_header_count)
    app.add_middleware(AccessLog)  # outermost: every answer, refusals included, gets its headers and log line
    # Routes are matched in order: the providers' webhooks and ingest, the hottest paths, are tried first.
    for extra in routers:
        app.include_router(extra)
    for module in (messages, health, agents, push_routes, assignments, conversations, keys, queues, rulesets, config,
                   webhooks, audit, metrics):  # fmt: skip
        app.include_router(module.router)
    docs.install(app)
    return app
