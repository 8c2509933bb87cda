"""Run every benchmark in turn and print their figures (``make bench``). Not collected by pytest."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = [
    "bench_classify.py",
    "bench_rules.py",
    "bench_sandbox.py",
    "bench_assign.py",
    "bench_routing.py",
    "bench_router.py",
    "bench_ingest.py",
    "bench_ocr.py",
    "bench_twilio.py",
    "bench_chat.py",
    "bench_smtp.py",
    "bench_sse.py",
]


def main() -> None:
    """Each benchmark in its own process, so one's memory and caches do not colour the next."""
    env = os.environ | {"PYTHONPATH": str(HERE.parents[1])}
    failed = []
    for name in BENCHES:
        print(f"\n=== {name}", flush=True)
        if subprocess.run([sys.executable, str(HERE / name)], env=env, check=False).returncode:
            failed.append(name)
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
