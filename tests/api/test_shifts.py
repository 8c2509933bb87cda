"""Agent shifts through the API: working hours on the agent, and signing off when the shift ends.

The running app routes in real time; a second router on the same database, with a clock set past the shift's
end, plays the dispatcher at that later moment (routers share all state through the database).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from shared.settings import Settings
from tests.api.conftest import eventually
from tests.api.support import agent_client, assignments, dispatch_at, everyone_offline, post_and_route

pytestmark = pytest.mark.asyncio

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
NORA = {
    "name": "Nora",
    "languages": ["nb", "da", "en"],
    "skills": {"refunds": 4},
    "capacity": {"sms": 3},
    "queues": ["returns", "general"],
}


def refund(sender: str) -> dict[str, Any]:
    return {"channel": "sms", "sender": {"address": sender}, "text": "I want to return my jacket and get a refund"}


def today_and_tomorrow() -> tuple[dict[str, Any], datetime]:
    """A UTC shift covering all of today and tomorrow, and the instant it ends."""
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    days = {WEEKDAYS[today.weekday()]: [["00:00", "00:00"]], WEEKDAYS[(today.weekday() + 1) % 7]: [["00:00", "00:00"]]}
    return {"tz": "UTC", "weekly": days}, today + timedelta(days=2)


async def agent(client: httpx.AsyncClient, agent_id: str) -> dict[str, Any]:
    r = await client.get(f"/v1/agents/{agent_id}")
    assert r.status_code == 200
    found: dict[str, Any] = r.json()
    return found


async def test_shift_end_signs_the_agent_off_and_hands_back_work(
    app: FastAPI, client: httpx.AsyncClient, settings: Settings
) -> None:
    shift, ends = today_and_tomorrow()
    nora_id, nora = await agent_client(client, NORA | {"shift": shift})
    await everyone_offline(client, keep={nora_id})
    assert (await nora.put("/v1/agents/me/presence", json={"status": "available"})).status_code == 200

    async def scheduled() -> bool:
        found = (await agent(client, nora_id))["shift_ends_at"]
        return found is not None and datetime.fromisoformat(found) == ends

    await eventually(scheduled)
    await post_and_route(client, refund("+4520111111"))
    [first] = await assignments(nora, wait_for=1)
    assert (await nora.post(f"/v1/assignments/{first['id']}/accept")).status_code == 200
    await post_and_route(client, refund("+4520222222"))
    await assignments(nora, wait_for=2)

    await dispatch_at(app, settings, ends + timedelta(seconds=1))
    signed_off = await agent(client, nora_id)
    assert signed_off["presence"] == "offline"
    assert signed_off["shift_ends_at"] is None
    assert [a["id"] for a in await assignments(nora)] == [first["id"]], "the offer went back; accepted work stays"
    returns = {q["name"]: q for q in (await client.get("/v1/queues")).json()}["returns"]
    assert returns["waiting"] == 1

    await dispatch_at(app, settings, ends + timedelta(seconds=settings.away_grace_seconds + 1))
    assert await assignments(nora) == [], "accepted work goes back after the away grace period"
    returns = {q["name"]: q for q in (await client.get("/v1/queues")).json()}["returns"]
    assert returns["waiting"] == 2


async def test_signing_on_again_after_the_shift_is_allowed_until_the_next_shift_ends(
    app: FastAPI, client: httpx.AsyncClient, settings: Settings
) -> None:
    shift, ends = today_and_tomorrow()
    nora_id, nora = await agent_client(client, NORA | {"shift": shift, "presence": "available"})
    await dispatch_at(app, settings, ends - timedelta(hours=1))  # schedules the sign-off
    await dispatch_at(app, settings, ends)
    assert (await agent(client, nora_id))["presence"] == "offline"
    assert (await nora.put("/v1/agents/me/presence", json={"status": "available"})).status_code == 200
    await dispatch_at(app, settings, ends + timedelta(hours=1))  # overtime: no shift is on, the next one ends later
    overtime = await agent(client, nora_id)
    assert overtime["presence"] == "available"
    assert datetime.fromisoformat(overtime["shift_ends_at"]) == ends + timedelta(days=7)


async def test_shift_is_validated_changed_and_removed(client: httpx.AsyncClient) -> None:
    bad = [
        {"tz": "Mars/Olympus", "weekly": {}},
        {"tz": "UTC", "weekly": {"mon": [["17:00", "09:00"]]}},
        {"tz": "UTC", "weekly": {"someday": []}},
        {"tz": "UTC", "weekly": {"mon": [["9am", "5pm"]]}},
    ]
    for shift in bad:
        r = await client.post("/v1/agents", json=NORA | {"shift": shift})
        assert r.status_code == 422, (shift, r.text)
    nora_id, _ = await agent_client(client, NORA)
    assert (await agent(client, nora_id))["shift"] is None
    shift = {"tz": "Europe/Copenhagen", "weekly": {"mon": [["09:00", "17:00"]]}, "holidays": ["2026-12-24"]}
    r = await client.patch(f"/v1/agents/{nora_id}", json={"shift": shift})
    assert r.status_code == 200, r.text
    assert r.json()["shift"] == shift
    r = await client.patch(f"/v1/agents/{nora_id}", json={"name": "Nora B"})
    assert r.json()["shift"] == shift, "a patch without shift leaves it alone"
    r = await client.patch(f"/v1/agents/{nora_id}", json={"shift": None})
    assert r.json()["shift"] is None
    assert r.json()["shift_ends_at"] is None
