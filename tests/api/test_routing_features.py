"""The routing engine through the API: queues, hours, SLA escalation, overflow, away agents, transfers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from shared.settings import Settings
from tests.api.support import agent_client, assignments, dispatch_at, everyone_offline, post_and_route

pytestmark = pytest.mark.asyncio

NORDIC = {
    "name": "Nora",
    "languages": ["nb", "da", "en"],
    "skills": {"refunds": 4, "complaints": 4},
    "capacity": {"email": 5, "sms": 3, "chat": 2, "fax": 5},
    "queues": ["returns", "escalations", "general"],
}
REFUND = {"channel": "sms", "sender": {"address": "+4520111111"}, "text": "I want to return my jacket and get a refund"}


async def queue_state(client: httpx.AsyncClient, name: str) -> dict[str, Any]:
    queues = {q["name"]: q for q in (await client.get("/v1/queues")).json()}
    return queues[name]


async def test_closed_queue_sends_new_work_to_its_after_hours_queue(client: httpx.AsyncClient) -> None:
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    today = datetime.now(UTC).date().isoformat()
    hours = {
        "tz": "Europe/Copenhagen",
        "weekly": {"mon": [["09:00", "12:00"], ["13:00", "17:00"]]},
        "holidays": [today, tomorrow],
    }
    r = await client.put("/v1/queues/returns", json={"name": "returns", "hours": hours, "after_hours_queue": "general"})
    assert r.status_code == 200, r.text
    message = await post_and_route(client, REFUND)
    assert message["decision"]["queue"] == "general"
    assert message["decision"]["trace"]["queue"]["after_hours_from"] == "returns"


async def test_queue_configuration_is_validated(client: httpx.AsyncClient) -> None:
    bad = [
        {"name": "x", "hours": {"tz": "Mars/Olympus", "weekly": {}}},
        {"name": "x", "hours": {"tz": "UTC", "weekly": {"mon": [["17:00", "09:00"]]}}},
        {"name": "x", "hours": {"tz": "UTC", "weekly": {"someday": []}}},
        {"name": "x", "overflow_queue": "nowhere", "overflow_after_s": 10},
        {"name": "x", "sla_policy": "missing"},
        {"name": "x", "strategy": "random"},
    ]
    for body in bad:
        r = await client.post("/v1/queues", json=body)
        assert r.status_code == 422, (body, r.text)
    assert (await client.post("/v1/queues", json={"name": "a", "overflow_queue": "general",
                                                  "overflow_after_s": 5})).status_code == 201  # fmt: skip
    r = await client.put("/v1/queues/general", json={"name": "general", "overflow_queue": "a", "overflow_after_s": 5})
    assert r.status_code == 422
    assert "loops" in r.json()["detail"]


async def test_unanswered_work_breaches_its_sla_and_moves_to_escalations(
    app: FastAPI, client: httpx.AsyncClient, settings: Settings
) -> None:
    await everyone_offline(client)
    policy = {"name": "fast", "first_response_s": dict.fromkeys("12345", 600), "warn_ratio": 0.5}
    assert (await client.put("/v1/sla-policies/fast", json=policy)).status_code == 200
    assert (await client.put("/v1/queues/returns", json={"name": "returns", "sla_policy": "fast"})).status_code == 200
    message = await post_and_route(client, REFUND)
    assert message["decision"]["queue"] == "returns"
    assert message["decision"]["trace"]["queue"]["sla_policy"] == "fast"
    routed_at = datetime.fromisoformat(message["routed_at"])

    await dispatch_at(app, settings, routed_at + timedelta(seconds=599))
    assert (await queue_state(client, "returns"))["waiting"] == 1, "not breached before its deadline"
    await dispatch_at(app, settings, routed_at + timedelta(seconds=601))
    state = await queue_state(client, "escalations")
    assert (state["sla_breached"], state["waiting"]) == (1, 1)
    assert (await queue_state(client, "returns"))["open"] == 0


async def test_waiting_work_overflows_to_another_queue(
    app: FastAPI, client: httpx.AsyncClient, settings: Settings
) -> None:
    await everyone_offline(client)
    r = await client.put("/v1/queues/returns", json={"name": "returns", "overflow_queue": "general",
                                                     "overflow_after_s": 300})  # fmt: skip
    assert r.status_code == 200
    message = await post_and_route(client, REFUND)
    routed_at = datetime.fromisoformat(message["routed_at"])

    await dispatch_at(app, settings, routed_at + timedelta(seconds=299))
    assert (await queue_state(client, "returns"))["waiting"] == 1, "no overflow before its time"
    await dispatch_at(app, settings, routed_at + timedelta(seconds=301))
    assert (await queue_state(client, "general"))["waiting"] == 1
    assert (await queue_state(client, "returns"))["waiting"] == 0


async def test_rejected_offer_goes_to_the_next_agent_not_back(client: httpx.AsyncClient) -> None:
    first_id, first = await agent_client(client, NORDIC)
    second_id, second = await agent_client(client, NORDIC | {"name": "Second"})
    await everyone_offline(client, keep={first_id, second_id})
    await first.put("/v1/agents/me/presence", json={"status": "available"})
    await post_and_route(client, REFUND)
    [offer] = await assignments(first, wait_for=1)
    await second.put("/v1/agents/me/presence", json={"status": "available"})
    assert (await first.post(f"/v1/assignments/{offer['id']}/reject")).status_code == 200
    [moved] = await assignments(second, wait_for=1)
    assert moved["id"] == offer["id"]
    assert await assignments(first) == []


async def test_accepted_work_of_an_absent_agent_returns_to_the_queue_after_grace(
    client: httpx.AsyncClient, settings: Any
) -> None:
    agent_id, agent = await agent_client(client, NORDIC)
    await everyone_offline(client, keep={agent_id})
    await agent.put("/v1/agents/me/presence", json={"status": "available"})
    await post_and_route(client, REFUND)
    [offer] = await assignments(agent, wait_for=1)
    assert (await agent.post(f"/v1/assignments/{offer['id']}/accept")).status_code == 200
    await agent.put("/v1/agents/me/presence", json={"status": "away"})
    assert [a["status"] for a in await assignments(agent)] == ["accepted"], "accepted work stays during the grace"


async def test_agent_can_escalate_and_transfer(client: httpx.AsyncClient) -> None:
    a_id, a = await agent_client(client, NORDIC)
    b_id, b = await agent_client(client, NORDIC | {"name": "B"})
    await everyone_offline(client, keep={a_id, b_id})
    await a.put("/v1/agents/me/presence", json={"status": "available"})
    await post_and_route(client, REFUND)
    [offer] = await assignments(a, wait_for=1)
    assert (await a.post(f"/v1/assignments/{offer['id']}/transfer", json={"agent_id": b_id})).status_code == 409
    await b.put("/v1/agents/me/presence", json={"status": "available"})
    r = await a.post(f"/v1/assignments/{offer['id']}/transfer", json={"agent_id": b_id})
    assert r.status_code == 200, r.text
    [mine] = await assignments(b, wait_for=1)
    r = await b.post(f"/v1/assignments/{mine['id']}/escalate")
    assert r.status_code == 200
    assert r.json()["queue"] == "escalations"
    assert r.json()["priority"] == 1


async def test_vip_contact_is_seen_by_the_rules(client: httpx.AsyncClient) -> None:
    active = (await client.get("/v1/rulesets/active")).json()["document"]
    vip_first = {"id": "vip-first", "when": 'customer.tier == "vip"', "action": {"queue": "escalations"}}
    version = (await client.post("/v1/rulesets", json={"document": active | {"rules": [vip_first]}})).json()["version"]
    assert (await client.post(f"/v1/rulesets/{version}/publish")).status_code == 200
    r = await client.put("/v1/contacts", json={"channel": "sms", "address": "+45 20 99 99 99", "tier": "vip"})
    assert r.status_code == 200
    vip = await post_and_route(client, {"channel": "sms", "sender": {"address": "+4520999999"}, "text": "Hello"})
    other = await post_and_route(client, {"channel": "sms", "sender": {"address": "+4520999998"}, "text": "Hello"})
    assert vip["decision"]["queue"] == "escalations"
    assert other["decision"]["queue"] != "escalations"


async def test_changing_an_agents_skills_changes_what_they_are_offered(client: httpx.AsyncClient) -> None:
    agent_id, agent = await agent_client(client, NORDIC | {"skills": {}})
    await everyone_offline(client, keep={agent_id})
    await agent.put("/v1/agents/me/presence", json={"status": "available"})
    message = await post_and_route(client, REFUND)
    assert message["decision"]["agent_id"] is None, "refunds need the refunds skill"
    r = await client.patch(f"/v1/agents/{agent_id}", json={"skills": {"refunds": 3}})
    assert r.status_code == 200
    assert r.json()["skills"] == {"refunds": 3}
    await assignments(agent, wait_for=1)
