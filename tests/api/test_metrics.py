"""GET /metrics: Prometheus text for supervisors and admins, counting what ingest and the router did and showing
every queue's work and every agent's presence from the database, with no customer data in it."""

from __future__ import annotations

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.api.conftest import eventually, routed
from tests.api.support import agent_client, everyone_offline

pytestmark = pytest.mark.asyncio
PHONE = "+4520987654"
TEXT = "Hvor er min pakke? Ordre 778899."


async def scrape(client: httpx.AsyncClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    r = await client.get("/metrics")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(r.text)
        for sample in family.samples
    }


async def test_metrics_count_ingest_and_routing_and_show_the_queues(client: httpx.AsyncClient) -> None:
    await everyone_offline(client)
    before = await scrape(client)
    accepted = ("switchboard_messages_accepted_total", (("channel", "sms"),))
    queued = ("switchboard_messages_routed_total", (("outcome", "queued"),))

    r = await client.post("/v1/messages", json={"channel": "sms", "sender": {"address": PHONE}, "text": TEXT})
    assert r.status_code == 202
    decision = (await routed(client, r.json()["id"]))["decision"]
    assert decision["outcome"] == "queued"  # nobody is available: it waits in its queue

    after = await scrape(client)
    assert after[accepted] == before.get(accepted, 0) + 1
    assert after[queued] == before.get(queued, 0) + 1
    waiting = ("switchboard_queue_work", (("queue", decision["queue"]), ("state", "waiting")))
    assert after[waiting] >= 1
    assert ("switchboard_queue_oldest_wait_seconds", (("queue", decision["queue"]),)) in after
    agents = sum(v for (name, labels), v in after.items() if name == "switchboard_agents")
    assert agents == len((await client.get("/v1/agents")).json())
    assert after[("switchboard_agents", (("presence", "offline"),))] == agents
    batches = ("switchboard_router_batch_seconds_count", ())

    async def batch_timed() -> bool:  # the batch's time is observed just after its commit, so allow a moment
        return (await scrape(client))[batches] > before.get(batches, 0)

    await eventually(batch_timed)
    page = (await client.get("/metrics")).text
    assert PHONE not in page
    assert "778899" not in page


async def test_metrics_need_a_supervisor_or_admin_key(client: httpx.AsyncClient) -> None:
    anonymous = httpx.AsyncClient(transport=client._transport, base_url=str(client.base_url))
    assert (await anonymous.get("/metrics")).status_code == 401
    _, agent = await agent_client(client, {"name": "Metric Agent", "languages": ["en"]})
    assert (await agent.get("/metrics")).status_code == 403
