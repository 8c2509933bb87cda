"""The chat protocol, pure: a visitor's frame or REST body in, a typed command or InboundMessage v1 out.

Frames are JSON objects with a ``type``. The visitor sends ``message`` (``text``, optional ``client_id``),
``identify`` (``email`` or ``phone``, optional ``name`` and ``signature``), ``ping`` and ``seen`` (``id`` of
the latest agent's reply shown); the server answers with ``session``, ``ack``, ``identified``, ``pong`` and
``error`` frames and pushes ``reply`` frames (built here too, so both directions live in one place).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from shared.normalize import AddressInvalid, conversation_id, conversation_key, normalize_email, normalize_phone
from shared.schema import InboundMessage, Sender

PROVIDER = "widget"
MAX_NAME = 200
_CLIENT_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_SIGNATURE = re.compile(r"[0-9a-f]{64}")
_KEEP = frozenset("\t\n\r")


class FrameInvalid(ValueError):
    """A frame or body the protocol refuses; ``code`` names why, ``detail`` never echoes the input."""

    def __init__(self, code: str, detail: str, *, client_id: str | None = None) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.client_id = client_id


@dataclass(frozen=True, slots=True)
class SendText:
    """The visitor wrote ``text``; ``client_id`` is the widget's name for it (a retry repeats it)."""

    text: str
    client_id: str | None


@dataclass(frozen=True, slots=True)
class Identify:
    """The visitor says who they are: a normalized email address or E.164 phone number, and a name;
    ``claimed`` is the address as sent, which the website's ``signature`` (if any) is over."""

    kind: str
    address: str
    name: str | None
    claimed: str = ""
    signature: str | None = None


@dataclass(frozen=True, slots=True)
class Ping:
    """A keep-alive from the widget."""


@dataclass(frozen=True, slots=True)
class Seen:
    """The widget has shown the agent's reply ``reply_id`` and every earlier one: they are not pushed again."""

    reply_id: str


Frame = SendText | Identify | Ping | Seen
_REPLY_ID = re.compile(r"^[0-9a-f-]{36}$")


def parse_frame(raw: str | bytes, *, max_chars: int) -> Frame:
    """The command a text frame carries; raises ``FrameInvalid`` for anything else."""
    if isinstance(raw, bytes):
        raise FrameInvalid("bad-frame", "send JSON in text frames, not binary ones")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise FrameInvalid("bad-json", "the frame is not valid JSON") from None
    if not isinstance(data, dict):
        raise FrameInvalid("bad-frame", "a frame is a JSON object with a type")
    kind = data.get("type")
    if kind == "message":
        return send_text(data.get("text"), data.get("client_id"), max_chars=max_chars)
    if kind == "identify":
        return identify(data.get("email"), data.get("phone"), data.get("name"), data.get("signature"))
    if kind == "ping":
        return Ping()
    if kind == "seen":
        reply_id = data.get("id")
        if not isinstance(reply_id, str) or not _REPLY_ID.match(reply_id):
            raise FrameInvalid("bad-frame", "seen needs the id of a reply frame")
        return Seen(reply_id)
    raise FrameInvalid("unknown-type", 'type must be "message", "identify", "ping" or "seen"')


def send_text(text: object, client_id: object, *, max_chars: int) -> SendText:
    """A visitor's message, cleaned (control characters dropped, whitespace trimmed) and bounded."""
    cid = _client_id(client_id)
    if not isinstance(text, str):
        raise FrameInvalid("bad-frame", "text must be a string", client_id=cid)
    cleaned = clean(text)
    if not cleaned:
        raise FrameInvalid("empty-text", "text is empty", client_id=cid)
    if len(cleaned) > max_chars:
        raise FrameInvalid("text-too-long", f"text is over {max_chars} characters", client_id=cid)
    return SendText(cleaned, cid)


