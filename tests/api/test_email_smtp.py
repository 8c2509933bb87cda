"""Mail through the real SMTP listener with smtplib (STARTTLS included), routed by the embedded router."""

from __future__ import annotations

import asyncio
import smtplib
import socket
import ssl
from collections.abc import AsyncIterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest
import trustme
from fastapi import FastAPI

from services.email import bound_port
from services.routers import listeners
from shared.settings import Settings
from tests.api.conftest import admin_client, eventually, make_settings, routed, running_app

pytestmark = pytest.mark.asyncio


@pytest.fixture
def tls(tmp_path: Path) -> tuple[trustme.CA, Path, Path]:
    """A throwaway CA and a certificate for 127.0.0.1 / localhost issued by it."""
    ca = trustme.CA()
    leaf = ca.issue_cert("127.0.0.1", "localhost")
    cert, key = tmp_path / "smtp.pem", tmp_path / "smtp.key"
    cert.write_bytes(b"".join(p.bytes() for p in leaf.cert_chain_pems))
    key.write_bytes(leaf.private_key_pem.bytes())
    return ca, cert, key


@pytest.fixture
def settings(tmp_path: Path, database_url: str, tls: tuple[trustme.CA, Path, Path]) -> Settings:
    """Embedded settings with STARTTLS on the SMTP listener."""
    return make_settings(tmp_path, database_url=database_url, smtp_tls_cert=tls[1], smtp_tls_key=tls[2])


@pytest.fixture
async def smtp_port(app: FastAPI) -> AsyncIterator[int]:
    """The running app's SMTP listener on a free port."""
    async with listeners(app.state.deps, smtp_port=0) as servers:
        yield bound_port(servers["smtp"])


