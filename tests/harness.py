"""Integration harness: a real Apache Kafka broker and a throwaway PostgreSQL cluster, for the whole suite.

A pytest plugin (tests/conftest.py loads it), so that any test directory can run on the real servers:
the bus contract suite (tests/contract), the API suite on PostgreSQL (tests/api), the integration tests.

Fixtures (all lazily started; a run that selects no test using them starts nothing):

- ``kafka_bootstrap`` (session) -> ``"127.0.0.1:PORT"``: ``$SWITCHBOARD_TEST_KAFKA_BOOTSTRAP`` when
  set, else a single-node KRaft broker started by deploy/local/servers on a free port.
- ``kafka_broker`` (function) -> ``KafkaServer`` with ``stop()``, ``kill()``, ``start()``,
  ``restart()``, ``bootstrap``: same port and data across stop/start. Whatever the test leaves, the
  broker is running again after it. Skips the test when the broker is external.
- ``postgres_url`` (session) -> ``"postgresql+asyncpg://switchboard@127.0.0.1:PORT/switchboard"``:
  ``$SWITCHBOARD_TEST_DATABASE_URL`` when set, else a throwaway cluster.
- ``postgres_server`` (session) -> ``PostgresServer`` (skips when external).
- ``fresh_database`` (function) -> ``Database(name, url, dsn)``: a new empty database for this test,
  dropped after it; ``fresh_database_url`` (function) -> its SQLAlchemy URL.
- ``migrated_database`` (function) -> ``Database``: a new database already at the head migration,
  copied from a template migrated once per session (a copy takes a fraction of a migration).

Tests that use any of these are marked ``integration`` automatically (``-m "not integration"``
deselects them). A parameter that reaches them through ``request.getfixturevalue`` (one backend of
several) says so with ``needs_servers("kafka_bootstrap")`` in its marks, and is marked the same way.
The servers start in the background as soon as collection shows they are needed, so their start-up
overlaps the tests that run before. Under pytest-xdist every worker collects every test, so a worker starts
PostgreSQL that way but Kafka only when its first Kafka test runs: those tests form one ``xdist_group``, run
by one worker. Their files (logs included) live in one
temporary directory, removed at the end unless the session failed or SWITCHBOARD_TEST_KEEP=1.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import importlib.util
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import pytest

REPO = Path(__file__).resolve().parents[1]
SERVERS = REPO / "deploy" / "local" / "servers"
ENV_KAFKA = "SWITCHBOARD_TEST_KAFKA_BOOTSTRAP"
ENV_DATABASE = "SWITCHBOARD_TEST_DATABASE_URL"
KAFKA_FIXTURES = frozenset({"kafka_bootstrap", "kafka_broker"})
POSTGRES_FIXTURES = frozenset(
    {"postgres_url", "postgres_server", "fresh_database", "fresh_database_url", "migrated_database"}
)
NEEDS_MARK = "needs_servers"
KAFKA_GROUP = "kafka"

needs_servers = getattr(pytest.mark, NEEDS_MARK)
"""``needs_servers("postgres_url")``: this test (or parameter) gets the named harness fixtures dynamically."""

T = TypeVar("T")


def _load_servers() -> Any:
    name = "switchboard_local_servers"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(
        name, SERVERS / "__init__.py", submodule_search_locations=[str(SERVERS)]
    )
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its modules import each other relative to this name
    spec.loader.exec_module(module)
    return module


servers = _load_servers()
KafkaServer = servers.KafkaServer
PostgresServer = servers.PostgresServer


def asyncpg_dsn(url: str) -> str:
    """``postgresql+asyncpg://...`` (SQLAlchemy) -> ``postgresql://...`` (asyncpg/libpq)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme="postgresql"))


