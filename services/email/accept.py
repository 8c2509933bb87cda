"""Accept one mail, whichever way it came: store its attachments, normalize it, make it durable."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from services import fax
from services.common import AdapterDeps
from services.email.mime import ParsedMail, Part
from services.email.parse import to_inbound
from shared.blobs import BlobStore, sha256_hex
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
