"""Every duration, count and instant the API takes has bounds the router can compute with: outside them the
API answers 422 (never 500), and a router that finds a stored value outside them skips that one queue or
policy with a logged error instead of failing every tick or dead-lettering the message."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from shared.db.models import Agent, Queue, SlaPolicyRow
from shared.settings import Settings
from tests.api.support import agent_client, assignments, everyone_offline, post_and_route
from tests.api.test_problems import assert_problem

pytestmark = pytest.mark.asyncio

HUGE_VERSION = 9223372036854775808  # 2**63: no database integer holds it
REFUND = {"channel": "sms", "sender": {"address": "+4520616161"}, "text": "I want to return my jacket and get a refund"}
NORA = {"name": "Nora", "languages": ["en"], "skills": {"refunds": 4}, "capacity": {"sms": 3}, "queues": ["returns"]}


@pytest.mark.before_storage
@pytest.mark.parametrize(
    "body",
    [
        {"overflow_queue": "general", "overflow_after_s": 10**12},
        {"overflow_queue": "general", "overflow_after_s": 10**20},
        {"overflow_queue": "general", "overflow_after_s": -1},
        {"offer_timeout_s": 4},
        {"offer_timeout_s": 86_401},
        {"aging_per_minute": 0},
        {"aging_per_minute": 10.5},
        {"hours": {"tz": "UTC", "weekly": {"mon": [["09:00", "17:00"]] * 13}}},
        {"hours": {"tz": "UTC", "weekly": {}, "holidays": ["0001-01-01"]}},
        {"hours": {"tz": "UTC", "weekly": {"mon": [["9:00", "17:00"]]}}},
    ],
)
async def test_queue_settings_outside_their_bounds_are_422(client: httpx.AsyncClient, body: dict[str, Any]) -> None:
    assert_problem(await client.post("/v1/queues", json={"name": "bounded"} | body), 422)


async def test_queue_settings_at_their_bounds_are_accepted(client: httpx.AsyncClient) -> None:
    body = {"name": "edge", "overflow_queue": "general", "overflow_after_s": 30 * 86_400, "offer_timeout_s": 5,
            "aging_per_minute": 10}  # fmt: skip
    assert (await client.post("/v1/queues", json=body)).status_code == 201


@pytest.mark.parametrize(
    "targets",
    [{"first_response_s": {"3": 10**12}}, {"resolution_s": {"1": 0}}, {"first_response_s": {"6": 60}}],
)
async def test_sla_targets_outside_their_bounds_are_422(client: httpx.AsyncClient, targets: dict[str, Any]) -> None:
    assert_problem(await client.put("/v1/sla-policies/x", json={"name": "x"} | targets), 422)


@pytest.mark.before_storage
@pytest.mark.parametrize(
    "received_at",
    [
        "0001-01-01T00:00:00Z",
        "0001-01-01T00:30:00+01:00",
        "9999-12-31T23:59:59Z",
        "2099-01-01T00:00:00Z",
        "1999-12-31T23:59:59Z",
    ],
)
async def test_a_message_received_far_in_the_past_or_the_future_is_422(
    client: httpx.AsyncClient, received_at: str
) -> None:
    body = REFUND | {"received_at": received_at}
    assert_problem(await client.post("/v1/messages", json=body), 422)


async def test_a_message_received_a_minute_ago_is_routed_with_that_instant(client: httpx.AsyncClient) -> None:
    sent = (datetime.now(UTC) - timedelta(minutes=1)).replace(microsecond=0)
    message = await post_and_route(client, REFUND | {"received_at": sent.isoformat()})
    assert datetime.fromisoformat(message["received_at"]) == sent


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/v1/rulesets/{v}", None),
        ("PUT", "/v1/rulesets/{v}", {"document": {"rules": []}}),
        ("POST", "/v1/rulesets/{v}/validate", None),
        ("POST", "/v1/rulesets/{v}/simulate", {"message": REFUND}),
        ("POST", "/v1/rulesets/{v}/backtest", {}),
        ("POST", "/v1/rulesets/{v}/publish", None),
        ("POST", "/v1/rulesets/{v}/rollback", None),
    ],
)
async def test_a_ruleset_version_no_database_can_hold_is_422(
    client: httpx.AsyncClient, method: str, path: str, body: dict[str, Any] | None
) -> None:
    assert_problem(await client.request(method, path.format(v=HUGE_VERSION), json=body), 422)
    assert_problem(await client.request(method, path.format(v=0), json=body), 422)
    assert_problem(await client.request(method, path.format(v=2**31 - 1), json=body), 404)


@pytest.mark.parametrize(
    "before", ["0001-01-01T00:00:00", "9999-12-31T23:59:59", "0001-01-01T00:30:00+01:00", "2100-01-01T00:00:01Z"]
)
async def test_paging_messages_before_an_instant_out_of_range_is_422(client: httpx.AsyncClient, before: str) -> None:
    assert_problem(await client.get("/v1/messages", params={"before": before}), 422)


async def test_paging_messages_before_an_instant_in_range_answers(client: httpx.AsyncClient) -> None:
    message = await post_and_route(client, REFUND)
    later = (datetime.fromisoformat(message["received_at"]) + timedelta(seconds=1)).replace(tzinfo=None)
    r = await client.get("/v1/messages", params={"before": later.isoformat()})
    assert r.status_code == 200
    assert message["id"] in {m["id"] for m in r.json()}


async def test_a_backtest_window_out_of_range_is_422(client: httpx.AsyncClient) -> None:
    r = await client.post("/v1/rulesets/1/backtest", json={"since": "0001-01-01T00:00:00Z"})
    problem = assert_problem(r, 422)
    assert problem["errors"][0]["loc"] == ["body", "since"]  # type: ignore[index]


STORED_OUT_OF_BOUNDS = [
    pytest.param({"overflow_queue": "general", "overflow_after_s": 10**12}, id="overflow-after-1e12"),
    pytest.param({"offer_timeout_s": 0}, id="offer-timeout-0"),
]


@pytest.mark.parametrize("stored", STORED_OUT_OF_BOUNDS)
async def test_a_stored_queue_out_of_bounds_is_skipped_and_the_others_go_on(
    app: FastAPI,
    client: httpx.AsyncClient,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
    stored: dict[str, Any],
) -> None:
    if stored.get("overflow_after_s", 0) > 2**31 - 1 and not settings.database_url.startswith("sqlite"):
        stored = {"offer_timeout_s": -1}  # PostgreSQL's 32-bit column refuses the value itself: store another
    nora_id, nora = await agent_client(client, NORA)
    await everyone_offline(client)
    waiting = await post_and_route(client, REFUND)
    assert waiting["decision"]["outcome"] == "queued"
    async with app.state.deps.sessions() as session:  # as an earlier version, or a hand edit, stored it
        session.add(Queue(name="broken", **stored))
        await session.commit()

    with caplog.at_level(logging.ERROR, logger="router.store"):
        await nora.put("/v1/agents/me/presence", json={"status": "available"})
        [offer] = await assignments(nora, wait_for=1)
    assert offer["conversation_id"] == waiting["conversation_id"]
    assert any(getattr(r, "queue", None) == "broken" for r in caplog.records), "the skipped queue is logged"
    assert nora_id


async def test_a_stored_sla_policy_out_of_bounds_is_skipped_and_the_message_routed(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    async with app.state.deps.sessions() as session:
        session.add(SlaPolicyRow(name="forever", first_response_s={str(p): 10**12 for p in range(1, 6)}))
        await session.commit()
    assert (
        await client.put("/v1/queues/returns", json={"name": "returns", "sla_policy": "forever"})
    ).status_code == 200
    message = await post_and_route(client, REFUND)
    assert message["decision"]["queue"] == "returns"
    assert message["decision"]["trace"]["queue"]["sla_policy"] is None


async def test_an_agent_with_stored_hours_out_of_bounds_does_not_stop_dispatching(
    app: FastAPI, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    nora_id, nora = await agent_client(client, NORA)
    await everyone_offline(client)
    waiting = await post_and_route(client, REFUND | {"sender": {"address": "+4520626262"}})
    async with app.state.deps.sessions() as session:  # hours no API call accepts, stored by hand
        agent = await session.get(Agent, nora_id)
        assert agent is not None
        agent.shift = {"tz": "Mars/Olympus", "weekly": {"someday": [["25:00", "09:00"]]}}
        await session.commit()

    with caplog.at_level(logging.ERROR, logger="router.timers"):
        await nora.put("/v1/agents/me/presence", json={"status": "available"})
        [offer] = await assignments(nora, wait_for=1)
    assert offer["conversation_id"] == waiting["conversation_id"]
    assert any(getattr(r, "agent_id", None) == nora_id for r in caplog.records), "the skipped shift is logged"
