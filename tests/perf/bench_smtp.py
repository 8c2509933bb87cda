"""Benchmark: mails/s through Switchboard's SMTP listener against a bare aiosmtpd handler that only counts,
same machine, same run.

Ours is ``switchboard adapter smtp`` on an SQLite database with the embedded durable bus: each 250 waits for
the mail to be parsed, normalized and group-committed to disk. The bare server is aiosmtpd's own ``SMTP``
protocol with a handler that answers 250 at once, on uvloop like ours. Both are separate processes; the load
comes from this process, 16 SMTP sessions sending back to back.
Run: ``python tests/perf/bench_smtp.py [seconds]``. Not collected by pytest.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CONNECTIONS = 16
MAIL = (
    b"From: Kunde <kunde@example.org>\r\nTo: help@example.com\r\nSubject: Ordre 123456\r\n"
    b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"Message-ID: <%d-%d@bench.example.org>\r\n\r\n"
    b"Hej, hvor er min pakke? Ordre 123456. Den skulle v\xc3\xa6re kommet i g\xc3\xa5r.\r\n\r\n"
    b"Den 1. dec. 2026 kl. 10.00 skrev Shop <help@example.com>:\r\n> Tak for din ordre.\r\n"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def bare(port: int) -> None:
    """The baseline: aiosmtpd answering 250 to every mail without looking at it."""
    import uvloop
    from aiosmtpd.smtp import SMTP, Envelope, Session

    class Count:
        count = 0

        async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
            Count.count += 1
            return "250 OK"

    async def main() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: SMTP(Count(), loop=loop), "127.0.0.1", port)
        await server.serve_forever()

    uvloop.run(main())


async def _expect(reader: asyncio.StreamReader, code: bytes) -> bool:
    while True:
        line = await reader.readline()
        if not line:
            raise ConnectionError("closed")
        if line[3:4] != b"-":
            return line.startswith(code)


async def _session(port: int, n: int, until: float, counts: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    await _expect(reader, b"220")
    writer.write(b"EHLO bench.example.org\r\n")
    await _expect(reader, b"250")
    i = 0
    while time.monotonic() < until:
        i += 1
        writer.write(b"MAIL FROM:<kunde@example.org>\r\n")
        await _expect(reader, b"250")
        writer.write(b"RCPT TO:<help@example.com>\r\n")
        await _expect(reader, b"250")
        writer.write(b"DATA\r\n")
        await _expect(reader, b"354")
        writer.write(MAIL % (n, i) + b".\r\n")
        if await _expect(reader, b"250"):
            counts[n] += 1
    writer.write(b"QUIT\r\n")
    await writer.drain()
    writer.close()


def load(port: int, seconds: float) -> float:
    """Mails per second accepted (250) over ``seconds``."""
    counts = [0] * CONNECTIONS

    async def main() -> None:
        until = time.monotonic() + seconds
        await asyncio.gather(*(_session(port, n, until, counts) for n in range(CONNECTIONS)))

    started = time.monotonic()
    asyncio.run(main())
    return sum(counts) / (time.monotonic() - started)


def wait_listening(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing listening on {port}")


def run(cmd: list[str], env: dict[str, str], port: int, seconds: float) -> float:
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_listening(port)
        load(port, 1.0)  # warm up
        return load(port, seconds)
    finally:
        proc.terminate()
        proc.wait(20)


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "bare":
        bare(int(sys.argv[2]))
        return
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
    cli = [sys.executable, "-c", "from switchboard.cli import main; main()"]
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        env = os.environ | {
            "SWITCHBOARD_DATABASE_URL": f"sqlite+aiosqlite:///{Path(tmp) / 'sb.db'}",
            "SWITCHBOARD_BLOB_DIR": str(Path(tmp) / "blobs"),
            "SWITCHBOARD_SMTP_PORT": str(port),
            "SWITCHBOARD_LOG_LEVEL": "WARNING",
        }
        subprocess.run([*cli, "migrate"], env=env, check=True, capture_output=True)
        ours = run([*cli, "adapter", "smtp"], env, port, seconds)
        bare_port = free_port()
        baseline = run([sys.executable, __file__, "bare", str(bare_port)], dict(os.environ), bare_port, seconds)
    print(f"SMTP, {CONNECTIONS} sessions, {seconds:.0f} s each, load average {os.getloadavg()[0]:.1f}")
    print(f"  switchboard adapter smtp (parse + normalize + durable publish): {ours:,.0f} mails/s")
    print(f"  bare aiosmtpd handler (counts only):                           {baseline:,.0f} mails/s")
    print(f"  ratio: {ours / baseline:.2f} (goal >= 0.5)")


if __name__ == "__main__":
    main()
