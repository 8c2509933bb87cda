"""Supervisors act on the work in their queues: reassign, pull back, take escalations; agents' state machine."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from gateway import oversight
from shared.auth import Principal
from shared.db.models import Activity, AuditEvent
from tests.api.support import agent_client, assignments, everyone_offline, post_and_route

pytestmark = pytest.mark.asyncio

REFUND = {"channel": "sms", "sender": {"address": "+4520515151"}, "text": "Jeg vil returnere varen og have refusion"}


def spec(name: str, queues: list[str]) -> dict[str, Any]:
    return {"name": name, "languages": ["da", "en"], "skills": {"refunds": 5}, "capacity": {"sms": 2},
            "queues": queues}  # fmt: skip


async def team(client: httpx.AsyncClient) -> dict[str, tuple[str, httpx.AsyncClient]]:
    """Asta and Bo in returns (Asta alone available), and Sune: a supervisor of returns linked to an agent."""
    asta = await agent_client(client, spec("Asta", ["returns"]))
    bo = await agent_client(client, spec("Bo", ["returns"]))
    sune_id, _ = await agent_client(client, spec("Sune", ["returns"]) | {"queues": []})
    await everyone_offline(client, keep={asta[0]})
    assert (await asta[1].put("/v1/agents/me/presence", json={"status": "available"})).status_code == 200
    r = await client.post("/v1/api-keys", json={"role": "supervisor", "agent_id": sune_id})
    assert r.status_code == 201, r.text
    sune = httpx.AsyncClient(transport=client._transport, base_url=str(client.base_url),
                             headers={"Authorization": f"Bearer {r.json()['key']}"})  # fmt: skip
    await client.patch(f"/v1/agents/{sune_id}", json={"queues": ["returns"]})
    return {"asta": asta, "bo": bo, "sune": (sune_id, sune)}


async def offered_to(
    client: httpx.AsyncClient, agent: httpx.AsyncClient, sender: str = "+4520515151"
) -> dict[str, Any]:
    await post_and_route(client, REFUND | {"sender": {"address": sender}})
    offers = [a for a in await assignments(agent, wait_for=1) if a["status"] == "offered"]
    assert len(offers) == 1
    return offers[0]


async def audit(app: FastAPI, action: str) -> list[AuditEvent]:
    async with app.state.deps.sessions() as session:
        return list(await session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


async def load(client: httpx.AsyncClient, agent_id: str) -> int:
    found: int = (await client.get(f"/v1/agents/{agent_id}")).json()["load"]["sms"]
    return found


async def test_a_supervisor_reassigns_offered_work_to_an_available_colleague(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    people = await team(client)
    (asta_id, asta), (bo_id, bo), (_, sune) = people["asta"], people["bo"], people["sune"]
    offer = await offered_to(client, asta)
    refused = await sune.post(f"/v1/assignments/{offer['id']}/reassign", json={"agent_id": bo_id})
    assert refused.status_code == 409, "Bo is offline"
    await bo.put("/v1/agents/me/presence", json={"status": "available"})

    r = await sune.post(f"/v1/assignments/{offer['id']}/reassign", json={"agent_id": bo_id})
    assert r.status_code == 200, r.text
    assert (r.json()["agent_id"], r.json()["status"], r.json()["accepted_at"]) == (bo_id, "offered", None)
    assert r.json()["summary"]["queue"] == "returns"
    assert await assignments(asta) == []
    assert [a["id"] for a in await assignments(bo)] == [offer["id"]]
    assert (await load(client, asta_id), await load(client, bo_id)) == (0, 1)
    [row] = await audit(app, "assignment.reassign")
    assert row.actor.startswith("supervisor:")
    assert row.detail["to_agent"] == bo_id
    assert (await asta.post(f"/v1/assignments/{offer['id']}/accept")).status_code == 404, "no longer Asta's"


async def test_a_supervisor_pulls_accepted_work_back_to_its_queue(app: FastAPI, client: httpx.AsyncClient) -> None:
    people = await team(client)
    (asta_id, asta), (_, sune) = people["asta"], people["sune"]
    offer = await offered_to(client, asta)
    assert (await asta.post(f"/v1/assignments/{offer['id']}/accept")).status_code == 200
    await asta.put("/v1/agents/me/presence", json={"status": "away"})  # nobody to offer it to again

    r = await sune.post(f"/v1/assignments/{offer['id']}/withdraw")
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["agent_id"], r.json()["accepted_at"]) == ("queued", None, None)
    assert await assignments(asta) == []
    assert await load(client, asta_id) == 0
    waiting = (await sune.get("/v1/assignments", params={"status": "queued"})).json()
    assert [w["id"] for w in waiting] == [offer["id"]]
    assert waiting[0]["summary"]["preview"] == REFUND["text"]
    assert (await sune.post(f"/v1/assignments/{offer['id']}/withdraw")).status_code == 409, "nothing held to pull"
    async with app.state.deps.sessions() as session:
        kinds = list(await session.scalars(select(Activity.type).where(Activity.assignment_id == offer["id"])))
    assert "assignment.withdrawn" in kinds
    assert len(await audit(app, "assignment.withdraw")) == 1


async def test_a_supervisor_linked_to_an_agent_takes_an_escalation(app: FastAPI, client: httpx.AsyncClient) -> None:
    people = await team(client)
    (_, asta), (sune_id, sune) = people["asta"], people["sune"]
    offer = await offered_to(client, asta)
    assert (await sune.post(f"/v1/assignments/{offer['id']}/take")).status_code == 409, "not an escalation"
    assert (await asta.post(f"/v1/assignments/{offer['id']}/escalate")).status_code == 200

    unlinked = await client.post("/v1/api-keys", json={"role": "supervisor"})
    boss = httpx.AsyncClient(transport=client._transport, base_url=str(client.base_url),
                             headers={"Authorization": f"Bearer {unlinked.json()['key']}"})  # fmt: skip
    assert (await boss.post(f"/v1/assignments/{offer['id']}/take")).status_code == 403, "no agent profile to take it"
    busy = await sune.post(f"/v1/assignments/{offer['id']}/take")
    assert busy.status_code == 409, "Sune's agent profile is offline"
    sune_agent = (await client.post("/v1/api-keys", json={"role": "agent", "agent_id": sune_id})).json()["key"]
    await client.put("/v1/agents/me/presence", json={"status": "available"},
                     headers={"Authorization": f"Bearer {sune_agent}"})  # fmt: skip

    r = await sune.post(f"/v1/assignments/{offer['id']}/take")
    assert r.status_code == 200, r.text
    assert (r.json()["agent_id"], r.json()["status"], r.json()["queue"]) == (sune_id, "accepted", "escalations")
    assert r.json()["accepted_at"] is not None
    [row] = await audit(app, "assignment.take")
    assert row.actor.startswith("supervisor:")


async def test_a_linked_supervisor_sees_and_acts_on_its_own_queues_only(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    people = await team(client)
    (_, asta), (sune_id, sune) = people["asta"], people["sune"]
    offer = await offered_to(client, asta)
    assert [a["id"] for a in (await sune.get("/v1/assignments")).json()] == [offer["id"]]
    linked = Principal("k1", "supervisor", sune_id)
    asta_principal = Principal("k5", "agent", people["asta"][0])
    async with app.state.deps.sessions() as session:
        assert await oversight.may_read_conversation(session, linked, offer["conversation_id"]), "work in returns"
    assert (await asta.post(f"/v1/assignments/{offer['id']}/accept")).status_code == 200
    assert (await asta.post(f"/v1/assignments/{offer['id']}/transfer", json={"queue": "tech"})).status_code == 200

    assert (await sune.get("/v1/assignments")).json() == [], "tech is not Sune's"
    assert (await sune.get("/v1/assignments", params={"queue": "tech"})).status_code == 403
    assert (await sune.post(f"/v1/assignments/{offer['id']}/withdraw")).status_code == 404
    assert [a["id"] for a in (await client.get("/v1/assignments", params={"queue": "tech"})).json()] == [offer["id"]]

    async with app.state.deps.sessions() as session:
        conversation = offer["conversation_id"]
        assert not await oversight.may_read_conversation(session, linked, conversation), "now in tech"
        assert not await oversight.may_read_conversation(session, asta_principal, conversation), "handed on"
        assert await oversight.may_read_conversation(session, Principal("k2", "supervisor"), conversation)
        assert not await oversight.may_read_conversation(session, Principal("k3", "ops"), conversation)
        assert not await oversight.may_read_conversation(session, Principal("k4", "agent", sune_id), conversation)
        assert await oversight.may_read_queue(session, linked, "escalations")
        assert not await oversight.may_read_queue(session, linked, "tech")


async def test_a_transfer_resets_acceptance_and_completion_needs_the_new_holders_accept(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    people = await team(client)
    (_, asta), (bo_id, bo) = people["asta"], people["bo"]
    offer = await offered_to(client, asta)
    await bo.put("/v1/agents/me/presence", json={"status": "available"})
    assert (await asta.post(f"/v1/assignments/{offer['id']}/accept")).status_code == 200
    moved = await asta.post(f"/v1/assignments/{offer['id']}/transfer", json={"agent_id": bo_id})
    assert (moved.json()["status"], moved.json()["accepted_at"]) == ("offered", None)

    done = {"disposition": "resolved"}
    assert (await bo.post(f"/v1/assignments/{offer['id']}/complete", json=done)).status_code == 409
    assert (await asta.post(f"/v1/assignments/{offer['id']}/complete", json=done)).status_code == 404, "not Asta's"
    assert (await bo.post(f"/v1/assignments/{offer['id']}/accept")).status_code == 200
    assert (await bo.post(f"/v1/assignments/{offer['id']}/complete", json=done)).status_code == 200

    actions = {"assignment.accept": 2, "assignment.transfer": 1, "assignment.complete": 1}
    for action, count in actions.items():
        rows = await audit(app, action)
        assert len(rows) == count, action
        assert all(r.actor.startswith("agent:") and r.detail["role"] == "agent" for r in rows)


async def test_an_agent_rejecting_and_escalating_is_audited(app: FastAPI, client: httpx.AsyncClient) -> None:
    people = await team(client)
    (asta_id, asta) = people["asta"]
    offer = await offered_to(client, asta)
    assert (await asta.post(f"/v1/assignments/{offer['id']}/escalate")).status_code == 200
    [row] = await audit(app, "assignment.escalate")
    assert (row.detail["agent_id"], row.detail["to_queue"]) == (asta_id, "escalations")
    second = await offered_to(client, asta, sender="+4520616161")
    assert (await asta.post(f"/v1/assignments/{second['id']}/reject")).status_code == 200
    assert [r.subject for r in await audit(app, "assignment.reject")] == [second["id"]]
