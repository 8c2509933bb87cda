"""Ops edit rules blind no more: draft, validate, simulate, backtest, publish, rollback, history."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from tests.api.conftest import routed

pytestmark = pytest.mark.asyncio

DA_REFUND = {
    "channel": "sms",
    "sender": {"address": "+4520555555"},
    "text": "Hej, jeg vil gerne returnere min jakke og have pengene tilbage",
}


async def active_document(client: httpx.AsyncClient) -> dict[str, Any]:
    r = await client.get("/v1/rulesets/active")
    assert r.status_code == 200, r.text
    document: dict[str, Any] = r.json()["document"]
    return document


def with_first_rule(document: dict[str, Any], rule: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    changed["rules"] = [rule, *changed["rules"]]
    return changed


BILLING_FOR_REFUNDS = {
    "id": "refunds-to-billing",
    "when": 'intent == "refund_return"',
    "action": {"queue": "billing", "priority": 2},
}


async def test_validate_reports_the_position_of_an_unknown_field(client: httpx.AsyncClient) -> None:
    document = with_first_rule(
        await active_document(client), {"id": "typo", "when": 'intnet == "billing"', "action": {"queue": "billing"}}
    )
    r = await client.post("/v1/rulesets/validate", json={"document": document})
    assert r.status_code == 200
    body = r.json()
    assert body["valid"] is False
    [error] = [e for e in body["errors"] if e["rule_id"] == "typo"]
    assert error["column"] == 1
    assert "intnet" in error["message"]


async def test_validate_refuses_unknown_queues(client: httpx.AsyncClient) -> None:
    document = with_first_rule(
        await active_document(client), {"id": "nowhere", "when": "true", "action": {"queue": "no-such-queue"}}
    )
    body = (await client.post("/v1/rulesets/validate", json={"document": document})).json()
    assert not body["valid"]
    assert any("no-such-queue" in e["message"] for e in body["errors"])


async def test_a_document_that_is_not_a_ruleset_is_refused_as_a_draft(client: httpx.AsyncClient) -> None:
    r = await client.post("/v1/rulesets", json={"document": {"rules": "nope"}})
    assert r.status_code == 422
    assert r.json()["errors"]


async def test_invalid_draft_cannot_be_published(client: httpx.AsyncClient) -> None:
    document = with_first_rule(
        await active_document(client), {"id": "broken", "when": "intent == ", "action": {"queue": "billing"}}
    )
    created = await client.post("/v1/rulesets", json={"document": document, "note": "broken"})
    assert created.status_code == 201
    assert created.json()["valid"] is False
    r = await client.post(f"/v1/rulesets/{created.json()['version']}/publish")
    assert r.status_code == 422
    assert r.json()["errors"][0]["rule_id"] == "broken"
    assert (await client.get("/v1/rulesets/active")).json()["version"] == 1


async def test_simulate_shows_the_trace_and_stores_nothing(client: httpx.AsyncClient) -> None:
    draft = with_first_rule(await active_document(client), BILLING_FOR_REFUNDS)
    version = (await client.post("/v1/rulesets", json={"document": draft})).json()["version"]
    r = await client.post(f"/v1/rulesets/{version}/simulate", json={"message": DA_REFUND})
    assert r.status_code == 200, r.text
    result = r.json()
    assert result["queue"] == "billing"
    rules = result["trace"]["rules"]
    assert rules["rule_id"] == "refunds-to-billing"
    assert result["trace"]["classification"]["intent"] == "refund_return"
    assert (await client.get("/v1/messages")).json() == []


async def test_backtest_counts_what_would_move(client: httpx.AsyncClient) -> None:
    ids = [
        (await client.post("/v1/messages", json=DA_REFUND | {"sender": {"address": f"+452055500{i}"}})).json()["id"]
        for i in range(3)
    ]
    ids.append(
        (
            await client.post(
                "/v1/messages",
                json={
                    "channel": "email",
                    "sender": {"address": "x@example.com"},
                    "text": "My internet router keeps crashing",
                },
            )
        ).json()["id"]
    )
    for message_id in ids:
        await routed(client, message_id)
    draft = with_first_rule(await active_document(client), BILLING_FOR_REFUNDS)
    version = (await client.post("/v1/rulesets", json={"document": draft})).json()["version"]
    r = await client.post(f"/v1/rulesets/{version}/backtest", json={})
    assert r.status_code == 200, r.text
    result = r.json()
    assert result["messages"] == 4
    assert result["moved"] == 3
    per_queue = {q["queue"]: q for q in result["per_queue"]}
    assert per_queue["billing"]["draft"] - per_queue["billing"]["active"] == 3
    assert {m["to"] for m in result["moves"]} == {"billing"}


async def test_publish_takes_effect_for_the_next_message_and_rollback_restores(client: httpx.AsyncClient) -> None:
    original = await active_document(client)
    version = (
        await client.post(
            "/v1/rulesets",
            json={"document": with_first_rule(original, BILLING_FOR_REFUNDS), "note": "refunds to billing"},
        )
    ).json()["version"]
    assert (await client.post(f"/v1/rulesets/{version}/publish")).status_code == 200
    moved = await routed(client, (await client.post("/v1/messages", json=DA_REFUND)).json()["id"])
    assert moved["decision"]["queue"] == "billing"
    assert moved["decision"]["ruleset_version"] == version

    assert (await client.post("/v1/rulesets/1/rollback")).status_code == 200
    other = DA_REFUND | {"sender": {"address": "+4520999999"}}
    back = await routed(client, (await client.post("/v1/messages", json=other)).json()["id"])
    assert back["decision"]["queue"] == "returns"
    assert back["decision"]["ruleset_version"] == 1

    history = (await client.get("/v1/rulesets")).json()
    assert history["active_version"] == 1
    assert [a["action"] for a in history["activations"]][:2] == ["rollback", "publish"]
    assert all(a["actor"].startswith("admin:") or a["actor"] == "system" for a in history["activations"])


async def test_published_version_is_immutable(client: httpx.AsyncClient) -> None:
    r = await client.put("/v1/rulesets/1", json={"document": await active_document(client)})
    assert r.status_code == 409


async def test_rules_need_the_admin_role(client: httpx.AsyncClient) -> None:
    key = (await client.post("/v1/api-keys", json={"role": "supervisor"})).json()["key"]
    headers = {"Authorization": f"Bearer {key}"}
    assert (await client.get("/v1/rulesets", headers=headers)).status_code == 200
    r = await client.post("/v1/rulesets", json={"document": {}}, headers=headers)
    assert r.status_code == 403
