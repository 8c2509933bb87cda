"""Fax-to-email: recognize a fax service's delivery and read the faxed document (text layer or Tesseract OCR).

The email adapter calls these for each parsed mail: ``recognize`` says whether it is a fax and from whom,
``read_document`` reads the attached document (``is_fax_document`` picks it), and ``fax_message`` turns the
mail's normalized message into the fax: channel ``fax``, the fax number as sender, the document's text.
"""

from services.fax.document import FaxDocument, OcrState, read_document
from services.fax.message import fax_message, fax_metadata, is_fax_document
from services.fax.ocr import find_tesseract
from services.fax.parse import DEFAULT_FAX_SENDERS, FaxOrigin, recognize, sender_domains

__all__ = [
    "DEFAULT_FAX_SENDERS",
    "FaxDocument",
    "FaxOrigin",
    "OcrState",
    "fax_message",
    "fax_metadata",
    "find_tesseract",
    "is_fax_document",
    "read_document",
    "recognize",
    "sender_domains",
]
