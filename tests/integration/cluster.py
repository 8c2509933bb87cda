"""Real Switchboard processes (gateway, routers) against the harness's Kafka and PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx

ADMIN = "it-admin-key-0123456789abcdef"
HEADERS = {"Authorization": f"Bearer {ADMIN}"}


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Cluster:
    """One distributed deployment: its own database and topic namespace on the shared servers."""

    database_url: str
    dsn: str
    kafka_bootstrap: str
    workdir: Path
    namespace: str = field(default_factory=lambda: f"it{uuid.uuid4().hex[:10]}")
    port: int = field(default_factory=free_port)
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
                "SWITCHBOARD_KAFKA_PARTITIONS": "6",
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
        """Start ``switchboard <command>`` in the background, logging to the work dir."""
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

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in sorted(self.workdir.glob("*.log")))

    async def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(base_url=self.base_url) as c:
            while time.monotonic() < deadline:
                try:
                    if (await c.get("/readyz")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.2)
        raise AssertionError(f"gateway not ready\n{self.logs()}")

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
        deadline = time.monotonic() + timeout
        n = 0
        while time.monotonic() < deadline:
            n = await self.count(sql)
            if n >= target:
                return n
            await asyncio.sleep(0.25)
        raise AssertionError(f"{sql!r} reached {n}, not {target}, in {timeout}s\n{self.logs()}")


def cluster_for(database_url: str, dsn: str, kafka_bootstrap: str, tmp_path: Path) -> Iterator[Cluster]:
    """A cluster whose processes are stopped after the test."""
    cluster = Cluster(database_url, dsn, kafka_bootstrap, tmp_path)
    try:
        yield cluster
    finally:
        cluster.stop_all()
