"""Real Switchboard processes (gateway, routers) against the harness's Kafka and PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from shared.topics import Topics
from tests.e2e.server import free_port

ADMIN = "it-admin-key-0123456789abcdef"
HEADERS = {"Authorization": f"Bearer {ADMIN}"}
T = TypeVar("T")


async def wait_until(
    check: Callable[[], Awaitable[T | None]],
    failure: Callable[[], str],
    *,
    timeout: float = 180,
    interval: float = 0.25,
) -> T:
    """Poll ``check`` until it returns something other than None or False; else fail with ``failure()``."""
    deadline = time.monotonic() + timeout
    while True:
        result = await check()
        if result is not None and result is not False:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:.0f}s: {failure()}")
        await asyncio.sleep(interval)


@dataclass
class Cluster:
    """One distributed deployment: its own database and topic namespace on the shared servers."""

    database_url: str
    dsn: str
    kafka_bootstrap: str
    workdir: Path
    namespace: str = field(default_factory=lambda: f"it{uuid.uuid4().hex[:10]}")
    port: int = field(default_factory=free_port)
    partitions: int = 6
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self, **extra: str) -> dict[str, str]:
        return (
            os.environ
            | {
                "SWITCHBOARD_DATABASE_URL": self.database_url,
                "SWITCHBOARD_KAFKA_BOOTSTRAP": self.kafka_bootstrap,
                "SWITCHBOARD_TOPIC_NAMESPACE": self.namespace,
                "SWITCHBOARD_KAFKA_PARTITIONS": str(self.partitions),
                "SWITCHBOARD_ADMIN_KEY": ADMIN,
                "SWITCHBOARD_PORT": str(self.port),
                "SWITCHBOARD_LOG_LEVEL": "WARNING",
                "SWITCHBOARD_SPOOL_DIR": str(self.workdir / "spool"),
            }
            | extra
        )

    def run(self, *args: str) -> None:
        """Run a switchboard command to completion."""
        subprocess.run(
            [sys.executable, "-c", "from switchboard.cli import main; main()", *args],
            env=self.env(),
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self, name: str, command: str, **extra: str) -> subprocess.Popen[bytes]:
        """Start ``switchboard <command>`` in the background, logging to the work dir (a name is reused only
        once its process has ended)."""
        earlier = self.procs.get(name)
        assert earlier is None or earlier.poll() is not None, f"{name} is still running"
        with (self.workdir / f"{name}.log").open("ab") as log:
            proc = subprocess.Popen(
                [sys.executable, "-c", "from switchboard.cli import main; main()", command],
                env=self.env(SWITCHBOARD_INSTANCE_ID=name, **extra),
                stdout=log,
                stderr=log,
            )
        self.procs[name] = proc
        return proc

    def signal(self, name: str, sig: int) -> None:
        proc = self.procs[name]
        proc.send_signal(sig)
        proc.wait(30)

    def stop_all(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in sorted(self.workdir.glob("*.log")))

    @property
    def topics(self) -> Topics:
        return Topics.for_namespace(self.namespace)

    async def wait_ready(self, timeout: float = 90) -> None:
        async def ready() -> bool:
            async with httpx.AsyncClient(base_url=self.base_url) as c:
                try:
                    return (await c.get("/readyz")).status_code == 200
                except httpx.TransportError:
                    return False

        await wait_until(ready, lambda: f"the gateway ready\n{self.logs()}", timeout=timeout, interval=0.2)

    async def query(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        conn = await asyncpg.connect(self.dsn)
        try:
            return list(await conn.fetch(sql, *args))
        finally:
            await conn.close()

    async def count(self, sql: str, *args: Any) -> int:
        rows = await self.query(sql, *args)
        return int(rows[0][0])

    async def wait_count(self, sql: str, target: int, timeout: float = 180) -> int:
        async def reached() -> int | None:
            n = await self.count(sql)
            return n if n >= target else None

        return await wait_until(reached, lambda: f"{sql!r} at {target}\n{self.logs()}", timeout=timeout)

    async def inbound_lag(self) -> int:
        """Inbound records the routers' consumer group has not committed yet (over every partition)."""
        admin = AIOKafkaAdminClient(bootstrap_servers=self.kafka_bootstrap)
        await admin.start()
        try:
            committed = await admin.list_consumer_group_offsets(self.topics.router_group)
        finally:
            await admin.close()
        consumer = AIOKafkaConsumer(bootstrap_servers=self.kafka_bootstrap)
        await consumer.start()
        try:
            ends = await consumer.end_offsets([TopicPartition(self.topics.inbound, p) for p in range(self.partitions)])
        finally:
            await consumer.stop()
        return sum(end - (committed[tp].offset if tp in committed else 0) for tp, end in ends.items())

    async def wait_caught_up(self, timeout: float = 180) -> None:
        """Wait until the routers have committed every inbound record. A router commits only after the transaction
        that recorded its decisions, so from then on the decisions table holds everything they will ever write."""

        async def caught_up() -> bool:
            return await self.inbound_lag() == 0

        await wait_until(
            caught_up, lambda: f"the routers committed every inbound record\n{self.logs()}", timeout=timeout
        )


def cluster_for(database_url: str, dsn: str, kafka_bootstrap: str, tmp_path: Path) -> Iterator[Cluster]:
    """A cluster whose processes are stopped after the test."""
    cluster = Cluster(database_url, dsn, kafka_bootstrap, tmp_path)
    try:
        yield cluster
    finally:
        cluster.stop_all()
