"""API tests: the real app and embedded runtime through httpx, on SQLite and on PostgreSQL.

Every test that uses ``settings`` (and so ``app``, ``client``) runs once per storage backend: SQLite in
a temporary directory, and PostgreSQL on the harness's server, in a database copied from a migrated
template (marked ``integration``). ``SWITCHBOARD_TEST_STORAGE=sqlite`` (or ``postgres``) runs one only.
A test marked ``before_storage`` (answered before any storage is read) runs on the first backend only.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from shared.db.migrate import upgrade
from shared.settings import Settings
from switchboard.bootstrap import build_app
from tests.harness import needs_servers

ADMIN_KEY = "test-admin-key-0123456789abcdef"
STORAGE_ENV = "SWITCHBOARD_TEST_STORAGE"
STORAGES = {
    "sqlite": pytest.param("sqlite", id="sqlite"),
    "postgres": pytest.param("postgres", id="postgres", marks=needs_servers("migrated_database")),
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked ``before_storage`` (its answer is given before any storage is read: input validation,
    headers) runs on the first storage backend only; the backend cannot change what it checks."""
    first = storage_names()[0]
    keep, drop = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("database_url") if callspec else None
        if backend not in (None, first) and item.get_closest_marker("before_storage"):
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def storage_names() -> list[str]:
    """The storage backends to run on: ``$SWITCHBOARD_TEST_STORAGE`` (comma-separated), else all."""
    chosen = [name.strip() for name in os.environ.get(STORAGE_ENV, ",".join(STORAGES)).split(",") if name.strip()]
    unknown = set(chosen) - STORAGES.keys()
    if unknown:
        raise pytest.UsageError(f"{STORAGE_ENV}: unknown storage {sorted(unknown)}; choose from {sorted(STORAGES)}")
    return chosen


def storages() -> list[object]:
    return [STORAGES[name] for name in storage_names()]


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """Settings for an embedded instance in ``tmp_path``."""
    values: dict[str, Any] = {
        "database_url": sqlite_url(tmp_path / "switchboard.db"),
        "admin_key": ADMIN_KEY,
        "seed_demo": True,
        "router_poll_seconds": 0.02,
        "blob_dir": tmp_path / "blobs",
        "push_stream_max_seconds": 1.0,  # an in-process client (httpx's ASGI transport) reads a stream to its end
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database migrated to the head revision once per session (the start of each test's)."""
    path = tmp_path_factory.mktemp("sqlite-template") / "switchboard.db"
    upgrade(sqlite_url(path))
    return path


@pytest.fixture(params=storages())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new database on each storage backend, already migrated: a copy of a template."""
    if request.param == "sqlite":
        path = tmp_path / "switchboard.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return sqlite_url(path)
    url: str = request.getfixturevalue("migrated_database").url
    return url


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """Embedded settings with the demo setup, on the backend under test."""
    return make_settings(tmp_path, database_url=database_url)


@asynccontextmanager
async def running_app(settings: Settings, *, with_router: bool) -> AsyncIterator[FastAPI]:
    """The app with its database and bus open (and its router running when asked)."""
    app = build_app(settings, with_router=with_router)
    async with app.router.lifespan_context(app):
        yield app


def admin_client(app: FastAPI) -> httpx.AsyncClient:
    """A client of ``app`` carrying the admin key."""
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://switchboard.test",
        headers={"Authorization": f"Bearer {ADMIN_KEY}"},
    )


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    """A running embedded app (gateway plus router); ``app.state.deps`` holds its database and bus."""
    async with running_app(settings, with_router=True) as application:
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An admin client on the running app."""
    async with admin_client(app) as c:
        yield c


async def eventually(check: Callable[[], Awaitable[Any]], timeout: float = 10.0) -> Any:
    """Retry ``check`` until it returns something truthy, or fail after ``timeout`` seconds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await check()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            pytest.fail(f"condition not met within {timeout}s")
        await asyncio.sleep(0.02)


async def routed(client: httpx.AsyncClient, message_id: str) -> dict[str, Any]:
    """Wait until the message is routed and return it."""

    async def check() -> dict[str, Any] | None:
        r = await client.get(f"/v1/messages/{message_id}")
        return r.json() if r.status_code == 200 and r.json()["status"] == "routed" else None

    result: dict[str, Any] = await eventually(check)
    return result
