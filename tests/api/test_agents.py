"""Agents and their work through the public API: keys, presence, assignments, accept, complete."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.api.conftest import ADMIN_KEY, eventually, routed
from tests.api.support import agent_client, assignments, everyone_offline, post_and_route

pytestmark = pytest.mark.asyncio

FREJA = {
    "name": "Freja",
    "languages": ["da", "en"],
    "skills": {"refunds": 5},
    "capacity": {"email": 5, "sms": 3, "chat": 2, "fax": 5},
    "queues": ["returns"],
}


async def test_agent_receives_accepts_and_completes_work(client: httpx.AsyncClient) -> None:
    agent_id, agent = await agent_client(client, FREJA)
    await everyone_offline(client, keep={agent_id})
    assert (await agent.put("/v1/agents/me/presence", json={"status": "available"})).status_code == 200
    message = await post_and_route(
        client,
        {
            "channel": "email",
            "sender": {"address": "Kunde@Example.DK"},
            "subject": "Returnering",
            "text": "Hej, jeg vil gerne returnere mine sko og have refunderet beløbet. Ordre 55555.",
        },
    )
    assert message["decision"]["agent_id"] == agent_id

    async def mine() -> list[dict[str, Any]]:
        return (await agent.get("/v1/agents/me/assignments")).json()  # type: ignore[no-any-return]

    [assignment] = await eventually(mine)
    assert assignment["status"] == "offered"
    assert assignment["conversation_id"] == message["conversation_id"]
    accepted = await agent.post(f"/v1/assignments/{assignment['id']}/accept")
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    done = await agent.post(
        f"/v1/assignments/{assignment['id']}/complete",
        json={"disposition": "refund_issued", "notes": "Refunded in full"},
    )
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "completed"
    assert done.json()["disposition"] == "refund_issued"
    assert await mine() == []
    me = (await client.get(f"/v1/agents/{agent_id}")).json()
    assert me["load"]["email"] == 0


async def test_agent_cannot_touch_another_agents_assignment(client: httpx.AsyncClient) -> None:
    owner_id, owner = await agent_client(client, FREJA)
    _, other = await agent_client(client, FREJA | {"name": "Other"})
    await everyone_offline(client, keep={owner_id})
    await owner.put("/v1/agents/me/presence", json={"status": "available"})
    await post_and_route(
        client,
        {
            "channel": "sms",
            "sender": {"address": "+4520202020"},
            "text": "Jeg vil returnere min ordre og have pengene tilbage",
        },
    )
    [assignment] = (await owner.get("/v1/agents/me/assignments")).json()
    r = await other.post(f"/v1/assignments/{assignment['id']}/accept")
    assert r.status_code == 404
    assert (await other.get("/v1/agents/me/assignments")).json() == []


async def test_work_waits_in_queue_until_an_agent_becomes_available(client: httpx.AsyncClient) -> None:
    agent_id, agent = await agent_client(client, FREJA)
    await everyone_offline(client, keep={agent_id})
    message = await post_and_route(
        client,
        {
            "channel": "chat",
            "sender": {"address": "session-42"},
            "text": "I want to return my order and get a refund",
        },
    )
    assert message["decision"]["agent_id"] is None
    assert message["decision"]["outcome"] == "queued"
    queues = {q["name"]: q for q in (await client.get("/v1/queues")).json()}
    assert queues[message["decision"]["queue"]]["waiting"] == 1
    await agent.put("/v1/agents/me/presence", json={"status": "available"})

    [assignment] = await assignments(agent, wait_for=1)
    assert assignment["conversation_id"] == message["conversation_id"]


async def test_going_offline_hands_back_unaccepted_offers(client: httpx.AsyncClient) -> None:
    agent_id, agent = await agent_client(client, FREJA)
    await everyone_offline(client, keep={agent_id})
    await agent.put("/v1/agents/me/presence", json={"status": "available"})
    await post_and_route(
        client,
        {
            "channel": "sms",
            "sender": {"address": "+4520303030"},
            "text": "Jeg vil returnere varen og have refusion",
        },
    )
    r = await agent.put("/v1/agents/me/presence", json={"status": "offline"})
    assert r.json()["requeued"] == 1
    assert (await agent.get("/v1/agents/me/assignments")).json() == []


async def test_second_message_in_a_conversation_sticks_to_its_agent(client: httpx.AsyncClient) -> None:
    agent_id, agent = await agent_client(client, FREJA)
    await everyone_offline(client, keep={agent_id})
    await agent.put("/v1/agents/me/presence", json={"status": "available"})
    body = {
        "channel": "sms",
        "sender": {"address": "+4520404040"},
        "recipient": "+4570000000",
        "text": "Jeg vil gerne returnere min ordre",  # "gerne": Danish, not Norwegian
    }
    first = await routed(client, (await client.post("/v1/messages", json=body)).json()["id"])
    second = await routed(client, (await client.post("/v1/messages", json=body | {"text": "Hallo?"})).json()["id"])
    assert second["decision"]["outcome"] == "sticky"
    assert second["decision"]["agent_id"] == first["decision"]["agent_id"] == agent_id
    [assignment] = (await agent.get("/v1/agents/me/assignments")).json()
    assert assignment["message_count"] == 2


async def test_agent_key_needs_an_existing_agent(client: httpx.AsyncClient) -> None:
    r = await client.post("/v1/api-keys", json={"role": "agent", "agent_id": "nobody"})
    assert r.status_code == 422
    r = await client.post("/v1/api-keys", json={"role": "integration", "agent_id": "x"})
    assert r.status_code == 422


async def test_agent_with_unknown_queue_is_refused(client: httpx.AsyncClient) -> None:
    r = await client.post("/v1/agents", json=FREJA | {"queues": ["nope"]})
    assert r.status_code == 422
    assert "nope" in r.json()["detail"]


async def test_revoked_key_stops_working(client: httpx.AsyncClient) -> None:
    created = (await client.post("/v1/api-keys", json={"role": "supervisor"})).json()
    headers = {"Authorization": f"Bearer {created['key']}"}
    assert (await client.get("/v1/queues", headers=headers)).status_code == 200
    assert (await client.delete(f"/v1/api-keys/{created['id']}")).status_code == 204
    assert (await client.get("/v1/queues", headers=headers)).status_code == 401


async def test_requests_that_find_a_key_expired_share_one_lookup(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under load every request in flight finds the cached key expired at once; one database read serves all."""
    deps = app.state.deps
    deps.forget_keys()
    opened = 0
    sessions = deps.sessions

    def counting() -> Any:
        nonlocal opened
        opened += 1
        return sessions()

    monkeypatch.setattr(deps, "sessions", counting)
    principals = await asyncio.gather(*(deps.authenticate(ADMIN_KEY) for _ in range(20)))
    assert {p.role for p in principals} == {"admin"}
    assert opened == 1


