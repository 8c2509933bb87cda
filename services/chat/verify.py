"""Who may chat: resume tokens (random, only their hash stored) and the Origin of the visitor's page.

Origins: a browser names the page that opens a socket or posts a message in ``Origin``. Allowed are the
origins in ``SWITCHBOARD_CHAT_ORIGINS`` (``"*"`` allows every page) and always this gateway's own origin
(the Host the request reached, or ``SWITCHBOARD_PUBLIC_URL``). With the setting empty, only pages served
by the gateway's own origin may chat: a site must be listed to embed the widget. A client that sends no
Origin is not a browser, cannot be driven by another site's page, and is let through; ``"null"`` (a
sandboxed frame or a ``file:`` page) is refused unless listed.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from urllib.parse import urlsplit

from pydantic import SecretStr

from shared.auth import hash_token
from shared.errors import SignatureInvalid

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,128}$")


def new_resume_token() -> str:
    """A fresh resume token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def resume_token_hash(token: str) -> str | None:
    """What is stored for ``token`` (its SHA-256), or None when it cannot be a token of ours."""
    return hash_token(token) if _TOKEN.match(token) else None


def identity_signature(secret: str, claimed: str) -> str:
    """What a website's server sends with a logged-in visitor's identify: hex HMAC-SHA256 of the email address
    or phone number, exactly as the widget passes it, keyed by ``SWITCHBOARD_CHAT_IDENTITY_SECRET``."""
    return hmac.new(secret.encode(), claimed.encode(), hashlib.sha256).hexdigest()


def identity_verified(secret: SecretStr | None, claimed: str, signature: str | None) -> bool:
    """Whether an identify is vouched for by the website: True for a matching signature, False for none (or
    when no secret is set, so nothing can be checked); a signature that does not match raises
    ``SignatureInvalid``, so a site with a wrong secret hears of it instead of silently losing its links."""
    if secret is None or signature is None:
        return False
    expected = identity_signature(secret.get_secret_value(), claimed)
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        raise SignatureInvalid("the identify's signature does not match the address")
    return True


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
