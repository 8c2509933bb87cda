"""Accept one mail, whichever way it came: store its attachments, normalize it, make it durable."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

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

    Attachments are stored first, so a message on the bus never names bytes that were not kept.
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
    await publish_inbound(message, bus=deps.bus, settings=deps.settings)
    return message
