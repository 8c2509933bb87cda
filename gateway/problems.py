"""RFC 9457 problem+json: the one place where errors become HTTP responses."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.errors import (
    AdapterNotConfigured,
    BusUnavailable,
    Conflict,
    Forbidden,
    InvalidRequest,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    SwitchboardError,
    Unauthorized,
)

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"
STATUS: dict[type[SwitchboardError], int] = {
    NotFound: 404,
    Conflict: 409,
    InvalidRequest: 422,
    Unauthorized: 401,
    Forbidden: 403,
    BusUnavailable: 503,
    AdapterNotConfigured: 503,
    PayloadTooLarge: 413,
    RateLimited: 429,
}


def problem(status: int, title: str, detail: str, *, code: str, **extra: Any) -> JSONResponse:
    """A problem+json response."""
    body = {"type": f"https://switchboard.dev/problems/{code}", "title": title, "status": status, "detail": detail}
    body.update(extra)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if status == 503:
        headers = {"Retry-After": "1"}
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def _errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Field errors without echoing input values (they may be customer data)."""
    return [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in exc.errors()]


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = _errors(exc)
    if any(e["type"] == "json_invalid" for e in errors):
        return problem(400, "Malformed JSON", "the request body is not valid JSON", code="malformed-json")
    return problem(422, "Invalid request", "some fields are missing or wrong", code="validation", errors=errors)


async def _domain(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SwitchboardError)
    status = next((s for t, s in STATUS.items() if isinstance(exc, t)), 400)
    extra = {"errors": exc.errors} if exc.errors is not None else {}
    response = problem(status, type(exc).__name__, exc.detail, code=exc.code, **extra)
    response.headers.update(exc.headers)
    return response


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    response = problem(exc.status_code, str(exc.detail), str(exc.detail), code=f"http-{exc.status_code}")
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    if exc.status_code == 405:
        response.headers["Allow"] = ", ".join(allowed_methods(request))
    return response


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path (the router names only the first route that matched)."""
    routes = request.app.router.routes
    return [
        method
        for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
        if any(route.matches({**request.scope, "method": method})[0] == Match.FULL for route in routes)
    ]


async def _database(request: Request, exc: Exception) -> JSONResponse:
    log.error("database unavailable", extra={"path": request.url.path, "error": type(exc).__name__})
    return problem(
        503, "Database unavailable", "the database did not answer; retry shortly", code="database-unavailable"
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", extra={"path": request.url.path})
    return problem(500, "Internal error", "an unexpected error occurred; it has been logged", code="internal")


def install(app: FastAPI) -> None:
    """Register the exception handlers."""
    handlers: dict[type[Exception], Callable[[Request, Exception], Awaitable[JSONResponse]]] = {
        RequestValidationError: _validation,
        SwitchboardError: _domain,
        StarletteHTTPException: _http,
        OperationalError: _database,
        Exception: _unexpected,
    }
    for exc_type, handler in handlers.items():
        app.add_exception_handler(exc_type, handler)


class HeaderLimit:
    """Refuse requests with more than ``count`` header lines or ``size`` header bytes in all: 431.

    The HTTP server bounds what it parses first (uvicorn's h11 buffer, set to the same size); this holds
    whatever server runs the app, and bounds the count, which the servers do not.
    """

    def __init__(self, app: ASGIApp, *, size: int, count: int) -> None:
        self.app, self.size, self.count = app, size, count

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            headers = scope.get("headers", [])
            if len(headers) > self.count or sum(len(k) + len(v) + 4 for k, v in headers) > self.size:
                detail = f"at most {self.count} headers and {self.size} bytes of them"
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": 1009})
                    return
                response = problem(431, "Request headers too large", detail, code="headers-too-large")
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, checking both Content-Length and the stream.

    ``overrides`` set other limits for paths under a prefix (the first prefix that matches wins).
    """

    def __init__(self, app: ASGIApp, limit: int, overrides: Mapping[str, int] | None = None) -> None:
        self.app = app
        self.default = limit
        self.overrides = dict(overrides or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        limit = next((n for prefix, n in self.overrides.items() if path.startswith(prefix)), self.default)
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > limit:
                await self._too_large(scope, receive, send, limit)
                return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise StarletteHTTPException(413, f"the request body is over the limit of {limit} bytes")
            return message

        await self.app(scope, limited, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        detail = f"the request body is over the limit of {limit} bytes"
        response = problem(413, "Body too large", detail, code="body-too-large")
        await response(scope, receive, send)
