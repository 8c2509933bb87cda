"""Benchmark: SSE fan-out. 1,000 agents hold event streams open on one embedded Switchboard process; messages
are posted at a steady rate and routed to them; each offer's delay is measured from the routing decision
(the activity row's ``at``, taken by the router in the transaction that commits the offer) to the event's
arrival at the client.

The client is Python on the same machine, reading every stream, and the router routes on the same CPU: the
figures include its share of the two cores. Run: ``python tests/perf/bench_sse.py [agents] [messages]
[per-second]``. Not collected by pytest.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx

from tests.api.support import everyone_offline
from tests.e2e.server import CLI, HEADERS, free_port, server_env, stop, wait_ready

UNLIMITED = json.dumps({role: [1e6, 1_000_000] for role in ("integration", "agent", "supervisor", "admin")})
TEXT = "Jeg vil returnere varen og have refusion"


async def make_agent(admin: httpx.AsyncClient, i: int, gate: asyncio.Semaphore) -> str:
    """One available agent of the returns queue with room for one SMS; its key."""
    spec = {"name": f"Bench {i}", "languages": ["da", "en"], "skills": {"refunds": 5}, "capacity": {"sms": 1},
            "queues": ["returns"], "presence": "available"}  # fmt: skip
    async with gate:
        agent = (await admin.post("/v1/agents", json=spec)).json()["id"]
        key: str = (await admin.post("/v1/api-keys", json={"role": "agent", "agent_id": agent})).json()["key"]
    return key


async def listen(
    client: httpx.AsyncClient, key: str, connected: asyncio.Queue[None], delays: asyncio.Queue[float]
) -> None:
    """Hold one agent's stream; report when it is subscribed and each offer's delay."""
    headers = {"Authorization": f"Bearer {key}"}
    async with client.stream("GET", "/v1/agents/me/events", headers=headers) as response:
        assert response.status_code == 200
        event = None
        async for line in response.aiter_lines():
            if line == ": connected":
                connected.put_nowait(None)
            elif line.startswith("event: "):
                event = line.removeprefix("event: ")
            elif line.startswith("data: ") and event == "assignment.offered":
                at = datetime.fromisoformat(json.loads(line.removeprefix("data: "))["at"])
                delays.put_nowait(time.time() - at.timestamp())


async def run(base: str, agents: int, messages: int, rate: float) -> None:
    gate = asyncio.Semaphore(16)
    async with httpx.AsyncClient(base_url=base, headers=HEADERS, timeout=60) as admin:
        await everyone_offline(admin)
        started = time.perf_counter()
        keys = await asyncio.gather(*(make_agent(admin, i, gate) for i in range(agents)))
        print(f"{agents} agents with keys in {time.perf_counter() - started:.1f}s", flush=True)
        limits = httpx.Limits(max_connections=agents + 10, max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=base, timeout=httpx.Timeout(60, read=None), limits=limits) as streams:
            connected: asyncio.Queue[None] = asyncio.Queue()
            delays: asyncio.Queue[float] = asyncio.Queue()
            tasks = [asyncio.create_task(listen(streams, k, connected, delays)) for k in keys]
            started = time.perf_counter()
            for _ in range(agents):
                await asyncio.wait_for(connected.get(), 120)
            print(f"{agents} streams open in {time.perf_counter() - started:.1f}s", flush=True)
            for i in range(messages):
                body = {"channel": "sms", "sender": {"address": f"+4530{i:06d}"}, "text": TEXT}
                assert (await admin.post("/v1/messages", json=body)).status_code == 202
                await asyncio.sleep(1 / rate)
            got = [await asyncio.wait_for(delays.get(), 60) for _ in range(messages)]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    got.sort()
    ms = [d * 1000 for d in got]
    print(
        f"SSE fan-out, {agents} connected agents, {messages} offers at {rate:g}/s: decision to event "
        f"p50 {statistics.median(ms):.0f} ms, p99 {ms[int(len(ms) * 0.99) - 1]:.0f} ms, max {ms[-1]:.0f} ms"
    )


def main() -> None:
    agents = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    messages = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    rate = float(sys.argv[3]) if len(sys.argv) > 3 else 20.0
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        env = server_env(Path(tmp), port) | {
            "SWITCHBOARD_RATE_LIMITS": UNLIMITED,
            "SWITCHBOARD_ADAPTERS": "0",
            "SWITCHBOARD_PUSH_STREAMS_PER_KEY": "5",
        }
        with (Path(tmp) / "server.log").open("ab") as log:
            proc = subprocess.Popen([*CLI, "run"], env=env, stdout=log, stderr=log, cwd=tmp)
        try:
            asyncio.run(_ready_then_run(f"http://127.0.0.1:{port}", proc, agents, messages, rate))
        finally:
            stop(proc)


async def _ready_then_run(base: str, proc: subprocess.Popen[bytes], agents: int, messages: int, rate: float) -> None:
    await wait_ready(base, proc)
    await run(base, agents, messages, rate)


if __name__ == "__main__":
    main()
