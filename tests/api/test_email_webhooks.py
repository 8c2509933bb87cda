"""Mailgun, SendGrid and Postmark post mail to us: signed or authenticated requests are routed, forged,
stale, replayed or unauthenticated ones refused, and an adapter without its secret refuses everything."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from shared.settings import Settings
from tests.api.conftest import admin_client, make_settings, routed, running_app

pytestmark = pytest.mark.asyncio
MAILGUN_KEY = "key-mailgun-signing-0123456789"
SENDGRID = ("sendgrid", "sendgrid-password-0123")
POSTMARK = ("postmark", "postmark-password-0123")


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """Every mail provider configured, on the backend under test."""
    return make_settings(
        tmp_path,
        database_url=database_url,
        mailgun_signing_key=MAILGUN_KEY,
        sendgrid_username=SENDGRID[0],
        sendgrid_password=SENDGRID[1],
        postmark_username=POSTMARK[0],
        postmark_password=POSTMARK[1],
    )


def signed(token: str, *, key: str = MAILGUN_KEY, timestamp: int | None = None) -> dict[str, str]:
    """Mailgun's signature fields, made the way Mailgun makes them."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = hmac.new(key.encode(), (ts + token).encode(), hashlib.sha256).hexdigest()
    return {"timestamp": ts, "token": token, "signature": signature}


def mailgun_fields(message_id: str, text: str = "Where is my order 4711?") -> dict[str, str]:
    headers = [["From", "Ann <ann@example.org>"], ["Message-Id", f"<{message_id}>"], ["Subject", "Order"]]
    return {
        "recipient": "help@example.com",
        "sender": "ann@example.org",
        "from": "Ann <ann@example.org>",
        "subject": "Order",
        "body-plain": text,
        "message-headers": json.dumps(headers),
    }


def basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


@pytest.fixture
async def anonymous(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client without an API key: providers authenticate by their own means."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://switchboard.test") as c:
        yield c


