"""Who may chat: resume tokens (random, only their hash stored) and the Origin of the visitor's page.

Origins: a browser names the page that opens a socket or posts a message in ``Origin``. Allowed are the
origins in ``SWITCHBOARD_CHAT_ORIGINS`` (``"*"`` allows every page) and always this gateway's own origin
(the Host the request reached, or ``SWITCHBOARD_PUBLIC_URL``). With the setting empty, only pages served
by the gateway's own origin may chat: a site must be listed to embed the widget. A client that sends no
Origin is not a browser, cannot be driven by another site's page, and is let through; ``"null"`` (a
sandboxed frame or a ``file:`` page) is refused unless listed.
"""

from __future__ import annotations

import re
import secrets
from urllib.parse import urlsplit

from shared.auth import hash_token

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,128}$")


def new_resume_token() -> str:
    """A fresh resume token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def resume_token_hash(token: str) -> str | None:
    """What is stored for ``token`` (its SHA-256), or None when it cannot be a token of ours."""
    return hash_token(token) if _TOKEN.match(token) else None


def origin_allowed(origin: str | None, *, allowed: tuple[str, ...], host: str | None, public_url: str) -> bool:
    """Whether a page of ``origin`` may use the chat (see the module's docstring)."""
    if origin is None:
        return True
    seen = origin.strip().lower().rstrip("/")
    listed = {o.strip().lower().rstrip("/") for o in allowed}
    if "*" in listed and seen != "null":
        return True
    if seen in listed:
        return True
    if seen == "null":
        return False
    parts = urlsplit(seen)
    own = urlsplit(public_url.lower())
    if host is not None and parts.netloc == host.strip().lower():
        return True
    return (parts.scheme, parts.netloc) == (own.scheme, own.netloc)


def cors_headers(origin: str) -> dict[str, str]:
    """Headers that let an allowed page read a REST answer and send the resume-token header."""
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": "POST, OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type, X-Resume-Token",
        "Access-Control-Max-Age": "600",
        "Vary": "Origin",
    }
