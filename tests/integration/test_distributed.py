"""Distributed mode on real Apache Kafka and PostgreSQL: separate processes, no loss, no double assignment."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from shared.bus.kafka import PUBLISH_TIMEOUT_S, KafkaBus
from shared.ids import new_id
from shared.normalize import conversation_key, idempotent_message_id
from shared.schema import InboundMessage, Sender
from shared.topics import Topics
from tests.harness import Database
from tests.integration.cluster import HEADERS, Cluster, cluster_for, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.slow]

DECISIONS = "select count(*) from decisions"


@pytest.fixture
def cluster(fresh_database: Database, kafka_bootstrap: str, tmp_path: Path) -> Iterator[Cluster]:
    yield from cluster_for(fresh_database.url, fresh_database.dsn, kafka_bootstrap, tmp_path)


def message(i: int, text: str = "Where is my order? It has not arrived") -> InboundMessage:
    address = f"+4540{i:06d}"
    return InboundMessage(
        id=new_id(),
        channel="sms",
        provider="it",
        external_id=None,
        received_at=datetime.now(UTC),
        sender=Sender(kind="phone", address=address),
        recipient="+4570000000",
        conversation_key=conversation_key("sms", address, "+4570000000"),
        text=f"{text} #{100000 + i}",
    )


async def publish(cluster: Cluster, messages: list[InboundMessage]) -> None:
    bus = KafkaBus(cluster.kafka_bootstrap, topics=Topics.for_namespace(cluster.namespace), partitions=6)
    await bus.start()
    try:
        for i in range(0, len(messages), 500):
            chunk = messages[i : i + 500]
            await asyncio.gather(*(bus.publish(bus.topics.inbound, m.conversation_key, m.to_bytes()) for m in chunk))
    finally:
        await bus.stop()


async def assert_exactly_once(cluster: Cluster, expected_ids: set[str]) -> None:
    rows = await cluster.query("select message_id from decisions")
    assert {r[0] for r in rows} == expected_ids
    per_conversation = await cluster.query(
        "select conversation_id, count(*) from assignments group by conversation_id having count(*) > 1"
    )
    assert per_conversation == [], "a conversation was assigned twice"


async def assert_capacity_held(cluster: Cluster) -> None:
    rows = await cluster.query(
        """select c.agent_id, c.channel, c.capacity, c.load,
                  (select count(*) from assignments a where a.agent_id = c.agent_id and a.channel = c.channel
                     and a.status in ('offered', 'accepted')) as open
           from agent_capacity c"""
    )
    for agent_id, channel, capacity, load, open_ in rows:
        assert load <= capacity, f"agent {agent_id} over capacity on {channel}"
        assert load == open_, f"agent {agent_id} load {load} but {open_} open assignments on {channel}"


async def test_message_posted_to_the_gateway_reaches_an_agent_through_a_router_process(cluster: Cluster) -> None:
    cluster.run("migrate")
    cluster.start("gateway", "gateway")
    cluster.start("router-1", "router")
    await cluster.wait_ready()
    async with httpx.AsyncClient(base_url=cluster.base_url, headers=HEADERS) as c:
        agents = (await c.get("/v1/agents")).json()
        keys = {}
        for agent in agents:
            keys[agent["id"]] = (await c.post("/v1/api-keys", json={"role": "agent", "agent_id": agent["id"]})).json()[
                "key"
            ]
        r = await c.post(
            "/v1/messages",
            json={
                "channel": "email",
                "sender": {"address": "kunde@example.dk"},
                "text": "Jeg vil gerne returnere mine sko og få pengene tilbage",
            },
        )
        assert r.status_code == 202, r.text
        message_id = r.json()["id"]

        async def routed() -> httpx.Response | None:
            found = await c.get(f"/v1/messages/{message_id}")
            return found if found.status_code == 200 and found.json()["status"] == "routed" else None

        got = await wait_until(routed, lambda: f"the message routed\n{cluster.logs()}", timeout=60, interval=0.2)
        decision = got.json()["decision"]
        assert decision["queue"] == "returns"
        assert decision["agent_id"] in keys
        mine = await c.get(
            "/v1/agents/me/assignments", headers={"Authorization": f"Bearer {keys[decision['agent_id']]}"}
        )
        assert [a["conversation_id"] for a in mine.json()] == [got.json()["conversation_id"]]
        queues = {q["name"]: q for q in (await c.get("/v1/queues")).json()}
        assert queues["returns"]["open"] == 1


async def test_two_routers_share_partitions_and_one_takes_over_when_the_other_stops(cluster: Cluster) -> None:
    cluster.run("seed")
    messages = [message(i) for i in range(10_000)]
    await publish(cluster, messages)
    cluster.start("router-a", "router")
    cluster.start("router-b", "router")
    # Both have joined the group and routed (a fast router can route thousands before the other joins).
    await cluster.wait_count("select count(distinct routed_by) from decisions", 2)
    await cluster.wait_count(DECISIONS, 3_000)
    cluster.signal("router-a", signal.SIGTERM)
    assert cluster.procs["router-a"].returncode == 0, cluster.logs()
    await cluster.wait_count(DECISIONS, 10_000, timeout=300)
    await cluster.wait_caught_up()
    await assert_exactly_once(cluster, {m.id for m in messages})
    by_router = dict(await cluster.query("select routed_by, count(*) from decisions group by routed_by"))
    assert by_router.get("router-a", 0) > 0
    assert by_router.get("router-b", 0) > 0
    await assert_capacity_held(cluster)


async def test_router_killed_mid_stream_loses_nothing_and_assigns_nothing_twice(cluster: Cluster) -> None:
    cluster.run("seed")
    messages = [message(i) for i in range(3_000)]
    await publish(cluster, messages)
    cluster.start("router-1", "router")
    await cluster.wait_count(DECISIONS, 500)
    cluster.signal("router-1", signal.SIGKILL)
    cluster.start("router-2", "router")
    await cluster.wait_count(DECISIONS, 3_000)
    await cluster.wait_caught_up()
    await assert_exactly_once(cluster, {m.id for m in messages})
    await assert_capacity_held(cluster)


async def test_broker_outage_spools_ingest_loses_nothing_and_routing_resumes(
    cluster: Cluster, kafka_broker: Any
) -> None:
    cluster.run("seed")
    cluster.start("gateway", "gateway")
    cluster.start("router-1", "router")
    await cluster.wait_ready()
    accepted: list[str] = []
    async with httpx.AsyncClient(base_url=cluster.base_url, headers=HEADERS, timeout=30) as c:

        async def post(i: int) -> None:
            body = {"channel": "sms", "sender": {"address": f"+4550{i:06d}"}, "text": "Hvor er min pakke?"}
            r = await c.post("/v1/messages", json=body)
            assert r.status_code == 202, r.text  # while the broker is away, the gateway's spool holds it
            accepted.append(r.json()["id"])

        await asyncio.gather(*(post(i) for i in range(200)))
        kafka_broker.stop()
        await asyncio.gather(*(post(i) for i in range(200, 230)))
        kafka_broker.start()
        await asyncio.gather(*(post(i) for i in range(300, 400)))
    assert len(accepted) == 330
    deadline = time.monotonic() + 180
    missing = set(accepted)
    while missing and time.monotonic() < deadline:
        missing -= {r[0] for r in await cluster.query("select message_id from decisions")}
        await asyncio.sleep(0.25)
    assert not missing, f"{len(missing)} messages that got a 202 were lost"
    await assert_exactly_once(cluster, set(accepted))


async def test_a_frozen_broker_never_routes_a_refused_message_and_routes_each_accepted_once(
    cluster: Cluster, kafka_broker: Any
) -> None:
    """SIGSTOP the broker under steady ingest, SIGCONT it: a 503 is never routed, a 202 always exactly once."""
    cluster.run("seed")
    cluster.start("gateway", "gateway")
    cluster.start("router-1", "router")
    await cluster.wait_ready()
    outcomes: dict[str, int] = {}  # message id -> status
    resumed_at: float | None = None
    late: list[tuple[float, int]] = []  # (seconds after SIGCONT the request started, status)
    stop = asyncio.Event()
    async with httpx.AsyncClient(base_url=cluster.base_url, headers=HEADERS, timeout=60) as c:

        async def ingest(worker: int) -> None:
            i = 0
            while not stop.is_set():
                i += 1
                external = f"w{worker}-{i}"  # names the message: its id is known even when refused
                body = {"channel": "sms", "sender": {"address": f"+455{worker}{i:06d}"}, "text": "Hvor er min pakke?"}
                started = time.monotonic()
                r = await c.post("/v1/messages", json=body | {"external_id": external})
                assert r.status_code in (202, 503), r.text
                outcomes[idempotent_message_id("bootstrap-admin:external", external)] = r.status_code
                if resumed_at is not None:
                    late.append((started - resumed_at, r.status_code))
                await asyncio.sleep(0.02)

        workers = [asyncio.create_task(ingest(w)) for w in range(4)]
        await asyncio.sleep(2)
        pid = kafka_broker.pid()
        os.kill(pid, signal.SIGSTOP)
        try:
            await asyncio.sleep(PUBLISH_TIMEOUT_S + 2)  # past the producer's request timeout
        finally:
            os.kill(pid, signal.SIGCONT)
        resumed_at = time.monotonic()
        await asyncio.sleep(3)
        stop.set()
        await asyncio.gather(*workers)
    accepted = {m for m, status in outcomes.items() if status == 202}
    refused = {m for m, status in outcomes.items() if status == 503}
    assert len(accepted) > 100
    deadline = time.monotonic() + 180
    routed: set[str] = set()
    while accepted - routed and time.monotonic() < deadline:
        routed = {r[0] for r in await cluster.query("select message_id from decisions")}
        await asyncio.sleep(0.25)
    await asyncio.sleep(3)  # anything still in flight would land by now
    routed = {r[0] for r in await cluster.query("select message_id from decisions")}
    assert accepted - routed == set(), "a message that got a 202 was lost"
    assert refused & routed == set(), "a message that got a 503 was routed"
    await assert_exactly_once(cluster, accepted)
    assert all(status == 202 for after, status in late if after >= 1.0), "ingest not back within a second"


async def test_poison_record_goes_to_the_dlq_and_the_partition_keeps_flowing(cluster: Cluster) -> None:
    cluster.run("seed")
    topics = Topics.for_namespace(cluster.namespace)
    good = [message(i) for i in range(20)]
    cluster.start("router-1", "router")
    await publish(cluster, good[:10])
    producer = AIOKafkaProducer(bootstrap_servers=cluster.kafka_bootstrap, acks="all", enable_idempotence=True)
    await producer.start()
    try:
        poison_key = good[0].conversation_key.encode()
        await producer.send_and_wait(topics.inbound, b'{"this is": "not an InboundMessage"', key=poison_key)
        await producer.send_and_wait(
            topics.inbound, json.dumps({"id": "x", "channel": "pigeon"}).encode(), key=poison_key
        )
    finally:
        await producer.stop()
    await publish(cluster, good[10:])
    await cluster.wait_count(DECISIONS, 20)
    consumer = AIOKafkaConsumer(
        topics.dlq,
        bootstrap_servers=cluster.kafka_bootstrap,
        auto_offset_reset="earliest",
        group_id=f"dlq-{uuid.uuid4().hex[:6]}",
    )
    await consumer.start()
    try:
        dead: list[dict[str, Any]] = []
        deadline = time.monotonic() + 30
        while len(dead) < 2 and time.monotonic() < deadline:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                dead.extend(json.loads(r.value) for r in records)
    finally:
        await consumer.stop()
    assert len(dead) == 2
    assert all("invalid InboundMessage" in d["error"] for d in dead)
    assert dead[0]["value"].startswith('{"this is"')
    await assert_exactly_once(cluster, {m.id for m in good})


async def test_published_ruleset_reaches_every_router_without_restart(cluster: Cluster) -> None:
    cluster.run("migrate")
    cluster.start("gateway", "gateway")
    cluster.start("router-a", "router")
    cluster.start("router-b", "router")
    await cluster.wait_ready()
    async with httpx.AsyncClient(base_url=cluster.base_url, headers=HEADERS) as c:
        active = (await c.get("/v1/rulesets/active")).json()
        document = active["document"] | {"rules": [{"id": "all-to-tech", "when": "true", "action": {"queue": "tech"}}]}
        version = (await c.post("/v1/rulesets", json={"document": document})).json()["version"]
        assert (await c.post(f"/v1/rulesets/{version}/publish")).status_code == 200
        posted = 0
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for _ in range(20):
                body = {"channel": "sms", "sender": {"address": f"+4560{posted:06d}"}, "text": "Jeg vil returnere"}
                assert (await c.post("/v1/messages", json=body)).status_code == 202
                posted += 1
            await cluster.wait_count(DECISIONS, posted)
            routers = await cluster.query("select distinct routed_by from decisions")
            if len(routers) == 2:
                break
    rows = await cluster.query("select queue, ruleset_version, routed_by from decisions")
    assert {(q, v) for q, v, _ in rows} == {("tech", version)}
    assert {r for _, _, r in rows} == {"router-a", "router-b"}, "both routers routed with the new version"
