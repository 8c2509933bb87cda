"""Bad input gets an RFC 9457 problem with a 4xx, never a 500."""

from __future__ import annotations

import json

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.asyncio

GOOD = {"channel": "email", "sender": {"address": "a@example.com"}, "text": "hello"}


def assert_problem(r: httpx.Response, status: int) -> dict[str, object]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, object] = r.json()
    assert body["status"] == status
    assert {"type", "title", "detail"} <= set(body)
    return body


async def test_malformed_json_is_400(client: httpx.AsyncClient) -> None:
    r = await client.post("/v1/messages", content=b'{"channel": "email",', headers={"content-type": "application/json"})
    assert_problem(r, 400)


@pytest.mark.before_storage
@pytest.mark.parametrize(
    "body",
    [
        {k: v for k, v in GOOD.items() if k != "text"},
        GOOD | {"channel": "pigeon"},
        GOOD | {"sender": {}},
        GOOD | {"text": 42},
        GOOD | {"unexpected": True},
        GOOD | {"received_at": "2026-01-01T10:00:00"},
        [GOOD],
    ],
    ids=["missing-text", "unknown-channel", "missing-address", "wrong-type", "extra-field", "naive-time", "array"],
)
async def test_missing_or_wrong_fields_are_422(client: httpx.AsyncClient, body: object) -> None:
    body_ = assert_problem(await client.post("/v1/messages", json=body), 422)
    assert body_["errors"]


async def test_invalid_address_for_the_channel_is_422(client: httpx.AsyncClient) -> None:
    r = await client.post("/v1/messages", json=GOOD | {"channel": "sms", "sender": {"address": "not a phone"}})
    assert "sender.address" in str(assert_problem(r, 422)["detail"])


async def test_body_over_the_limit_is_413(client: httpx.AsyncClient) -> None:
    big = GOOD | {"text": "x" * (1024 * 1024 + 10)}
    assert_problem(await client.post("/v1/messages", json=big), 413)


async def test_streamed_body_over_the_limit_is_413(client: httpx.AsyncClient) -> None:
    payload = json.dumps(GOOD | {"text": "y" * (1024 * 1024 + 10)}).encode()

    async def chunks():  # type: ignore[no-untyped-def]
        for i in range(0, len(payload), 65536):
            yield payload[i : i + 65536]

    r = await client.post("/v1/messages", content=chunks(), headers={"content-type": "application/json"})
    assert_problem(r, 413)


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer wrong-key", "Basic abc", "bearer sb_0123456789ab_nope"])
async def test_missing_or_wrong_key_is_401(client: httpx.AsyncClient, header: str | None) -> None:
    headers = {"Authorization": header} if header is not None else {}
    r = await client.post("/v1/messages", json=GOOD, headers=headers)
    if header is None:
        r = await httpx.AsyncClient(transport=client._transport, base_url=str(client.base_url)).post(
            "/v1/messages", json=GOOD
        )
    assert_problem(r, 401)


async def test_integration_key_cannot_read_messages(client: httpx.AsyncClient) -> None:
    key = (await client.post("/v1/api-keys", json={"role": "integration"})).json()["key"]
    headers = {"Authorization": f"Bearer {key}"}
    assert (await client.post("/v1/messages", json=GOOD, headers=headers)).status_code == 202
    assert_problem(await client.get("/v1/messages", headers=headers), 403)


async def test_unknown_message_is_404(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/v1/messages/does-not-exist"), 404)


async def test_unknown_route_is_a_problem_too(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/v1/nothing-here"), 404)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.dictionaries(
        st.sampled_from(["channel", "sender", "text", "subject", "recipient", "external_id", "x"]),
        json_values,
        max_size=6,
    )
)
async def test_arbitrary_json_never_gets_a_500(client: httpx.AsyncClient, body: dict[str, object]) -> None:
    r = await client.post("/v1/messages", json=body)
    assert r.status_code in (202, 400, 422), r.text
