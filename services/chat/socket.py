"""``WS /v1/chat/ws``: one visitor's socket, from the session frame to the close."""

from __future__ import annotations

import contextlib
import logging
import time
from datetime import UTC, datetime, timedelta

from starlette.websockets import WebSocket, WebSocketDisconnect

from services.chat import sessions
from services.chat.limits import Hub
from services.chat.outbox import ChatOutbox, mark_seen, send_backlog
from services.chat.parse import (
    FrameInvalid,
    Identify,
    Ping,
    Seen,
    SendText,
    Visitor,
    ack_frame,
    error_frame,
    parse_frame,
    session_frame,
    to_inbound,
)
from services.chat.verify import origin_allowed
from services.common import AdapterDeps
from shared.errors import BusUnavailable, SwitchboardError
from shared.ids import new_id
from shared.ingest import publish_inbound
from shared.normalize import idempotent_message_id

log = logging.getLogger(__name__)

POLICY_VIOLATION = 1008
TOO_BIG = 1009
TRY_AGAIN_LATER = 1013


async def accept_text(command: SendText, visitor: Visitor, deps: AdapterDeps) -> str:
    """Publish the visitor's message and return its id once durable; the same ``client_id`` names the same
    message, so a widget that resends after a lost ack gets it routed once. Raises ``BusUnavailable``."""
    if command.client_id is not None:
        message_id = idempotent_message_id(f"chat:{visitor.session_id}", command.client_id)
    else:
        message_id = new_id()
    message = to_inbound(command, visitor, message_id=message_id, received_at=datetime.now(UTC))
    await publish_inbound(message, bus=deps.bus, settings=deps.settings)
    return message_id


class ChatSocket:
    """The conversation over one socket: frames in, acks and errors out, limits enforced."""

    def __init__(self, websocket: WebSocket, deps: AdapterDeps, hub: Hub, outbox: ChatOutbox) -> None:
        self.ws = websocket
        self.deps = deps
        self.hub = hub
        self.outbox = outbox
        self.settings = deps.settings

    async def run(self, resume: str | None) -> None:
        """Check the Origin, open or resume the session, then answer frames until the visitor leaves."""
        origin, host, settings = self.ws.headers.get("origin"), self.ws.headers.get("host"), self.settings
        if not origin_allowed(origin, allowed=settings.chat_origins, host=host, public_url=settings.base_url):
            await self.ws.close(POLICY_VIOLATION)  # before the handshake completes: the browser sees 403
            return
        await self.ws.accept()
        with contextlib.suppress(WebSocketDisconnect):  # the visitor left; nothing to answer
            await self._serve(resume, origin)

    async def _serve(self, resume: str | None, origin: str | None) -> None:
        try:
            visitor, token, resumed = await self._open(resume, origin)
        except Exception:
            log.exception("chat session could not be opened")
            await self.ws.send_json(error_frame("unavailable", "chat is unavailable; reconnect shortly", retry_after=2))
            await self.ws.close(TRY_AGAIN_LATER)
            return
        if len(self.hub.sockets(visitor.session_id)) >= self.settings.chat_sockets_per_session:
            await self.ws.send_json(error_frame("too-many-sockets", "this chat is open in too many windows"))
            await self.ws.close(POLICY_VIOLATION, "too many sockets")
            return
        self.hub.join(visitor.session_id, self.ws)
        try:
            await self.ws.send_json(session_frame(visitor.session_id, token, resumed=resumed))
            await send_backlog(self.deps, visitor.session_id, self.ws)  # replies written while it was away
            self.outbox.ensure_running(self.deps)
            await self._converse(visitor)
        finally:
            self.hub.leave(visitor.session_id, self.ws)
            self.outbox.stop_if_idle()

    async def _open(self, resume: str | None, origin: str | None) -> tuple[Visitor, str, bool]:
        now, idle = datetime.now(UTC), timedelta(days=self.settings.chat_session_idle_days)
        if resume:
            visitor = await sessions.resume_session(self.deps.sessions, resume, now=now, idle=idle)
            if visitor is not None:
                return visitor, resume, True
        visitor, token = await sessions.open_session(self.deps.sessions, origin=origin, now=now, idle=idle)
        return visitor, token, False

    async def _converse(self, visitor: Visitor) -> None:
        while True:
            event = await self.ws.receive()
            if event["type"] == "websocket.disconnect":
                return
            raw: str | bytes = event["text"] if event.get("text") is not None else event.get("bytes") or b""
            size = len(raw.encode()) if isinstance(raw, str) else len(raw)
            if size > self.settings.chat_max_frame_bytes:
                await self.ws.close(TOO_BIG, "frame too big")
                return
            allowance = self.hub.allowance(
                visitor.session_id,
                per_minute=self.settings.chat_messages_per_minute,
                burst=self.settings.chat_burst,
                now=time.monotonic(),
            )
            verdict, wait = allowance.take(time.monotonic())
            if verdict == "flood":
                log.warning("chat session closed for flooding", extra={"session": visitor.session_id})
                await self.ws.close(POLICY_VIOLATION, "too many frames")
                return
            if verdict == "limited":
                await self.ws.send_json(error_frame("rate-limited", "slow down", retry_after=wait))
                continue
            reply, visitor = await self._answer(raw, visitor)
            if reply is not None:
                await self.ws.send_json(reply)

    async def _answer(self, raw: str | bytes, visitor: Visitor) -> tuple[dict[str, object] | None, Visitor]:
        """The answer to one frame, if it has one (and the visitor, updated by an identify)."""
        client_id = None
        try:
            command = parse_frame(raw, max_chars=self.settings.chat_max_message_chars)
            if isinstance(command, Ping):
                return {"type": "pong"}, visitor
            if isinstance(command, Seen):
                await mark_seen(self.deps.sessions, visitor.session_id, command.reply_id)
                return None, visitor
            if isinstance(command, Identify):
                secret = self.settings.chat_identity_secret
                visitor = await sessions.identify(self.deps.sessions, visitor, command, secret=secret)
                return {"type": "identified", "verified": visitor.identified_verified}, visitor
            client_id = command.client_id
            message_id = await accept_text(command, visitor, self.deps)
            return ack_frame(client_id, message_id), visitor
        except FrameInvalid as exc:
            return error_frame(exc.code, exc.detail, client_id=exc.client_id), visitor
        except BusUnavailable:
            return error_frame(
                "bus-unavailable", "not accepted; send it again", client_id=client_id, retry_after=1
            ), visitor
        except SwitchboardError as exc:
            return error_frame(exc.code, exc.detail, client_id=client_id), visitor
        except Exception:
            log.exception("chat frame failed", extra={"session": visitor.session_id})
            return error_frame("internal", "not accepted; send it again", client_id=client_id, retry_after=2), visitor
