"""Benchmark: web-chat messages acked per second (each ack only after the durable write), and the time from
sending a message to its ack, against embedded Switchboard with its router running beside it.

A `websockets` client opens many visitor sockets at once; each pipelines its messages. The client is Python
on the same machine and the router routes on the same CPU, so the figures are a floor, not the server's limit.
Run: ``python tests/perf/bench_chat.py [sockets] [messages-per-socket]``. Not collected by pytest.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from websockets.asyncio.client import connect

from tests.e2e.server import CLI, free_port, server_env, stop, wait_ready

TEXT = "Hej, hvor er min pakke? Ordre 123456. Den skulle være kommet i går."


async def visitor(url: str, count: int) -> None:
    """One socket pipelining ``count`` messages, waiting for every ack."""
    async with connect(url) as ws:
        await ws.recv()
        for i in range(count):
            await ws.send(json.dumps({"type": "message", "text": TEXT, "client_id": str(i)}))
        for _ in range(count):
            assert json.loads(await ws.recv())["type"] == "ack"


async def latencies(url: str, count: int) -> list[float]:
    """Send-to-ack times of one socket sending one message at a time."""
    out = []
    async with connect(url) as ws:
        await ws.recv()
        for i in range(count):
            start = time.perf_counter()
            await ws.send(json.dumps({"type": "message", "text": TEXT, "client_id": f"l{i}"}))
            assert json.loads(await ws.recv())["type"] == "ack"
            out.append(time.perf_counter() - start)
    return out


async def main(sockets: int, per_socket: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        env = server_env(Path(tmp), port) | {
            "SWITCHBOARD_CHAT_MESSAGES_PER_MINUTE": "10000",
            "SWITCHBOARD_CHAT_BURST": "10000",
        }
        with (Path(tmp) / "server.log").open("ab") as log:
            proc = subprocess.Popen([*CLI, "run"], env=env, stdout=log, stderr=log, cwd=tmp)
        base, url = f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}/v1/chat/ws"
        try:
            await wait_ready(base, proc)
            await visitor(url, 50)  # warm up
            total = sockets * per_socket
            start = time.perf_counter()
            await asyncio.gather(*(visitor(url, per_socket) for _ in range(sockets)))
            chat_s = time.perf_counter() - start
            await asyncio.sleep(total / 1000)  # let the router work off the backlog before timing latency
            lat = sorted(await latencies(url, 500))
        finally:
            stop(proc)
    print(f"chat: {sockets} sockets x {per_socket} messages: {total / chat_s:,.0f} acked messages/s")
    p50, p99 = statistics.median(lat), lat[int(len(lat) * 0.99) - 1]
    print(f"one socket, one message at a time: send-to-ack p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    asyncio.run(main(*(args or [50, 100])))
