"""The channel adapters for a composition root to serve: their HTTP routes, their listeners, their body limits."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter

from services import email, fax
from services.chat import chat_router
from services.common import AdapterDeps
from services.email.app import posted_limit
from services.sms import sms_router
from shared.settings import Settings


def http_routers() -> list[APIRouter]:
    """Every adapter's routes; each finds its resources on ``app.state.deps`` (see ``services.common``)."""
    return [sms_router(), chat_router(), email.router]


def body_limits(settings: Settings) -> dict[str, int]:
    """Request-body limits above the gateway's, by path prefix: a mail posted by its provider carries its
    attachments (base64, so 4/3 of their size)."""
    mail = posted_limit(settings)
    return {f"/v1/webhooks/{name}": mail for name in ("mailgun", "sendgrid", "postmark")}


@asynccontextmanager
async def listeners(deps: AdapterDeps, *, smtp_port: int | None = None) -> AsyncIterator[dict[str, asyncio.Server]]:
    """Run the adapters' own listeners (SMTP) until the block ends; yields them by name."""
    await asyncio.to_thread(fax.find_tesseract)  # logs at start, once, when fax OCR is off
    async with email.smtp_listener(deps, port=smtp_port) as smtp:
        yield {"smtp": smtp}
