"""Push to agents: the long-poll of assignments and the event stream, on SQLite and PostgreSQL.

Long-polls run in process (httpx's ASGI transport answers once the handler returns); event streams need a
real server, since that transport reads a response to its end: a uvicorn in a thread, read by httpx.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from gateway.push import Push
from shared.db.models import Activity
from tests.api.conftest import eventually, make_settings
from tests.api.push_support import sse
from tests.api.support import agent_client, assignments, everyone_offline
from tests.chat.server import Server
from tests.e2e.server import free_port

pytestmark = pytest.mark.asyncio

ASTA = {"name": "Asta", "languages": ["da", "en"], "skills": {"refunds": 5}, "capacity": {"sms": 3},
        "queues": ["returns"]}  # fmt: skip
BO = ASTA | {"name": "Bo"}


def refund(n: int) -> dict[str, Any]:
    return {
        "channel": "sms",
        "sender": {"address": f"+45205151{n:02d}"},
        "text": "Jeg vil returnere varen og have refusion",
    }


async def ready_agent(client: httpx.AsyncClient, spec: dict[str, Any] = ASTA) -> tuple[str, httpx.AsyncClient]:
    """An available agent of the returns queue, the only one online."""
    agent_id, agent = await agent_client(client, spec)
    await everyone_offline(client, keep={agent_id})
    r = await agent.put("/v1/agents/me/presence", json={"status": "available"})
    assert r.status_code == 200
    return agent_id, agent


async def post(client: httpx.AsyncClient, body: dict[str, Any]) -> None:
    r = await client.post("/v1/messages", json=body)
    assert r.status_code == 202, r.text


# Long-poll


async def test_long_poll_wakes_within_a_second_of_the_routing_decision(app: FastAPI, client: httpx.AsyncClient) -> None:
    _, agent = await ready_agent(client)
    empty = await agent.get("/v1/agents/me/assignments")
    assert empty.json() == []
    polling = asyncio.create_task(
        agent.get("/v1/agents/me/assignments", params={"wait": 30}, headers={"If-None-Match": empty.headers["ETag"]})
    )
    await post(client, refund(1))
    r = await asyncio.wait_for(polling, 20)
    woke = datetime.now(UTC)
    assert r.status_code == 200
    [offer] = r.json()
    assert offer["status"] == "offered"
    assert r.headers["ETag"] != empty.headers["ETag"]
    async with app.state.deps.sessions() as session:
        decided = await session.scalar(
            select(Activity.at).where(Activity.assignment_id == offer["id"], Activity.type == "assignment.offered")
        )
    assert decided is not None
    assert woke - decided.replace(tzinfo=UTC) < timedelta(seconds=1)


async def test_long_poll_answers_the_unchanged_list_at_its_timeout(client: httpx.AsyncClient) -> None:
    _, agent = await ready_agent(client)
    first = await agent.get("/v1/agents/me/assignments")
    loop = asyncio.get_running_loop()
    started = loop.time()
    r = await agent.get(
        "/v1/agents/me/assignments", params={"wait": 1}, headers={"If-None-Match": first.headers["ETag"]}
    )
    assert r.status_code == 200
    assert r.json() == []
    assert r.headers["ETag"] == first.headers["ETag"], "an unchanged ETag says nothing changed"
    assert loop.time() - started >= 0.9, "it waited for a change"


async def test_long_poll_answers_at_once_when_the_client_has_not_seen_the_current_list(
    client: httpx.AsyncClient,
) -> None:
    _, agent = await ready_agent(client)
    await post(client, refund(2))
    [offer] = await assignments(agent, wait_for=1)
    r = await asyncio.wait_for(
        agent.get("/v1/agents/me/assignments", params={"wait": 30}, headers={"If-None-Match": '"seen-before"'}), 10
    )
    assert [a["id"] for a in r.json()] == [offer["id"]]


async def test_a_long_poll_without_if_none_match_answers_at_once(client: httpx.AsyncClient) -> None:
    """A client that starts after its first offer (it has no ETag yet) gets the offer, not the timeout."""
    _, agent = await ready_agent(client)
    await post(client, refund(3))
    [offer] = await assignments(agent, wait_for=1)
    r = await asyncio.wait_for(agent.get("/v1/agents/me/assignments", params={"wait": 30}), 10)
    assert [a["id"] for a in r.json()] == [offer["id"]]
    assert r.headers["ETag"]


@pytest.mark.parametrize("wait", ["0", "31", "-1", "soon"])
async def test_a_wait_out_of_range_is_refused(client: httpx.AsyncClient, wait: str) -> None:
    _, agent = await ready_agent(client)
    r = await agent.get("/v1/agents/me/assignments", params={"wait": wait})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")


# Event streams, over a real server


@pytest.fixture
def served(tmp_path: Path, database_url: str) -> Iterator[Server]:
    settings = make_settings(
        tmp_path, database_url=database_url, port=free_port(), log_level="WARNING", push_poll_seconds=0.05,
        push_heartbeat_seconds=0.3, push_stream_max_seconds=120, push_streams_per_key=2, push_longpolls_per_key=1,
    )  # fmt: skip
    with Server(settings) as server:
        yield server


def open_count(server: Server, kind: Any) -> int:
    push: Push = server.app.state.push
    return push.caps.total(kind)


async def test_a_stream_delivers_the_offer_and_a_withdrawal_after_a_reject(served: Server) -> None:
    async with served.admin() as admin:
        _, agent = await ready_agent(admin)
        async with sse(agent) as stream:
            assert stream.response.headers["content-type"].startswith("text/event-stream")
            assert stream.response.headers["cache-control"] == "no-store"
            assert stream.response.headers["x-accel-buffering"] == "no"
            await post(admin, refund(3))
            offered = await stream.event()
            assert offered.event == "assignment.offered"
            assert offered.data["queue"] == "returns"
            assert (await agent.post(f"/v1/assignments/{offered.data['assignment_id']}/reject")).status_code == 200
            withdrawn = await stream.event()
            assert withdrawn.event == "assignment.withdrawn"
            assert withdrawn.data["reason"] == "rejected"
            assert withdrawn.data["assignment_id"] == offered.data["assignment_id"]
            assert offered.id is not None
            assert withdrawn.id is not None
            assert withdrawn.id > offered.id


async def test_a_transfer_withdraws_from_one_stream_and_offers_on_the_other(served: Server) -> None:
    async with served.admin() as admin:
        _, asta = await ready_agent(admin)
        bo_id, bo = await agent_client(admin, BO)
        async with sse(asta) as from_stream, sse(bo) as to_stream:
            await post(admin, refund(4))
            offered = await from_stream.event()
            work = offered.data["assignment_id"]
            assert (await asta.post(f"/v1/assignments/{work}/accept")).status_code == 200
            assert (await from_stream.event()).event == "assignment.accepted"
            assert (await bo.put("/v1/agents/me/presence", json={"status": "available"})).status_code == 200
            r = await asta.post(f"/v1/assignments/{work}/transfer", json={"agent_id": bo_id})
            assert r.status_code == 200, r.text
            gone, arrived = await from_stream.event(), await to_stream.event()
            assert (gone.event, gone.data["reason"], gone.data["assignment_id"]) == (
                "assignment.withdrawn",
                "transferred",
                work,
            )
            assert (arrived.event, arrived.data["reason"], arrived.data["assignment_id"]) == (
                "assignment.offered",
                "transfer",
                work,
            )
            assert gone.id == arrived.id


async def test_an_idle_stream_gets_heartbeats(served: Server) -> None:
    async with served.admin() as admin:
        _, agent = await ready_agent(admin)
        async with sse(agent) as stream:
            for _ in range(2):
                assert (await stream.frame(5)).comments == ["heartbeat"]


async def test_resuming_with_last_event_id_replays_exactly_what_was_missed(served: Server) -> None:
    async with served.admin() as admin:
        _, agent = await ready_agent(admin)
        async with sse(agent) as stream:
            await post(admin, refund(5))
            seen = await stream.event()
        work = seen.data["assignment_id"]
        assert (await agent.post(f"/v1/assignments/{work}/reject")).status_code == 200
        await post(admin, refund(6))
        [second] = await assignments(agent, wait_for=1)
        async with sse(agent, **{"Last-Event-ID": str(seen.id)}) as resumed:
            missed = await resumed.events_until_heartbeat()
        assert [(f.event, f.data["assignment_id"]) for f in missed] == [
            ("assignment.withdrawn", work),
            ("assignment.offered", second["id"]),
        ]
        assert all(f.id is not None and f.id > (seen.id or 0) for f in missed)
        async with sse(agent, **{"Last-Event-ID": str(missed[-1].id)}) as caught_up:
            assert await caught_up.events_until_heartbeat() == []


async def test_streams_and_long_polls_past_the_keys_cap_get_429(served: Server) -> None:
    async with served.admin() as admin:
        _, agent = await ready_agent(admin)
        async with sse(agent), sse(agent):
            r = await agent.get("/v1/agents/me/events")
            assert r.status_code == 429
            assert r.headers["content-type"].startswith("application/problem+json")
            assert r.headers["retry-after"] == "5"
        await eventually(lambda: _equals(open_count(served, "stream"), 0))
        async with sse(agent):
            pass

        tag = (await agent.get("/v1/agents/me/assignments")).headers["ETag"]
        holding = asyncio.create_task(
            agent.get("/v1/agents/me/assignments", params={"wait": 2}, headers={"If-None-Match": tag})
        )
        await eventually(lambda: _equals(open_count(served, "long-poll"), 1))
        r = await agent.get("/v1/agents/me/assignments", params={"wait": 1})
        assert r.status_code == 429
        assert r.headers["retry-after"] == "5"
        assert (await holding).status_code == 200
        assert (await agent.get("/v1/agents/me/assignments", params={"wait": 1})).status_code == 200


async def _equals(a: int, b: int) -> bool:
    return a == b


async def test_a_stream_is_only_for_an_agent_key(served: Server) -> None:
    async with served.admin() as admin:
        r = await admin.get("/v1/agents/me/events")
        assert r.status_code == 403
