"""Fax-to-email: recognize a fax service's delivery and read the faxed document (text layer or Tesseract OCR).

The email adapter calls these for each parsed mail; a recognized fax becomes an InboundMessage on channel
``fax`` whose sender is the fax number, whose text is the document's, and whose metadata says how it was read.
"""

from services.fax.document import FaxDocument, OcrState, read_document
from services.fax.ocr import find_tesseract
from services.fax.parse import DEFAULT_FAX_SENDERS, FaxOrigin, recognize, sender_domains

__all__ = [
    "DEFAULT_FAX_SENDERS",
    "FaxDocument",
    "FaxOrigin",
    "OcrState",
    "fax_metadata",
    "find_tesseract",
    "read_document",
    "recognize",
    "sender_domains",
]


def fax_metadata(origin: FaxOrigin, document: FaxDocument | None) -> dict[str, str]:
    """The message metadata of a fax: service, pages, how its text was read (``ocr``) and why it stopped short."""
    out = {"fax_provider": origin.provider}
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
