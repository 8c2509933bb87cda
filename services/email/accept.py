"""Accept one mail, whichever way it came: store its attachments, normalize it, make it durable."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from sqlalchemy import select

from services import fax
from services.common import AdapterDeps
from services.email.mime import ParsedMail, Part
from services.email.parse import sender_of, thread_root, to_inbound
from shared.blobs import BlobStore, sha256_hex
from shared.db.models import Conversation, Reply
from shared.ids import new_id
from shared.ingest import publish_inbound
from shared.schema import Attachment, InboundMessage
from shared.settings import Settings

MAX_ATTACHMENTS = 100


async def store_attachments(
    parts: Sequence[Part], *, blobs: BlobStore, settings: Settings
) -> tuple[list[Attachment], int]:
    """Store each attachment within the per-file and per-message limits; return the records and how many
    were over a limit (those are described, with their hash, but have no stored bytes: ``storage_ref`` None)."""
    records: list[Attachment] = []
    stored = over = 0
    for part in parts[:MAX_ATTACHMENTS]:
        size = len(part.data)
        if size > settings.attachment_max_bytes or stored + size > settings.message_attachments_max_bytes:
            ref = None
            over += 1
        else:
            ref = await blobs.put(part.data)
            stored += size
        records.append(
            Attachment(
                name=part.name[:255],
                content_type=part.content_type[:127],
                size=size,
                sha256=ref or sha256_hex(part.data),
                storage_ref=ref,
            )
        )
    return records, over + max(0, len(parts) - MAX_ATTACHMENTS)


async def accept_mail(
    mail: ParsedMail,
    *,
    deps: AdapterDeps,
    provider: str,
    recipient: str | None,
    fallback_id: str,
    envelope_sender: str | None = None,
    extra: Mapping[str, str] | None = None,
) -> InboundMessage:
    """Normalize ``mail`` and publish it; returns once it is durable (raises ``BusUnavailable`` otherwise).

    Attachments are stored first, so a message on the bus never names bytes that were not kept. A fax
    service's delivery becomes the fax it carries (channel ``fax``), its document read by text layer or OCR.
    """
    attachments, over = await store_attachments(mail.attachments, blobs=deps.blobs, settings=deps.settings)
    answered = await answered_conversation(mail, deps=deps, envelope_sender=envelope_sender)
    meta = dict(extra or {})
    if over:
        meta["attachments_not_stored"] = str(over)
    message = to_inbound(
        mail,
        message_id=new_id(),
        provider=provider,
        received_at=datetime.now(UTC),
        recipient=recipient,
        attachments=attachments,
        fallback_id=fallback_id,
        envelope_sender=envelope_sender,
        extra=meta,
        conversation=answered,
    )
    origin = fax.recognize(
        sender=mail.header("from") or envelope_sender or "",
        subject=mail.header("subject"),
        headers=mail.headers,
        text=mail.text,
        fax_senders=deps.settings.fax_senders,
    )
    if origin is not None:
        message = await as_fax(message, mail, origin, settings=deps.settings)
    await publish_inbound(message, bus=deps.bus, settings=deps.settings)
    return message


async def answered_conversation(mail: ParsedMail, *, deps: AdapterDeps, envelope_sender: str | None) -> str | None:
    """The key of the conversation whose reply of ours this mail answers, when its thread starts at our reply.

    A customer's client that keeps References threads back by the thread root on its own; one that names only
    our Message-ID (In-Reply-To), or a reply we sent on another channel's conversation, starts at our id, which
    only the replies table knows. Only the customer we wrote to joins that conversation (the sender must be
    the reply's recipient). Ids of another domain than our From address are not looked up.
    """
    root = thread_root(mail)
    domain = deps.settings.reply_from.rpartition("@")[2].lower()
    if root is None or not root.endswith("@" + domain):
        return None
    sender = sender_of(mail, envelope_sender).address
    async with deps.sessions() as session:
        found = await session.execute(
            select(Reply.recipient, Conversation.key)
            .join(Conversation, Conversation.id == Reply.conversation_id)
            .where(Reply.provider_ref == f"<{root}>")
            .limit(1)
        )
        row = found.first()
    if row is None or row[0] != sender:
        return None
    key: str = row[1]
    return key


async def as_fax(
    message: InboundMessage, mail: ParsedMail, origin: fax.FaxOrigin, *, settings: Settings
) -> InboundMessage:
    """The fax in a fax service's mail: its attached PDF or TIFF read (within the OCR limits) into its text."""
    part = next((p for p in mail.attachments if fax.is_fax_document(p.content_type, p.name, p.data)), None)
    document = None
    if part is not None:
        document = await fax.read_document(
            part.data,
            part.content_type,
            max_pages=settings.ocr_max_pages,
            timeout=settings.ocr_timeout_seconds,
            languages=settings.languages,
        )
    return fax.fax_message(message, origin, document, document_sha256=None if part is None else sha256_hex(part.data))