async def test_a_lookup_in_flight_when_a_key_is_revoked_does_not_cache_it(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    deps = app.state.deps
    deps.forget_keys()
    sessions = deps.sessions

    def revoking_meanwhile() -> Any:
        deps.forget_keys()  # the revocation lands while this read is on its way
        return sessions()

    monkeypatch.setattr(deps, "sessions", revoking_meanwhile)
    assert (await deps.authenticate(ADMIN_KEY)).role == "admin"
    assert deps._keys == {}, "the read from before the revocation is not kept"


async def test_accept_and_reject_racing_on_one_offer_settle_on_exactly_one(client: httpx.AsyncClient) -> None:
    """Both commands read the offer, then write: only a row lock (PostgreSQL) or the database's single writer
    (SQLite) keeps the loser from acting on what the winner already changed."""
    agent_id, agent = await agent_client(client, FREJA)
    await everyone_offline(client, keep={agent_id})
    assert (await agent.put("/v1/agents/me/presence", json={"status": "available"})).status_code == 200
    await post_and_route(client, {"channel": "sms", "sender": {"address": "+4520555555"}, "text": "Refund please"})
    [offer] = await assignments(agent, wait_for=1)
    accepted, rejected = await asyncio.gather(
        agent.post(f"/v1/assignments/{offer['id']}/accept"), agent.post(f"/v1/assignments/{offer['id']}/reject")
    )
    codes = sorted([accepted.status_code, rejected.status_code])
    assert codes[0] == 200, (accepted.text, rejected.text)
    assert codes[1] in (404, 409), "the loser is refused: the offer is accepted (409), or handed back (404: not yours)"
    mine = await assignments(agent)
    held = 1 if accepted.status_code == 200 else 0
    assert [a["status"] for a in mine] == ["accepted"] * held
    assert (await client.get(f"/v1/agents/{agent_id}")).json()["load"]["sms"] == held
