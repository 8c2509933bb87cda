"""The web chat's routes: the visitor's socket, its REST fallback and the embeddable widget script."""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response, WebSocket
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field

from services.chat import sessions
from services.chat.limits import Hub
from services.chat.outbox import ChatOutbox
from services.chat.parse import FrameInvalid, Visitor, chat_conversation_id, identify, send_text
from services.chat.socket import ChatSocket, accept_text
from services.chat.verify import cors_headers, origin_allowed
from services.common import AdapterDeps, AdapterDepsDep
from shared.errors import Forbidden, InvalidRequest, RateLimited, SwitchboardError

TokenHeader = Annotated[str | None, Header(alias="X-Resume-Token", max_length=256)]


class SessionOut(BaseModel):
    """A chat session: keep ``resume_token`` (shown once) to resume it from another page or process."""

    session_id: str
    resume_token: str
    conversation_id: str


class ChatMessageIn(BaseModel):
    """A visitor's message; a retry with the same ``client_id`` is routed once."""

    text: str = Field(max_length=1_000_000)
    client_id: str | None = None


class ChatAccepted(BaseModel):
    """The message is durable and will be routed."""

    message_id: str
    client_id: str | None
    conversation_id: str


class IdentifyIn(BaseModel):
    """Who the visitor says they are: one of ``email`` or ``phone`` (E.164), a name, and the website's
    signature of the address when the site vouches for a logged-in customer."""

    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=64)
    name: str | None = Field(default=None, max_length=1000)
    signature: str | None = Field(
        default=None,
        max_length=200,
        description="Hex HMAC-SHA256 of the email or phone exactly as sent, keyed by "
        "SWITCHBOARD_CHAT_IDENTITY_SECRET (computed by the website's server, never in the page's code).",
    )


@functools.cache
def widget_script() -> bytes:
    """The widget's source, read once from the package."""
    return (resources.files("services.chat") / "widget.js").read_bytes()


class CorsRoute(APIRoute):
    """A REST route whose refusals an allowed page may read too (its problem carries the CORS headers)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The route's handler, adding CORS headers to the domain errors it raises."""
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except SwitchboardError as exc:
                deps: AdapterDeps = request.app.state.deps
                origin = request.headers.get("origin")
                if origin is not None and _origin_allowed(request, deps):
                    exc.headers.update(cors_headers(origin))
                raise

        return route


