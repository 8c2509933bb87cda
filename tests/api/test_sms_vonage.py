"""The Vonage SMS webhook: signed (every dashboard method), JSON and form, concatenated parts in any order."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from services.sms.verify import vonage_signature
from shared.db.models import SmsPart
from shared.settings import Settings
from tests.api.conftest import admin_client, make_settings, running_app
from tests.api.sms_support import VONAGE_PATH, VONAGE_SECRET, routed_sms, vonage_params, vonage_signed

pytestmark = pytest.mark.asyncio

LONG = ("Hej, jeg har bestilt en jakke for to uger siden, ordre 554433, ",
        "og den er stadig ikke kommet. Kan I fortælle mig, hvor pakken er? ",
        "Jeg skal bruge den til weekenden. Venlig hilsen Kirsten")  # fmt: skip


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """Embedded settings with Vonage's signature secret."""
    return make_settings(tmp_path, database_url=database_url, vonage_signature_secret=VONAGE_SECRET)


@pytest.mark.parametrize("method", ["md5hash", "md5", "sha1", "sha256", "sha512"])
async def test_signed_json_sms_is_accepted_and_routed(client: httpx.AsyncClient, method: str) -> None:
    message_id = f"0B00000000{method}"
    r = await client.post(VONAGE_PATH, json=vonage_signed(vonage_params(message_id), method=method))
    assert r.status_code == 204, r.text
    [message] = await routed_sms(client, message_id)
    assert message["provider"] == "vonage"
    assert message["sender"]["address"] == "+447700900001"
    assert message["recipient"] == "+447700900999"
    assert message["text"] == "Where is my order 123456?"


async def test_signed_form_and_get_requests_are_accepted(client: httpx.AsyncClient) -> None:
    assert (await client.post(VONAGE_PATH, data=vonage_signed(vonage_params("0B000000form")))).status_code == 204
    assert (await client.get(VONAGE_PATH, params=vonage_signed(vonage_params("0B0000000get")))).status_code == 204
    await routed_sms(client, "0B000000form")
    await routed_sms(client, "0B0000000get")


@pytest.mark.parametrize("tamper", ["no sig", "wrong secret", "text changed", "stale timestamp", "bad sig length"])
async def test_unsigned_forged_or_stale_requests_are_refused(client: httpx.AsyncClient, tamper: str) -> None:
    params = vonage_params("0B00000forge")
    signed = {
        "no sig": {k: v for k, v in vonage_signed(params).items() if k != "sig"},
        "wrong secret": vonage_signed(params, secret="another-secret-0123456789"),
        "text changed": vonage_signed(params) | {"text": "Send me money"},
        "stale timestamp": _signed_at(params, int(time.time()) - 3600),
        "bad sig length": vonage_signed(params) | {"sig": "abc"},
    }[tamper]
    r = await client.post(VONAGE_PATH, json=signed)
    assert r.status_code == 403
    assert r.json()["type"].endswith("/signature-invalid")


def _signed_at(params: dict[str, str], stamp: int) -> dict[str, str]:
    at = params | {"timestamp": str(stamp), "nonce": "n"}
    return at | {"sig": vonage_signature(VONAGE_SECRET, at, "sha256")}


async def test_concatenated_parts_in_any_order_make_one_message(client: httpx.AsyncClient, app: FastAPI) -> None:
    orders = list(itertools.permutations(range(3)))
    for ref, order in enumerate(orders):
        for i in order:
            params = vonage_params(f"0C{ref:02d}0000000{i}", LONG[i]) | {
                "concat": "true", "concat-ref": str(ref + 1), "concat-total": "3", "concat-part": str(i + 1),
            }  # fmt: skip
            r = await client.post(VONAGE_PATH, json=vonage_signed(params))
            assert r.status_code == 204, r.text
    for ref in range(len(orders)):
        [message] = await routed_sms(client, f"0C{ref:02d}00000000")
        assert message["text"] == "".join(LONG)
    async with app.state.deps.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(SmsPart)) == 0, "parts dropped once published"


async def test_a_retried_part_is_stored_once_and_the_message_routed_once(client: httpx.AsyncClient) -> None:
    def part(i: int) -> dict[str, str]:
        return vonage_params(f"0D0000000{i}", LONG[i]) | {
            "concat": "true", "concat-ref": "200", "concat-total": "3", "concat-part": str(i + 1)}  # fmt: skip

    for i in (0, 0, 2, 0, 1, 1):
        assert (await client.post(VONAGE_PATH, json=vonage_signed(part(i)))).status_code == 204
    [message] = await routed_sms(client, "0D00000000")
    assert message["text"] == "".join(LONG)
    later = vonage_params("0D000later", "Tak")
    assert (await client.post(VONAGE_PATH, json=vonage_signed(later))).status_code == 204
    await routed_sms(client, "0D000later")
    assert len(await routed_sms(client, "0D00000000")) == 1


async def test_an_incomplete_message_waits_and_is_not_routed(client: httpx.AsyncClient, app: FastAPI) -> None:
    params = vonage_params("0E00000001", LONG[0]) | {
        "concat": "true", "concat-ref": "7", "concat-total": "2", "concat-part": "1"}  # fmt: skip
    assert (await client.post(VONAGE_PATH, json=vonage_signed(params))).status_code == 204
    async with app.state.deps.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(SmsPart)) == 1, "the part is durable"
    proof = vonage_params("0E000proof")
    assert (await client.post(VONAGE_PATH, json=vonage_signed(proof))).status_code == 204
    await routed_sms(client, "0E000proof")
    listed = (await client.get("/v1/messages", params={"channel": "sms"})).json()
    assert "0E00000001" not in {m["external_id"] for m in listed}


@pytest.mark.before_storage
@pytest.mark.parametrize(
    "change",
    [{"concat": "true"}, {"concat": "true", "concat-ref": "1", "concat-total": "2", "concat-part": "3"},
     {"concat": "true", "concat-ref": "1", "concat-total": "999", "concat-part": "1"}, {"type": "mms"},
     {"msisdn": "hello"}, {"messageId": "../../etc"}],
)  # fmt: skip
async def test_signed_but_invalid_fields_get_a_clear_4xx(client: httpx.AsyncClient, change: dict[str, str]) -> None:
    r = await client.post(VONAGE_PATH, json=vonage_signed(vonage_params("0F00000001") | change))
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"


async def test_without_a_secret_unsigned_traffic_is_refused_unless_allowed(tmp_path: Path) -> None:
    async with running_app(make_settings(tmp_path), with_router=False) as app, admin_client(app) as client:
        r = await client.post(VONAGE_PATH, json=vonage_params("0G00000001"))
    assert (r.status_code, r.headers["Retry-After"]) == (503, "300")
    assert r.json()["type"].endswith("/adapter-not-configured")
    allowed = make_settings(tmp_path / "allowed", vonage_allow_unsigned=True)
    async with running_app(allowed, with_router=True) as app, admin_client(app) as client:
        assert (await client.post(VONAGE_PATH, json=vonage_params("0G00000002"))).status_code == 204
        await routed_sms(client, "0G00000002")
