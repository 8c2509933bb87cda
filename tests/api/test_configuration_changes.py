"""Routing configuration: the ops role, partial updates, deleting what nothing uses, before/after audit rows."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from shared.db.models import AuditEvent
from tests.api.support import agent_client, assignments, everyone_offline, post_and_route

pytestmark = pytest.mark.asyncio

SLA = {"name": "gold", "first_response_s": {"3": 900}, "resolution_s": {"3": 14400}}
REFUND = {"channel": "sms", "sender": {"address": "+4520717171"}, "text": "Jeg vil returnere varen og have refusion"}


def keyed(client: httpx.AsyncClient, key: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=client._transport, base_url=str(client.base_url),
                             headers={"Authorization": f"Bearer {key}"})  # fmt: skip


async def key_of(client: httpx.AsyncClient, role: str) -> httpx.AsyncClient:
    r = await client.post("/v1/api-keys", json={"role": role})
    assert r.status_code == 201, r.text
    return keyed(client, r.json()["key"])


async def audit(app: FastAPI, action: str) -> list[AuditEvent]:
    async with app.state.deps.sessions() as session:
        return list(await session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


async def test_ops_changes_routing_but_not_keys_or_agents(client: httpx.AsyncClient) -> None:
    ops = await key_of(client, "ops")
    assert (await ops.put("/v1/sla-policies/gold", json=SLA)).status_code == 200
    assert (await ops.post("/v1/queues", json={"name": "vip", "sla_policy": "gold"})).status_code == 201
    assert (await ops.patch("/v1/queues/vip", json={"description": "Our best customers"})).status_code == 200
    contact = {"channel": "email", "address": "vip@example.com", "tier": "vip"}
    assert (await ops.put("/v1/contacts", json=contact)).status_code == 200
    active = (await ops.get("/v1/rulesets/active")).json()
    draft = await ops.post("/v1/rulesets", json={"document": active["document"], "note": "same again"})
    assert draft.status_code == 201
    assert (await ops.post(f"/v1/rulesets/{draft.json()['version']}/publish")).status_code == 200

    assert (await ops.post("/v1/api-keys", json={"role": "admin"})).status_code == 403
    assert (await ops.post("/v1/agents", json={"name": "Nope"})).status_code == 403
    assert (await ops.get("/v1/agents")).status_code == 403
    supervisor = await key_of(client, "supervisor")
    assert (await supervisor.get("/v1/queues/vip")).status_code == 200
    assert (await supervisor.patch("/v1/queues/vip", json={"description": "x"})).status_code == 403


async def test_only_agent_and_supervisor_keys_are_linked_to_an_agent(client: httpx.AsyncClient) -> None:
    agent_id, _ = await agent_client(client, {"name": "Linked"})
    assert (await client.post("/v1/api-keys", json={"role": "supervisor", "agent_id": agent_id})).status_code == 201
    assert (await client.post("/v1/api-keys", json={"role": "ops", "agent_id": agent_id})).status_code == 422
    assert (await client.post("/v1/api-keys", json={"role": "supervisor", "agent_id": "nobody"})).status_code == 422


async def test_patching_a_queue_changes_only_the_fields_sent(app: FastAPI, client: httpx.AsyncClient) -> None:
    await client.put("/v1/sla-policies/gold", json=SLA)
    hours = {"tz": "Europe/Copenhagen", "weekly": {"mon": [["09:00", "17:00"]]}, "holidays": []}
    full = {"name": "vip", "description": "Best customers", "strategy": "longest_idle", "offer_timeout_s": 60,
            "hours": hours, "after_hours_queue": "general", "overflow_queue": "general",
            "overflow_after_s": 600}  # fmt: skip
    assert (await client.post("/v1/queues", json=full)).status_code == 201

    r = await client.patch("/v1/queues/vip", json={"sla_policy": "gold"})
    assert r.status_code == 200, r.text
    assert {k: r.json()[k] for k in full} == full, "what was not sent is kept"
    assert r.json()["sla_policy"] == "gold"
    r = await client.patch("/v1/queues/vip", json={"hours": None, "after_hours_queue": None})
    assert (r.json()["hours"], r.json()["after_hours_queue"], r.json()["strategy"]) == (None, None, "longest_idle")

    assert (await client.patch("/v1/queues/vip", json={"strategy": None})).status_code == 422, "not nullable"
    assert (await client.patch("/v1/queues/vip", json={"overflow_after_s": None})).status_code == 422, "goes with"
    assert (await client.patch("/v1/queues/vip", json={"sla_policy": "nope"})).status_code == 422
    assert (await client.patch("/v1/queues/nope", json={"description": "x"})).status_code == 404
    assert (await client.get("/v1/queues/vip")).json()["overflow_after_s"] == 600, "refused changes change nothing"

    rows = await audit(app, "queue.update")
    assert [r.detail["after"]["sla_policy"] for r in rows] == ["gold", "gold"]
    assert rows[0].detail["before"]["sla_policy"] is None
    assert rows[1].detail["before"]["hours"] == hours
    assert rows[1].detail["after"]["hours"] is None


async def test_patching_a_contact_keeps_what_is_not_sent_and_audits_no_customer_data(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    contact = {"channel": "email", "address": "kirsten@example.dk", "name": "Kirsten Holm", "tier": "standard",
               "identities": ["+45 20 12 34 56"]}  # fmt: skip
    assert (await client.put("/v1/contacts", json=contact)).status_code == 200
    ops = await key_of(client, "ops")

    r = await ops.patch("/v1/contacts/+4520123456", json={"tier": "vip"})
    assert r.status_code == 200, r.text
    assert r.json() == {"address": "kirsten@example.dk", "tier": "vip", "name": "Kirsten Holm",
                        "identities": ["+4520123456"]}  # fmt: skip
    r = await ops.patch("/v1/contacts/kirsten@example.dk", json={"name": None, "identities": []})
    assert (r.json()["name"], r.json()["identities"], r.json()["tier"]) == (None, [], "vip")
    assert (await ops.patch("/v1/contacts/kirsten@example.dk", json={"tier": None})).status_code == 422
    assert (await ops.patch("/v1/contacts/nobody@example.dk", json={"tier": "vip"})).status_code == 404

    [first, second] = await audit(app, "contact.update")
    assert (first.detail["before"]["tier"], first.detail["after"]["tier"]) == ("standard", "vip")
    assert (second.detail["before"]["identities"], second.detail["after"]["identities"]) == (1, 0)
    for row in [*await audit(app, "contact.put"), first, second]:
        text = f"{row.subject} {row.detail}"
        assert "kirsten" not in text.lower()
        assert "4520123456" not in text
        assert "Holm" not in text


async def test_patching_an_agent_changes_only_the_fields_sent(app: FastAPI, client: httpx.AsyncClient) -> None:
    spec = {"name": "Ida", "languages": ["da"], "skills": {"billing": 3}, "capacity": {"email": 2, "sms": 1},
            "queues": ["billing"]}  # fmt: skip
    agent_id, _ = await agent_client(client, spec)
    r = await client.patch(f"/v1/agents/{agent_id}", json={"languages": ["da", "en"], "capacity": {"sms": 3}})
    assert r.status_code == 200, r.text
    got = r.json()
    assert (got["name"], got["skills"], got["queues"]) == ("Ida", {"billing": 3}, ["billing"])
    assert (got["languages"], got["capacity"]["email"], got["capacity"]["sms"]) == (["da", "en"], 2, 3)
    assert (await client.patch(f"/v1/agents/{agent_id}", json={"name": None})).status_code == 422
    assert (await client.patch(f"/v1/agents/{agent_id}", json={"skills": None})).status_code == 422
    [row] = await audit(app, "agent.update")
    assert row.detail["before"]["languages"] == ["da"]
    assert row.detail["after"]["languages"] == ["da", "en"]
    assert row.detail["before"]["capacity"]["sms"] == 1
    assert row.detail["after"]["capacity"]["sms"] == 3


async def test_a_draft_can_be_deleted_a_published_version_cannot(app: FastAPI, client: httpx.AsyncClient) -> None:
    active = (await client.get("/v1/rulesets/active")).json()
    draft = (await client.post("/v1/rulesets", json={"document": active["document"]})).json()["version"]
    assert (await client.delete(f"/v1/rulesets/{draft}")).status_code == 204
    assert (await client.get(f"/v1/rulesets/{draft}")).status_code == 404
    refused = await client.delete(f"/v1/rulesets/{active['version']}")
    assert refused.status_code == 409
    assert (await client.get(f"/v1/rulesets/{active['version']}")).status_code == 200
    [row] = await audit(app, "ruleset.delete")
    assert row.detail["before"]["document"] == active["document"]
    assert row.detail["after"] is None


async def test_an_sla_policy_is_deleted_only_when_nothing_uses_it(app: FastAPI, client: httpx.AsyncClient) -> None:
    assert (await client.put("/v1/sla-policies/gold", json=SLA)).status_code == 200
    await client.patch("/v1/queues/returns", json={"sla_policy": "gold"})
    active = (await client.get("/v1/rulesets/active")).json()
    document: dict[str, Any] = active["document"] | {
        "defaults": active["document"]["defaults"] | {"sla_policy": "gold"}
    }
    version = (await client.post("/v1/rulesets", json={"document": document})).json()["version"]
    assert (await client.post(f"/v1/rulesets/{version}/publish")).status_code == 200
    asta, agent = await agent_client(client, {"name": "Asta", "languages": ["da"], "skills": {"refunds": 5},
                                               "capacity": {"sms": 1}, "queues": ["returns"]})  # fmt: skip
    await everyone_offline(client, keep={asta})
    await agent.put("/v1/agents/me/presence", json={"status": "available"})
    await post_and_route(client, REFUND)
    [offer] = await assignments(agent, wait_for=1)
    assert offer["summary"]["sla"]["policy"] == "gold"

    refused = await client.delete("/v1/sla-policies/gold")
    assert refused.status_code == 409
    detail = refused.json()["detail"]
    assert "queues returns" in detail
    assert f"active ruleset (version {version})" in detail
    assert "1 open assignments" in detail
    assert (await client.post(f"/v1/rulesets/{active['version']}/rollback")).status_code == 200
    await client.patch("/v1/queues/returns", json={"sla_policy": None})
    await agent.post(f"/v1/assignments/{offer['id']}/accept")
    await agent.post(f"/v1/assignments/{offer['id']}/complete", json={"disposition": "resolved"})

    assert (await client.delete("/v1/sla-policies/gold")).status_code == 204
    assert (await client.get("/v1/sla-policies")).json() == []
    assert (await client.delete("/v1/sla-policies/gold")).status_code == 404
    [row] = await audit(app, "sla_policy.delete")
    assert row.detail["before"]["first_response_s"] == {"3": 900}
    assert row.detail["after"] is None