def sqlalchemy_url(url: str) -> str:
    """Any PostgreSQL URL -> the SQLAlchemy asyncpg form."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme="postgresql+asyncpg"))


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion on a private loop in another thread (safe from any fixture)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


# ---------------------------------------------------------------------------------------------
# the session's servers


class _Infra:
    """Starts what the session needs once, in background threads, and stops it at the end."""

    def __init__(self) -> None:
        self.root: Path | None = None
        self.kafka: Any = None
        self.postgres: Any = None
        self._threads: dict[str, threading.Thread] = {}
        self._errors: dict[str, BaseException] = {}
        self._lock = threading.Lock()
        self.timings: dict[str, float] = {}
        self.failed = False

    def _dir(self) -> Path:
        with self._lock:
            if self.root is None:
                self.root = Path(tempfile.mkdtemp(prefix="switchboard-it-"))
                self.root.chmod(0o755)  # the postgres OS user must reach its cluster inside
                # If this pytest dies without its teardown (killed by a CI timeout), a detached
                # watcher stops the servers, so no broker or cluster is orphaned.
                subprocess.run(
                    f"setsid {shlex.quote(sys.executable)} {shlex.quote(str(SERVERS))} "
                    f"--data-dir {shlex.quote(str(self.root))} watch {os.getpid()} "
                    ">/dev/null 2>&1 </dev/null &",
                    shell=True,
                    check=True,
                )
            return self.root

    def _launch(self, name: str, fn: Callable[[], None]) -> None:
        with self._lock:
            if name in self._threads:
                return

            def run() -> None:
                t0 = time.monotonic()
                try:
                    fn()
                except BaseException as exc:  # reported by the fixture that waits for it
                    self._errors[name] = exc
                finally:
                    self.timings[f"{name}_start_s"] = time.monotonic() - t0

            thread = threading.Thread(target=run, name=f"start-{name}", daemon=True)
            self._threads[name] = thread
            thread.start()

    def start_kafka(self) -> None:
        if os.environ.get(ENV_KAFKA) or self.kafka is not None:
            return
        root = self._dir()
        self.kafka = KafkaServer(root / "kafka-node", port=0, controller_port=0)
        self._launch("kafka", self.kafka.start)

    def start_postgres(self) -> None:
        if os.environ.get(ENV_DATABASE) or self.postgres is not None:
            return
        root = self._dir()
        self.postgres = PostgresServer(root / "pg", port=0)
        self._launch("postgres", self.postgres.start)

    def wait(self, name: str) -> None:
        thread = self._threads[name]
        thread.join()
        if name in self._errors:
            pytest.fail(f"could not start {name} for the integration tests: {self._errors[name]}", pytrace=False)

    def shutdown(self) -> None:
        t0 = time.monotonic()
        for thread in self._threads.values():
            thread.join()
        if self.kafka is not None:
            try:
                self.kafka.stop()
            except Exception as exc:  # pragma: no cover - best effort at teardown
                print(f"integration harness: stopping kafka failed: {exc}", file=sys.stderr)
        if self.postgres is not None:
            try:
                self.postgres.purge()
            except Exception as exc:  # pragma: no cover
                print(f"integration harness: stopping postgres failed: {exc}", file=sys.stderr)
        self.timings["shutdown_s"] = time.monotonic() - t0
        if self.root is not None and not self.failed and os.environ.get("SWITCHBOARD_TEST_KEEP") != "1":
            shutil.rmtree(self.root, ignore_errors=True)


_INFRA = _Infra()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{NEEDS_MARK}(*fixtures): the harness fixtures a test gets through request.getfixturevalue"
    )


def _needed(item: pytest.Item) -> set[str]:
    """The harness fixtures a test uses: those it names, and those its marks declare."""
    names = set(getattr(item, "fixturenames", ()))
    for mark in item.iter_markers(NEEDS_MARK):
        names.update(mark.args)
    return names & (KAFKA_FIXTURES | POSTGRES_FIXTURES)


def _xdist_worker() -> bool:
    return bool(os.environ.get("PYTEST_XDIST_WORKER"))


def pytest_itemcollected(item: pytest.Item) -> None:
    """Mark every test that uses the harness ``integration`` (before ``-m`` deselects); under pytest-xdist,
    put the tests that need Kafka in one group (``--dist loadgroup`` runs them on one worker), so that one
    worker starts a broker rather than every worker."""
    needed = _needed(item)
    if needed:
        item.add_marker(pytest.mark.integration)
    if needed & KAFKA_FIXTURES and _xdist_worker():
        item.add_marker(pytest.mark.xdist_group(KAFKA_GROUP))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Start the servers the selected tests need, in the background, while other tests run."""
    if config.option.collectonly:
        return
    names: set[str] = set()
    for item in items:
        names.update(_needed(item))
    if names & KAFKA_FIXTURES and not _xdist_worker():  # a worker starts it when its first Kafka test runs
        _INFRA.start_kafka()
    if names & POSTGRES_FIXTURES:
        _INFRA.start_postgres()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _INFRA.failed = exitstatus not in (0, 5)
    _INFRA.shutdown()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _INFRA._threads:
        return
    t = _INFRA.timings
    parts = [f"{k}={v:.1f}" for k, v in sorted(t.items())]
    terminalreporter.write_line(f"integration servers: {' '.join(parts)}")
    if _INFRA.failed and _INFRA.root is not None:
        terminalreporter.write_line(f"integration servers: logs kept in {_INFRA.root}/*/log/")


