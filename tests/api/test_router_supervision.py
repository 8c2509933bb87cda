"""A router outlives outages its loops can retry, and a router process whose loop ends anyway says so with its
exit status, so that its supervisor restarts it rather than leaving it idle on its share of the inbound topic."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from router import service
from shared.bus import Record
from shared.errors import BusUnavailable
from shared.settings import Settings
from switchboard.serve import serve_router
from tests.api.conftest import ADMIN_KEY, admin_client, eventually, routed, running_app
from tests.api.support import router_beside
from tests.e2e.server import free_port

pytestmark = pytest.mark.asyncio
SMS = {"channel": "sms", "sender": {"address": "+4520123456"}, "text": "Where is my parcel? Order 123456."}


@pytest.fixture
async def gateway(settings: Settings) -> AsyncIterator[FastAPI]:
    """The app without its own router: the tests bring theirs."""
    async with running_app(settings, with_router=False) as app:
        yield app


async def test_the_consume_loop_outlives_a_failed_batch_whose_rewind_fails_too(
    gateway: FastAPI, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    router = await router_beside(gateway, settings)
    monkeypatch.setattr(service, "REWIND_FIRST_SECONDS", 0.01)
    handle_batch, failures = router.handle_batch, ["batch", "rewind", "rewind"]

    async def flaky_batch(records: list[Record]) -> None:
        if failures and failures[0] == "batch":
            failures.pop(0)
            raise BusUnavailable("the database went away mid-batch")
        await handle_batch(records)

    monkeypatch.setattr(router, "handle_batch", flaky_batch)
    await router.start()
    assert router._consumer is not None
    rewind = router._consumer.rewind

    async def flaky_rewind() -> None:
        if failures and failures[0] == "rewind":
            failures.pop(0)
            raise BusUnavailable("still away")
        await rewind()

    monkeypatch.setattr(router._consumer, "rewind", flaky_rewind)
    try:
        async with admin_client(gateway) as client:
            r = await client.post("/v1/messages", json=SMS)
            assert r.status_code == 202
            decision = (await routed(client, r.json()["id"]))["decision"]
        assert decision is not None
        assert failures == [], "the batch failed and the rewind failed twice before it was routed"
        assert router.running()
    finally:
        await router.stop()


async def test_a_router_process_stops_with_status_1_when_a_loop_ends_on_its_own(
    gateway: FastAPI, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(self: service.Router) -> None:
        raise RuntimeError("a bug the loop did not absorb")

    monkeypatch.setattr(service.Router, "_dispatch_loop", broken)
    assert await asyncio.wait_for(serve_router(settings, asyncio.Event()), 30) == 1


async def test_a_router_process_told_to_stop_leaves_with_status_0(gateway: FastAPI, settings: Settings) -> None:
    stop = asyncio.Event()
    serving = asyncio.create_task(serve_router(settings, stop))
    async with admin_client(gateway) as client:
        r = await client.post("/v1/messages", json=SMS)
        assert (await routed(client, r.json()["id"]))["decision"] is not None  # it was really running
    stop.set()
    assert await asyncio.wait_for(serving, 30) == 0


async def test_a_router_process_serves_its_liveness_and_its_metrics_on_its_own_port(
    gateway: FastAPI, settings: Settings
) -> None:
    port = free_port()
    stop = asyncio.Event()
    serving = asyncio.create_task(serve_router(settings.model_copy(update={"router_port": port}), stop))
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=url) as http, admin_client(gateway) as client:
            await eventually(lambda: _answers(http, "/healthz"))
            assert (await http.get("/healthz")).json() == {"status": "ok"}
            assert (await http.get("/metrics")).status_code == 401
            r = await client.post("/v1/messages", json=SMS)
            assert (await routed(client, r.json()["id"]))["decision"] is not None
            page = await http.get("/metrics", headers={"Authorization": f"Bearer {ADMIN_KEY}"})
            assert page.status_code == 200
            assert "switchboard_messages_routed_total" in page.text
            assert "switchboard_router_batch_seconds_count" in page.text
    finally:
        stop.set()
        assert await asyncio.wait_for(serving, 30) == 0
    with pytest.raises(httpx.ConnectError):
        async with httpx.AsyncClient(base_url=url) as http:
            await http.get("/healthz")


async def _answers(http: httpx.AsyncClient, path: str) -> bool:
    try:
        return (await http.get(path)).status_code == 200
    except httpx.TransportError:
        return False
