"""Who may post mail to us: Mailgun's HMAC signature with one-time tokens, SendGrid's and Postmark's basic auth."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from pydantic import SecretStr
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.db.models import SeenToken
from shared.errors import AdapterNotConfigured, SignatureInvalid, Unauthorized

MAX_TOKEN = 255


def require(secret: SecretStr | None, provider: str, variable: str) -> str:
    """The adapter's secret, or ``AdapterNotConfigured``: an adapter without one accepts nothing."""
    if secret is None or not secret.get_secret_value():
        raise AdapterNotConfigured(f"the {provider} webhook is not configured: set {variable} to accept its mail")
    return secret.get_secret_value()


def mailgun_signature(key: str, *, timestamp: str, token: str, signature: str, now: float, max_age: int) -> None:
    """Check HMAC-SHA256(key, timestamp + token) and that the timestamp is recent; raises ``SignatureInvalid``."""
    if not timestamp.isdigit() or not token or len(token) > MAX_TOKEN:
        raise SignatureInvalid("the Mailgun timestamp, token or signature is missing")
    if abs(now - int(timestamp)) > max_age:
        raise SignatureInvalid("the Mailgun timestamp is too old (or in the future): refused as a possible replay")
    expected = hmac.new(key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature.strip().lower()):
        raise SignatureInvalid("the Mailgun signature does not match the signing key")


def basic_auth(header: str | None, *, username: str | None, password: str, provider: str) -> None:
    """Check HTTP basic credentials in constant time; raises ``Unauthorized``."""
    scheme, _, encoded = (header or "").partition(" ")
    try:
        user, _, given = base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        user, given = "", ""
    user_ok = secrets.compare_digest(user.encode(), (username or "").encode())
    password_ok = secrets.compare_digest(given.encode(), password.encode())
    if scheme.lower() != "basic" or not (user_ok and password_ok):
        raise Unauthorized(f"the {provider} webhook needs the basic-auth credentials configured for it")


async def claim_token(
    sessions: async_sessionmaker[AsyncSession], scope: str, token: str, *, now: datetime, ttl: int
) -> None:
    """Record a one-time token; raises ``SignatureInvalid`` when it was seen before it expired (a replay)."""
    async with sessions() as session:
        await session.execute(delete(SeenToken).where(SeenToken.expires_at < now))
        session.add(SeenToken(scope=scope, token=token, expires_at=now + timedelta(seconds=2 * ttl)))
        try:
            await session.commit()
        except IntegrityError:
            raise SignatureInvalid("this webhook was delivered before: refused as a replay") from None


async def release_token(sessions: async_sessionmaker[AsyncSession], scope: str, token: str) -> None:
    """Forget a token whose message was not accepted, so the provider's retry of it is not taken for a replay."""
    async with sessions() as session:
        await session.execute(delete(SeenToken).where(SeenToken.scope == scope, SeenToken.token == token))
        await session.commit()


def utcnow() -> datetime:
    """Now, UTC."""
    return datetime.now(UTC)