# ---------------------------------------------------------------------------------------------
# fixtures


@pytest.fixture(scope="session")
def kafka_bootstrap() -> str:
    """The Kafka bootstrap address ``host:port`` for this session."""
    external = os.environ.get(ENV_KAFKA)
    if external:
        return external
    _INFRA.start_kafka()  # no-op when collection already did
    _INFRA.wait("kafka")
    return str(_INFRA.kafka.bootstrap)


@pytest.fixture
def kafka_broker(kafka_bootstrap: str) -> Iterator[Any]:
    """The session's broker, to stop/kill/start mid-test; running again after the test."""
    if os.environ.get(ENV_KAFKA):
        pytest.skip(f"the broker is external ({ENV_KAFKA}); it cannot be stopped from here")
    server = _INFRA.kafka
    yield server
    if server.pid() is None or not server.answers():
        server.start()


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The SQLAlchemy URL of the session's ``switchboard`` database."""
    external = os.environ.get(ENV_DATABASE)
    if external:
        return sqlalchemy_url(external)
    _INFRA.start_postgres()
    _INFRA.wait("postgres")
    return str(_INFRA.postgres.url)


@pytest.fixture(scope="session")
def postgres_server(postgres_url: str) -> Any:
    """The harness's ``PostgresServer`` (``stop()``/``start()``/``psql()``); skips when external."""
    if os.environ.get(ENV_DATABASE):
        pytest.skip(f"the database is external ({ENV_DATABASE})")
    return _INFRA.postgres


@dataclass(frozen=True)
class Database:
    name: str
    url: str  # SQLAlchemy: postgresql+asyncpg://...
    dsn: str  # asyncpg/libpq: postgresql://...


async def _admin(dsn: str, sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(dsn, timeout=30)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@contextmanager
def new_database(postgres_url: str, *, template: str | None = None) -> Iterator[Database]:
    """A new database on the session's server (a copy of ``template`` when given), dropped afterwards."""
    name = f"sbtest_{uuid.uuid4().hex[:16]}"
    admin_dsn = asyncpg_dsn(with_database(postgres_url, "postgres"))
    copy = f' TEMPLATE "{template}"' if template else ""
    run_async(_admin(admin_dsn, f'CREATE DATABASE "{name}"{copy}'))
    url = with_database(postgres_url, name)
    try:
        yield Database(name=name, url=url, dsn=asyncpg_dsn(url))
    finally:
        run_async(_admin(admin_dsn, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def fresh_database(postgres_url: str) -> Iterator[Database]:
    """A new, empty database on the session's server, dropped (WITH FORCE) after the test."""
    with new_database(postgres_url) as database:
        yield database


@pytest.fixture
def fresh_database_url(fresh_database: Database) -> str:
    """The SQLAlchemy URL of a new, empty database for this test."""
    return fresh_database.url


@pytest.fixture(scope="session")
def _migrated_template(postgres_url: str) -> Iterator[str]:
    """A database migrated to the head revision once per session: the template of ``migrated_database``."""
    from shared.db.migrate import upgrade_async

    with new_database(postgres_url) as template:
        run_async(upgrade_async(template.url))
        yield template.name


@pytest.fixture
def migrated_database(postgres_url: str, _migrated_template: str) -> Iterator[Database]:
    """A new database already at the head migration (copied from a template: far faster than migrating)."""
    with new_database(postgres_url, template=_migrated_template) as database:
        yield database
