"""The audit log through the API: newest first, filtered, paged by cursor, and strict about its filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.asyncio


async def entries(c: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    r = await c.get("/v1/audit", params=params)
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def test_key_creation_and_revocation_are_recorded_with_the_role(client: httpx.AsyncClient) -> None:
    before = datetime.now(UTC) - timedelta(seconds=1)
    created = (await client.post("/v1/api-keys", json={"role": "supervisor"})).json()
    assert (await client.delete(f"/v1/api-keys/{created['id']}")).status_code == 204
    got = await entries(client, entity=created["id"])
    assert [(e["action"], e["detail"]["role"]) for e in got] == [
        ("api_key.revoke", "supervisor"),
        ("api_key.create", "supervisor"),
    ]
    assert got[0]["actor"] == got[1]["actor"]
    assert got[0]["actor"].startswith("admin:")
    assert got[0]["at"] >= got[1]["at"]
    recent = await entries(client, since=before.isoformat(), actor=got[0]["actor"])
    assert {e["entity"] for e in recent} == {created["id"]}
    assert await entries(client, action="api_key.revoke", entity=created["id"]) == got[:1]
    assert await entries(client, since=(datetime.now(UTC) + timedelta(hours=1)).isoformat()) == []


async def test_pages_follow_the_cursor_newest_first_without_overlap(client: httpx.AsyncClient) -> None:
    for _ in range(5):
        await client.post("/v1/api-keys", json={"role": "integration"})
    everything = await entries(client, limit=500)
    seen: list[int] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/v1/audit", params=params)).json()
        seen += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [e["id"] for e in everything] == sorted(seen, reverse=True)
    assert len(seen) >= 5


@pytest.mark.before_storage
@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 501}, {"cursor": "abc"}, {"cursor": "-1"}, {"since": "yesterday"},
     {"since": "1800-01-01T00:00:00Z"}, {"actor": "admin key"}, {"entity": ""}, {"actor": "x" * 129}],
)  # fmt: skip
async def test_bad_filter_values_are_422(client: httpx.AsyncClient, params: dict[str, Any]) -> None:
    r = await client.get("/v1/audit", params=params)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")


async def test_supervisors_and_ops_read_it(client: httpx.AsyncClient) -> None:
    for role in ("supervisor", "ops"):
        key = (await client.post("/v1/api-keys", json={"role": role})).json()["key"]
        r = await client.get("/v1/audit", headers={"Authorization": f"Bearer {key}"})
        assert r.status_code == 200
        assert r.json()["items"]
