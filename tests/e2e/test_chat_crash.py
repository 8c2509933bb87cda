"""An acked chat message is never lost: SIGKILL the embedded server right after the acks, restart, every
acked message is routed exactly once, and the visitors' resume tokens still work."""

from __future__ import annotations

import asyncio
import json
import signal
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from websockets.asyncio.client import connect

from tests.e2e.server import free_port, start, stop, wait_caught_up, wait_ready

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]
SESSIONS, PER_SESSION = 25, 8


async def visit(ws_url: str, n: int) -> tuple[str, list[str]]:
    """One visitor pipelines its messages; returns its resume token and the ids of its acked messages."""
    async with connect(ws_url) as ws:
        session = json.loads(await ws.recv())
        for i in range(PER_SESSION):
            await ws.send(
                json.dumps({"type": "message", "text": f"Ordre {n}-{i}: hvor er min pakke?", "client_id": f"{i}"})
            )
        acks = [json.loads(await ws.recv()) for _ in range(PER_SESSION)]
    assert [a["type"] for a in acks] == ["ack"] * PER_SESSION, acks
    return session["resume_token"], [a["message_id"] for a in acks]


async def test_acked_chat_messages_survive_sigkill_and_sessions_resume(tmp_path: Path) -> None:
    port = free_port()
    base, ws_url = f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}/v1/chat/ws"
    proc = start(tmp_path, port)
    try:
        await wait_ready(base, proc)
        visits = await asyncio.gather(*(visit(ws_url, n) for n in range(SESSIONS)))
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        acked = [m for _, ids in visits for m in ids]
        with closing(sqlite3.connect(tmp_path / "sb.db")) as db:
            routed_before = db.execute("select count(*) from decisions").fetchone()[0]

        proc = start(tmp_path, port)
        await wait_ready(base, proc)
        async with connect(f"{ws_url}?resume={visits[0][0]}") as ws:
            resumed = json.loads(await ws.recv())
        await wait_caught_up(tmp_path / "sb.db", proc)
        with closing(sqlite3.connect(tmp_path / "sb.db")) as db:
            decisions = [r[0] for r in db.execute("select message_id from decisions")]
            conversations = db.execute("select count(*) from conversations where channel = 'chat'").fetchone()[0]
        assert len(acked) == SESSIONS * PER_SESSION
        assert sorted(decisions) == sorted(acked), "every acked message routed, none twice"
        assert conversations == SESSIONS, "one conversation per chat session"
        assert resumed["resumed"] is True
        print(f"chat messages routed before the kill: {routed_before}/{len(acked)}; after restart: {len(decisions)}")
    finally:
        stop(proc)
