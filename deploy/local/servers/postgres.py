# ruff: noqa: S603  (runs initdb, pg_ctl, pg_isready and psql with fixed arguments)
"""A throwaway PostgreSQL cluster on loopback: trust auth, role and database ``switchboard``."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from .paths import DEFAULT_DATA_DIR, LOOPBACK, PG_DATABASE, PG_ROLE, POSTGRES_DEFAULT_PORT
from .postgres_host import can_traverse, find_pg_bindir, os_user_for_postgres
from .process import ServerError, free_port, port_open, say, stop_pid, tail
from .status import ServerStatus


def sql_literal(s: str) -> str:
    """``s`` as an SQL string literal."""
    return "'" + s.replace("'", "''") + "'"


def cluster_conf(host: str, port: int) -> str:
    """The settings the cluster is started with, rewritten on each start."""
    return (
        "# Written by deploy/local/servers on each start: a throwaway local/test cluster.\n"
        f"port = {port}\n"
        f"listen_addresses = '{host}'\n"
        "unix_socket_directories = ''\n"
        "max_connections = 200\n"
        "fsync = off                 # survives process crashes, not OS crashes: fine here\n"
        "full_page_writes = off\n"
        "synchronous_commit = on\n"
        "timezone = 'UTC'\n"
        "log_timezone = 'UTC'\n"
        "log_min_messages = warning\n"
        "log_connections = off\n"
    )


@dataclass
class PostgresServer:
    """A throwaway PostgreSQL cluster on loopback (trust auth, role and database ``switchboard``).

    As root, initdb/pg_ctl run as the `postgres` OS user (created if missing) and the cluster
    lives where that user can reach it. ``port``: None reuses the previous port (else 55432),
    0 picks a free one.
    """

    data_dir: Path = DEFAULT_DATA_DIR
    port: int | None = None
    host: str = LOOPBACK
    role: str = PG_ROLE
    database: str = PG_DATABASE
    start_timeout: float = 60.0
    last_start_seconds: float | None = field(default=None, init=False)
    _user: pwd.struct_passwd | None = field(default=None, init=False, repr=False)
    _user_known: bool = field(default=False, init=False, repr=False)

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir).resolve()

    # -- locations and commands

    @property
    def link(self) -> Path:
        return self.data_dir / "postgres"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "log"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "postgres.log"

    @property
    def os_user(self) -> pwd.struct_passwd | None:
        """The OS user that owns and runs the cluster (None: this process's user)."""
        if not self._user_known:
            self._user, self._user_known = os_user_for_postgres(), True
        return self._user

    @property
    def root(self) -> Path:
        """The cluster's directory (``data_dir/postgres`` or the /tmp directory it links to)."""
        if self.link.is_symlink():
            return self.link.resolve()
        return self.link

    @property
    def pgdata(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        """The SQLAlchemy URL of the database (``postgresql+asyncpg://...``)."""
        return f"postgresql+asyncpg://{self.role}@{self.host}:{self.port}/{self.database}"

    @property
    def dsn(self) -> str:
        """The same address for libpq/asyncpg (``postgresql://...``)."""
        return f"postgresql://{self.role}@{self.host}:{self.port}/{self.database}"

    def _prepare_root(self) -> None:
        user = self.os_user
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if (
            user is not None
            and not self.link.exists()
            and not self.link.is_symlink()
            and not can_traverse(self.data_dir, user)
        ):
            digest = hashlib.sha256(str(self.link).encode()).hexdigest()[:12]
            real = Path(tempfile.gettempdir()) / f"switchboard-pg-{digest}"
            real.mkdir(mode=0o700, exist_ok=True)
            self.link.symlink_to(real, target_is_directory=True)
            say(f"{user.pw_name} cannot reach {self.data_dir}; cluster lives in {real}")
        self.root.mkdir(parents=True, exist_ok=True)
        if user is not None:
            for p in (self.root, *(q for q in self.root.rglob("*") if not q.is_symlink())):
                if p.stat().st_uid != user.pw_uid:
                    os.chown(p, user.pw_uid, user.pw_gid)

    def _run(
        self, args: list[str], *, as_owner: bool = True, check: bool = True, output: TextIO | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run a PostgreSQL tool (as the cluster's owner unless told); output captured unless ``output``."""
        user = self.os_user if as_owner else None
        env = dict(os.environ, PGTZ="UTC", LC_ALL="C")
        if user is not None:
            env.update(HOME=user.pw_dir, USER=user.pw_name, LOGNAME=user.pw_name)
        cp = subprocess.run(
            args,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output if output is not None else subprocess.PIPE,
            stderr=subprocess.STDOUT if output is not None else subprocess.PIPE,
            text=True,
            user=user.pw_uid if user else None,
            group=user.pw_gid if user else None,
            extra_groups=[] if user else None,
            cwd=self.root if user else None,
        )
        if check and cp.returncode != 0:
            raise ServerError(
                f"{' '.join(args[:2])} failed (exit {cp.returncode}): "
                f"{(cp.stderr or '').strip() or (cp.stdout or '').strip()}\n{tail(self.log_file, 20)}"
            )
        return cp

    def _tool(self, name: str) -> str:
        return str(find_pg_bindir() / name)

    def _previous_port(self) -> int | None:
        try:
            m = re.search(r"^port\s*=\s*(\d+)", (self.pgdata / "switchboard.conf").read_text(), re.M)
        except OSError:
            return None
        return int(m.group(1)) if m else None

    # -- state

    def running(self) -> bool:
        """Whether the cluster's postmaster runs (pg_ctl status)."""
        if not (self.pgdata / "PG_VERSION").exists():
            return False
        return self._run([self._tool("pg_ctl"), "-D", str(self.pgdata), "status"], check=False).returncode == 0

    def answers(self) -> bool:
        """Whether the server accepts connections (pg_isready)."""
        if not self.port:
            return False
        address = ["-h", self.host, "-p", str(self.port), "-t", "2", "-U", self.role, "-d", "postgres"]
        return self._run([self._tool("pg_isready"), "-q", *address], as_owner=False, check=False).returncode == 0

    def status(self) -> ServerStatus:
        """Whether the cluster runs and answers, its URL, data directory and log."""
        if self.port is None:
            self.port = self._previous_port()
        running = self.running()
        return ServerStatus(
            running=running,
            answering=running and self.answers(),
            details={"url": self.url if self.port else None, "pgdata": str(self.pgdata), "log": str(self.log_file)},
        )

    # -- lifecycle

    def start(self, timeout: float | None = None) -> str:
        """Create the cluster if needed, start it, create the database; return the SQLAlchemy URL."""
        timeout = self.start_timeout if timeout is None else timeout
        t0 = time.monotonic()
        self._prepare_root()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        if self.running():  # already running: its port is the one in its configuration
            wanted, self.port = self.port, self._previous_port()
            if wanted and wanted != self.port:
                say(f"postgres is already running on port {self.port}, not on port {wanted}")
            self._wait_ready(timeout)
            return self.url
        port = self.port if self.port is not None else self._previous_port() or POSTGRES_DEFAULT_PORT
        self.port = port = free_port(self.host) if port == 0 else port
        if port_open(self.host, port, timeout=0.2):
            raise ServerError(f"port {self.host}:{port} is already in use; pick another with --port")
        self._init_cluster()
        conf = self.pgdata / "switchboard.conf"
        conf.write_text(cluster_conf(self.host, port))
        if self.os_user is not None:
            os.chown(conf, self.os_user.pw_uid, self.os_user.pw_gid)
        with open(self.log_file, "a") as log:  # opened by us: postgres writes to the inherited fd
            start = [self._tool("pg_ctl"), "-D", str(self.pgdata), "-w", "-t", str(int(timeout)), "-s", "start"]
            self._run(start, output=log)
        self._wait_ready(timeout)
        self._create_database()
        self.last_start_seconds = time.monotonic() - t0
        say(f"postgres ready on {self.host}:{port} in {self.last_start_seconds:.1f}s (data {self.pgdata})")
        return self.url

    def _init_cluster(self) -> None:
        if (self.pgdata / "PG_VERSION").exists():
            return
        if self.pgdata.exists():
            shutil.rmtree(self.pgdata)
        options = ["-U", self.role, "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions"]
        self._run([self._tool("initdb"), "-D", str(self.pgdata), *options])
        with open(self.pgdata / "postgresql.conf", "a") as fh:
            fh.write("\ninclude_if_exists = 'switchboard.conf'\n")

    def _create_database(self) -> None:
        query = f"SELECT 1 FROM pg_database WHERE datname = {sql_literal(self.database)}"  # noqa: S608
        if self.psql(query, database="postgres").strip() != "1":
            self.psql(f'CREATE DATABASE "{self.database}"', database="postgres")

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not self.answers():
            if time.monotonic() > deadline:
                raise ServerError(
                    f"postgres did not accept connections on {self.host}:{self.port} "
                    f"within {timeout:.0f}s; {self.log_file}:\n{tail(self.log_file, 30)}"
                )
            time.sleep(0.1)

    def psql(self, sql: str, database: str | None = None) -> str:
        """Run one SQL statement with psql over TCP; return its unaligned output."""
        address = ["-h", self.host, "-p", str(self.port), "-U", self.role, "-d", database or self.database]
        command = [self._tool("psql"), "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", *address, "-c", sql]
        return self._run(command, as_owner=False).stdout

    def stop(self, timeout: float = 30.0, kill: bool = False) -> None:
        """Stop the cluster (fast shutdown; immediate with ``kill``). No-op when not running."""
        if not self.running():
            return
        mode = "immediate" if kill else "fast"
        stop = [self._tool("pg_ctl"), "-D", str(self.pgdata), "-w", "-t", str(int(timeout)), "-m", mode, "-s", "stop"]
        cp = self._run(stop, check=False)
        if cp.returncode != 0 and self.running():
            pidfile = self.pgdata / "postmaster.pid"
            with contextlib.suppress(OSError, ValueError):
                stop_pid(int(pidfile.read_text().split()[0]), timeout=5, kill=True, name="postgres")

    def purge(self) -> None:
        """Stop and delete the cluster (and its /tmp directory when relocated)."""
        self.stop()
        real = self.root
        if self.link.is_symlink():
            self.link.unlink()
        shutil.rmtree(real, ignore_errors=True)