class ChatRoutes:
    """The routes of one app, sharing its hub of open sessions and allowances."""

    def __init__(self) -> None:
        self.hub = Hub()
        self.outbox = ChatOutbox(self.hub)
        self.router = APIRouter(prefix="/v1/chat", tags=["chat"], route_class=CorsRoute)
        self.router.add_api_websocket_route("/ws", self.socket)
        self.router.add_api_route("/widget.js", self.widget, methods=["GET"], response_class=Response)
        self.router.add_api_route(
            "/sessions", self.create_session, methods=["POST"], status_code=201, response_model=SessionOut
        )
        self.router.add_api_route(
            "/sessions/{session_id}/messages",
            self.post_message,
            methods=["POST"],
            status_code=202,
            response_model=ChatAccepted,
        )
        self.router.add_api_route(
            "/sessions/{session_id}/identify",
            self.post_identify,
            methods=["POST"],
            status_code=204,
            response_class=Response,
        )
        for path in ("/sessions", "/sessions/{session_id}/messages", "/sessions/{session_id}/identify"):
            self.router.add_api_route(path, self.preflight, methods=["OPTIONS"], include_in_schema=False)

    async def socket(self, websocket: WebSocket, resume: str | None = None) -> None:
        """The visitor's chat socket (JSON frames; see the README's chat protocol)."""
        deps: AdapterDeps = websocket.app.state.deps
        await ChatSocket(websocket, deps, self.hub, self.outbox).run(resume)

    async def widget(self) -> Response:
        """The embeddable chat widget: `<script src=".../v1/chat/widget.js" async></script>`."""
        return Response(
            widget_script(),
            media_type="text/javascript; charset=utf-8",
            headers={"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"},
        )

    async def create_session(self, request: Request, response: Response, deps: AdapterDepsDep) -> SessionOut:
        """Open a chat session without a socket (the REST fallback)."""
        origin = _check_origin(request, response, deps)
        idle = timedelta(days=deps.settings.chat_session_idle_days)
        visitor, token = await sessions.open_session(deps.sessions, origin=origin, now=datetime.now(UTC), idle=idle)
        conversation = chat_conversation_id(visitor.session_id)
        return SessionOut(session_id=visitor.session_id, resume_token=token, conversation_id=conversation)

    async def post_message(
        self, session_id: str, body: ChatMessageIn, request: Request, response: Response, deps: AdapterDepsDep,
        token: TokenHeader = None,
    ) -> ChatAccepted:  # fmt: skip
        """Send the visitor's message; 202 only once it is durable (503: not accepted, send it again)."""
        _check_origin(request, response, deps)
        visitor = await self._visitor(session_id, token, deps)
        try:
            command = send_text(body.text, body.client_id, max_chars=deps.settings.chat_max_message_chars)
        except FrameInvalid as exc:
            raise InvalidRequest(exc.detail) from None
        message_id = await accept_text(command, visitor, deps)
        return ChatAccepted(
            message_id=message_id, client_id=command.client_id, conversation_id=chat_conversation_id(session_id)
        )

    async def post_identify(
        self, session_id: str, body: IdentifyIn, request: Request, response: Response, deps: AdapterDepsDep,
        token: TokenHeader = None,
    ) -> None:  # fmt: skip
        """Say who the visitor is (email or phone); links the chat to a known contact."""
        _check_origin(request, response, deps)
        visitor = await self._visitor(session_id, token, deps)
        try:
            claim = identify(body.email, body.phone, body.name, body.signature)
        except FrameInvalid as exc:
            raise InvalidRequest(exc.detail) from None
        await sessions.identify(deps.sessions, visitor, claim, secret=deps.settings.chat_identity_secret)

    async def preflight(self, request: Request, deps: AdapterDepsDep) -> Response:
        """CORS preflight for a page of an allowed origin."""
        response = Response(status_code=204)
        _check_origin(request, response, deps)
        return response

    async def _visitor(self, session_id: str, token: str | None, deps: AdapterDeps) -> Visitor:
        settings = deps.settings
        idle = timedelta(days=settings.chat_session_idle_days)
        visitor = await sessions.session_for(deps.sessions, session_id, token, now=datetime.now(UTC), idle=idle)
        allowance = self.hub.allowance(
            session_id, per_minute=settings.chat_messages_per_minute, burst=settings.chat_burst, now=time.monotonic()
        )
        verdict, wait = allowance.take(time.monotonic())
        if verdict != "ok":
            raise RateLimited("too many requests for this chat session", retry_after=max(1, math.ceil(wait)))
        return visitor


def _check_origin(request: Request, response: Response, deps: AdapterDeps) -> str | None:
    """Refuse a page of a disallowed origin (403); let an allowed one read the answer (CORS)."""
    if not _origin_allowed(request, deps):
        raise Forbidden("this page's origin may not use the chat (SWITCHBOARD_CHAT_ORIGINS)")
    origin = request.headers.get("origin")
    if origin is not None:
        response.headers.update(cors_headers(origin))
    return origin


def _origin_allowed(request: Request, deps: AdapterDeps) -> bool:
    settings = deps.settings
    origin, host = request.headers.get("origin"), request.headers.get("host")
    return origin_allowed(origin, allowed=settings.chat_origins, host=host, public_url=settings.base_url)


def chat_router() -> APIRouter:
    """The web chat's routes for one app."""
    return ChatRoutes().router
