"""Benchmark: the Twilio SMS webhook's requests/s against a bare FastAPI form endpoint, same machine, same run.

Both servers run one uvicorn process on loopback; wrk (Debian package ``wrk``) cycles through the same
pre-signed webhooks (distinct MessageSids and senders, each signed by the twilio package's validator).
Switchboard checks the signature, normalizes and answers 200 only after the group-committed durable write; the
bare endpoint reads and parses the form only.
Two figures: the gateway alone (``switchboard gateway``, as in distributed mode, where routers run in their own
processes: the goal of at least half the bare endpoint's requests/s) and embedded Switchboard (``switchboard run``,
where the router shares the process's one core and routes every message as it arrives).
Run: ``python tests/perf/bench_twilio.py [seconds]`` (``BENCH_COMMAND=gateway`` or ``run``: that one alone).
Not collected by pytest.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from urllib.parse import urlencode

from bench_ingest import WRK_DONE, free_port, run_wrk, serve, serve_bare, setup, stop, wait_ready
from twilio.request_validator import RequestValidator

ADMIN = "bench-admin-key-0123456789abcdef"
TOKEN = "bench-twilio-token-0123456789abcdef"
PATH = "/v1/webhooks/twilio/sms"
VARIANTS = 4000


def signed_requests(base: str) -> list[tuple[str, str]]:
    """(body, signature) of distinct inbound SMS webhooks as Twilio would post them to ``base``."""
    validator, out = RequestValidator(TOKEN), []
    for i in range(VARIANTS):
        form = {"MessageSid": f"SM{i:032x}", "AccountSid": "AC" + "0" * 32, "From": f"+4530{i:06d}",
                "To": "+4570101010", "Body": f"Hej, hvor er min pakke? Ordre {100000 + i}.", "NumMedia": "0",
                "NumSegments": "1", "FromCountry": "DK"}  # fmt: skip
        out.append((urlencode(form), validator.compute_signature(base + PATH, form)))
    return out


def wrk(url: str, requests: list[tuple[str, str]], seconds: int, workdir: Path) -> tuple[float, str]:
    script = workdir / "twilio.lua"
    bodies = ",".join(json.dumps(b) for b, _ in requests)
    signatures = ",".join(json.dumps(s) for _, s in requests)
    script.write_text(
        f"local bodies = {{{bodies}}}\nlocal signatures = {{{signatures}}}\nlocal i = 0\n"
        "request = function()\n  i = i % #bodies + 1\n"
        '  return wrk.format("POST", nil, {["Content-Type"] = "application/x-www-form-urlencoded",'
        ' ["X-Twilio-Signature"] = signatures[i]}, bodies[i])\nend\n' + WRK_DONE
    )
    return run_wrk(script, url, seconds)


def measure(command: str, bare_url: str, seconds: int, env: dict[str, str], workdir: Path) -> None:
    """Serve Switchboard with ``command`` beside the running bare endpoint and print the ratio of the two."""
    sb_port = free_port()
    sb_env = env | {
        "SWITCHBOARD_DATABASE_URL": f"sqlite+aiosqlite:///{workdir / f'sb-{command}.db'}",
        "SWITCHBOARD_PORT": str(sb_port),
        "SWITCHBOARD_ADMIN_KEY": ADMIN,
        "SWITCHBOARD_LOG_LEVEL": "WARNING",
        "SWITCHBOARD_TWILIO_AUTH_TOKEN": TOKEN,
        "SWITCHBOARD_BLOB_DIR": str(workdir / "blobs"),
    }
    sb = serve([sys.executable, "-c", "from switchboard.cli import main; main()", command], sb_env,
               workdir / f"sb-{command}.log")  # fmt: skip
    try:
        wait_ready(f"http://127.0.0.1:{sb_port}/healthz")
        sb_url = f"http://127.0.0.1:{sb_port}{PATH}"
        requests = signed_requests(f"http://127.0.0.1:{sb_port}")
        wrk(bare_url, requests, 2, workdir)
        wrk(sb_url, requests, 2, workdir)
        rounds = []
        for _ in range(2):
            base, base_info = wrk(bare_url, requests, seconds, workdir)
            ours, ours_info = wrk(sb_url, requests, seconds, workdir)
            rounds.append((base, ours))
            print(f"bare FastAPI form {base:8.0f} req/s ({base_info}) | Twilio webhook {ours:8.0f} req/s ({ours_info})"
                  f" | ratio {ours / base:.2f}", flush=True)  # fmt: skip
        ratio = sum(o for _, o in rounds) / sum(b for b, _ in rounds)
        what = "the gateway alone, goal at least 50%" if command == "gateway" else "router beside it in the process"
        print(f"the Twilio webhook ({command}: {what}) keeps {ratio:.0%} of a bare FastAPI form endpoint's"
              f" requests/s (load {os.getloadavg()[0]:.1f})", flush=True)  # fmt: skip
    finally:
        stop(sb)


def main() -> None:
    seconds, workdir, env = setup("sb-bench-twilio-")
    bare, bare_port = serve_bare(env, workdir)
    commands = [os.environ["BENCH_COMMAND"]] if os.environ.get("BENCH_COMMAND") else ["gateway", "run"]
    try:
        wait_ready(f"http://127.0.0.1:{bare_port}/docs")
        for command in commands:
            measure(command, f"http://127.0.0.1:{bare_port}{PATH}", seconds, env, workdir)
    finally:
        stop(bare)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
