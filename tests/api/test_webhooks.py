"""Outbound webhook subscriptions through the API, with the in-process worker delivering to a real receiver."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from router.webhooks import WebhookWorker
from shared.db.models import Activity
from shared.settings import Settings
from tests.api.conftest import eventually, make_settings, routed
from tests.webhook_receiver import Receiver, serving

pytestmark = pytest.mark.asyncio

SECRET = "whsec-0123456789abcdef"
PRIVATE_TEXT = "Min adresse er Solvej 7, ring på +4531999999"


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """Private targets allowed (the receiver is on loopback), quick retries, a short retry window."""
    return make_settings(
        tmp_path,
        database_url=database_url,
        webhook_allow_private=True,
        webhook_backoff_seconds=0.05,
        webhook_backoff_max_seconds=0.2,
        webhook_retry_seconds=3.0,
        webhook_poll_seconds=0.02,
    )


@pytest.fixture
async def ops(client: httpx.AsyncClient) -> AsyncIterator[httpx.AsyncClient]:
    """A client with an ops key."""
    key = (await client.post("/v1/api-keys", json={"role": "ops"})).json()["key"]
    async with httpx.AsyncClient(
        transport=client._transport, base_url=str(client.base_url), headers={"Authorization": f"Bearer {key}"}
    ) as c:
        yield c


async def subscribe(c: httpx.AsyncClient, url: str, events: list[str]) -> dict[str, Any]:
    r = await c.post("/v1/webhooks/subscriptions", json={"url": url, "events": events, "secret": SECRET})
    assert r.status_code == 201, r.text
    created: dict[str, Any] = r.json()
    return created


async def test_subscriptions_are_listed_without_secrets_deleted_and_audited(
    ops: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    created = await subscribe(ops, "http://127.0.0.1:9/hooks?token=abc", ["message.routed", "sla.breached"])
    assert set(created) == {"id", "url", "events", "created_by", "created_at"}
    assert created["created_by"].startswith("ops:")
    listed = (await ops.get("/v1/webhooks/subscriptions")).json()
    assert [s["id"] for s in listed] == [created["id"]]
    assert SECRET not in (await client.get(f"/v1/webhooks/subscriptions/{created['id']}")).text
    assert (await ops.delete(f"/v1/webhooks/subscriptions/{created['id']}")).status_code == 204
    assert (await ops.get(f"/v1/webhooks/subscriptions/{created['id']}")).status_code == 404
    assert (await ops.delete(f"/v1/webhooks/subscriptions/{created['id']}")).status_code == 404
    audit = (await client.get("/v1/audit", params={"entity": created["id"]})).json()["items"]
    assert [a["action"] for a in audit] == ["webhook_subscription.delete", "webhook_subscription.create"]
    assert all(a["actor"] == created["created_by"] and a["detail"]["host"] == "127.0.0.1" for a in audit)
    assert SECRET not in str(audit)
    assert "token=abc" not in str(audit)


@pytest.mark.before_storage
@pytest.mark.parametrize(
    "body",
    [
        {"url": "http://127.0.0.1:9/", "events": ["message.sent"], "secret": SECRET},
        {"url": "http://127.0.0.1:9/", "events": [], "secret": SECRET},
        {"url": "http://127.0.0.1:9/", "events": ["sla.breached", "sla.breached"], "secret": SECRET},
        {"url": "http://127.0.0.1:9/", "events": ["sla.breached"], "secret": "short"},
        {"url": "ftp://127.0.0.1:9/", "events": ["sla.breached"], "secret": SECRET},
        {"url": "http://user:pw@127.0.0.1:9/", "events": ["sla.breached"], "secret": SECRET},
        {"url": "http://host.invalid/", "events": ["sla.breached"], "secret": SECRET},
        {"url": "http://127.0.0.1:9/", "events": ["sla.breached"], "secret": SECRET, "extra": 1},
    ],
)
async def test_invalid_subscriptions_are_refused(ops: httpx.AsyncClient, body: dict[str, Any]) -> None:
    r = await ops.post("/v1/webhooks/subscriptions", json=body)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert SECRET not in r.text
    assert (await ops.get("/v1/webhooks/subscriptions")).json() == []


@pytest.mark.before_storage
@pytest.mark.parametrize("url", ["http://127.0.0.1/", "http://10.1.2.3/", "http://[::1]:8080/", "http://localhost/",
                                 "https://169.254.169.254/latest", "http://[::ffff:192.168.0.1]/"])  # fmt: skip
async def test_private_targets_are_refused_unless_allowed(app: FastAPI, ops: httpx.AsyncClient, url: str) -> None:
    deps = app.state.deps
    deps.settings = deps.settings.model_copy(update={"webhook_allow_private": False})
    r = await ops.post("/v1/webhooks/subscriptions", json={"url": url, "events": ["sla.breached"], "secret": SECRET})
    assert r.status_code == 422, r.text
    assert "non-public" in r.json()["detail"]


async def test_routed_message_is_delivered_signed_with_ids_only(
    ops: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    async with serving(Receiver(SECRET)) as receiver:
        sub = await subscribe(ops, receiver.url, ["message.routed"])
        r = await client.post("/v1/messages", json={"channel": "sms", "sender": {"address": "+4531999999"},
                                                    "text": PRIVATE_TEXT})  # fmt: skip
        message = await routed(client, r.json()["id"])
        await receiver.wait_for(1)
    [got] = receiver.log
    assert got.signature_ok
    assert got.status == 200
    event = got.event
    assert set(event) == {"id", "type", "at", "data"}
    assert event["type"] == "message.routed"
    assert event["data"]["message_id"] == message["id"]
    assert event["data"]["conversation_id"] == message["conversation_id"]
    assert event["data"]["outcome"] == message["decision"]["outcome"]
    assert "Solvej" not in str(event)
    assert "4531999999" not in str(event)

    page = (await ops.get(f"/v1/webhooks/subscriptions/{sub['id']}/deliveries")).json()
    [delivery] = page["items"]
    assert page["next_cursor"] is None
    assert delivery["id"] == event["id"]
    assert (delivery["status"], delivery["attempts"], delivery["last_status"]) == ("delivered", 1, 200)
    assert delivery["delivered_at"] is not None


async def test_a_failing_receiver_is_retried_with_backoff_then_parked(
    ops: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    async with serving(Receiver(SECRET, fail_first=1000)) as receiver:
        sub = await subscribe(ops, receiver.url, ["message.routed"])
        for i in range(2):
            r = await client.post("/v1/messages", json={"channel": "sms", "sender": {"address": f"+453100000{i}"},
                                                        "text": "Hvor er min pakke?"})  # fmt: skip
            await routed(client, r.json()["id"])
        deliveries = f"/v1/webhooks/subscriptions/{sub['id']}/deliveries"

        async def parked() -> list[dict[str, Any]] | None:
            items: list[dict[str, Any]] = (await ops.get(deliveries, params={"status": "parked"})).json()["items"]
            return items if len(items) == 2 else None

        items = await eventually(parked, timeout=60)
    assert all(d["attempts"] >= 2 and d["last_status"] == 500 and d["next_attempt_at"] is None for d in items)
    assert all(r.signature_ok for r in receiver.log)
    first = (await ops.get(deliveries, params={"limit": 1})).json()
    second = (await ops.get(deliveries, params={"limit": 1, "cursor": first["next_cursor"]})).json()
    assert first["next_cursor"]
    assert second["next_cursor"] is None
    assert {first["items"][0]["id"], second["items"][0]["id"]} == {d["id"] for d in items}
    assert (await ops.get(deliveries, params={"cursor": "x"})).status_code == 422
    assert (await ops.get(deliveries, params={"status": "lost"})).status_code == 422
    assert (await ops.get("/v1/webhooks/subscriptions/nope/deliveries")).status_code == 404


async def test_two_workers_deliver_each_event_once_in_order_per_conversation(
    app: FastAPI, settings: Settings, ops: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    second = WebhookWorker(settings, app.state.deps.sessions)  # another router's worker on the same database
    await second.start()
    try:
        async with serving(Receiver(SECRET, fail_first=1)) as receiver:
            sub = await subscribe(ops, receiver.url, ["message.routed", "assignment.offered"])
            for n in range(3):
                for i in range(2):
                    sender = {"address": f"+453300000{i}"}
                    text = f"Hvor er min pakke? ({n})"
                    r = await client.post("/v1/messages", json={"channel": "sms", "sender": sender, "text": text})
                    await routed(client, r.json()["id"])
            deliveries = f"/v1/webhooks/subscriptions/{sub['id']}/deliveries"

            async with app.state.deps.sessions() as session:
                events = await session.scalar(
                    select(func.count()).where(Activity.type.in_(["message.routed", "assignment.offered"]))
                )

            async def all_delivered() -> list[dict[str, Any]] | None:
                items: list[dict[str, Any]] = (await ops.get(deliveries, params={"limit": 200})).json()["items"]
                done = len(items) == events and all(d["status"] == "delivered" for d in items)
                return items if done else None

            items = await eventually(all_delivered, timeout=60)
    finally:
        await second.stop()
    accepted = [e["id"] for e in receiver.accepted]
    assert sorted(accepted) == sorted(d["id"] for d in items), "each event accepted exactly once"
    activity = {d["id"]: (d["conversation_id"], d["activity_id"]) for d in items}
    for conversation in {c for c, _ in activity.values()}:
        order = [activity[e][1] for e in accepted if activity[e][0] == conversation]
        assert order == sorted(order)
