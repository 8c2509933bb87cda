"""The normalized inbound message (InboundMessage v1): the contract between ingest and the router."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Channel = Literal["email", "sms", "chat", "fax"]
CHANNELS: tuple[Channel, ...] = ("email", "sms", "chat", "fax")
AddressKind = Literal["email", "phone", "chat_session", "other"]

SCHEMA_VERSION = 1
MAX_TEXT = 256 * 1024


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Sender(_Frozen):
    """Who wrote the message: a normalized address (E.164, lower-cased addr-spec, chat session) and a name."""

    kind: AddressKind
    address: str = Field(min_length=1, max_length=320)
    name: str | None = Field(default=None, max_length=200)


class Attachment(_Frozen):
    """An attachment's description; the bytes live in storage, referenced by ``storage_ref``."""

    name: str = Field(max_length=255)
    content_type: str = Field(max_length=127)
    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    storage_ref: str | None = None
    extracted_text: str | None = Field(default=None, max_length=MAX_TEXT)


class Flags(_Frozen):
    """Markers that change how a message is routed."""

    auto_reply: bool = False
    bounce: bool = False


class InboundMessage(_Frozen):
    """One customer message, normalized by an adapter or the generic ingest API."""

    schema_version: Literal[1] = 1
    id: str
    channel: Channel
    provider: str = Field(max_length=64)
    external_id: str | None = Field(default=None, max_length=255)
    received_at: datetime
    sender: Sender
    recipient: str | None = Field(default=None, max_length=320)
    conversation_key: str = Field(min_length=1, max_length=512)
    subject: str | None = Field(default=None, max_length=1000)
    text: str = Field(max_length=MAX_TEXT)
    raw_text: str | None = Field(default=None, max_length=MAX_TEXT)
    attachments: tuple[Attachment, ...] = ()
    flags: Flags = Flags()
    metadata: dict[str, str] = Field(default_factory=dict, max_length=32)

    def to_bytes(self) -> bytes:
        """Serialize for the bus."""
        return self.model_dump_json().encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> InboundMessage:
        """Parse a bus record; raises ``pydantic.ValidationError`` on a bad payload."""
        return cls.model_validate_json(data)