async def test_signed_mailgun_post_is_routed_and_its_attachment_kept(
    anonymous: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    fields = mailgun_fields("mg-1@example.org") | signed("t" * 50) | {"attachment-count": "1"}
    files = {"attachment-1": ("label.pdf", b"%PDF label", "application/pdf")}
    r = await anonymous.post("/v1/webhooks/mailgun", data=fields, files=files)
    assert r.status_code == 200, r.text
    message = await routed(client, r.json()["id"])
    assert (message["provider"], message["external_id"], message["text"]) == (
        "mailgun", "mg-1@example.org", "Where is my order 4711?",
    )  # fmt: skip
    assert message["conversation_id"] == r.json()["conversation_id"]
    [attachment] = message["attachments"]
    got = await client.get(f"/v1/messages/{message['id']}/attachments/{attachment['sha256']}")
    assert got.content == b"%PDF label"


async def test_mailgun_raw_mime_variant_is_routed(anonymous: httpx.AsyncClient, client: httpx.AsyncClient) -> None:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"], msg["Message-ID"] = "b@example.org", "help@example.com", "Hi", "<raw@x>"
    msg.set_content("Tak for hjælpen, alt er fint nu.")
    fields = {"recipient": "help@example.com", "body-mime": msg.as_string()} | signed("r" * 50)
    r = await anonymous.post("/v1/webhooks/mailgun/mime", data=fields)
    assert r.status_code == 200, r.text
    assert (await routed(client, r.json()["id"]))["text"] == "Tak for hjælpen, alt er fint nu."


@pytest.mark.parametrize(
    ("tamper", "detail"),
    [
        ({"signature": "0" * 64}, "signature does not match"),
        ({"timestamp": str(int(time.time()) - 3600)}, "too old"),
        ({"token": ""}, "missing"),
    ],
)
async def test_forged_or_stale_mailgun_posts_are_refused(
    anonymous: httpx.AsyncClient, tamper: dict[str, str], detail: str
) -> None:
    fields = mailgun_fields("forged@example.org") | signed("f" * 50) | tamper
    if "timestamp" in tamper:
        fields |= {"signature": signed("f" * 50, timestamp=int(tamper["timestamp"]))["signature"]}
    r = await anonymous.post("/v1/webhooks/mailgun", data=fields)
    assert r.status_code == 403
    assert r.headers["content-type"] == "application/problem+json"
    assert detail in r.json()["detail"]


async def test_signature_with_another_key_is_refused(anonymous: httpx.AsyncClient) -> None:
    fields = mailgun_fields("other@example.org") | signed("k" * 50, key="not-our-key")
    assert (await anonymous.post("/v1/webhooks/mailgun", data=fields)).status_code == 403


async def test_replayed_mailgun_token_is_refused(anonymous: httpx.AsyncClient) -> None:
    fields = mailgun_fields("replay@example.org") | signed("p" * 50)
    assert (await anonymous.post("/v1/webhooks/mailgun", data=fields)).status_code == 200
    r = await anonymous.post("/v1/webhooks/mailgun", data=fields)
    assert r.status_code == 403
    assert "replay" in r.json()["detail"]


async def test_redelivered_mail_is_routed_once(anonymous: httpx.AsyncClient, client: httpx.AsyncClient) -> None:
    first = await anonymous.post("/v1/webhooks/mailgun", data=mailgun_fields("again@x") | signed("a" * 50))
    second = await anonymous.post("/v1/webhooks/mailgun", data=mailgun_fields("again@x") | signed("b" * 50))
    assert first.status_code == second.status_code == 200
    await routed(client, first.json()["id"])
    third = await anonymous.post("/v1/webhooks/mailgun", data=mailgun_fields("marker@x") | signed("c" * 50))
    await routed(client, third.json()["id"])
    listed = (await client.get("/v1/messages", params={"channel": "email"})).json()
    assert [m["external_id"] for m in listed].count("again@x") == 1


async def test_sendgrid_raw_and_parsed_variants_with_basic_auth(
    anonymous: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"], msg["Message-ID"] = "c@example.org", "help@example.com", "Hi", "<sg1@x>"
    msg.set_content("Raw variant body")
    envelope = json.dumps({"to": ["help@example.com"], "from": "c@example.org"})
    raw = await anonymous.post(
        "/v1/webhooks/sendgrid", headers=basic(*SENDGRID), files={"email": (None, msg.as_string())},
        data={"envelope": envelope, "charsets": "{}"},
    )  # fmt: skip
    assert raw.status_code == 200, raw.text
    parsed = await anonymous.post(
        "/v1/webhooks/sendgrid",
        headers=basic(*SENDGRID),
        data={
            "headers": "Message-ID: <sg2@x>\nFrom: d@example.org\n",
            "text": "Parsed body",
            "envelope": envelope,
            "from": "d@example.org",
            "subject": "Yo",
            "attachments": "1",
        },
        files={"attachment1": ("a.txt", b"hello", "text/plain")},
    )
    assert parsed.status_code == 200, parsed.text
    assert (await routed(client, raw.json()["id"]))["text"] == "Raw variant body"
    second = await routed(client, parsed.json()["id"])
    assert (second["text"], second["sender"]["address"], len(second["attachments"])) == (
        "Parsed body",
        "d@example.org",
        1,
    )


async def test_sendgrid_without_the_right_credentials_is_refused(anonymous: httpx.AsyncClient) -> None:
    for headers in ({}, basic("sendgrid", "wrong"), {"Authorization": "Basic !!!"}, basic(*POSTMARK)):
        r = await anonymous.post("/v1/webhooks/sendgrid", headers=headers, data={"text": "x"})
        assert r.status_code == 401


def postmark_payload(message_id: str = "<pm-1@example.org>") -> dict[str, Any]:
    return {
        "From": "eve@example.org",
        "FromName": "Eve",
        "FromFull": {"Email": "eve@example.org", "Name": "Eve", "MailboxHash": ""},
        "To": "help@example.com",
        "OriginalRecipient": "help@example.com",
        "Subject": "Faktura",
        "MessageID": "22c74902-a0c1-4511-804f-341342852c90",
        "TextBody": "Jeg har fået en forkert faktura.\n\nDen 1. dec. 2026 skrev Shop <help@example.com>:\n> Hej",
        "HtmlBody": "<p>Jeg har fået en forkert faktura.</p>",
        "Headers": [{"Name": "Message-ID", "Value": message_id}],
        "Attachments": [
            {
                "Name": "f.pdf",
                "Content": base64.b64encode(b"%PDF").decode(),
                "ContentType": "application/pdf",
                "ContentLength": 4,
            }
        ],
    }


async def test_postmark_json_with_basic_auth_is_routed(anonymous: httpx.AsyncClient, client: httpx.AsyncClient) -> None:
    r = await anonymous.post("/v1/webhooks/postmark", headers=basic(*POSTMARK), json=postmark_payload())
    assert r.status_code == 200, r.text
    message = await routed(client, r.json()["id"])
    assert (message["provider"], message["external_id"]) == ("postmark", "pm-1@example.org")
    assert message["text"] == "Jeg har fået en forkert faktura."
    assert message["attachments"][0]["size"] == 4


async def test_postmark_bad_input_gets_a_clear_4xx(anonymous: httpx.AsyncClient) -> None:
    assert (await anonymous.post("/v1/webhooks/postmark", json=postmark_payload())).status_code == 401
    bad = await anonymous.post("/v1/webhooks/postmark", headers=basic(*POSTMARK), content=b"\xff{not json")
    assert bad.status_code == 422
    listed = await anonymous.post("/v1/webhooks/postmark", headers=basic(*POSTMARK), json=[1, 2])
    assert listed.status_code == 422


async def test_payload_over_the_mail_limit_is_refused_with_413(tmp_path: Path, database_url: str) -> None:
    settings = make_settings(
        tmp_path,
        database_url=database_url,
        mail_max_bytes=4096,
        postmark_username="p",
        postmark_password="pw-0123456789",
    )
    async with running_app(settings, with_router=False) as app, admin_client(app) as client:
        big = postmark_payload() | {"TextBody": "x" * 100_000}
        r = await client.post("/v1/webhooks/postmark", headers=basic("p", "pw-0123456789"), json=big)
        assert r.status_code == 413
        small = await client.post("/v1/webhooks/postmark", headers=basic("p", "pw-0123456789"), json=postmark_payload())
        assert small.status_code == 200


async def test_gateway_body_limit_does_not_cap_mail_webhooks(tmp_path: Path, database_url: str) -> None:
    settings = make_settings(
        tmp_path,
        database_url=database_url,
        max_body_bytes=1024,
        postmark_username="p",
        postmark_password="pw-0123456789",
    )
    async with running_app(settings, with_router=False) as app, admin_client(app) as client:
        body = postmark_payload() | {"TextBody": "y" * 50_000}
        assert (
            await client.post("/v1/webhooks/postmark", headers=basic("p", "pw-0123456789"), json=body)
        ).status_code == 200
        assert (await client.post("/v1/messages", json={"text": "z" * 5000})).status_code == 413


async def test_adapters_without_their_secret_refuse_everything(tmp_path: Path, database_url: str) -> None:
    async with (
        running_app(make_settings(tmp_path, database_url=database_url), with_router=False) as app,
        admin_client(app) as client,
    ):
        for path, variable in (("mailgun", "MAILGUN_SIGNING_KEY"), ("sendgrid", "SENDGRID_PASSWORD"),
                               ("postmark", "POSTMARK_PASSWORD")):  # fmt: skip
            r = await client.post(f"/v1/webhooks/{path}", data=mailgun_fields("x@y") | signed("z" * 50))
            assert (r.status_code, r.headers["Retry-After"]) == (503, "300")  # the provider retries later
            assert r.json()["type"].endswith("/adapter-not-configured")
            assert f"SWITCHBOARD_{variable}" in r.json()["detail"]


async def test_bus_down_answers_503_so_the_provider_retries_and_the_retry_is_accepted(
    tmp_path: Path, database_url: str
) -> None:
    settings = make_settings(tmp_path, database_url=database_url, mailgun_signing_key=MAILGUN_KEY)
    async with running_app(settings, with_router=False) as app, admin_client(app) as client:
        fields = mailgun_fields("down@x") | signed("d" * 50)
        await app.state.deps.bus.stop()
        assert (await client.post("/v1/webhooks/mailgun", data=fields)).status_code == 503
        await app.state.deps.bus.start()
        assert (await client.post("/v1/webhooks/mailgun", data=fields)).status_code == 200


async def test_attachment_over_its_limit_is_described_but_not_stored(tmp_path: Path, database_url: str) -> None:
    settings = make_settings(
        tmp_path,
        database_url=database_url,
        attachment_max_bytes=1024,
        postmark_username="p",
        postmark_password="pw-0123456789",
    )
    async with running_app(settings, with_router=True) as app, admin_client(app) as client:
        payload = postmark_payload("<big@x>")
        payload["Attachments"] = [
            {"Name": "small.txt", "Content": base64.b64encode(b"s" * 100).decode(), "ContentType": "text/plain"},
            {"Name": "big.bin", "Content": base64.b64encode(b"b" * 5000).decode(), "ContentType": "image/png"},
        ]
        r = await client.post("/v1/webhooks/postmark", headers=basic("p", "pw-0123456789"), json=payload)
        assert r.status_code == 200
        message = await routed(client, r.json()["id"])
        small, big = message["attachments"]
        assert (small["size"], small["storage_ref"]) == (100, small["sha256"])
        assert (big["size"], big["storage_ref"]) == (5000, None)
        assert big["sha256"] == hashlib.sha256(b"b" * 5000).hexdigest()
        assert (await client.get(f"/v1/messages/{message['id']}/attachments/{big['sha256']}")).status_code == 404
        assert (await client.get(f"/v1/messages/{message['id']}/attachments/{small['sha256']}")).content == b"s" * 100
