"""Benchmark: ingest requests/s of embedded Switchboard against a bare FastAPI endpoint, same machine, same run.

Both servers run one uvicorn process on loopback; wrk (Debian package ``wrk``) posts the same JSON body.
Switchboard answers 202 only after the group-committed durable write, with its router running beside.
Run: ``python tests/perf/bench_ingest.py [seconds]``. Not collected by pytest.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ADMIN = "bench-admin-key-0123456789abcdef"
BODY = {
    "channel": "sms",
    "sender": {"address": "+4520123456"},
    "text": "Hej, hvor er min pakke? Ordre 123456. Den skulle være kommet i går.",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_ready(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


def wrk(url: str, headers: dict[str, str], seconds: int, workdir: Path) -> tuple[float, str]:
    script = workdir / "post.lua"
    lines = ['wrk.method = "POST"', f"wrk.body = {json.dumps(json.dumps(BODY))}"]
    lines += [f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items()]
    lines.append(WRK_DONE)
    script.write_text("\n".join(lines))
    return run_wrk(script, url, seconds)


WRK_DONE = (
    "done = function(summary, latency, requests)\n"
    '  io.write(string.format("non2xx %d\\n", summary.errors.status))\nend\n'
)
"""The end of every wrk script here: report the non-2xx answers."""


def run_wrk(script: Path, url: str, seconds: int) -> tuple[float, str]:
    """One wrk round (one thread, 32 connections) of ``script`` against ``url``: requests/s, and p99 and the
    non-2xx count as text."""
    out = subprocess.run(
        ["wrk", "-t1", "-c32", f"-d{seconds}s", "--latency", "-s", str(script), url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"Latency Distribution[\s\S]*?\b99%\s+(\S+)", out)
    non2xx = re.search(r"non2xx (\d+)", out)
    return rps, f"p99 {p99.group(1) if p99 else '?'}, non-2xx {non2xx.group(1) if non2xx else '?'}"


def setup(prefix: str) -> tuple[int, Path, dict[str, str]]:
    """A bench run's round length (its first argument, default 10 s), scratch directory and servers'
    environment (this checkout importable); exits when wrk is missing."""
    if shutil.which("wrk") is None:
        raise SystemExit("needs wrk: apt-get install wrk")
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    env = os.environ | {"PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    return seconds, Path(tempfile.mkdtemp(prefix=prefix)), env


def serve(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as f:
        return subprocess.Popen(cmd, env=env, stdout=f, stderr=f)


def serve_bare(env: dict[str, str], workdir: Path) -> tuple[subprocess.Popen[bytes], int]:
    """The bare FastAPI app (``bare_app.py``) under one uvicorn process, and its port (not waited for)."""
    port = free_port()
    uvicorn = [sys.executable, "-m", "uvicorn", "--no-access-log", "--log-level", "warning"]
    return serve([*uvicorn, "--port", str(port), "tests.perf.bare_app:app"], env, workdir / "bare.log"), port


def stop(*procs: subprocess.Popen[bytes]) -> None:
    """SIGTERM each, then SIGKILL any still running after 20 s; returns once all are gone."""
    for proc in procs:
        proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main() -> None:
    seconds, workdir, env = setup("sb-bench-")
    bare, bare_port = serve_bare(env, workdir)
    sb_port = free_port()
    sb_env = env | {
        "SWITCHBOARD_DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'sb.db'}",
        "SWITCHBOARD_PORT": str(sb_port),
        "SWITCHBOARD_ADMIN_KEY": ADMIN,
        "SWITCHBOARD_LOG_LEVEL": "WARNING",
        # One key floods on purpose: the limiter still runs on every request, it just never says no.
        "SWITCHBOARD_RATE_LIMITS": '{"admin": [1000000, 1000000]}',
    }
    command = os.environ.get("BENCH_COMMAND", "run")
    sb = serve([sys.executable, "-c", "from switchboard.cli import main; main()", command], sb_env, workdir / "sb.log")
    try:
        wait_ready(f"http://127.0.0.1:{bare_port}/docs")
        wait_ready(f"http://127.0.0.1:{sb_port}/healthz")
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {ADMIN}"}
        wrk(f"http://127.0.0.1:{bare_port}/v1/messages", headers, 2, workdir)
        wrk(f"http://127.0.0.1:{sb_port}/v1/messages", headers, 2, workdir)
        rounds = []
        for _ in range(2):
            base, base_info = wrk(f"http://127.0.0.1:{bare_port}/v1/messages", headers, seconds, workdir)
            ours, ours_info = wrk(f"http://127.0.0.1:{sb_port}/v1/messages", headers, seconds, workdir)
            rounds.append((base, ours))
            print(f"bare FastAPI {base:8.0f} req/s ({base_info}) | Switchboard ingest {ours:8.0f} req/s ({ours_info})"
                  f" | ratio {ours / base:.2f}", flush=True)  # fmt: skip
        ratio = sum(o for _, o in rounds) / sum(b for b, _ in rounds)
        print(f"ingest keeps {ratio:.0%} of a bare FastAPI endpoint's requests/s (load {os.getloadavg()[0]:.1f})")
    finally:
        stop(bare, sb)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