def mail(
    subject: str = "Where is my order?", *, sender: str = "Ann Customer <ann@example.org>", body: str = "Hello"
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "help@example.com"
    msg["Subject"] = subject
    msg["Message-ID"] = f"<{abs(hash((subject, sender, body)))}@example.org>"
    msg.set_content(body)
    return msg


def send(port: int, msg: EmailMessage, *, ca: trustme.CA | None = None, to: str = "help@example.com") -> None:
    """Deliver with smtplib, upgrading to TLS when a CA to trust is given."""
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        smtp.ehlo()
        if ca is not None:
            context = ssl.create_default_context()
            ca.configure_trust(context)
            smtp.starttls(context=context)
            smtp.ehlo()
        smtp.send_message(msg, to_addrs=[to])


async def routed_by_external_id(client: httpx.AsyncClient, external_id: str) -> dict[str, Any]:
    """Wait until a mail with this Message-ID has been routed; return it with its decision."""

    async def check() -> dict[str, Any] | None:
        listed = (await client.get("/v1/messages", params={"channel": "email", "limit": 500})).json()
        found = [m for m in listed if m["external_id"] == external_id]
        return await routed(client, found[0]["id"]) if found else None

    result: dict[str, Any] = await eventually(check)
    return result


async def test_mail_over_starttls_is_routed_with_its_attachment_downloadable(
    client: httpx.AsyncClient, smtp_port: int, tls: tuple[trustme.CA, Path, Path]
) -> None:
    msg = mail(body="Hej, jeg vil gerne returnere min jakke. Ordre 12345.\n\n-- \nAnn")
    msg.add_attachment(b"%PDF-1.4 receipt", maintype="application", subtype="pdf", filename='kvittering "1".pdf')
    await asyncio.to_thread(send, smtp_port, msg, ca=tls[0])
    message = await routed_by_external_id(client, msg["Message-ID"].strip("<>"))
    assert message["provider"] == "smtp"
    assert message["sender"] == {"kind": "email", "address": "ann@example.org", "name": "Ann Customer"}
    assert message["text"] == "Hej, jeg vil gerne returnere min jakke. Ordre 12345."
    assert message["decision"] is not None
    [attachment] = message["attachments"]
    assert attachment["content_type"] == "application/pdf"
    r = await client.get(f"/v1/messages/{message['id']}/attachments/{attachment['sha256']}")
    assert r.status_code == 200
    assert r.content == b"%PDF-1.4 receipt"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["content-disposition"].startswith('attachment; filename="kvittering _1_.pdf"')
    r = await client.get(f"/v1/messages/{message['id']}/attachments/{'0' * 64}")
    assert r.status_code == 404
    anonymous = httpx.AsyncClient(transport=client._transport, base_url=str(client.base_url))
    async with anonymous:
        assert (
            await anonymous.get(f"/v1/messages/{message['id']}/attachments/{attachment['sha256']}")
        ).status_code == 401


async def test_reply_joins_the_conversation_of_its_thread(client: httpx.AsyncClient, smtp_port: int) -> None:
    first = mail("Refund", body="I want a refund for order 555.")
    await asyncio.to_thread(send, smtp_port, first)
    reply = mail("Re: Refund", body="Any news?\n\nOn Mon, 1 Dec 2026, Shop <help@example.com> wrote:\n> We look")
    reply["In-Reply-To"] = "<agent-1@example.com>"
    reply["References"] = f"{first['Message-ID']} <agent-1@example.com>"
    await asyncio.to_thread(send, smtp_port, reply)
    other = mail("Refund", sender="bob@example.net", body="I want a refund too.")
    await asyncio.to_thread(send, smtp_port, other)
    a = await routed_by_external_id(client, first["Message-ID"].strip("<>"))
    b = await routed_by_external_id(client, reply["Message-ID"].strip("<>"))
    c = await routed_by_external_id(client, other["Message-ID"].strip("<>"))
    assert a["conversation_id"] == b["conversation_id"] != c["conversation_id"]
    assert b["text"] == "Any news?"


async def test_foreign_recipient_is_refused_with_550(smtp_port: int) -> None:
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        await asyncio.to_thread(send, smtp_port, mail(), to="someone@elsewhere.org")
    assert next(iter(refused.value.recipients.values()))[0] == 550


async def test_mail_over_the_size_limit_is_refused_with_552(tmp_path: Path, database_url: str) -> None:
    settings = make_settings(tmp_path, database_url=database_url, mail_max_bytes=4096)
    async with running_app(settings, with_router=False) as app, listeners(app.state.deps, smtp_port=0) as servers:
        port = bound_port(servers["smtp"])
        with pytest.raises(smtplib.SMTPException) as refused:
            await asyncio.to_thread(send, port, mail(body="x" * 20_000))
        assert getattr(refused.value, "smtp_code", None) == 552


async def test_mail_is_refused_with_451_while_the_bus_is_down_and_accepted_after(
    tmp_path: Path, database_url: str
) -> None:
    settings = make_settings(tmp_path, database_url=database_url)
    async with running_app(settings, with_router=False) as app, listeners(app.state.deps, smtp_port=0) as servers:
        port = bound_port(servers["smtp"])
        await app.state.deps.bus.stop()
        with pytest.raises(smtplib.SMTPDataError) as refused:
            await asyncio.to_thread(send, port, mail())
        assert refused.value.smtp_code == 451
        await app.state.deps.bus.start()
        await asyncio.to_thread(send, port, mail())
    async with running_app(settings, with_router=True) as app, admin_client(app) as client:
        await routed_by_external_id(client, mail()["Message-ID"].strip("<>"))


def garbage(port: int, payload: bytes) -> bytes:
    """Write raw bytes to the listener and read what it answers until it hangs up or goes quiet."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.recv(1024)
        sock.sendall(payload)
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except TimeoutError:
            pass
        return answer


async def test_binary_garbage_and_ten_thousand_headers_do_not_stop_the_listener(
    client: httpx.AsyncClient, smtp_port: int
) -> None:
    answer = await asyncio.to_thread(garbage, smtp_port, bytes(range(256)) * 50 + b"\r\n" + b"\xff" * 5000 + b"\r\n")
    assert b"500" in answer or b"502" in answer
    many = mail("Ten thousand headers")
    for i in range(10_000):
        many[f"X-Filler-{i}"] = "v"
    await asyncio.to_thread(send, smtp_port, many)
    message = await routed_by_external_id(client, many["Message-ID"].strip("<>"))
    assert message["subject"] == "Ten thousand headers"


async def test_auto_reply_is_stored_and_dropped_with_an_audit_entry(
    client: httpx.AsyncClient, smtp_port: int, app: FastAPI
) -> None:
    ooo = mail("Automatic reply: your ticket", sender="ann@example.org", body="I am out of office.")
    ooo["Auto-Submitted"] = "auto-replied"
    await asyncio.to_thread(send, smtp_port, ooo)
    message = await routed_by_external_id(client, ooo["Message-ID"].strip("<>"))
    assert message["flags"] == {"auto_reply": True, "bounce": False}
    assert message["decision"]["outcome"] == "dropped"
    assert message["decision"]["assignment_id"] is None
    from sqlalchemy import select

    from shared.db.models import AuditEvent

    async with app.state.deps.sessions() as session:
        actions = (await session.scalars(select(AuditEvent.action).where(AuditEvent.subject == message["id"]))).all()
    assert actions == ["message.dropped"]


async def test_bounce_is_filed_in_the_configured_queue_without_an_offer(tmp_path: Path, database_url: str) -> None:
    settings = make_settings(tmp_path, database_url=database_url, auto_reply_queue="general")
    async with running_app(settings, with_router=True) as app, admin_client(app) as client:
        async with listeners(app.state.deps, smtp_port=0) as servers:
            bounce = mail("Undelivered Mail Returned to Sender", sender="MAILER-DAEMON@mx.example.net")
            bounce["X-Failed-Recipients"] = "gone@example.org"
            await asyncio.to_thread(send, bound_port(servers["smtp"]), bounce)
            message = await routed_by_external_id(client, bounce["Message-ID"].strip("<>"))
        assert message["flags"]["bounce"] is True
        assert (message["decision"]["queue"], message["decision"]["outcome"]) == ("general", "filed")
        assert message["decision"]["assignment_id"] is None
        queues = {q["name"]: q for q in (await client.get("/v1/queues")).json()}
        assert queues["general"]["open"] == 0
