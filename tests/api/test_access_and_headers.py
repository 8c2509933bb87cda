"""Access log lines without customer data, security headers on every answer, documentation served offline."""

from __future__ import annotations

import json
import logging
import re

import httpx
import pytest

from shared.logs import JsonFormatter

pytestmark = pytest.mark.asyncio

SECRET_TEXT = "my card is 4111 1111 1111 1111, call +4520555555"


def lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, object]]:
    formatter = JsonFormatter()
    records = [r for r in caplog.records if r.name == "switchboard.access"]
    parsed: list[dict[str, object]] = [json.loads(formatter.format(r)) for r in records]
    return parsed


async def test_one_access_line_per_request_with_route_template_and_key_but_no_values(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="switchboard.access")
    body = {"channel": "sms", "sender": {"address": "+4520555555"}, "text": SECRET_TEXT}
    posted = await client.post("/v1/messages", json=body, headers={"X-Request-ID": "trace-123"})
    await client.get("/v1/messages/01a2-not-there", params={"q": "private-search-term"})
    ingest, lookup = lines(caplog)
    assert ingest["method"] == "POST"
    assert ingest["route"] == "/v1/messages"
    assert ingest["status"] == 202
    assert ingest["role"] == "admin"
    assert ingest["key_id"] == "bootstrap-admin"
    assert ingest["client"] == "127.0.0.1"
    assert ingest["request_id"] == "trace-123" == posted.headers["x-request-id"]
    assert isinstance(ingest["duration_ms"], float)
    assert lookup["route"] == "/v1/messages/{message_id}"
    assert lookup["status"] == 404
    text = caplog.text + "".join(json.dumps(line) for line in lines(caplog))
    for private in ("4111", "+4520555555", "private-search-term", "01a2-not-there"):
        assert private not in text


async def test_failed_logins_are_visible_in_the_access_log(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="switchboard.access")
    r = await client.get("/v1/queues", headers={"Authorization": "Bearer sb_guess_guess"})
    assert r.status_code == 401
    [line] = lines(caplog)
    assert (line["status"], line["auth"], line["level"], line["key_id"]) == (401, "failed", "WARNING", None)


@pytest.mark.before_storage
@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("GET", "/healthz", {}, 200),
        ("GET", "/v1/queues", {}, 200),
        ("GET", "/v1/queues", {"headers": {"Authorization": "Bearer nope"}}, 401),
        ("GET", "/v1/nowhere", {}, 404),
        ("POST", "/v1/messages", {"json": {"channel": "sms"}}, 422),
        ("POST", "/v1/messages", {"content": b"x" * 2_000_000}, 413),
        ("GET", "/v1/queues", {"headers": {f"x-h{i}": "1" for i in range(100)}}, 431),
    ],
)
async def test_every_answer_carries_the_security_headers(
    client: httpx.AsyncClient, method: str, path: str, kwargs: dict[str, object], status: int
) -> None:
    r = await client.request(method, path, **kwargs)  # type: ignore[arg-type]
    assert r.status_code == status
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["cache-control"] == "no-store"
    assert r.headers["content-security-policy"].startswith("default-src 'none'")
    assert "server" not in r.headers


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_documentation_pages_load_only_their_own_assets_under_a_strict_policy(
    client: httpx.AsyncClient, page: str
) -> None:
    r = await client.get(page)
    assert r.status_code == 200
    policy = r.headers["content-security-policy"]
    assert "script-src 'self';" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "<script>" not in r.text  # no inline script
    assert "http://" not in r.text
    assert "https://" not in r.text
    assets = re.findall(r'(?:src|href)="(/[^"]+)"', r.text)
    assert len(assets) >= 2
    for asset in assets:
        got = await client.get(asset)
        assert got.status_code == 200, asset
        assert len(got.content) > 0
        assert "cache-control" in got.headers
    assert (await client.get("/docs/assets/..%2Fcore.py")).status_code == 404


async def test_method_not_allowed_names_the_allowed_methods(client: httpx.AsyncClient) -> None:
    r = await client.delete("/v1/messages")
    assert r.status_code == 405
    assert r.headers["content-type"] == "application/problem+json"
    assert set(r.headers["allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
