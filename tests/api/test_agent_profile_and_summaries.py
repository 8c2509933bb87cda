"""What an agent sees: its own profile, and assignments that carry a summary of the conversation."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event

from tests.api.support import agent_client, assignments, everyone_offline, post_and_route

pytestmark = pytest.mark.asyncio

EMIL = {"name": "Emil", "languages": ["da", "en"], "skills": {"refunds": 5}, "capacity": {"email": 3, "sms": 1},
        "queues": ["returns"]}  # fmt: skip
LONG = "Jeg vil gerne returnere mine sko og have pengene tilbage. " * 20
SLA = {"name": "standard", "first_response_s": {str(p): 600 for p in range(1, 6)},
       "resolution_s": {str(p): 7200 for p in range(1, 6)}}  # fmt: skip


def refund_mail(thread: str, text: str = LONG) -> dict[str, Any]:
    return {"channel": "email", "sender": {"address": "Kirsten@Example.dk", "name": "Kirsten Holm"},
            "subject": "Returnering af sko", "text": text, "thread_id": thread}  # fmt: skip


async def available(client: httpx.AsyncClient, spec: dict[str, Any]) -> tuple[str, httpx.AsyncClient]:
    agent_id, agent = await agent_client(client, spec)
    await everyone_offline(client, keep={agent_id})
    assert (await agent.put("/v1/agents/me/presence", json={"status": "available"})).status_code == 200
    return agent_id, agent


def at(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@contextmanager
def counting_statements(app: FastAPI) -> Iterator[list[str]]:
    """The statements reading stored messages while the block runs (the app's router shares the engine, but
    reads no messages while nothing is posted)."""
    engine = app.state.deps.sessions.kw["bind"].sync_engine
    seen: list[str] = []

    def count(*args: object) -> None:
        statement = str(args[2])
        if "FROM messages" in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


async def test_an_agent_reads_its_own_profile_with_load_per_channel_and_shift(client: httpx.AsyncClient) -> None:
    shift = {"tz": "Europe/Copenhagen", "weekly": {d: [["00:00", "00:00"]] for d in ("mon", "tue", "wed", "thu",
             "fri", "sat", "sun")}}  # fmt: skip
    agent_id, agent = await available(client, EMIL | {"shift": shift})
    await post_and_route(client, refund_mail("profile-1"))
    await assignments(agent, wait_for=1)

    me = await agent.get("/v1/agents/me")
    assert me.status_code == 200, me.text
    body = me.json()
    assert (body["id"], body["name"], body["presence"], body["queues"]) == (agent_id, "Emil", "available", ["returns"])
    assert body["channels"]["email"] == {"capacity": 3, "load": 1, "free": 2}
    assert body["channels"]["sms"] == {"capacity": 1, "load": 0, "free": 1}
    assert body["shift"]["tz"] == "Europe/Copenhagen"
    assert "shift_ends_at" in body
    assert "presence_changed_at" in body
    assert (await client.get("/v1/agents/me")).status_code == 403, "an admin key is no agent"


async def test_an_offer_carries_a_summary_of_the_latest_message_and_its_sla_due_times(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.put("/v1/sla-policies/standard", json=SLA)).status_code == 200
    assert (await client.patch("/v1/queues/returns", json={"sla_policy": "standard"})).status_code == 200
    _, agent = await available(client, EMIL)
    first = await post_and_route(client, refund_mail("summary-1"))
    [offer] = await assignments(agent, wait_for=1)

    summary = offer["summary"]
    assert summary["conversation_id"] == first["conversation_id"] == offer["conversation_id"]
    assert (summary["channel"], summary["queue"], summary["subject"]) == ("email", "returns", "Returnering af sko")
    assert summary["sender"] == {"name": "Kirsten Holm", "address": "kirsten@example.dk"}
    assert summary["preview"] == LONG.strip()[:500]
    assert summary["language"] == "da"
    assert summary["intent"] == first["classification"]["intent"]
    assert summary["urgency"] == first["classification"]["urgency"]
    assert summary["priority"] == offer["priority"]
    created = at(offer["created_at"])
    assert summary["sla"]["policy"] == "standard"
    assert at(summary["sla"]["first_response_due_at"]) == created + timedelta(seconds=600)
    assert at(summary["sla"]["resolution_due_at"]) == created + timedelta(seconds=7200)

    await post_and_route(client, refund_mail("summary-1", text="Har I modtaget pakken? Ordre 4711."))
    [again] = await assignments(agent)
    assert again["summary"]["preview"] == "Har I modtaget pakken? Ordre 4711.", "the latest message"
    accepted = await agent.post(f"/v1/assignments/{offer['id']}/accept")
    assert accepted.json()["summary"]["preview"] == "Har I modtaget pakken? Ordre 4711."


async def test_a_list_of_summaries_costs_the_same_queries_however_long_it_is(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    _, agent = await available(client, EMIL)
    await post_and_route(client, refund_mail("batch-1"))
    await assignments(agent, wait_for=1)
    with counting_statements(app) as one:
        assert len((await agent.get("/v1/agents/me/assignments")).json()) == 1
    for thread in ("batch-2", "batch-3"):
        await post_and_route(client, refund_mail(thread))
    await assignments(agent, wait_for=3)
    with counting_statements(app) as three:
        assert len((await agent.get("/v1/agents/me/assignments")).json()) == 3
    assert len(three) == len(one) == 1, "the latest messages of all the listed conversations in one query"


async def test_work_without_an_sla_policy_has_no_due_times(client: httpx.AsyncClient) -> None:
    _, agent = await available(client, EMIL)
    await post_and_route(client, refund_mail("no-sla"))
    [offer] = await assignments(agent, wait_for=1)
    assert offer["summary"]["sla"] == {"policy": None, "first_response_due_at": None, "resolution_due_at": None,
                                       "state": "ok"}  # fmt: skip


async def test_unknown_filter_values_are_refused(client: httpx.AsyncClient) -> None:
    _, agent = await agent_client(client, EMIL)
    assert (await agent.get("/v1/agents/me/assignments", params={"status": "bogus"})).status_code == 422
    assert (await client.get("/v1/assignments", params={"status": "bogus"})).status_code == 422
    assert (await client.get("/v1/assignments", params={"status": "completed"})).status_code == 422
    assert (await client.get("/v1/assignments", params={"queue": "no-such-queue"})).status_code == 422
    assert (await client.get("/v1/messages", params={"channel": "pigeon"})).status_code == 422