def identify(email: object, phone: object, name: object, signature: object = None) -> Identify:
    """Who the visitor says they are: exactly one of an email address or a phone number (E.164), and the
    website's signature of it when the site vouches for a logged-in customer."""
    if (email is None) == (phone is None):
        raise FrameInvalid("bad-frame", "identify with exactly one of email or phone")
    value = email if email is not None else phone
    if not isinstance(value, str) or (name is not None and not isinstance(name, str)):
        raise FrameInvalid("bad-frame", "email, phone and name must be strings")
    signed = signature.strip().lower() if isinstance(signature, str) else None
    if signature is not None and (signed is None or not _SIGNATURE.fullmatch(signed)):
        raise FrameInvalid("bad-frame", "signature must be the hex HMAC-SHA256 of the address")
    try:
        kind, address = ("email", normalize_email(value)) if email is not None else ("phone", normalize_phone(value))
    except AddressInvalid as exc:
        raise FrameInvalid("address-invalid", str(exc)) from None
    display = clean(name)[:MAX_NAME] if isinstance(name, str) else ""
    return Identify(kind, address, display or None, value, signed)


def clean(text: str) -> str:
    """Text without control characters (but tabs and newlines) and lone surrogates, trimmed."""
    return "".join(c for c in text if c in _KEEP or unicodedata.category(c) not in ("Cc", "Cs")).strip()


def _client_id(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _CLIENT_ID.match(value):
        raise FrameInvalid("bad-frame", "client_id must be 1 to 64 letters, digits or ._:-")
    return value


@dataclass(frozen=True, slots=True)
class Visitor:
    """What a message needs to know about its chat session."""

    session_id: str
    name: str | None = None
    identified_kind: str | None = None
    identified: str | None = None
    identified_verified: bool = False
    origin: str | None = None


def chat_conversation_key(session_id: str) -> str:
    """A chat session is one conversation."""
    return conversation_key("chat", session_id, None)


def chat_conversation_id(session_id: str) -> str:
    """The id of the session's conversation (what agents and ``GET /v1/conversations/{id}`` call it)."""
    return conversation_id(chat_conversation_key(session_id))


def to_inbound(command: SendText, visitor: Visitor, *, message_id: str, received_at: datetime) -> InboundMessage:
    """The visitor's message as InboundMessage v1 (what the visitor said about themselves in ``metadata``)."""
    metadata: dict[str, str] = {}
    if visitor.origin:
        metadata["origin"] = visitor.origin
    if visitor.identified_kind and visitor.identified:
        metadata[f"visitor_{visitor.identified_kind}"] = visitor.identified
        metadata["visitor_verified"] = "true" if visitor.identified_verified else "false"
    return InboundMessage(
        id=message_id,
        channel="chat",
        provider=PROVIDER,
        external_id=f"{visitor.session_id}:{command.client_id}" if command.client_id else None,
        received_at=received_at,
        sender=Sender(kind="chat_session", address=visitor.session_id, name=visitor.name),
        conversation_key=chat_conversation_key(visitor.session_id),
        text=command.text,
        metadata=metadata,
    )


def session_frame(session_id: str, resume_token: str, *, resumed: bool) -> dict[str, object]:
    """The server's first frame: the session and the token that resumes it (keep it; it is shown once)."""
    return {
        "type": "session",
        "session_id": session_id,
        "resume_token": resume_token,
        "conversation_id": chat_conversation_id(session_id),
        "resumed": resumed,
    }


def reply_frame(reply_id: str, text: str, author: str, at: datetime) -> dict[str, object]:
    """An agent's reply to the visitor; answer ``{"type": "seen", "id": ...}`` once it is shown."""
    return {"type": "reply", "id": reply_id, "text": text, "author": author, "at": at.isoformat()}


def ack_frame(client_id: str | None, message_id: str) -> dict[str, object]:
    """The message is durable: it will be routed."""
    return {"type": "ack", "client_id": client_id, "message_id": message_id}


def error_frame(
    code: str, detail: str, *, client_id: str | None = None, retry_after: float | None = None
) -> dict[str, object]:
    """Something was refused; with ``retry_after`` (seconds), the same frame may be sent again then."""
    frame: dict[str, object] = {"type": "error", "code": code, "detail": detail, "client_id": client_id}
    frame["retry"] = retry_after is not None
    if retry_after is not None:
        frame["retry_after"] = math.ceil(retry_after * 10) / 10  # up: a widget that waits this long gets in
    return frame
