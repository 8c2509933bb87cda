"""Nothing accepted by the email adapter is lost: SIGKILL the embedded server right after SMTP 250s and
Mailgun 200s, restart it, and every accepted mail is routed exactly once."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import signal
import smtplib
import sqlite3
import time
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest

from tests.e2e.server import HEADERS, free_port, start, stop, wait_ready

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]
KEY = "e2e-mailgun-signing-key"
LANGUAGES = ["Hvor er min pakke?", "Wo ist mein Paket?", "Where is my parcel?", "我的包裹在哪里？", "Paketim nerede?"]


def send_mails(port: int, first: int, count: int) -> list[str]:
    """Deliver ``count`` mails over one SMTP session; the Message-IDs the listener answered 250 to."""
    accepted = []
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        for i in range(first, first + count):
            msg = EmailMessage()
            msg["From"], msg["To"] = f"kunde{i}@example.org", "help@example.com"
            msg["Subject"], msg["Message-ID"] = f"Ordre {i}", f"<smtp-{i}@example.org>"
            msg.set_content(f"{LANGUAGES[i % len(LANGUAGES)]} Ordre {100000 + i}")
            smtp.send_message(msg)
            accepted.append(f"smtp-{i}@example.org")
    return accepted


def mailgun_form(i: int) -> dict[str, str]:
    ts, token = str(int(time.time())), hashlib.sha256(f"token-{i}".encode()).hexdigest()[:50]
    headers = [["From", f"mg{i}@example.org"], ["Message-Id", f"<mg-{i}@example.org>"], ["Subject", "Refund"]]
    return {
        "timestamp": ts, "token": token,
        "signature": hmac.new(KEY.encode(), (ts + token).encode(), hashlib.sha256).hexdigest(),
        "recipient": "help@example.com", "from": f"mg{i}@example.org", "subject": "Refund",
        "body-plain": f"Jeg vil have pengene tilbage for ordre {200000 + i}",
        "message-headers": json.dumps(headers),
    }  # fmt: skip


async def test_accepted_mail_survives_sigkill_and_is_routed_exactly_once(tmp_path: Path) -> None:
    port, smtp_port = free_port(), free_port()
    env = {"SWITCHBOARD_SMTP_PORT": str(smtp_port), "SWITCHBOARD_MAILGUN_SIGNING_KEY": KEY}
    base = f"http://127.0.0.1:{port}"
    proc = start(tmp_path, port, env)
    try:
        await wait_ready(base, proc)
        async with httpx.AsyncClient(base_url=base, timeout=30) as c:

            async def post(i: int) -> str:
                r = await c.post("/v1/webhooks/mailgun", data=mailgun_form(i))
                assert r.status_code == 200, r.text
                return f"mg-{i}@example.org"

            batches = [asyncio.to_thread(send_mails, smtp_port, n * 25, 25) for n in range(4)]
            results = await asyncio.gather(*batches, *(post(i) for i in range(100)))
        accepted = [i for r in results for i in (r if isinstance(r, list) else [r])]
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)

        proc = start(tmp_path, port, env)
        await wait_ready(base, proc)
        async with httpx.AsyncClient(base_url=base, headers=HEADERS) as c:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                listed = (await c.get("/v1/messages", params={"channel": "email", "limit": 500})).json()
                if len(listed) >= len(accepted):
                    break
                await asyncio.sleep(0.2)
        db = sqlite3.connect(tmp_path / "sb.db")
        rows = db.execute("select m.external_id from messages m join decisions d on d.message_id = m.id").fetchall()
        db.close()
        assert len(accepted) == 200
        assert sorted(r[0] for r in rows) == sorted(accepted), "every accepted mail routed, none twice"
    finally:
        stop(proc)


async def test_adapter_processes_feed_the_embedded_router(tmp_path: Path) -> None:
    """`switchboard adapter smtp` and `switchboard adapter http` on their own, publishing to the bus that a
    separate `switchboard run` routes from."""
    port, smtp_port, http_port = free_port(), free_port(), free_port()
    env = {"SWITCHBOARD_SMTP_PORT": str(smtp_port), "SWITCHBOARD_MAILGUN_SIGNING_KEY": KEY}
    main = start(tmp_path, port, env | {"SWITCHBOARD_ADAPTERS": "0"})
    procs = [main]
    try:
        await wait_ready(f"http://127.0.0.1:{port}", main)
        procs.append(start(tmp_path, http_port, env, args=("adapter", "http")))
        procs.append(start(tmp_path, port, env, args=("adapter", "smtp")))
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{http_port}", timeout=30) as c:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if (await c.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    assert time.monotonic() < deadline, "adapter http did not start"
                    await asyncio.sleep(0.1)
            assert (await c.post("/v1/webhooks/mailgun", data=mailgun_form(7))).status_code == 200
            assert (await c.post("/v1/messages", json={"text": "x"})).status_code == 404
        deadline = time.monotonic() + 60
        while True:
            try:
                await asyncio.to_thread(send_mails, smtp_port, 7, 1)
                break
            except OSError:
                assert time.monotonic() < deadline, "adapter smtp did not start"
                await asyncio.sleep(0.2)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", headers=HEADERS) as c:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                listed = (await c.get("/v1/messages", params={"channel": "email"})).json()
                if len(listed) >= 2:
                    break
                await asyncio.sleep(0.2)
        assert sorted(m["provider"] for m in listed) == ["mailgun", "smtp"]
    finally:
        for proc in procs:
            stop(proc)
