"""Twilio's and Vonage's inbound SMS formats, mapped to InboundMessage v1 (pure: no I/O)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import ValidationError

from shared.errors import InvalidRequest
from shared.normalize import AddressInvalid, conversation_key, normalize_phone
from shared.schema import Attachment, InboundMessage, Sender

MAX_MEDIA = 10
"""Twilio sends at most ten media items with one MMS."""
MAX_PARTS = 255
"""A concatenated SMS's part count is one byte in its user data header."""
_META_VALUE = 1000
_EXTERNAL_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")
_MEDIA_TYPE = re.compile(r"^[\w.+-]{1,63}/[\w.+-]{1,63}$")


@dataclass(frozen=True)
class MediaRef:
    """An MMS media item the provider holds: where to fetch it and what it claims to be."""

    url: str
    content_type: str


@dataclass(frozen=True)
class Concat:
    """Where one part of a concatenated SMS belongs: the carrier's reference, the part count, this part."""

    ref: str
    total: int
    part: int


@dataclass(frozen=True)
class Sms:
    """One inbound SMS (or one part of one) as the provider described it, addresses normalized."""

    provider: str
    external_id: str
    sender: str
    recipient: str | None
    text: str
    media: tuple[MediaRef, ...] = ()
    concat: Concat | None = None
    metadata: dict[str, str] = field(default_factory=dict)


def parse_twilio(form: Mapping[str, str]) -> Sms:
    """Twilio's messaging webhook (form fields MessageSid, From, To, Body, NumMedia, MediaUrl0...)."""
    external_id = _required(form, "MessageSid")
    metadata = _metadata(form, {"AccountSid": "account_sid", "NumSegments": "segments", "FromCountry": "country"})
    sender_raw = _required(form, "From")
    channel, _, number = sender_raw.partition(":") if sender_raw.startswith("whatsapp:") else ("", "", sender_raw)
    if channel:
        metadata["twilio_channel"] = channel
    media = tuple(_twilio_media(form))
    for i, ref in enumerate(media):
        metadata[f"media_url_{i}"] = ref.url
        metadata[f"media_type_{i}"] = ref.content_type
    return Sms(
        provider="twilio",
        external_id=_external_id(external_id, "MessageSid"),
        sender=_phone(number, "From"),
        recipient=_recipient(form.get("To", "").removeprefix("whatsapp:")),
        text=form.get("Body", ""),
        media=media,
        metadata=metadata,
    )


def _twilio_media(form: Mapping[str, str]) -> list[MediaRef]:
    raw = form.get("NumMedia", "0").strip() or "0"
    if not (raw.isascii() and raw.isdigit()) or int(raw) > MAX_MEDIA:
        raise InvalidRequest(f"NumMedia must be a whole number from 0 to {MAX_MEDIA}")
    refs = []
    for i in range(int(raw)):
        url = _required(form, f"MediaUrl{i}")
        if not url.startswith("https://") or len(url) > _META_VALUE:
            raise InvalidRequest(f"MediaUrl{i} must be an https URL")
        content_type = form.get(f"MediaContentType{i}", "").strip().lower()
        refs.append(MediaRef(url, content_type if _MEDIA_TYPE.match(content_type) else "application/octet-stream"))
    return refs


def parse_vonage(params: Mapping[str, str]) -> Sms:
    """Vonage's SMS API inbound webhook (msisdn, to, messageId, text, type, concat-ref/-total/-part)."""
    kind = params.get("type", "text")
    if kind not in ("text", "unicode", "binary"):
        raise InvalidRequest("type must be text, unicode or binary")
    metadata = _metadata(params, {"message-timestamp": "message_timestamp", "api-key": "api_key"})
    metadata["vonage_type"] = kind
    text = params.get("text", "") if kind != "binary" else ""
    return Sms(
        provider="vonage",
        external_id=_external_id(_required(params, "messageId"), "messageId"),
        sender=_phone(_international(_required(params, "msisdn")), "msisdn"),
        recipient=_recipient(_international(params.get("to", ""))),
        text=text,
        concat=_concat(params),
        metadata=metadata,
    )


def _concat(params: Mapping[str, str]) -> Concat | None:
    if params.get("concat", "").lower() != "true" and "concat-ref" not in params:
        return None
    ref, total, part = (params.get(k, "").strip() for k in ("concat-ref", "concat-total", "concat-part"))
    if not (ref and len(ref) <= 16 and total.isascii() and total.isdigit() and part.isascii() and part.isdigit()):
        raise InvalidRequest("a concatenated SMS needs concat-ref, concat-total and concat-part")
    if not 1 <= int(part) <= int(total) <= MAX_PARTS:
        raise InvalidRequest(f"concat-part must be 1 to concat-total, and concat-total at most {MAX_PARTS}")
    return None if int(total) == 1 else Concat(ref, int(total), int(part))


def to_message(
    sms: Sms, *, message_id: str, received_at: datetime, attachments: tuple[Attachment, ...] = ()
) -> InboundMessage:
    """The normalized message for ``sms``; the conversation is the sender and recipient pair."""
    try:
        return InboundMessage(
            id=message_id,
            channel="sms",
            provider=sms.provider,
            external_id=sms.external_id,
            received_at=received_at,
            sender=Sender(kind="phone", address=sms.sender),
            recipient=sms.recipient,
            conversation_key=conversation_key("sms", sms.sender, sms.recipient),
            text=sms.text,
            attachments=attachments,
            metadata=sms.metadata,
        )
    except ValidationError as exc:
        fields = sorted({".".join(str(p) for p in e["loc"]) for e in exc.errors()})
        raise InvalidRequest(f"the message does not fit InboundMessage v1 ({', '.join(fields)})") from None


def _required(form: Mapping[str, str], name: str) -> str:
    value = form.get(name, "").strip()
    if not value:
        raise InvalidRequest(f"{name} is required")
    return value


def _external_id(value: str, name: str) -> str:
    if not _EXTERNAL_ID.match(value):
        raise InvalidRequest(f"{name} is not a provider message id")
    return value


def _phone(value: str, name: str) -> str:
    try:
        return normalize_phone(value)
    except AddressInvalid as exc:
        raise InvalidRequest(f"{name}: {exc}") from None


def _international(value: str) -> str:
    """Vonage writes numbers without the plus sign (``447700900001``)."""
    value = value.strip()
    return f"+{value}" if value.isascii() and value.isdigit() else value


def _recipient(value: str) -> str | None:
    """Our number the message reached: E.164 when it is one, else as given (a short code), or None."""
    value = value.strip()
    if not value:
        return None
    try:
        return normalize_phone(value)
    except AddressInvalid:
        return value[:320]


def _metadata(form: Mapping[str, str], names: Mapping[str, str]) -> dict[str, str]:
    return {key: form[name][:_META_VALUE] for name, key in names.items() if form.get(name)}
