"""What ``/v1/conversations`` reads and takes: the conversation's messages and replies, its contact, history."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, Field

from gateway.schemas import _In
from shared.schema import Channel

MAX_REPLY_TEXT = 100_000
MAX_REPLY_ATTACHMENTS = 10


class AttachmentOut(BaseModel):
    """A file of a message or reply; ``url`` downloads it (null when its bytes were over a limit, not kept)."""

    name: str
    content_type: str
    size: int
    sha256: str
    url: str | None
    extracted_text: str | None = None


class InboundItem(BaseModel):
    """A message the customer sent, with what the router made of it."""

    type: Literal["message"] = "message"
    id: str
    at: datetime
    channel: str
    sender: dict[str, Any]
    recipient: str | None
    subject: str | None
    text: str
    attachments: list[AttachmentOut]
    flags: dict[str, Any]
    classification: dict[str, Any]


class Author(BaseModel):
    """Who wrote a reply."""

    agent_id: str | None
    name: str


class ReplyItem(BaseModel):
    """A reply to the customer and its delivery: ``pending`` (being sent, retried with backoff), ``sent``
    (the channel took it; ``provider_ref`` is its Message-ID or SID) or ``failed`` (``last_error`` says why).
    A chat reply is ``sent`` once pushed to the visitor's open chat, and ``seen_at`` once the widget says so."""

    type: Literal["reply"] = "reply"
    id: str
    at: datetime
    channel: str
    recipient: str
    author: Author
    subject: str | None
    text: str
    attachments: list[AttachmentOut]
    status: str
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    sent_at: datetime | None
    seen_at: datetime | None
    provider_ref: str | None


Item = Annotated[InboundItem | ReplyItem, Field(discriminator="type")]


class IdentityOut(BaseModel):
    """One address of the contact."""

    address: str
    kind: str


class ContactView(BaseModel):
    """The known customer behind the conversation, with every address that is theirs."""

    address: str
    name: str | None
    tier: str
    identities: list[IdentityOut]


class AssignmentSummary(BaseModel):
    """An assignment of a conversation: where it went, who had it, how it ended."""

    id: str
    status: str
    queue: str
    agent_id: str | None
    priority: int
    created_at: datetime
    accepted_at: datetime | None
    first_response_at: datetime | None
    completed_at: datetime | None
    disposition: str | None
    notes: str | None


class HistoryItem(BaseModel):
    """Another conversation of the same contact (on any channel), with its assignments, newest first."""

    id: str
    channel: str
    created_at: datetime
    last_message_at: datetime
    assignments: list[AssignmentSummary]


class ConversationOut(BaseModel):
    """A conversation: its messages and replies in order (a page of them: follow ``next_cursor``), the
    contact, the current assignment and the contact's other conversations.

    ``reply_channels`` are the channels a reply can go out on (the contact has an address there);
    ``default_reply_channel`` is the one a reply uses when it names none: the channel of the customer's
    latest message in this conversation."""

    id: str
    channel: str
    customer: str
    created_at: datetime
    last_message_at: datetime
    items: list[Item]
    next_cursor: str | None
    assignment: AssignmentSummary | None
    contact: ContactView | None
    history: list[HistoryItem]
    reply_channels: list[str]
    default_reply_channel: str | None


class ReplyAttachmentIn(_In):
    """A file for a reply: either ``sha256`` of a file already in this conversation (an attachment of one of
    its messages or replies), or the bytes inline as ``content_base64`` with a ``name``."""

    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    content_base64: str | None = Field(default=None, max_length=20_000_000)
    name: str | None = Field(default=None, min_length=1, max_length=255)
    content_type: str | None = Field(
        default=None, max_length=127, pattern=r"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$"
    )

    def decoded(self) -> bytes | None:
        """The inline bytes, or None when the attachment is a reference; raises ValueError when not base64."""
        if self.content_base64 is None:
            return None
        return base64.b64decode(self.content_base64, validate=True)


class ReplyIn(_In):
    """A reply to the customer."""

    text: str = Field(min_length=1, max_length=MAX_REPLY_TEXT)
    subject: str | None = Field(default=None, max_length=998, description="Email only; default: Re: theirs.")
    attachments: list[ReplyAttachmentIn] = Field(default_factory=list, max_length=MAX_REPLY_ATTACHMENTS)
    channel: Channel | None = Field(default=None, description="Default: the conversation's `default_reply_channel`.")
    _multiline: ClassVar[frozenset[str]] = frozenset({"text"})


class ReplyOut(BaseModel):
    """The reply, recorded and queued for sending (``status`` pending); follow it in the conversation."""

    id: str
    conversation_id: str
    channel: str
    recipient: str
    status: str
    created_at: datetime


__all__ = [
    "AssignmentSummary",
    "AttachmentOut",
    "ContactView",
    "ConversationOut",
    "HistoryItem",
    "InboundItem",
    "ReplyAttachmentIn",
    "ReplyIn",
    "ReplyItem",
    "ReplyOut",
]
