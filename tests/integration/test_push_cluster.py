"""Push across processes on real Apache Kafka and PostgreSQL: two gateways and a router, each its own process.

An agent's event stream on gateway 1 and its long-poll on gateway 2 both hear the offer a router process made:
events travel through the database, not through any one process's memory.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.push_support import sse
from tests.api.support import agent_client, everyone_offline
from tests.e2e.server import free_port
from tests.harness import Database
from tests.integration.cluster import HEADERS, Cluster, cluster_for, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ASTA = {"name": "Asta", "languages": ["da", "en"], "skills": {"refunds": 5}, "capacity": {"sms": 3},
        "queues": ["returns"]}  # fmt: skip
REFUND = {"channel": "sms", "sender": {"address": "+4520616161"}, "text": "Jeg vil returnere varen og have refusion"}
WARM_UP = {"channel": "sms", "sender": {"address": "+4520626262"}, "text": "Where is my order? It has not arrived"}


@pytest.fixture
def cluster(fresh_database: Database, kafka_bootstrap: str, tmp_path: Path) -> Iterator[Cluster]:
    yield from cluster_for(fresh_database.url, fresh_database.dsn, kafka_bootstrap, tmp_path)


async def ready(cluster: Cluster, base: str) -> None:
    async def answers() -> bool:
        async with httpx.AsyncClient(base_url=base) as c:
            try:
                return (await c.get("/readyz")).status_code == 200
            except httpx.TransportError:
                return False

    await wait_until(answers, lambda: f"{base} ready\n{cluster.logs()}", timeout=90, interval=0.2)


async def routed(cluster: Cluster, admin: httpx.AsyncClient, body: dict[str, Any]) -> None:
    r = await admin.post("/v1/messages", json=body)
    assert r.status_code == 202, r.text

    async def done() -> bool:
        return (await admin.get(f"/v1/messages/{r.json()['id']}")).status_code == 200

    await wait_until(done, lambda: f"the message routed\n{cluster.logs()}", timeout=120, interval=0.2)


async def test_a_stream_on_one_gateway_and_a_long_poll_on_another_hear_a_routers_offer(cluster: Cluster) -> None:
    cluster.run("migrate")
    second = free_port()
    cluster.start("gateway-1", "gateway")
    await ready(cluster, cluster.base_url)  # it seeds the demo setup; the second starts on a seeded database
    cluster.start("gateway-2", "gateway", SWITCHBOARD_PORT=str(second))
    cluster.start("router-1", "router")
    await ready(cluster, f"http://127.0.0.1:{second}")
    async with httpx.AsyncClient(base_url=cluster.base_url, headers=HEADERS) as admin:
        await routed(cluster, admin, WARM_UP)  # the router has joined its group and routes
        agent_id, on_first = await agent_client(admin, ASTA)
        await everyone_offline(admin, keep={agent_id})
        assert (await on_first.put("/v1/agents/me/presence", json={"status": "available"})).status_code == 200
        key = on_first.headers["Authorization"]
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{second}", headers={"Authorization": key}) as on_2nd:
            tag = (await on_2nd.get("/v1/agents/me/assignments")).headers["ETag"]
            async with sse(on_first) as stream:
                polling = asyncio.create_task(
                    on_2nd.get("/v1/agents/me/assignments", params={"wait": 30}, headers={"If-None-Match": tag})
                )
                r = await on_2nd.post("/v1/messages", json=REFUND, headers=HEADERS)
                assert r.status_code == 202, r.text
                offered = await stream.event(timeout=30)
                polled = await asyncio.wait_for(polling, 35)
    assert offered.event == "assignment.offered"
    assert polled.status_code == 200
    assert polled.headers["ETag"] != tag
    assert [a["id"] for a in polled.json()] == [offered.data["assignment_id"]]
