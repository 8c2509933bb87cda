"""Every response's security headers, and one JSON access-log line per request.

The line names the route template (``/v1/messages/{message_id}``), never the path with its values or the
query string, and no bodies: paths and queries can carry message ids, addresses or search terms.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.auth import Principal
from shared.ids import random_hex

log = logging.getLogger("switchboard.access")

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
"""CSP of every non-HTML answer: nothing in it may load or run anything."""
HTML_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; worker-src blob:; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'none'"
)
"""CSP of the documentation pages: only our own scripts (no inline script); the UIs style elements inline."""
PUBLIC_ASSETS = ("/docs/assets/", "/v1/chat/widget.js")
"""Static assets, the only answers without customer data or secrets: they keep their own Cache-Control, and
other sites may load them (the chat widget is a script on the customer's pages)."""


class AccessLog:
    """Add security headers to every response and log one line per HTTP request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = _request_id(scope)
        status = 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = secured(message.get("headers", ()), str(scope.get("path", "")), request_id)
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            _log(scope, status, time.perf_counter() - started, request_id)


def secured(headers: Iterable[tuple[bytes, bytes]], path: str, request_id: str) -> list[tuple[bytes, bytes]]:
    """A response's raw headers with the security headers and ``X-Request-ID`` set (replacing any the app set)
    and no ``Server``; API answers also get ``Cache-Control: no-store``."""
    raw = list(headers)
    html = any(name.lower() == b"content-type" and value.startswith(b"text/html") for name, value in raw)
    kind = html, path.startswith(PUBLIC_ASSETS)
    kept = [h for h in raw if h[0].lower() not in _REPLACED[kind]]
    return [*kept, *_ADDED[kind], (b"x-request-id", request_id.encode())]


def _added(html: bool, public: bool) -> list[tuple[bytes, bytes]]:
    """The headers every answer of this kind gets."""
    headers = {**SECURITY_HEADERS, "Content-Security-Policy": HTML_POLICY if html else API_POLICY}
    if public:
        headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    else:
        headers |= {"Cross-Origin-Resource-Policy": "same-origin", "Cache-Control": "no-store"}
    return [(name.lower().encode(), value.encode()) for name, value in headers.items()]


_KINDS = [(html, public) for html in (False, True) for public in (False, True)]
_ADDED = {kind: _added(*kind) for kind in _KINDS}
_REPLACED = {kind: frozenset({b"server", b"x-request-id", *(n for n, _ in _ADDED[kind])}) for kind in _KINDS}


def _request_id(scope: Scope) -> str:
    """The caller's X-Request-ID when it is a plain token, else a new one."""
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            text = bytes(value).decode("latin-1")
            if REQUEST_ID.match(text):
                return text
    return random_hex(16)


def _log(scope: Scope, status: int, duration: float, request_id: str) -> None:
    """One access-log line: no path values, no query, no body."""
    state = scope.get("state") or {}
    level = logging.WARNING if state.get("auth_failed") else logging.INFO
    if not log.isEnabledFor(level):
        return
    route = scope.get("route")
    template = getattr(route, "path", None) or "(no route)"
    principal = state.get("principal")
    client = scope.get("client")
    extra: dict[str, object] = {
        "method": scope.get("method", ""),
        "route": template,
        "status": status,
        "duration_ms": round(duration * 1000, 2),
        "client": client[0] if client else None,
        "request_id": request_id,
        "key_id": principal.key_id if isinstance(principal, Principal) else None,
        "role": principal.role if isinstance(principal, Principal) else None,
    }
    if state.get("auth_failed"):
        extra["auth"] = "failed"
    log.log(level, "request", extra=extra)
