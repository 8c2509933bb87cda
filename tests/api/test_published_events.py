"""What routers publish validates against the JSON Schemas committed under ``shared/schemas/``: the decision and
timer events on the routed topic, and the envelope on the dead-letter topic, read back off the running app's bus.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from jsonschema import Draft202012Validator

from shared.bus import Bus
from shared.contracts import SCHEMAS
from shared.settings import Settings
from tests.api.conftest import eventually
from tests.api.support import agent_client, assignments, everyone_offline, post_and_route, router_beside

pytestmark = pytest.mark.asyncio

REFUND = {"channel": "sms", "sender": {"address": "+4520717171"}, "text": "I want to return my jacket and get a refund"}
LIV = {"name": "Liv", "languages": ["en"], "skills": {"refunds": 4}, "capacity": {"sms": 3}, "queues": ["general"]}


def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


async def records(bus: Bus, topic: str, group: str) -> list[dict[str, Any]]:
    """Every record on ``topic`` so far, parsed (a new consumer group reads from the start)."""
    consumer = bus.consumer(topic, group)
    await consumer.start()
    try:
        out: list[dict[str, Any]] = []
        while batch := await consumer.fetch(500, 0.05):
            out += [json.loads(r.value) for r in batch]
        return out
    finally:
        await consumer.stop()


async def test_every_event_a_router_publishes_matches_the_routed_schema(
    app: FastAPI, client: httpx.AsyncClient, settings: Settings
) -> None:
    await everyone_offline(client)
    sla = {"name": "brisk", "first_response_s": {str(p): 60 for p in range(1, 6)}, "warn_ratio": 0.5}
    assert (await client.put("/v1/sla-policies/brisk", json=sla)).status_code == 200
    overflowing = {"name": "returns", "overflow_queue": "general", "overflow_after_s": 0, "sla_policy": "brisk"}
    assert (await client.put("/v1/queues/returns", json=overflowing)).status_code == 200
    first = await post_and_route(client, REFUND)
    await post_and_route(client, REFUND | {"text": "Hello?"})  # joins the conversation
    second = await post_and_route(client, REFUND | {"sender": {"address": "+4520727272"}})
    _, liv = await agent_client(client, LIV)
    await liv.put("/v1/agents/me/presence", json={"status": "available"})
    offers = await assignments(liv, wait_for=2)  # both overflowed to general, then offered to Liv
    [taken] = [o for o in offers if o["conversation_id"] == first["conversation_id"]]
    assert (await liv.post(f"/v1/assignments/{taken['id']}/accept")).status_code == 200
    await liv.put("/v1/agents/me/presence", json={"status": "away"})  # hands back the other offer at once
    later = await router_beside(app, settings, clock=lambda: datetime.now(UTC) + timedelta(minutes=10))
    await later.tick()  # the other breaches its SLA; Liv has been away past the grace with the accepted one

    bus, topics = app.state.deps.bus, settings.topics
    routed_schema = validator("routed.v1.json")

    async def published() -> list[dict[str, Any]] | None:
        events = await records(bus, topics.routed, f"check-{datetime.now(UTC).timestamp()}")
        kinds = {e["type"] for e in events}
        wanted = {"message.routed", "queue.overflowed", "sla.breached", "assignment.requeued"}
        return events if wanted <= kinds else None

    events = await eventually(published)
    for event in events:
        errors = [e.message for e in routed_schema.iter_errors(event)]
        assert not errors, (event["type"], errors)
    outcomes = {e["outcome"] for e in events if e["type"] == "message.routed"}
    assert {"queued", "sticky"} <= outcomes
    by_type = {(e["type"], e.get("conversation_id")) for e in events}
    assert ("sla.breached", second["conversation_id"]) in by_type
    assert ("assignment.requeued", first["conversation_id"]) in by_type


async def test_a_dead_letter_matches_the_dlq_schema(app: FastAPI, settings: Settings) -> None:
    bus, topics = app.state.deps.bus, settings.topics
    await bus.publish(topics.inbound, "conversation-x", b'{"not": "an inbound message"}')

    async def dead() -> list[dict[str, Any]]:
        return await records(bus, topics.dlq, f"check-dlq-{datetime.now(UTC).timestamp()}")

    [letter] = await eventually(dead)
    assert not [e.message for e in validator("dlq.v1.json").iter_errors(letter)]
    assert (letter["type"], letter["key"], letter["topic"]) == ("dead_letter", "conversation-x", topics.inbound)
