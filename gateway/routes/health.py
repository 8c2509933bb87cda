"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from gateway.deps import DepsDep
from gateway.schemas import Health, Readiness

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The process is alive."""
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "Something it needs does not answer."}},
)
async def readyz(deps: DepsDep) -> JSONResponse:
    """The database and the bus answer, so messages can be accepted."""
    checks: dict[str, bool] = {}
    try:
        async with deps.sessions() as session:
            await session.execute(text("SELECT 1"))
        checks["database"] = True
    except Exception:
        checks["database"] = False
    checks["bus"] = await deps.bus.ready()
    for i, check in enumerate(deps.extra_ready):
        checks[f"component_{i}"] = check()
    ok = all(checks.values())
    return JSONResponse({"status": "ready" if ok else "unavailable", "checks": checks}, status_code=200 if ok else 503)
