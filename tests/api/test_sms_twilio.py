"""The Twilio SMS webhook through a real client: signed by the twilio package, forged, retried, mangled."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from shared.db.models import Message
from shared.settings import Settings
from tests.api.conftest import admin_client, make_settings, running_app
from tests.api.sms_support import (
    PUBLIC_URL,
    TWILIO_PATH,
    post_twilio,
    routed_sms,
    twilio_form,
    twilio_signature,
)

pytestmark = pytest.mark.asyncio


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """Embedded settings with Twilio's auth token and the public URL Twilio calls."""
    return make_settings(
        tmp_path,
        database_url=database_url,
        twilio_auth_token="twilio-auth-token-0123456789abcdef",
        public_url=PUBLIC_URL,
    )


async def test_signed_sms_is_answered_with_empty_twiml_and_routed(client: httpx.AsyncClient) -> None:
    r = await post_twilio(client, twilio_form("SM00000000000000000000000000000001", From="+45 20 12 34 56"))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/xml")
    assert r.text.endswith("<Response/>")
    [message] = await routed_sms(client, "SM00000000000000000000000000000001")
    assert message["provider"] == "twilio"
    assert message["sender"] == {"kind": "phone", "address": "+4520123456", "name": None}
    assert message["recipient"] == "+4570101010"
    assert message["classification"]["language"] == "da"
    assert message["decision"]["queue"]


async def test_retried_webhook_is_answered_again_and_routed_once(client: httpx.AsyncClient, app: FastAPI) -> None:
    form = twilio_form("SM00000000000000000000000000000002")
    first, second = await asyncio.gather(post_twilio(client, form), post_twilio(client, form))
    third = await post_twilio(client, form)
    assert first.status_code == second.status_code == third.status_code == 200
    later = twilio_form("SM00000000000000000000000000000003", "Tak, den er kommet")
    assert (await post_twilio(client, later)).status_code == 200
    await routed_sms(client, "SM00000000000000000000000000000003")  # same conversation: routed after the retries
    async with app.state.deps.sessions() as session:
        rows = list(await session.scalars(select(Message.id).where(Message.external_id == form["MessageSid"])))
    assert len(rows) == 1


@pytest.mark.parametrize(
    "tamper",
    ["missing", "wrong token", "other url", "body changed", "garbage"],
)
async def test_unsigned_or_forged_webhook_is_refused_and_never_routed(client: httpx.AsyncClient, tamper: str) -> None:
    form = twilio_form("SM00000000000000000000000000000004")
    signature = {
        "missing": None,
        "wrong token": twilio_signature(form, token="not-the-token-0123456789abcdefgh"),
        "other url": twilio_signature(form, url="https://attacker.example.com" + TWILIO_PATH),
        "body changed": twilio_signature(form | {"Body": "something else"}),
        "garbage": "bm90IGEgc2lnbmF0dXJl",
    }[tamper]
    headers = {} if signature is None else {"X-Twilio-Signature": signature}
    r = await client.post(TWILIO_PATH, data=form, headers=headers)
    assert r.status_code == 403
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"].endswith("/signature-invalid")
    assert "+4520123456" not in r.text
    proof = twilio_form("SM00000000000000000000000000000005")
    assert (await post_twilio(client, proof)).status_code == 200
    await routed_sms(client, proof["MessageSid"])
    listed = (await client.get("/v1/messages", params={"channel": "sms"})).json()
    assert form["MessageSid"] not in {m["external_id"] for m in listed}


async def test_signature_covers_the_query_string(client: httpx.AsyncClient) -> None:
    form = twilio_form("SM00000000000000000000000000000006")
    url = f"{PUBLIC_URL}{TWILIO_PATH}?number=dk-support"
    good = await client.post(f"{TWILIO_PATH}?number=dk-support", data=form,
                             headers={"X-Twilio-Signature": twilio_signature(form, url=url)})  # fmt: skip
    bad = await client.post(f"{TWILIO_PATH}?number=other", data=form,
                            headers={"X-Twilio-Signature": twilio_signature(form, url=url)})  # fmt: skip
    assert (good.status_code, bad.status_code) == (200, 403)


async def test_webhook_refuses_everything_while_the_auth_token_is_unset(tmp_path: Path) -> None:
    async with running_app(make_settings(tmp_path), with_router=False) as app, admin_client(app) as client:
        form = twilio_form("SM00000000000000000000000000000007")
        r = await post_twilio(client, form)
    assert (r.status_code, r.headers["Retry-After"]) == (503, "300")
    assert r.json()["type"].endswith("/adapter-not-configured")
    assert "SWITCHBOARD_TWILIO_AUTH_TOKEN" in r.json()["detail"]


@pytest.mark.before_storage
@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"From": "not a number"}, 422),
        ({"From": "20123456"}, 422),
        ({"MessageSid": ""}, 422),
        ({"NumMedia": "-1"}, 422),
        ({"NumMedia": "11"}, 422),
        ({"NumMedia": "1"}, 422),
        ({"NumMedia": "1", "MediaUrl0": "http://insecure.example.com/x"}, 422),
        ({"Body": "x" * 300_000}, 422),
    ],
)
async def test_signed_but_invalid_fields_get_a_clear_4xx(
    client: httpx.AsyncClient, change: dict[str, str], status: int
) -> None:
    r = await post_twilio(client, twilio_form("SM00000000000000000000000000000008") | change)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"


async def test_a_body_that_is_not_a_form_is_refused(client: httpx.AsyncClient) -> None:
    r = await client.post(TWILIO_PATH, content=b"\xff\xfe\x00garbage", headers={"Content-Type": "text/plain"})
    assert r.status_code == 422
    form = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": "x"}
    r = await client.post(TWILIO_PATH, content=b"From=%ff%fe", headers=form)
    assert r.status_code == 422


async def test_whatsapp_sender_is_the_same_phone_number(client: httpx.AsyncClient, app: FastAPI) -> None:
    form = twilio_form("SM00000000000000000000000000000009", From="whatsapp:+4520123456", To="whatsapp:+4570101010")
    assert (await post_twilio(client, form)).status_code == 200
    [message] = await routed_sms(client, form["MessageSid"])
    assert message["sender"]["address"] == "+4520123456"
    async with app.state.deps.sessions() as session:
        row = await session.get(Message, message["id"])
    assert row is not None
    assert row.body["metadata"]["twilio_channel"] == "whatsapp"


async def test_bus_refusal_is_a_503_so_twilio_may_retry(app: FastAPI, client: httpx.AsyncClient) -> None:
    bus = app.state.deps.bus
    await bus.stop()
    try:
        r = await post_twilio(client, twilio_form("SM0000000000000000000000000000000a"))
    finally:
        await bus.start()
    assert r.status_code == 503, r.text


@pytest.fixture
async def twilio_client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client without an API key: providers carry none."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://switchboard.test") as c:
        yield c


async def test_providers_need_no_api_key(twilio_client: httpx.AsyncClient, client: httpx.AsyncClient) -> None:
    form = twilio_form("SM0000000000000000000000000000000b")
    assert (await post_twilio(twilio_client, form)).status_code == 200
    await routed_sms(client, form["MessageSid"])


async def test_an_oversize_webhook_is_refused_with_413(client: httpx.AsyncClient) -> None:
    form = twilio_form("SM0000000000000000000000000000000c", "x" * (2 * 1024 * 1024))
    r = await post_twilio(client, form)
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"
