"""Fax-to-email through the real SMTP listener (smtplib): routed as faxes, text read from the document."""

from __future__ import annotations

import asyncio
import smtplib
from collections.abc import AsyncIterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from services.email import bound_port
from services.fax import find_tesseract
from services.routers import listeners
from shared.settings import Settings
from tests.api.conftest import eventually, make_settings, routed
from tests.unit.fax.faxdocs import ENGLISH, GERMAN, scanned_tiff, text_pdf

pytestmark = pytest.mark.asyncio


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Embedded settings; OCR limits generous enough for a loaded test machine."""
    if find_tesseract() is None:
        pytest.fail("tesseract with language data is missing: run .ci/install-deps.sh")
    return make_settings(tmp_path, ocr_timeout_seconds=120)


@pytest.fixture
async def smtp_port(app: FastAPI) -> AsyncIterator[int]:
    """The running app's SMTP listener on a free port."""
    async with listeners(app.state.deps, smtp_port=0) as servers:
        yield bound_port(servers["smtp"])


def fax_mail(sender: str, subject: str, document: bytes, filename: str, subtype: str, ident: str) -> EmailMessage:
    """A fax service's delivery: a short notice and the fax attached."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "fax@example.com"
    msg["Subject"] = subject
    msg["Message-ID"] = f"<{ident}@fax.example.net>"
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content("You have received a fax. It is attached to this email.")
    maintype = "application" if subtype == "pdf" else "image"
    msg.add_attachment(document, maintype=maintype, subtype=subtype, filename=filename)
    return msg


def send(port: int, msg: EmailMessage) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=180) as smtp:
        smtp.send_message(msg, to_addrs=["fax@example.com"])


async def routed_fax(client: httpx.AsyncClient, external_id: str, channel: str = "fax") -> dict[str, Any]:
    async def check() -> dict[str, Any] | None:
        listed = (await client.get("/v1/messages", params={"channel": channel, "limit": 500})).json()
        found = [m for m in listed if m["external_id"] == external_id]
        return await routed(client, found[0]["id"]) if found else None

    result: dict[str, Any] = await eventually(check, timeout=60)
    return result


async def test_a_scanned_fax_by_email_is_routed_as_a_fax_from_the_senders_number(
    client: httpx.AsyncClient, smtp_port: int
) -> None:
    tiff = scanned_tiff([ENGLISH, GERMAN])
    msg = fax_mail(
        '"eFax" <message@inbound.efax.com>',
        'eFax message from "Margaret" - 2 page(s), Caller-ID: 1-212-555-0143',
        tiff,
        "fax.tif",
        "tiff",
        "efax-1",
    )
    await asyncio.to_thread(send, smtp_port, msg)
    message = await routed_fax(client, "efax-1@fax.example.net")
    assert (message["channel"], message["provider"]) == ("fax", "efax")
    assert message["sender"]["kind"] == "phone"
    assert message["sender"]["address"] == "+12125550143"
    assert "winter jacket" in message["text"]
    assert "48213" in message["text"]
    assert message["flags"] == {"auto_reply": False, "bounce": False}
    assert message["metadata"]["fax_pages"] == "2"
    assert message["metadata"]["ocr"] == "done"
    assert message["decision"]["outcome"] != "dropped"
    [attachment] = message["attachments"]
    assert "winter jacket" in attachment["extracted_text"]
    r = await client.get(f"/v1/messages/{message['id']}/attachments/{attachment['sha256']}")
    assert r.content == tiff


async def test_a_pdf_fax_with_a_text_layer_needs_no_ocr(client: httpx.AsyncClient, smtp_port: int) -> None:
    msg = fax_mail(
        "RingCentral <service@ringcentral.com>",
        "New Fax Message from (212) 555-0143 on 12/03/2026 10:02",
        text_pdf([ENGLISH]),
        "fax.pdf",
        "pdf",
        "rc-1",
    )
    await asyncio.to_thread(send, smtp_port, msg)
    message = await routed_fax(client, "rc-1@fax.example.net")
    assert message["provider"] == "ringcentral"
    assert message["text"].startswith("Dear customer service team,")
    assert message["metadata"]["ocr"] == "not_needed"


async def test_a_fax_whose_document_cannot_be_read_is_still_delivered_flagged(
    client: httpx.AsyncClient, smtp_port: int
) -> None:
    msg = fax_mail(
        "SRFax <noreply@srfax.com>", "Fax Received - CallerID: 2125550143", b"%PDF-1.4 torn", "f.pdf", "pdf", "sr-1"
    )
    await asyncio.to_thread(send, smtp_port, msg)
    message = await routed_fax(client, "sr-1@fax.example.net")
    assert message["channel"] == "fax"
    assert message["metadata"]["ocr"] == "failed"
    assert message["text"] == "You have received a fax. It is attached to this email."
    assert len(message["attachments"]) == 1


async def test_a_customers_mail_with_a_pdf_stays_an_email(client: httpx.AsyncClient, smtp_port: int) -> None:
    msg = fax_mail("Ann <ann@example.org>", "My fax from yesterday", text_pdf([ENGLISH]), "a.pdf", "pdf", "ann-1")
    del msg["Auto-Submitted"]
    await asyncio.to_thread(send, smtp_port, msg)
    message = await routed_fax(client, "ann-1@fax.example.net", channel="email")
    assert message["sender"]["address"] == "ann@example.org"
    assert "ocr" not in message["metadata"]
