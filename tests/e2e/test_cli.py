"""The command line as a user runs it: classify JSON lines, validate and publish rulesets."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.e2e.server import ADMIN, CLI, HEADERS, free_port, server_env, start, stop, wait_ready

LINES = [
    {"text": "Hvor er min pakke? Jeg bestilte den for en uge siden, ordre 123456", "channel": "sms"},
    {"text": "Ich möchte meine Bestellung stornieren, bitte.", "subject": "Stornierung", "channel": "email"},
    {"text": "我的订单什么时候发货？订单号 20231234", "channel": "chat"},
    {"text": "", "channel": "fax"},
]


def test_classify_writes_one_json_line_per_input_line() -> None:
    stdin = "\n".join(json.dumps(line, ensure_ascii=False) for line in LINES) + "\n[1, 2]\n"
    out = subprocess.run([*CLI, "classify"], input=stdin, capture_output=True, text=True, check=True, timeout=60)
    results = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(results) == 5
    assert [r["language"] for r in results[:4]] == ["da", "de", "zh", "und"]
    assert results[1]["intent"] == "cancellation"
    assert all(r["urgency"] in {"low", "normal", "high", "urgent"} for r in results[:4])
    assert "error" in results[4]


def test_rules_validate_offline_points_at_the_error(tmp_path: Path) -> None:
    ruleset = tmp_path / "rules.yaml"
    ruleset.write_text(
        'defaults: {queue: general}\nrules:\n  - id: typo\n    when: \'channel == "sms" && intnet == "billing"\'\n'
        "    action: {queue: billing}\n"
    )
    out = subprocess.run([*CLI, "rules", "validate", "--offline", str(ruleset)], capture_output=True, text=True,
                         timeout=60)  # fmt: skip
    assert out.returncode == 1
    assert "typo:1:21" in out.stderr
    assert "intnet" in out.stderr


@pytest.mark.asyncio
@pytest.mark.slow
async def test_rules_publish_makes_a_file_the_active_ruleset(tmp_path: Path) -> None:
    port = free_port()
    proc = start(tmp_path, port)
    try:
        await wait_ready(f"http://127.0.0.1:{port}", proc)
        ruleset = tmp_path / "rules.json"
        ruleset.write_text(
            json.dumps(
                {
                    "defaults": {"queue": "general"},
                    "rules": [{"id": "all-tech", "when": "true", "action": {"queue": "tech"}}],
                }
            )
        )
        env = server_env(tmp_path, port) | {"SWITCHBOARD_URL": f"http://127.0.0.1:{port}", "SWITCHBOARD_API_KEY": ADMIN}
        out = subprocess.run([*CLI, "rules", "publish", str(ruleset), "--note", "everything to tech"], env=env,
                             capture_output=True, text=True, timeout=60)  # fmt: skip
        assert out.returncode == 0, out.stderr
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", headers=HEADERS) as c:
            active = (await c.get("/v1/rulesets/active")).json()
        assert active["document"]["rules"][0]["id"] == "all-tech"
        assert active["note"] == "everything to tech"
    finally:
        stop(proc)
