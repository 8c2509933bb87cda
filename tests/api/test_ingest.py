"""Ingest through the public API: accepted, durable, routed, readable with its decision."""

from __future__ import annotations

import httpx
import pytest

from tests.api.conftest import routed

pytestmark = pytest.mark.asyncio

REFUND_DA = {
    "channel": "sms",
    "sender": {"address": "+45 20 12 34 56", "name": "Kirsten"},
    "recipient": "+4570101010",
    "text": "Hej, jeg vil gerne returnere min jakke og have pengene tilbage. Ordre 123456",
    "external_id": "SM-1",
}


async def test_posted_message_is_routed_and_readable_with_its_decision(client: httpx.AsyncClient) -> None:
    r = await client.post("/v1/messages", json=REFUND_DA)
    assert r.status_code == 202, r.text
    accepted = r.json()
    assert set(accepted) == {"id", "conversation_id"}
    message = await routed(client, accepted["id"])
    assert message["conversation_id"] == accepted["conversation_id"]
    assert message["sender"]["address"] == "+4520123456"
    assert message["classification"]["language"] == "da"
    assert message["classification"]["intent"] == "refund_return"
    decision = message["decision"]
    assert decision["queue"] == "returns"
    assert decision["ruleset_version"] == 1
    assert decision["agent_id"] is not None
    assert decision["trace"]["rules"]["version"] == 1


async def test_list_is_newest_first_and_filters_by_channel(client: httpx.AsyncClient) -> None:
    ids = []
    for i, channel in enumerate(["email", "sms", "email"]):
        address = f"c{i}@example.com" if channel == "email" else f"+4520000{i:03d}"
        body = {"channel": channel, "sender": {"address": address}, "text": f"Where is my order {1000 + i}?"}
        r = await client.post("/v1/messages", json=body)
        assert r.status_code == 202
        ids.append(r.json()["id"])
    for message_id in ids:
        await routed(client, message_id)
    emails = (await client.get("/v1/messages", params={"channel": "email", "limit": 10})).json()
    assert [m["id"] for m in emails] == [ids[2], ids[0]]
    one = (await client.get("/v1/messages", params={"limit": 1})).json()
    assert [m["id"] for m in one] == [ids[2]]


async def test_same_idempotency_key_names_the_same_message(client: httpx.AsyncClient) -> None:
    headers = {"Idempotency-Key": "retry-me-1"}
    first = await client.post("/v1/messages", json=REFUND_DA | {"external_id": None}, headers=headers)
    second = await client.post("/v1/messages", json=REFUND_DA | {"external_id": None}, headers=headers)
    assert first.status_code == second.status_code == 202
    assert first.json() == second.json()
    await routed(client, first.json()["id"])
    listed = (await client.get("/v1/messages")).json()
    assert [m["id"] for m in listed].count(first.json()["id"]) == 1


async def test_provider_duplicate_is_routed_once(client: httpx.AsyncClient) -> None:
    a = await client.post("/v1/messages", json=REFUND_DA | {"external_id": "dup-1"})
    b = await client.post("/v1/messages", json=REFUND_DA | {"external_id": "dup-1"})
    await routed(client, a.json()["id"])
    marker = await client.post("/v1/messages", json=REFUND_DA | {"external_id": "after"})
    await routed(client, marker.json()["id"])
    assert b.status_code == 202
    assert b.json() == a.json()  # the repeat names the message the first one became
    listed = (await client.get("/v1/messages")).json()
    assert [m["id"] for m in listed].count(a.json()["id"]) == 1
