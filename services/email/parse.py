"""Pure mapping of a mail to InboundMessage v1, and of each provider's webhook format to a parsed mail.

``to_inbound`` is the one place a parsed mail becomes a message (where the fax-to-email step belongs too).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from datetime import datetime

from services.email import flags, quotes
from services.email.html import html_to_text
from services.email.mime import ParsedMail, Part, clean_text, decode_header_value, parse_address, parse_mime
from shared.normalize import AddressInvalid, conversation_key, normalize_email
from shared.schema import MAX_TEXT, Attachment, InboundMessage, Sender

_MSGID = re.compile(r"<([^<>\s]{1,500})>")
MAX_META = 500
UNKNOWN_SENDER = "unknown"


def message_ids(value: str | None) -> list[str]:
    """The msg-ids in a Message-ID, In-Reply-To or References value, lower-cased, in order."""
    if not value:
        return []
    found = _MSGID.findall(value) or value.split()
    return [i.strip().lower() for i in found if i.strip()][:100]


def thread_root(mail: ParsedMail) -> str | None:
    """The first message of the thread: References' first id, else In-Reply-To, else the mail's own id."""
    for name in ("references", "in-reply-to", "message-id"):
        ids = message_ids(mail.header(name))
        if ids:
            return ids[0]
    return None


def external_id(mail: ParsedMail, fallback: str) -> str:
    """The provider dedupe key: the Message-ID (hashed when too long), else ``fallback`` (a content hash)."""
    ids = message_ids(mail.header("message-id"))
    if not ids:
        return fallback
    return ids[0] if len(ids[0]) <= 255 else "sha256:" + hashlib.sha256(ids[0].encode()).hexdigest()


def content_id(data: bytes) -> str:
    """A dedupe key for a mail without a Message-ID: its bytes' hash, so a re-delivery is still routed once."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def sender_of(mail: ParsedMail, envelope_sender: str | None) -> Sender:
    """The From address (else the envelope sender) as a lower-case addr-spec with the display name."""
    name, address = parse_address(mail.header("from"))
    for candidate in (address, envelope_sender):
        if candidate:
            try:
                return Sender(kind="email", address=normalize_email(candidate), name=(name or None) and name[:200])
            except AddressInvalid:
                continue
    return Sender(kind="other", address=UNKNOWN_SENDER, name=(name or None) and name[:200])


def to_inbound(
    mail: ParsedMail,
    *,
    message_id: str,
    provider: str,
    received_at: datetime,
    recipient: str | None,
    attachments: Sequence[Attachment],
    fallback_id: str,
    envelope_sender: str | None = None,
    extra: Mapping[str, str] | None = None,
    conversation: str | None = None,
) -> InboundMessage:
    """The normalized message for a parsed mail: threading, new text apart from quotes, flags, attachments.

    A thread's conversation is keyed by its root *and* the sender, so two customers are never merged, not even
    by a forged References header, let alone by a shared subject. ``conversation`` is the key of the
    conversation the mail answers when the caller found it otherwise (a reply of ours that it answers).
    """
    sender = sender_of(mail, envelope_sender)
    root = thread_root(mail) or fallback_id
    flagged, reason = flags.detect(mail, envelope_sender=envelope_sender)
    meta = {"thread_root": root, **(extra or {})}
    if reason:
        meta["flag_reason"] = reason
    if mail.from_html:
        meta["body"] = "html"
    subject = mail.header("subject")
    return InboundMessage(
        id=message_id,
        channel="email",
        provider=provider,
        external_id=external_id(mail, fallback_id),
        received_at=received_at,
        sender=sender,
        recipient=(recipient or "").lower()[:320] or None,
        conversation_key=conversation
        or conversation_key("email", sender.address, None, thread=f"{root} {sender.address}"),
        subject=subject[:1000] if subject else None,
        text=quotes.new_text(mail.text)[:MAX_TEXT],
        raw_text=mail.text[:MAX_TEXT],
        attachments=tuple(attachments),
        flags=flagged,
        metadata={k: v[:MAX_META] for k, v in list(meta.items())[:32]},
    )


