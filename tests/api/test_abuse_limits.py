"""Abuse and careless input: rate limits, failed logins, header limits, idempotency, text, the last admin key."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from tests.api.conftest import admin_client, make_settings, running_app

pytestmark = pytest.mark.asyncio

MESSAGE = {"channel": "sms", "sender": {"address": "+4520555555"}, "text": "Hvor er min pakke?"}


@pytest.fixture
async def strict_app(tmp_path: Path) -> AsyncIterator[FastAPI]:
    """An app with tight limits: agents 3 requests then 1 per second, 3 failed logins a minute."""
    settings = make_settings(tmp_path, rate_limits={"agent": (1.0, 3)}, auth_failures_per_minute=3)
    async with running_app(settings, with_router=False) as app:
        yield app


def client_with(app: FastAPI, key: str, address: str = "127.0.0.1") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://t", headers={"Authorization": f"Bearer {key}"})


async def agent_key(admin: httpx.AsyncClient) -> str:
    agent = await admin.post("/v1/agents", json={"name": "Limited", "languages": ["da"]})
    r = await admin.post("/v1/api-keys", json={"role": "agent", "agent_id": agent.json()["id"]})
    key: str = r.json()["key"]
    return key


async def test_a_key_over_its_role_rate_gets_429_with_retry_after_and_others_are_served(strict_app: FastAPI) -> None:
    async with admin_client(strict_app) as admin:
        first, second = await agent_key(admin), await agent_key(admin)
        async with client_with(strict_app, first) as a, client_with(strict_app, second) as b:
            statuses = [(await a.get("/v1/agents/me/assignments")).status_code for _ in range(4)]
            refused = await a.get("/v1/agents/me/assignments")
            other = await b.get("/v1/agents/me/assignments")
    assert statuses == [200, 200, 200, 429]
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.json()["type"].endswith("/rate-limited")
    assert other.status_code == 200


async def test_failed_logins_from_one_address_are_limited_and_other_addresses_are_not(strict_app: FastAPI) -> None:
    async with client_with(strict_app, "sb_wrong_key", "10.0.0.9") as guesser:
        statuses = [(await guesser.get("/v1/queues")).status_code for _ in range(4)]
        blocked = await guesser.get("/v1/queues")
    async with client_with(strict_app, "sb_wrong_key", "10.0.0.10") as elsewhere:
        fresh = await elsewhere.get("/v1/queues")
    assert statuses == [401, 401, 401, 429]
    assert "retry-after" in blocked.headers
    assert fresh.status_code == 401


async def test_too_many_or_too_large_headers_get_431(client: httpx.AsyncClient) -> None:
    many = {f"x-filler-{i}": "1" for i in range(100)}
    assert (await client.get("/v1/queues", headers=many)).status_code == 431
    large = {"x-filler": "a" * 20_000}
    r = await client.get("/v1/queues", headers=large)
    assert r.status_code == 431
    assert r.headers["content-type"] == "application/problem+json"
    assert (await client.get("/v1/queues", headers={"x-filler": "a" * 1000})).status_code == 200


async def test_idempotency_key_reused_with_another_body_is_refused(client: httpx.AsyncClient) -> None:
    headers = {"Idempotency-Key": "order-77"}
    first = await client.post("/v1/messages", json=MESSAGE, headers=headers)
    again = await client.post("/v1/messages", json=MESSAGE, headers=headers)
    other = await client.post("/v1/messages", json=MESSAGE | {"text": "Something else"}, headers=headers)
    assert first.status_code == again.status_code == 202
    assert again.json() == first.json()
    assert other.status_code == 422
    assert other.json()["type"].endswith("/idempotency-key-reused")


async def test_external_id_reused_with_another_body_is_refused(client: httpx.AsyncClient) -> None:
    first = await client.post("/v1/messages", json=MESSAGE | {"external_id": "SM1"})
    other = await client.post("/v1/messages", json=MESSAGE | {"external_id": "SM1", "text": "changed"})
    assert first.status_code == 202
    assert other.status_code == 422


@pytest.mark.before_storage
@pytest.mark.parametrize(
    "change",
    [
        {"text": ""},
        {"text": "   \n\t "},
        {"text": "hello\x00world"},
        {"text": "bell\x07"},
        {"subject": "a\x1bb"},
        {"external_id": "line\nbreak"},
        {"sender": {"address": "+4520555555", "name": "Eve\x00"}},
    ],
)
async def test_empty_text_and_control_characters_are_refused(
    client: httpx.AsyncClient, change: dict[str, object]
) -> None:
    r = await client.post("/v1/messages", json=MESSAGE | change)
    assert r.status_code == 422, r.text
    assert "\x00" not in r.text


async def test_line_breaks_and_tabs_are_kept_in_text(client: httpx.AsyncClient) -> None:
    r = await client.post("/v1/messages", json=MESSAGE | {"text": "line one\n\tline two\r\n"})
    assert r.status_code == 202


async def test_the_last_active_admin_key_cannot_be_revoked(client: httpx.AsyncClient) -> None:
    keys = (await client.get("/v1/api-keys")).json()
    [bootstrap] = [k for k in keys if k["role"] == "admin" and k["revoked_at"] is None]
    r = await client.delete(f"/v1/api-keys/{bootstrap['id']}")
    assert r.status_code == 409
    assert r.headers["content-type"] == "application/problem+json"
    second = (await client.post("/v1/api-keys", json={"role": "admin", "name": "deputy"})).json()
    assert (await client.delete(f"/v1/api-keys/{second['id']}")).status_code == 204
    assert (await client.delete(f"/v1/api-keys/{bootstrap['id']}")).status_code == 409
