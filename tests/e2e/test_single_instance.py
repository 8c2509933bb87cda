"""One embedded Switchboard per data directory: a second `switchboard run` refuses instead of taking over."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest

from tests.e2e.server import CLI, HEADERS, free_port, server_env, start, stop, wait_ready

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]


async def test_second_run_on_the_same_files_refuses_and_the_first_keeps_its_admin_key(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    first = start(tmp_path, port)
    try:
        await wait_ready(base, first)
        env = server_env(tmp_path, free_port()) | {"SWITCHBOARD_ADMIN_KEY": "another-admin-key-9f8e7d6c5b4a3210"}
        second = subprocess.run([*CLI, "run"], env=env, cwd=tmp_path, capture_output=True, timeout=60, check=False)
        assert second.returncode == 1
        assert b"already running" in second.stderr
        async with httpx.AsyncClient(base_url=base, headers=HEADERS) as c:
            r = await c.get("/v1/queues")
            assert r.status_code == 200
            assert "server" not in r.headers  # no banner from uvicorn either
    finally:
        stop(first)
    again = start(tmp_path, port)  # the lock went with the first process
    try:
        await wait_ready(base, again)
    finally:
        stop(again)
