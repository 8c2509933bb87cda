"""An embedded Switchboard server as a real subprocess, for end-to-end tests."""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import httpx

from shared.topics import Topics

ADMIN = "e2e-admin-key-0123456789abcdef"
HEADERS = {"Authorization": f"Bearer {ADMIN}"}
CLI = [sys.executable, "-c", "from switchboard.cli import main; main()"]


PORT_RECORD = "SWITCHBOARD_TEST_PORTS"
"""The environment variable naming the run's record of ports given out (made in ``tests/conftest.py``)."""


def free_port() -> int:
    """A free loopback port that no other test of this run was given.

    A port is only free until its server binds it, seconds later, and xdist's workers ask at the same time:
    two servers were once given one port, and the one that lost the bind had its test talk to the other's
    server. The run's port record (``PORT_RECORD``) hands each port out once."""
    record = os.environ.get(PORT_RECORD)
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port: int = s.getsockname()[1]
        if record is None:
            return port
        try:
            os.close(os.open(Path(record) / str(port), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            continue
        return port


def server_env(tmp: Path, port: int) -> dict[str, str]:
    """Environment of an embedded server whose files live in ``tmp``."""
    return os.environ | {
        "SWITCHBOARD_DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'sb.db'}",
        "SWITCHBOARD_PORT": str(port),
        "SWITCHBOARD_ADMIN_KEY": ADMIN,
        "SWITCHBOARD_LOG_LEVEL": "WARNING",
        "SWITCHBOARD_BLOB_DIR": str(tmp / "blobs"),
        "SWITCHBOARD_SMTP_PORT": str(free_port()),
    }


def start(
    tmp: Path, port: int, env: Mapping[str, str] | None = None, args: Sequence[str] = ("run",)
) -> subprocess.Popen[bytes]:
    """Start ``switchboard run`` (or ``args``) with ``env`` added, logging to ``tmp/server.log``."""
    with (tmp / "server.log").open("ab") as log:
        environment = server_env(tmp, port) | dict(env or {})
        return subprocess.Popen([*CLI, *args], env=environment, stdout=log, stderr=log, cwd=tmp)


async def wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Wait for /readyz; fail if the server exits."""
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(base_url=base) as c:
        while time.monotonic() < deadline:
            assert proc.poll() is None, "server exited during start"
            try:
                if (await c.get("/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("server did not become ready")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL if it lingers; returns once the process is gone (its locks and ports free)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def inbound_lag(db_path: Path) -> int:
    """Inbound records the embedded router has not committed yet."""
    topics = Topics()
    db = sqlite3.connect(db_path)
    try:
        (end,) = db.execute(
            "select coalesce(max(offset), 0) from bus_records where topic = ?", (topics.inbound,)
        ).fetchone()
        committed = db.execute(
            'select "offset" from consumer_offsets where "group" = ? and topic = ?',
            (topics.router_group, topics.inbound),
        ).fetchone()
    finally:
        db.close()
    return int(end) - (int(committed[0]) if committed else 0)


async def wait_caught_up(db_path: Path, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Wait until the server's router has committed every inbound record. It commits only after the transaction
    that recorded its decisions, so from then on the database holds every decision it will ever make."""
    deadline = time.monotonic() + timeout
    while (lag := inbound_lag(db_path)) > 0:
        assert proc.poll() is None, "server exited while routing"
        if time.monotonic() > deadline:
            raise AssertionError(f"{lag} inbound records still unrouted after {timeout:.0f}s")
        await asyncio.sleep(0.1)
