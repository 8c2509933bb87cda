"""MMS media: URL references by default; fetched when on, only from Twilio's public media hosts, with limits.

Twilio's media hosts and DNS are what we do not own: they are faked at the transport (``httpx.MockTransport``)
and at the resolver the fetcher is given; everything of ours runs for real.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from gateway import create_app
from services.sms import sms_router
from services.sms.media import MediaFetcher
from shared.blobs import sha256_hex
from shared.db.models import Message
from shared.settings import Settings
from switchboard.bootstrap import runtime
from tests.api.conftest import admin_client, make_settings
from tests.api.sms_support import PUBLIC_URL, TWILIO_TOKEN, post_twilio, routed_sms, twilio_form

pytestmark = pytest.mark.asyncio

ACCOUNT = "AC0123456789abcdef0123456789abcdef"
MEDIA = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages/MM01/Media"
JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 600
DNS = {
    "api.twilio.com": ["54.172.60.0"],
    "media.twiliocdn.com": ["2600:9000:2000::1", "13.32.0.1"],
    "rebound.twiliocdn.com": ["13.32.0.2", "10.0.0.7"],
}


class FakeTwilio:
    """Twilio's media host and CDN: api.twilio.com redirects to the CDN, which serves the bytes."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, bool]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        host = request.headers["host"]
        self.seen.append((host, request.url.host, "authorization" in request.headers))
        name = request.url.path.rsplit("/", 1)[-1]
        if host == "api.twilio.com":
            targets = {
                "ME-metadata": "https://169.254.169.254/latest/meta-data/",
                "ME-elsewhere": "https://evil.example.com/x",
                "ME-rebound": "https://rebound.twiliocdn.com/x",
            }
            return httpx.Response(307, headers={"Location": targets.get(name, f"https://media.twiliocdn.com/{name}")})
        if host == "media.twiliocdn.com" and name == "ME-png":
            return httpx.Response(200, content=PNG, headers={"Content-Type": "image/png"})
        if host == "media.twiliocdn.com" and name == "ME-big":
            return httpx.Response(200, content=b"x" * 50_000, headers={"Content-Type": "image/gif"})
        return httpx.Response(200, content=JPEG, headers={"Content-Type": "image/jpeg; charset=binary"})


async def fake_dns(host: str) -> list[str]:
    if host not in DNS:
        raise OSError("no such host")
    return DNS[host]


@pytest.fixture
def twilio() -> FakeTwilio:
    return FakeTwilio()


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(tmp_path, database_url=database_url, twilio_auth_token=TWILIO_TOKEN, public_url=PUBLIC_URL,
                         mms_fetch=True, attachment_max_bytes=10_000)  # fmt: skip


@pytest.fixture
async def app(settings: Settings, twilio: FakeTwilio) -> AsyncIterator[FastAPI]:
    """The embedded app whose SMS adapter fetches media through the fake Twilio."""
    fetcher = MediaFetcher(transport=httpx.MockTransport(twilio), resolve=fake_dns)
    application = create_app(settings, lambda: runtime(settings, with_router=True), routers=[sms_router(fetcher)])
    async with application.router.lifespan_context(application):
        yield application


def mms(sid: str, *names: str) -> dict[str, str]:
    form = twilio_form(sid, "Se billedet af den ødelagte jakke", NumMedia=str(len(names)))
    for i, name in enumerate(names):
        form |= {f"MediaUrl{i}": f"{MEDIA}/{name}", f"MediaContentType{i}": "image/jpeg"}
    return form


async def stored(app: FastAPI, message_id: str) -> dict[str, Any]:
    async with app.state.deps.sessions() as session:
        row = await session.get(Message, message_id)
    assert row is not None
    body: dict[str, Any] = row.body
    return body


async def test_fetched_media_become_attachments_in_the_blob_store(
    client: httpx.AsyncClient, app: FastAPI, twilio: FakeTwilio
) -> None:
    assert (
        await post_twilio(client, mms("MM00000000000000000000000000000001", "ME-jpeg", "ME-png"))
    ).status_code == 200
    [message] = await routed_sms(client, "MM00000000000000000000000000000001")
    jpeg, png = message["attachments"]
    assert (jpeg["content_type"], jpeg["size"], jpeg["sha256"]) == ("image/jpeg", len(JPEG), sha256_hex(JPEG))
    assert (png["content_type"], png["name"]) == ("image/png", "mms-1.png")
    assert await app.state.deps.blobs.get(png["sha256"]) == PNG
    credentials = {host: auth for host, _, auth in twilio.seen}
    assert credentials == {"api.twilio.com": True, "media.twiliocdn.com": False}, "credentials only to Twilio"
    assert {ip for _, ip, _ in twilio.seen} <= {"54.172.60.0", "2600:9000:2000::1"}, "connected to the checked address"


@pytest.mark.parametrize("name", ["ME-metadata", "ME-elsewhere", "ME-rebound", "ME-big"])
async def test_media_outside_twilios_public_hosts_or_too_large_stay_references(
    client: httpx.AsyncClient, app: FastAPI, twilio: FakeTwilio, name: str
) -> None:
    sid = f"MM0000000000000000000000000000{len(name):02d}"
    assert (await post_twilio(client, mms(sid, name))).status_code == 200
    [message] = await routed_sms(client, sid)
    assert message["attachments"] == []
    metadata = (await stored(app, message["id"]))["metadata"]
    assert metadata["media_url_0"] == f"{MEDIA}/{name}"
    assert metadata["media_stored"] == "0"
    assert not {host for host, _, _ in twilio.seen} & {"169.254.169.254", "evil.example.com", "rebound.twiliocdn.com"}


async def test_with_fetching_off_media_are_url_references_only(tmp_path: Path, twilio: FakeTwilio) -> None:
    settings = make_settings(tmp_path, twilio_auth_token=TWILIO_TOKEN, public_url=PUBLIC_URL)
    fetcher = MediaFetcher(transport=httpx.MockTransport(twilio), resolve=fake_dns)
    app = create_app(settings, lambda: runtime(settings, with_router=True), routers=[sms_router(fetcher)])
    async with app.router.lifespan_context(app), admin_client(app) as client:
        assert (await post_twilio(client, mms("MM00000000000000000000000000000002", "ME-jpeg"))).status_code == 200
        [message] = await routed_sms(client, "MM00000000000000000000000000000002")
        metadata = (await stored(app, message["id"]))["metadata"]
    assert message["attachments"] == []
    assert metadata["media_url_0"] == f"{MEDIA}/ME-jpeg"
    assert metadata["media_type_0"] == "image/jpeg"
    assert twilio.seen == []
