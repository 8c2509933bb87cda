"""Nothing accepted is lost: SIGKILL the embedded server right after the 202s, restart, all routed once."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from pathlib import Path

import httpx
import pytest

from tests.e2e.server import HEADERS, free_port, start, stop, wait_caught_up, wait_ready

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]


async def test_accepted_messages_survive_sigkill_and_are_routed_exactly_once(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start(tmp_path, port)
    accepted: list[str] = []
    try:
        await wait_ready(base, proc)
        async with httpx.AsyncClient(base_url=base, headers=HEADERS, timeout=30) as c:

            async def post(i: int) -> None:
                body = {
                    "channel": "sms",
                    "sender": {"address": f"+4531{i:06d}"},
                    "text": f"Hvor er min pakke? Ordre {100000 + i}",
                }
                r = await c.post("/v1/messages", json=body)
                assert r.status_code == 202, r.text
                accepted.append(r.json()["id"])

            for start_at in range(0, 300, 50):
                await asyncio.gather(*(post(i) for i in range(start_at, start_at + 50)))
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        db = sqlite3.connect(tmp_path / "sb.db")
        routed_before = db.execute("select count(*) from decisions").fetchone()[0]
        db.close()

        proc = start(tmp_path, port)
        await wait_ready(base, proc)
        await wait_caught_up(tmp_path / "sb.db", proc)
        db = sqlite3.connect(tmp_path / "sb.db")
        decisions = [r[0] for r in db.execute("select message_id from decisions")]
        assignments = db.execute("select count(*) from assignments").fetchone()[0]
        db.close()
        assert len(accepted) == 300
        assert sorted(decisions) == sorted(accepted), "every accepted message routed, none twice"
        assert assignments == 300, "one assignment per conversation, none created twice"
        print(f"routed before the kill: {routed_before}/300; after restart: {len(decisions)}/300")
    finally:
        stop(proc)
