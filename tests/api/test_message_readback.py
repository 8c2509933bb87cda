"""An integration reads back the messages it posted, and only those: accepted before routing, routed after."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from shared.settings import Settings
from tests.api.conftest import admin_client, routed, running_app

pytestmark = pytest.mark.asyncio

ORDER_QUESTION = {"channel": "sms", "sender": {"address": "+4531000001"}, "text": "Hvor er min pakke? Ordre 123456"}


def keyed(admin: httpx.AsyncClient, key: str) -> httpx.AsyncClient:
    """A client on the same app carrying ``key``."""
    return httpx.AsyncClient(
        transport=admin._transport, base_url=str(admin.base_url), headers={"Authorization": f"Bearer {key}"}
    )


async def new_key(admin: httpx.AsyncClient, role: str) -> str:
    r = await admin.post("/v1/api-keys", json={"role": role})
    assert r.status_code == 201, r.text
    key: str = r.json()["key"]
    return key


async def post(client: httpx.AsyncClient, body: dict[str, Any], **headers: str) -> str:
    r = await client.post("/v1/messages", json=body, headers=headers)
    assert r.status_code == 202, r.text
    message_id: str = r.json()["id"]
    return message_id


async def test_poster_reads_accepted_before_routing_and_routed_after(settings: Settings) -> None:
    async with running_app(settings, with_router=False) as app, admin_client(app) as admin:
        mine, theirs = await new_key(admin, "integration"), await new_key(admin, "integration")
        async with keyed(admin, mine) as me, keyed(admin, theirs) as other:
            message_id = await post(me, ORDER_QUESTION)
            retried = await post(me, ORDER_QUESTION, **{"Idempotency-Key": "order-1"})
            assert await post(me, ORDER_QUESTION, **{"Idempotency-Key": "order-1"}) == retried

            for reader in (me, admin):
                r = await reader.get(f"/v1/messages/{message_id}")
                assert r.status_code == 200, r.text
                assert r.json()["status"] == "accepted"
                assert set(r.json()) == {"id", "status", "accepted_at"}
            assert (await me.get(f"/v1/messages/{retried}")).json()["status"] == "accepted"
            assert (await other.get(f"/v1/messages/{message_id}")).status_code == 404
            assert (await me.get("/v1/messages/no-such-message")).status_code == 404

    async with (
        running_app(settings, with_router=True) as app,
        admin_client(app) as admin,
        keyed(admin, mine) as me,
        keyed(admin, theirs) as other,
    ):
        message = await routed(me, message_id)
        assert message["decision"]["queue"]
        assert message["classification"]["language"] == "da"
        assert (await routed(me, retried))["status"] == "routed"
        assert (await other.get(f"/v1/messages/{message_id}")).status_code == 404
        assert (await admin.get(f"/v1/messages/{message_id}")).json()["status"] == "routed"


async def test_an_integration_cannot_read_messages_posted_by_others(client: httpx.AsyncClient) -> None:
    by_admin = await post(client, ORDER_QUESTION)
    await routed(client, by_admin)
    async with keyed(client, await new_key(client, "integration")) as integration:
        r = await integration.get(f"/v1/messages/{by_admin}")
        assert r.status_code == 404
        assert "pakke" not in r.text
