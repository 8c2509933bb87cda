"""The HTTP face of a Switchboard process other than the gateway (a distributed router): liveness for its
supervisor, and its own metrics for Prometheus, authorized like every gateway endpoint."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST

from gateway import problems
from gateway.access import AccessLog
from gateway.deps import GatewayDeps, SupervisorDep
from shared.metrics import exposition


def create_process_app(deps: GatewayDeps, alive: Callable[[], bool], *, title: str) -> FastAPI:
    """``GET /healthz`` (503 once ``alive`` says no) and ``GET /metrics`` (supervisor, admin)."""
    app = FastAPI(title=title, openapi_url=None, docs_url=None, redoc_url=None)
    problems.install(app)
    app.add_middleware(AccessLog)
    app.state.deps = deps

    @app.get("/healthz")
    async def healthz() -> JSONResponse:
        ok = alive()
        return JSONResponse({"status": "ok" if ok else "stopped"}, status_code=200 if ok else 503)

    @app.get("/metrics", response_class=Response)
    async def metrics(_: SupervisorDep) -> Response:
        return Response(exposition(), media_type=CONTENT_TYPE_LATEST)

    return app
