"""The channel adapters' HTTP routes (provider webhooks, the chat socket), for a composition root to serve."""

from __future__ import annotations

from fastapi import APIRouter

from services.chat import chat_router
from services.sms import sms_router


def http_routers() -> list[APIRouter]:
    """Every adapter's routes; each finds its resources on ``app.state.deps`` (see ``services.common``)."""
    return [sms_router(), chat_router()]