def header_pairs(pairs: object) -> dict[str, str]:
    """First value per lower-cased name from ``[[name, value], ...]`` or ``[{"Name", "Value"}, ...]``."""
    headers: dict[str, str] = {}
    if not isinstance(pairs, list):
        return headers
    for item in pairs:
        if isinstance(item, list | tuple) and len(item) == 2:
            name, value = item
        elif isinstance(item, dict):
            name, value = item.get("Name"), item.get("Value")
        else:
            continue
        if isinstance(name, str) and isinstance(value, str):
            headers.setdefault(name.lower(), value)
    return headers


def _body(plain: str | None, html: str | None) -> tuple[str, bool]:
    if plain and plain.strip():
        return clean_text(plain), False
    if html:
        return clean_text(html_to_text(html)), True
    return "", False


def mailgun_mail(fields: Mapping[str, str], files: Sequence[Part]) -> ParsedMail:
    """A Mailgun route's POST: the raw message (``body-mime``) or the parsed fields and attachments."""
    if "body-mime" in fields:
        return parse_mime(fields["body-mime"].encode("utf-8", "surrogateescape"))
    headers = header_pairs(_json(fields.get("message-headers")))
    for name in ("from", "subject"):
        if name in fields:
            headers.setdefault(name, fields[name])
    text, from_html = _body(fields.get("body-plain"), fields.get("body-html"))
    content_type = decode_header_value(headers.get("content-type", "text/plain")).split(";")[0].strip().lower()
    return ParsedMail(
        headers=headers, text=text, from_html=from_html, attachments=list(files), content_type=content_type
    )


def sendgrid_mail(fields: Mapping[str, str], files: Sequence[Part]) -> ParsedMail:
    """SendGrid Inbound Parse: the raw variant (``email``) or the parsed one (``headers``, ``text``, ``html``)."""
    if "email" in fields:
        return parse_mime(fields["email"].encode("utf-8", "surrogateescape"))
    head = parse_mime((fields.get("headers", "").rstrip("\r\n") + "\r\n\r\n").encode("utf-8", "surrogateescape"))
    for name in ("from", "subject", "to"):
        if name in fields:
            head.headers.setdefault(name, fields[name])
    head.text, head.from_html = _body(fields.get("text"), fields.get("html"))
    head.attachments = list(files)
    return head


def postmark_mail(payload: Mapping[str, object]) -> ParsedMail:
    """Postmark's inbound JSON: headers, bodies and base64 attachments (``RawEmail`` when it was sent)."""
    raw = payload.get("RawEmail")
    if isinstance(raw, str) and raw:
        return parse_mime(raw.encode("utf-8", "surrogateescape"))
    headers = header_pairs(payload.get("Headers"))
    for field, name in (("From", "from"), ("Subject", "subject"), ("MessageID", "x-postmark-message-id")):
        value = payload.get(field)
        if isinstance(value, str) and value:
            headers.setdefault(name, value)
    plain, html = payload.get("TextBody"), payload.get("HtmlBody")
    text, from_html = _body(plain if isinstance(plain, str) else None, html if isinstance(html, str) else None)
    return ParsedMail(headers=headers, text=text, from_html=from_html, attachments=_postmark_parts(payload))


def _postmark_parts(payload: Mapping[str, object]) -> list[Part]:
    parts: list[Part] = []
    items = payload.get("Attachments")
    for n, item in enumerate(items if isinstance(items, list) else [], start=1):
        if not isinstance(item, dict):
            continue
        try:
            data = base64.b64decode(str(item.get("Content") or ""), validate=False)
        except (binascii.Error, ValueError):
            data = b""
        name = str(item.get("Name") or f"attachment-{n}")[:255]
        content_type = str(item.get("ContentType") or "application/octet-stream")[:127]
        parts.append(Part(name=name, content_type=content_type, data=data))
    return parts


def _json(value: str | None) -> object:
    if not value:
        return None
    try:
        result: object = json.loads(value)
    except ValueError:
        return None
    return result
