"""A fax-to-email mail's normalized message becomes the fax it carries."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from services.fax import FaxDocument, FaxOrigin, fax_message, fax_metadata, is_fax_document
from shared.normalize import conversation_key
from shared.schema import Attachment, Flags, InboundMessage, Sender

PDF_SHA = "a" * 64
LOGO_SHA = "b" * 64


def mail(**changes: object) -> InboundMessage:
    """The message the email adapter makes of an eFax delivery (auto-generated, so flagged as an auto-reply)."""
    base = InboundMessage(
        id="0190f1d2-0000-7000-8000-000000000001",
        channel="email",
        provider="smtp",
        external_id="abc@inbound.efax.com",
        received_at=datetime(2026, 12, 3, 22, 0, tzinfo=UTC),
        sender=Sender(kind="email", address="message@inbound.efax.com", name="eFax"),
        recipient="support@example.com",
        conversation_key="k" * 32,
        subject='eFax message from "Jane" - 2 page(s), Caller-ID: +45 32 12 34 56',
        text="You have received a 2 page fax.",
        raw_text="You have received a 2 page fax.\n\n-- \neFax",
        attachments=(
            Attachment(name="logo.gif", content_type="image/gif", size=10, sha256=LOGO_SHA, storage_ref=LOGO_SHA),
            Attachment(name="fax.pdf", content_type="application/pdf", size=99, sha256=PDF_SHA, storage_ref=PDF_SHA),
        ),
        flags=Flags(auto_reply=True),
        metadata={"thread_root": "abc@inbound.efax.com", "flag_reason": "auto-submitted"},
    )
    return base.model_copy(update=changes)


DOCUMENT = FaxDocument(text="Where is my order 48213?", pages=2, method="ocr", error=None, pages_read=2)


def test_a_fax_with_a_known_number_comes_from_that_number() -> None:
    fax = fax_message(mail(), FaxOrigin("efax", "+4532123456", 2), DOCUMENT, document_sha256=PDF_SHA)
    assert (fax.channel, fax.provider) == ("fax", "efax")
    assert fax.sender == Sender(kind="phone", address="+4532123456", name="eFax")
    assert fax.conversation_key == conversation_key("fax", "+4532123456", "support@example.com")
    assert fax.text == "Where is my order 48213?"
    assert fax.raw_text == "You have received a 2 page fax.\n\n-- \neFax"
    assert fax.flags == Flags()
    assert fax.metadata == {
        "thread_root": "abc@inbound.efax.com",
        "fax_provider": "efax",
        "fax_pages": "2",
        "ocr": "done",
        "fax_text": "ocr",
        "fax_mail_from": "message@inbound.efax.com",
    }
    by_sha = {a.sha256: a for a in fax.attachments}
    assert by_sha[PDF_SHA].extracted_text == "Where is my order 48213?"
    assert by_sha[LOGO_SHA].extracted_text is None
    assert InboundMessage.from_bytes(fax.to_bytes()) == fax


def test_faxes_from_unknown_numbers_are_never_merged() -> None:
    one = fax_message(mail(), FaxOrigin("efax", None), DOCUMENT, document_sha256=PDF_SHA)
    two = fax_message(
        mail(external_id="other@inbound.efax.com"), FaxOrigin("efax", None), DOCUMENT, document_sha256=PDF_SHA
    )
    assert one.sender == mail().sender
    assert one.conversation_key != two.conversation_key


def test_a_fax_whose_ocr_failed_is_delivered_flagged_with_its_document() -> None:
    failed = FaxDocument(text="", pages=3, method="none", error="OCR stopped at page 1 of 3: out of time")
    fax = fax_message(mail(), FaxOrigin("efax", "+4532123456"), failed, document_sha256=PDF_SHA)
    assert fax.channel == "fax"
    assert fax.text == "You have received a 2 page fax."
    assert fax.metadata["ocr"] == "failed"
    assert fax.metadata["ocr_error"].startswith("OCR stopped")
    assert PDF_SHA in {a.sha256 for a in fax.attachments}


def test_metadata_says_how_the_text_was_read() -> None:
    origin = FaxOrigin("srfax", None, 4)
    assert fax_metadata(origin, None) == {"fax_provider": "srfax", "fax_pages": "4", "ocr": "no_document"}
    off = FaxDocument(text="", pages=1, method="none", error=None, pages_read=1, ocr_off=True)
    assert fax_metadata(origin, off)["ocr"] == "off"
    layer = FaxDocument(text="Hello", pages=1, method="text_layer", error=None, pages_read=1)
    assert fax_metadata(origin, layer) == {
        "fax_provider": "srfax",
        "fax_pages": "1",
        "ocr": "not_needed",
        "fax_text": "text_layer",
    }
    capped = FaxDocument(text="Hello", pages=9, method="ocr", error=None, pages_read=5)
    assert fax_metadata(origin, capped)["ocr"] == "partial"
    assert fax_metadata(origin, capped)["fax_pages_read"] == "5"


@given(st.dictionaries(st.text(min_size=1, max_size=20), st.text(max_size=50), max_size=32))
def test_a_full_metadata_keeps_the_fax_keys_within_the_schema_bound(extra: dict[str, str]) -> None:
    fax = fax_message(mail(metadata=extra), FaxOrigin("efax", "+4532123456"), DOCUMENT, document_sha256=PDF_SHA)
    assert len(fax.metadata) <= 32
    assert fax.metadata["ocr"] == "done"
    InboundMessage.model_validate(fax.model_dump())


def test_the_fax_document_is_found_by_its_bytes_type_or_name() -> None:
    assert is_fax_document("application/octet-stream", "noname", b"%PDF-1.4 ...")
    assert is_fax_document("application/octet-stream", "noname", b"II*\x00....")
    assert is_fax_document("image/tiff; name=fax.tif", "x", b"")
    assert is_fax_document("application/octet-stream", "FAX123.TIF", b"")
    assert not is_fax_document("text/html", "notice.html", b"<html>")
    assert not is_fax_document("image/gif", "logo.gif", b"GIF89a")
