"""Nothing accepted by the SMS webhooks is lost: SIGKILL the embedded server right after the 200s (and between
the parts of concatenated SMS), restart it, and find every accepted message routed exactly once."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from pathlib import Path

import httpx
import pytest

from tests.api.sms_support import (
    TWILIO_PATH,
    TWILIO_TOKEN,
    VONAGE_PATH,
    VONAGE_SECRET,
    twilio_form,
    twilio_signature,
    vonage_params,
    vonage_signed,
)
from tests.e2e.server import free_port, start, stop, wait_caught_up, wait_ready

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]

TWILIO_COUNT, CONCAT_COUNT = 200, 10


def routed_sms(db_path: Path) -> list[tuple[str, str]]:
    """(provider, external id) of every routed SMS, one row per routed message."""
    db = sqlite3.connect(db_path)
    try:
        return db.execute(
            "select m.provider, m.external_id from messages m join decisions d on d.message_id = m.id"
            " where m.channel = 'sms'"
        ).fetchall()
    finally:
        db.close()


def concat_part(i: int, part: int) -> dict[str, str]:
    params = vonage_params(f"0A{i:04d}000{part}", f"del {part} af en lang besked om ordre {700000 + i}. ")
    return params | {"msisdn": f"4531{i:06d}", "concat": "true", "concat-ref": str(i), "concat-total": "2",
                     "concat-part": str(part)}  # fmt: skip


async def test_accepted_sms_survive_sigkill_and_are_routed_exactly_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SWITCHBOARD_TWILIO_AUTH_TOKEN", TWILIO_TOKEN)
    monkeypatch.setenv("SWITCHBOARD_VONAGE_SIGNATURE_SECRET", VONAGE_SECRET)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start(tmp_path, port)
    accepted: set[str] = set()
    try:
        await wait_ready(base, proc)
        async with httpx.AsyncClient(base_url=base, timeout=30) as c:

            async def post(i: int) -> None:
                form = twilio_form(f"SM{i:032d}", f"Hvor er min pakke? Ordre {100000 + i}", From=f"+4530{i:06d}")
                signature = twilio_signature(form, url=base + TWILIO_PATH)
                for _ in range(1 + (i % 5 == 0)):  # every fifth webhook retried, as Twilio may
                    r = await c.post(TWILIO_PATH, data=form, headers={"X-Twilio-Signature": signature})
                    assert r.status_code == 200, r.text
                accepted.add(form["MessageSid"])

            for start_at in range(0, TWILIO_COUNT, 50):
                await asyncio.gather(*(post(i) for i in range(start_at, start_at + 50)))
            for i in range(CONCAT_COUNT):
                assert (await c.post(VONAGE_PATH, json=vonage_signed(concat_part(i, 1)))).status_code == 204
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        routed_before = len(routed_sms(tmp_path / "sb.db"))

        proc = start(tmp_path, port)
        await wait_ready(base, proc)
        async with httpx.AsyncClient(base_url=base, timeout=30) as c:
            for i in range(CONCAT_COUNT):
                assert (await c.post(VONAGE_PATH, json=vonage_signed(concat_part(i, 2)))).status_code == 204
        expected = {("twilio", sid) for sid in accepted} | {("vonage", f"0A{i:04d}0001") for i in range(CONCAT_COUNT)}
        await wait_caught_up(tmp_path / "sb.db", proc)
        routed = routed_sms(tmp_path / "sb.db")
        assert len(accepted) == TWILIO_COUNT
        assert sorted(routed) == sorted(expected), "every accepted SMS routed, none twice, each long SMS as one"
        print(f"routed before the kill: {routed_before}/{TWILIO_COUNT}; after restart: {len(routed)}/{len(expected)}")
    finally:
        stop(proc)
