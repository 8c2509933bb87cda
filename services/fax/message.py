"""Turn the normalized message of a fax-to-email mail into the fax it carries (pure)."""

from __future__ import annotations

from services.fax.document import FaxDocument
from services.fax.parse import FaxOrigin
from shared.normalize import conversation_key
from shared.schema import MAX_TEXT, Flags, InboundMessage, Sender

_DOCUMENT_TYPES = ("application/pdf", "image/tiff", "image/tif")
_DOCUMENT_SUFFIXES = (".pdf", ".tif", ".tiff")
_SIGNATURES = (b"%PDF-", b"II*\x00", b"MM\x00*")
_MAX_METADATA = 32


def is_fax_document(content_type: str, name: str, data: bytes) -> bool:
    """Whether an attachment is the faxed document: a PDF or TIFF by its bytes, type or file name (not a logo)."""
    return (
        data.startswith(_SIGNATURES)
        or content_type.lower().split(";")[0].strip() in _DOCUMENT_TYPES
        or name.lower().endswith(_DOCUMENT_SUFFIXES)
    )


def fax_message(
    message: InboundMessage, origin: FaxOrigin, document: FaxDocument | None, *, document_sha256: str | None
) -> InboundMessage:
    """The fax in ``message`` (the mail as the email adapter normalized it).

    Channel ``fax`` from the fax service; the sender is the fax number (kind phone) when known, and the
    conversation is that number's (an unknown number's fax is a conversation of its own). The text is the
    document's (the mail's own text when nothing could be read; it stays in ``raw_text`` either way), the
    document attachment carries the extracted text, and the metadata says pages and OCR state (and
    ``fax_mail_from``, the service's address that replies are mailed to). Fax services'
    notices are machine-sent, so the email auto-reply flags do not apply to the fax inside.
    """
    sender = message.sender
    if origin.number is not None:
        sender = Sender(kind="phone", address=origin.number, name=message.sender.name)
        key = conversation_key("fax", origin.number, message.recipient)
    else:
        key = conversation_key("fax", f"unknown:{message.external_id or message.id}", message.recipient)
    read = document.text if document is not None else ""
    attachments = tuple(
        a.model_copy(update={"extracted_text": read[:MAX_TEXT] or None}) if a.sha256 == document_sha256 else a
        for a in message.attachments
    )
    metadata = {k: v for k, v in message.metadata.items() if k != "flag_reason"}
    metadata.update(fax_metadata(origin, document))
    if message.sender.kind == "email":  # the fax service's mailbox: where a reply by fax-to-email goes
        metadata["fax_mail_from"] = message.sender.address
    return message.model_copy(
        update={
            "channel": "fax",
            "provider": origin.provider[:64],
            "sender": sender,
            "conversation_key": key,
            "text": (read or message.text)[:MAX_TEXT],
            "raw_text": message.raw_text if message.raw_text is not None else message.text,
            "attachments": attachments,
            "flags": Flags(),
            "metadata": dict(list(metadata.items())[-_MAX_METADATA:]),
        }
    )


def fax_metadata(origin: FaxOrigin, document: FaxDocument | None) -> dict[str, str]:
    """The message metadata of a fax: service, pages, how its text was read (``ocr``) and why it stopped short."""
    out = {"fax_provider": origin.provider[:64]}
    pages = document.pages if document is not None and document.pages else origin.pages
    if pages:
        out["fax_pages"] = str(pages)
    if document is None:
        out["ocr"] = "no_document"
        return out
    out["ocr"] = document.ocr_state
    out["fax_text"] = document.method
    if document.pages_read < document.pages:
        out["fax_pages_read"] = str(document.pages_read)
    if document.error:
        out["ocr_error"] = document.error[:200]
    return out
