"""Mangled SMS webhooks never become a 500: hypothesis over signed field sets and raw bodies."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.api.conftest import make_settings, running_app
from tests.api.sms_support import (
    PUBLIC_URL,
    TWILIO_PATH,
    TWILIO_TOKEN,
    VONAGE_PATH,
    VONAGE_SECRET,
    twilio_form,
    twilio_signature,
    vonage_params,
    vonage_signed,
)

FIELDS = ["MessageSid", "From", "To", "Body", "NumMedia", "MediaUrl0", "MediaContentType0", "AccountSid", "NumSegments"]
VONAGE_FIELDS = [
    "msisdn",
    "to",
    "messageId",
    "text",
    "type",
    "concat",
    "concat-ref",
    "concat-total",
    "concat-part",
    "sig",
    "timestamp",
]
ODD = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "0", "-1", "11", "999999999999", "+4520123456", "whatsapp:", "https://api.twilio.com/x",
                     "true", "\x00", "%", "&=", "ü" * 40]),
)  # fmt: skip
FUZZ = settings(max_examples=60, deadline=None)
pytestmark = pytest.mark.asyncio

Post = Callable[..., httpx.Response]


async def fuzz(tmp_path: Path, run: Callable[[Post], None]) -> None:
    """Run the hypothesis test ``run`` in a worker thread; each of its posts goes to the running app, in the
    test's event loop, through a real client (hypothesis drives synchronous functions)."""
    settings = make_settings(
        tmp_path, twilio_auth_token=TWILIO_TOKEN, vonage_signature_secret=VONAGE_SECRET, public_url=PUBLIC_URL
    )
    loop = asyncio.get_running_loop()
    async with running_app(settings, with_router=False) as app:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://switchboard.test") as client:

            def post(*args: Any, **kwargs: Any) -> httpx.Response:
                call: Coroutine[Any, Any, httpx.Response] = client.post(*args, **kwargs)
                return asyncio.run_coroutine_threadsafe(call, loop).result(30)

            await asyncio.to_thread(run, post)


async def test_signed_twilio_webhooks_with_mangled_fields_get_200_or_a_4xx(tmp_path: Path) -> None:
    def run(post: Post) -> None:
        @FUZZ
        @given(st.dictionaries(st.sampled_from(FIELDS), ODD, max_size=9), st.sets(st.sampled_from(FIELDS)))
        def mangled(changes: dict[str, str], dropped: set[str]) -> None:
            form = {k: v for k, v in (twilio_form("SM0f") | changes).items() if k not in dropped}
            body = urlencode(form, errors="surrogatepass").encode("utf-8", "surrogatepass")
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Twilio-Signature": twilio_signature(form),
            }
            r = post(TWILIO_PATH, content=body, headers=headers)
            assert r.status_code == 200 or 400 <= r.status_code < 500, r.text
            if r.status_code != 200:
                assert r.headers["content-type"] == "application/problem+json"

        mangled()

    await fuzz(tmp_path, run)


CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "application/json",
    "text/plain",
    "multipart/form-data; boundary=x",
]


async def test_raw_garbage_at_either_webhook_gets_a_4xx(tmp_path: Path) -> None:
    def run(post: Post) -> None:
        @FUZZ
        @given(st.binary(max_size=400), st.sampled_from(CONTENT_TYPES))
        def garbage(body: bytes, content_type: str) -> None:
            for path in (TWILIO_PATH, VONAGE_PATH):
                headers = {"Content-Type": content_type, "X-Twilio-Signature": "x"}
                r = post(path, content=body, headers=headers)
                assert 400 <= r.status_code < 500, r.text

        garbage()

    await fuzz(tmp_path, run)


async def test_signed_vonage_webhooks_with_mangled_fields_get_204_or_a_4xx(tmp_path: Path) -> None:
    def run(post: Post) -> None:
        @FUZZ
        @given(st.dictionaries(st.sampled_from(VONAGE_FIELDS), ODD, max_size=9), st.booleans())
        def mangled(changes: dict[str, str], as_json: bool) -> None:
            params = vonage_signed(vonage_params("0A0000000F") | changes)
            params |= {k: v for k, v in changes.items() if k in ("sig", "timestamp")}  # mangled after signing
            if as_json:
                r = post(VONAGE_PATH, json=params)
            else:
                body = urlencode(params, errors="surrogatepass").encode("utf-8", "surrogatepass")
                r = post(VONAGE_PATH, content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
            assert r.status_code == 204 or 400 <= r.status_code < 500, r.text

        mangled()

    await fuzz(tmp_path, run)
