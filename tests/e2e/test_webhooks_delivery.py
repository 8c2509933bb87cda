"""Outbound webhooks end to end: a real embedded server (router and webhook worker in it) delivers to a real
receiver that fails each event's first two attempts; the server is SIGKILLed mid-stream and started again.
Every event arrives once the receiver recovers, signed, in order per conversation, none lost."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sqlite3
import subprocess
import time
from collections import defaultdict
from pathlib import Path

import httpx
import pytest

from shared.webhooks import EVENT_TYPES
from tests.e2e.server import HEADERS, free_port, start, stop, wait_caught_up, wait_ready
from tests.webhook_receiver import Receiver, serving

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]

SECRET = "e2e-webhook-secret-0123456789"
ENV = {
    "SWITCHBOARD_WEBHOOK_ALLOW_PRIVATE": "1",
    "SWITCHBOARD_WEBHOOK_BACKOFF_SECONDS": "0.05",
    "SWITCHBOARD_WEBHOOK_BACKOFF_MAX_SECONDS": "0.2",
    "SWITCHBOARD_WEBHOOK_POLL_SECONDS": "0.05",
    "SWITCHBOARD_WEBHOOK_TIMEOUT_SECONDS": "2",
}
CONVERSATIONS = 6


def delivery_state(db_path: Path) -> tuple[int, dict[str, tuple[int, str | None, str]]]:
    """Activity rows so far, and every delivery: id -> (activity id, conversation, status)."""
    db = sqlite3.connect(db_path)
    try:
        (activity,) = db.execute("select count(*) from activity").fetchone()
        rows = db.execute("select id, activity_id, conversation_id, status from webhook_deliveries").fetchall()
    finally:
        db.close()
    return int(activity), {r[0]: (int(r[1]), r[2], r[3]) for r in rows}


async def post_round(base: str, round_: int) -> None:
    """One message per conversation (each conversation's messages posted in order)."""
    async with httpx.AsyncClient(base_url=base, headers=HEADERS, timeout=30) as c:
        for i in range(CONVERSATIONS):
            body = {"channel": "sms", "sender": {"address": f"+4532{i:06d}"},
                    "text": f"Hvor er min pakke? Ordre {100000 + i} ({round_})"}  # fmt: skip
            r = await c.post("/v1/messages", json=body)
            assert r.status_code == 202, r.text


async def everything_delivered(
    db_path: Path, receiver: Receiver, proc: subprocess.Popen[bytes]
) -> dict[str, tuple[int, str | None, str]]:
    """Wait until every activity row has a delivery, each delivered and accepted by the receiver."""
    deadline = time.monotonic() + 90
    while True:
        assert proc.poll() is None, "server exited"
        activity, deliveries = delivery_state(db_path)
        accepted = {e["id"] for e in receiver.accepted}
        delivered = all(s == "delivered" for _, _, s in deliveries.values())
        if len(deliveries) == activity and delivered and accepted >= set(deliveries):
            return deliveries
        assert time.monotonic() < deadline, f"{activity} events, {len(deliveries)} deliveries, {len(accepted)} accepted"
        receiver.changed.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(receiver.changed.wait(), 0.5)


async def test_every_event_arrives_in_order_signed_across_a_crash(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    db_path = tmp_path / "sb.db"
    async with serving(Receiver(SECRET, fail_first=2)) as receiver:
        proc = start(tmp_path, port, ENV)
        try:
            await wait_ready(base, proc)
            async with httpx.AsyncClient(base_url=base, headers=HEADERS) as c:
                r = await c.post("/v1/webhooks/subscriptions",
                                 json={"url": receiver.url, "events": list(EVENT_TYPES), "secret": SECRET})  # fmt: skip
                assert r.status_code == 201, r.text
            await post_round(base, 1)
            await receiver.wait_for(3)
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            before_kill = len({e["id"] for e in receiver.accepted})

            proc = start(tmp_path, port, ENV)
            await wait_ready(base, proc)
            await post_round(base, 2)
            await wait_caught_up(db_path, proc)
            deliveries = await everything_delivered(db_path, receiver, proc)
        finally:
            stop(proc)

    assert all(r.signature_ok for r in receiver.log), "every attempt carries a valid signature"
    first_accepted: dict[str, int] = {}
    for position, got in enumerate(receiver.log):
        if got.status == 200:
            first_accepted.setdefault(got.event["id"], position)
    assert set(first_accepted) == set(deliveries), "every event accepted, none unknown"
    for event_id, position in first_accepted.items():
        tries = [r for r in receiver.log[: position + 1] if r.event["id"] == event_id]
        assert [r.status for r in tries] == [500, 500, 200], "accepted once the receiver recovered"
    by_conversation: dict[str | None, list[int]] = defaultdict(list)
    for event_id in sorted(first_accepted, key=first_accepted.__getitem__):
        activity_id, conversation, _ = deliveries[event_id]
        by_conversation[conversation].append(activity_id)
    assert len([c for c in by_conversation if c]) == CONVERSATIONS
    for conversation, order in by_conversation.items():
        if conversation is not None:
            assert order == sorted(order), f"conversation {conversation} delivered out of order"
    kinds = {e["type"] for e in receiver.accepted}
    assert {"message.routed", "assignment.offered"} <= kinds
    print(f"{len(deliveries)} events; {before_kill} accepted before the kill; "
          f"{len(receiver.accepted) - len(first_accepted)} redelivered after it")  # fmt: skip
