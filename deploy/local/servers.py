#!/usr/bin/env python3
# ruff: noqa: S603, S607  (a process launcher: runs java, mvn, initdb, pg_ctl... with fixed arguments)
"""Local Apache Kafka (single KRaft node) and a throwaway PostgreSQL cluster for Switchboard.

One implementation for ``make up``/``make down`` (deploy/local/up.sh, down.sh) and the integration
test harness (tests/integration/conftest.py imports this file). Standard library only.

    servers.py [--data-dir DIR] kafka fetch
    servers.py [--data-dir DIR] kafka start [--port P] [--controller-port P] [--timeout S]
    servers.py [--data-dir DIR] kafka stop [--kill] [--purge] [--timeout S]
    servers.py [--data-dir DIR] kafka status
    servers.py [--data-dir DIR] postgres start [--port P] [--timeout S]
    servers.py [--data-dir DIR] postgres stop [--kill] [--purge]
    servers.py [--data-dir DIR] postgres status
    servers.py free-port [COUNT]

``start`` is idempotent (a running server is left alone) and prints one line on stdout: the
bootstrap address (``127.0.0.1:9092``) or the SQLAlchemy database URL
(``postgresql+asyncpg://switchboard@127.0.0.1:55432/switchboard``). ``--port 0`` picks a free
loopback port; no ``--port`` reuses the data dir's previous port, else the default (Kafka 9092,
controller 9093, PostgreSQL 55432). ``status`` exits 0 when running and answering, 3 when
stopped, 1 when the process is up but not answering. Progress goes to stderr; server output
goes to DIR/log/ (kafka-server.log, kafka.out, postgres.log), never to the terminal.

Layout under the data dir (default ./var, or $SWITCHBOARD_VAR_DIR):
    kafka/server.properties  kafka/data/  kafka/kafka.pid
    postgres/data/           (a symlink to /tmp/switchboard-pg-* when running as root and the
                              PostgreSQL user cannot reach the data dir, e.g. under /root)
    log/
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import fcntl
import grp
import hashlib
import os
import pwd
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
KAFKA_DEPLOY = REPO / "deploy" / "kafka"
POM = KAFKA_DEPLOY / "pom.xml"
LOG4J = KAFKA_DEPLOY / "log4j.properties"
TARGET = KAFKA_DEPLOY / "target"
CLASSPATH_FILE = TARGET / "classpath.txt"
DEFAULT_DATA_DIR = Path(os.environ.get("SWITCHBOARD_VAR_DIR") or REPO / "var")
LOOPBACK = "127.0.0.1"

KAFKA_DEFAULT_PORT = 9092
KAFKA_DEFAULT_CONTROLLER_PORT = 9093
POSTGRES_DEFAULT_PORT = 55432
DEFAULT_HEAP = "-Xms256m -Xmx512m"
PG_ROLE = "switchboard"
PG_DATABASE = "switchboard"


class ServerError(RuntimeError):
    """A server could not be fetched, started or stopped; the message says why."""


def _say(msg: str) -> None:
    print(f"servers: {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# ports and processes


def free_port(host: str = LOOPBACK, avoid: set[int] | None = None) -> int:
    """A TCP port on ``host`` that nothing listens on right now."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind((host, 0))
            port = s.getsockname()[1]
        if not avoid or port not in avoid:
            return port
    raise ServerError("could not find a free port")


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    """Whether something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def pid_alive(pid: int) -> bool:
    """Whether ``pid`` is a live (non-zombie) process."""
    _reap(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat.rsplit(")", 1)[1].split()[0] != "Z":
            return True
        # A zombie main thread with live threads (a JVM running its shutdown hooks) is alive.
        return any(t.name != str(pid) for t in Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return False


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def stop_pid(pid: int, timeout: float = 30.0, kill: bool = False, name: str = "process") -> None:
    """SIGTERM (or SIGKILL when ``kill``) the process group of ``pid``; SIGKILL after ``timeout``."""
    if not pid_alive(pid):
        return

    def send(sig: int) -> None:
        try:
            os.killpg(pid, sig)  # started as a session leader: take its children too
        except (ProcessLookupError, PermissionError):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)

    send(signal.SIGKILL if kill else signal.SIGTERM)
    deadline = time.monotonic() + (5.0 if kill else timeout)
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return
        time.sleep(0.05)
    if not kill:
        _say(f"{name} (pid {pid}) did not stop in {timeout:.0f}s; sending SIGKILL")
        send(signal.SIGKILL)
        deadline = time.monotonic() + 5.0
        while time.monotonic() < deadline:
            if not pid_alive(pid):
                return
            time.sleep(0.05)
    raise ServerError(f"{name} (pid {pid}) is still alive after SIGKILL")


def tail(path: Path, lines: int = 40) -> str:
    """The last ``lines`` lines of a text file ('' when missing)."""
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            fh.seek(max(0, size - 64 * 1024))
            data = fh.read().decode(errors="replace")
    except OSError:
        return ""
    return "\n".join(data.splitlines()[-lines:])


# ---------------------------------------------------------------------------------------------
# Kafka


def _find_java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").exists():
        return str(Path(java_home) / "bin" / "java")
    java = shutil.which("java")
    if not java:
        raise ServerError("java not found: install openjdk-17-jdk-headless (.ci/install-deps.sh does)")
    return java


def _classpath_fresh() -> bool:
    if not CLASSPATH_FILE.exists() or CLASSPATH_FILE.stat().st_mtime < POM.stat().st_mtime:
        return False
    entries = CLASSPATH_FILE.read_text().strip().split(os.pathsep)
    return bool(entries) and all(Path(e).is_file() for e in entries)


def fetch_kafka(force: bool = False) -> str:
    """Resolve the broker's jars from Maven Central (cached in ~/.m2); return the classpath."""
    TARGET.mkdir(parents=True, exist_ok=True)
    with open(TARGET / ".fetch.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # concurrent starters (xdist workers) fetch once
        if force or not _classpath_fresh():
            mvn = shutil.which("mvn")
            if not mvn:
                raise ServerError("mvn not found: install maven (.ci/install-deps.sh does)")
            log = TARGET / "mvn.log"
            t0 = time.monotonic()
            _say("fetching Kafka jars with Maven (first time only) ...")
            tmp = CLASSPATH_FILE.with_suffix(".tmp")
            with open(log, "w") as out:
                rc = subprocess.call(
                    [
                        mvn,
                        "-B",
                        "-q",
                        "-f",
                        str(POM),
                        "dependency:build-classpath",
                        f"-Dmdep.outputFile={tmp}",
                        "-Dmdep.includeScope=runtime",
                    ],
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    cwd=KAFKA_DEPLOY,
                )
            if rc != 0 or not tmp.exists():
                raise ServerError(f"mvn failed (exit {rc}); {log}:\n{tail(log)}")
            os.replace(tmp, CLASSPATH_FILE)
            _say(f"Kafka jars ready in {time.monotonic() - t0:.1f}s")
    return CLASSPATH_FILE.read_text().strip()


def _kafka_uuid() -> str:
    """A random Kafka cluster id (a UUID, base64url without padding, as `kafka-storage random-uuid`)."""
    while True:
        raw = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not raw.startswith("-"):  # keep it safe to pass as a command-line value
            return raw


def kafka_metadata(host: str, port: int, timeout: float = 2.0) -> dict:
    """Send a Metadata v4 request; return {'cluster_id', 'controller_id', 'brokers': [(id, host, port)]}."""
    client_id = b"switchboard-servers"
    body = struct.pack(">ib", -1, 0)  # all topics, no auto-creation
    header = struct.pack(">hhih", 3, 4, 7, len(client_id)) + client_id
    msg = header + body
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.settimeout(timeout)
        s.sendall(struct.pack(">i", len(msg)) + msg)

        def read(n: int) -> bytes:
            buf = b""
            while len(buf) < n:
                chunk = s.recv(n - len(buf))
                if not chunk:
                    raise ConnectionError("connection closed by broker")
                buf += chunk
            return buf

        (size,) = struct.unpack(">i", read(4))
        data = read(size)
    pos = 0

    def take(fmt: str):
        nonlocal pos
        vals = struct.unpack_from(fmt, data, pos)
        pos += struct.calcsize(fmt)
        return vals[0] if len(vals) == 1 else vals

    def string() -> str | None:
        nonlocal pos
        n = take(">h")
        if n < 0:
            return None
        s_ = data[pos : pos + n].decode()
        pos += n
        return s_

    corr, _throttle = take(">ii")
    if corr != 7:
        raise ConnectionError("unexpected correlation id")
    brokers = []
    for _ in range(take(">i")):
        node = take(">i")
        bhost = string()
        bport = take(">i")
        string()  # rack
        brokers.append((node, bhost, bport))
    cluster_id = string()
    controller_id = take(">i")
    return {"cluster_id": cluster_id, "controller_id": controller_id, "brokers": brokers}


@dataclass
class KafkaServer:
    """A single-node KRaft broker+controller on loopback, its files under ``data_dir``.

    ``port``/``controller_port``: None reuses the data dir's previous ports (else the defaults),
    0 picks free ones. After ``start()`` they hold the real ports, so ``stop()``/``start()`` keep
    the same address and data.
    """

    data_dir: Path = DEFAULT_DATA_DIR
    port: int | None = None
    controller_port: int | None = None
    host: str = LOOPBACK
    heap: str = field(default_factory=lambda: os.environ.get("SWITCHBOARD_KAFKA_HEAP_OPTS", DEFAULT_HEAP))
    partitions: int = 12
    start_timeout: float = 120.0

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir).resolve()
        self.dir = self.data_dir / "kafka"
        self.log_dir = self.data_dir / "log"
        self.props = self.dir / "server.properties"
        self.storage = self.dir / "data"
        self.pid_file = self.dir / "kafka.pid"
        self.out_file = self.log_dir / "kafka.out"
        self.server_log = self.log_dir / "kafka-server.log"
        self.last_start_seconds: float | None = None
        self._proc: subprocess.Popen | None = None

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    # -- state

    def pid(self) -> int | None:
        """The broker's pid when it is running (checked against its command line)."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        if pid_alive(pid) and f"-Dswitchboard.kafka.dir={self.dir}" in _cmdline(pid):
            return pid
        return None

    def _previous_ports(self) -> tuple[int | None, int | None]:
        try:
            text = self.props.read_text()
        except OSError:
            return None, None
        m = re.search(r"^listeners=PLAINTEXT://[^:]+:(\d+),CONTROLLER://[^:]+:(\d+)", text, re.M)
        return (int(m.group(1)), int(m.group(2))) if m else (None, None)

    def _resolve_ports(self) -> None:
        prev_port, prev_ctrl = self._previous_ports()
        if self.port is None:
            self.port = prev_port or KAFKA_DEFAULT_PORT
        if self.controller_port is None:
            self.controller_port = prev_ctrl or KAFKA_DEFAULT_CONTROLLER_PORT
        if self.port == 0:
            self.port = free_port(self.host)
        if self.controller_port == 0:
            self.controller_port = free_port(self.host, avoid={self.port})

    def answers(self, timeout: float = 2.0) -> bool:
        """Whether the broker answers a Metadata request and lists itself."""
        if not self.port:
            return False
        try:
            md = kafka_metadata(self.host, self.port, timeout=timeout)
        except (OSError, struct.error, ConnectionError, UnicodeDecodeError):
            return False
        return any(node == 1 for node, _h, _p in md["brokers"])

    def status(self) -> dict:
        pid = self.pid()
        if self.port is None:
            self.port, self.controller_port = self._previous_ports()
        return {
            "running": pid is not None,
            "pid": pid,
            "answering": pid is not None and self.answers(),
            "bootstrap": self.bootstrap if self.port else None,
            "log": str(self.server_log),
        }

    # -- lifecycle

    def _write_properties(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        h, p, c = self.host, self.port, self.controller_port
        self.props.write_text(f"""\
# Generated by deploy/local/servers.py on each start; edit that file, not this one.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@{h}:{c}
listeners=PLAINTEXT://{h}:{p},CONTROLLER://{h}:{c}
advertised.listeners=PLAINTEXT://{h}:{p}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs={self.storage}
num.partitions={self.partitions}
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=12
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=12
group.initial.rebalance.delay.ms=0
# A broker killed with SIGKILL cannot re-register until its old session expires (default 9 s);
# keep crash-restart tests fast.
broker.session.timeout.ms=3000
broker.heartbeat.interval.ms=500
auto.create.topics.enable=false
delete.topic.enable=true
log.retention.hours=24
log.segment.bytes=67108864
num.recovery.threads.per.data.dir=2
""")

    def _java_cmd(self, classpath: str, main: str, *args: str, heap: str = "-Xms64m -Xmx256m") -> list[str]:
        return [
            _find_java(),
            *heap.split(),
            "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20",
            "-XX:InitiatingHeapOccupancyPercent=35",
            "-XX:+ExplicitGCInvokesConcurrent",
            "-Djava.awt.headless=true",
            f"-Dlog4j.configuration=file:{LOG4J}",
            f"-Dkafka.logs.dir={self.log_dir}",
            f"-Dswitchboard.kafka.dir={self.dir}",
            "-cp",
            classpath,
            main,
            *args,
        ]

    def _format(self, classpath: str) -> None:
        if (self.storage / "meta.properties").exists():
            return
        cmd = self._java_cmd(
            classpath,
            "kafka.tools.StorageTool",
            "format",
            "-t",
            _kafka_uuid(),
            "-c",
            str(self.props),
            "--ignore-formatted",
        )
        with open(self.out_file, "a") as out:
            rc = subprocess.call(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        if rc != 0:
            raise ServerError(f"kafka storage format failed (exit {rc}); {self.out_file}:\n{tail(self.out_file)}")

    def start(self, timeout: float | None = None) -> str:
        """Start (or find running) and wait until it answers; return the bootstrap address."""
        timeout = self.start_timeout if timeout is None else timeout
        t0 = time.monotonic()
        pid = self.pid()
        if pid is not None:  # already running: its address is the one in its configuration
            wanted = self.port
            self.port, self.controller_port = self._previous_ports()
            if wanted and wanted != self.port:
                _say(f"kafka is already running on {self.bootstrap}, not on port {wanted}")
            self._wait_ready(pid, None, timeout)
            return self.bootstrap
        classpath = fetch_kafka()
        self._resolve_ports()
        for port in (self.port, self.controller_port):
            if port_open(self.host, port, timeout=0.2):
                raise ServerError(
                    f"port {self.host}:{port} is already in use; pick another with --port/--controller-port"
                )
        self._write_properties()
        self._format(classpath)
        out = open(self.out_file, "a")  # noqa: SIM115 - handed to the child, closed below
        try:
            proc = subprocess.Popen(
                self._java_cmd(classpath, "kafka.Kafka", str(self.props), heap=self.heap),
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                cwd=self.dir,
            )
        finally:
            out.close()
        self._proc = proc  # kept so that it is reaped (and no ResourceWarning) when stopped
        self.pid_file.write_text(f"{proc.pid}\n")
        self._wait_ready(proc.pid, proc, timeout)
        self.last_start_seconds = time.monotonic() - t0
        _say(f"kafka ready on {self.bootstrap} in {self.last_start_seconds:.1f}s (pid {proc.pid}, logs {self.log_dir})")
        return self.bootstrap

    def _wait_ready(self, pid: int, proc: subprocess.Popen | None, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.answers(timeout=1.0):
                return
            alive = pid_alive(pid) if proc is None else proc.poll() is None
            if not alive:
                self.pid_file.unlink(missing_ok=True)
                raise ServerError(
                    f"kafka exited during start-up; {self.out_file}:\n{tail(self.out_file, 20)}\n"
                    f"{self.server_log}:\n{tail(self.server_log, 30)}"
                )
            if time.monotonic() > deadline:
                raise ServerError(
                    f"kafka did not answer on {self.bootstrap} within {timeout:.0f}s (pid {pid} left running); "
                    f"{self.server_log}:\n{tail(self.server_log, 30)}"
                )
            time.sleep(0.1)

    def stop(self, timeout: float = 30.0, kill: bool = False) -> None:
        """Stop the broker (SIGTERM, SIGKILL after ``timeout``; SIGKILL at once with ``kill``)."""
        pid = self.pid()
        if pid is not None:
            stop_pid(pid, timeout=timeout, kill=kill, name="kafka")
        self.pid_file.unlink(missing_ok=True)
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.poll()

    def kill(self) -> None:
        """SIGKILL the broker (a crash: no controlled shutdown)."""
        self.stop(kill=True)

    def restart(self, timeout: float | None = None) -> str:
        self.stop()
        return self.start(timeout)

    def purge(self) -> None:
        """Stop and delete the broker's data and configuration (logs are kept)."""
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# PostgreSQL


def find_pg_bindir() -> Path:
    """Where initdb/pg_ctl live: $SWITCHBOARD_PG_BIN, the newest /usr/lib/postgresql/*/bin, or PATH."""
    env = os.environ.get("SWITCHBOARD_PG_BIN")
    if env:
        return Path(env)
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
        reverse=True,
    )
    if candidates:
        return candidates[0].parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True).stdout.strip()
        if out and (Path(out) / "initdb").exists():
            return Path(out)
    raise ServerError(
        "PostgreSQL server binaries not found: install Debian's `postgresql` package "
        "(.ci/install-deps.sh does) or set SWITCHBOARD_PG_BIN"
    )


def _os_user_for_postgres() -> pwd.struct_passwd | None:
    """The OS user that runs postgres: None when we are not root; else `postgres` (created if missing)."""
    if os.geteuid() != 0:
        return None
    for name in (os.environ.get("SWITCHBOARD_PG_OS_USER"), "postgres"):
        if not name:
            continue
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    name = os.environ.get("SWITCHBOARD_PG_OS_USER") or "postgres"
    subprocess.run(
        [
            "useradd",
            "--system",
            "--user-group",
            "--no-create-home",
            "--home-dir",
            "/nonexistent",
            "--shell",
            "/usr/sbin/nologin",
            name,
        ],
        check=True,
        capture_output=True,
    )
    return pwd.getpwnam(name)


def _can_traverse(path: Path, user: pwd.struct_passwd) -> bool:
    """Whether ``user`` can reach ``path`` (x permission on it and every ancestor that exists)."""
    groups = {user.pw_gid} | {g.gr_gid for g in grp.getgrall() if user.pw_name in g.gr_mem}
    for p in [path, *path.parents]:
        if not p.exists():
            continue
        st = p.stat()
        if st.st_uid == user.pw_uid:
            ok = st.st_mode & 0o100
        elif st.st_gid in groups:
            ok = st.st_mode & 0o010
        else:
            ok = st.st_mode & 0o001
        if not ok:
            return False
    return True


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

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir).resolve()
        self.link = self.data_dir / "postgres"
        self.log_dir = self.data_dir / "log"
        self.log_file = self.log_dir / "postgres.log"
        self.last_start_seconds: float | None = None
        self._user: pwd.struct_passwd | bool | None = False  # False: not looked up yet

    # -- locations and commands

    @property
    def os_user(self) -> pwd.struct_passwd | None:
        if self._user is False:
            self._user = _os_user_for_postgres()
        return self._user  # type: ignore[return-value]

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
            and not _can_traverse(self.data_dir, user)
        ):
            digest = hashlib.sha256(str(self.link).encode()).hexdigest()[:12]
            real = Path(tempfile.gettempdir()) / f"switchboard-pg-{digest}"
            real.mkdir(mode=0o700, exist_ok=True)
            self.link.symlink_to(real, target_is_directory=True)
            _say(f"{user.pw_name} cannot reach {self.data_dir}; cluster lives in {real}")
        self.root.mkdir(parents=True, exist_ok=True)
        if user is not None:
            for p in (self.root, *(q for q in self.root.rglob("*") if not q.is_symlink())):
                if p.stat().st_uid != user.pw_uid:
                    os.chown(p, user.pw_uid, user.pw_gid)

    def _run(self, args: list[str], *, as_owner: bool = True, check: bool = True, **kw) -> subprocess.CompletedProcess:
        user = self.os_user if as_owner else None
        env = dict(os.environ, PGTZ="UTC", LC_ALL="C")
        if user is not None:
            env.update(HOME=user.pw_dir, USER=user.pw_name, LOGNAME=user.pw_name)
            kw.update(user=user.pw_uid, group=user.pw_gid, extra_groups=[], cwd=self.root)
        kw.setdefault("stdin", subprocess.DEVNULL)
        kw.setdefault("capture_output", "stdout" not in kw)
        kw.setdefault("text", True)
        cp = subprocess.run(args, env=env, **kw)
        if check and cp.returncode != 0:
            raise ServerError(
                f"{' '.join(args[:2])} failed (exit {cp.returncode}): "
                f"{(cp.stderr or '').strip() or (cp.stdout or '').strip()}\n{tail(self.log_file, 20)}"
            )
        return cp

    def _previous_port(self) -> int | None:
        try:
            m = re.search(r"^port\s*=\s*(\d+)", (self.pgdata / "switchboard.conf").read_text(), re.M)
        except OSError:
            return None
        return int(m.group(1)) if m else None

    # -- state

    def running(self) -> bool:
        if not (self.pgdata / "PG_VERSION").exists():
            return False
        bindir = find_pg_bindir()
        return self._run([str(bindir / "pg_ctl"), "-D", str(self.pgdata), "status"], check=False).returncode == 0

    def answers(self) -> bool:
        if not self.port:
            return False
        bindir = find_pg_bindir()
        cp = self._run(
            [
                str(bindir / "pg_isready"),
                "-q",
                "-h",
                self.host,
                "-p",
                str(self.port),
                "-t",
                "2",
                "-U",
                self.role,
                "-d",
                "postgres",
            ],
            as_owner=False,
            check=False,
        )
        return cp.returncode == 0

    def status(self) -> dict:
        if self.port is None:
            self.port = self._previous_port()
        running = self.running()
        return {
            "running": running,
            "answering": running and self.answers(),
            "url": self.url if self.port else None,
            "pgdata": str(self.pgdata),
            "log": str(self.log_file),
        }

    # -- lifecycle

    def start(self, timeout: float | None = None) -> str:
        """Create the cluster if needed, start it, create the database; return the SQLAlchemy URL."""
        timeout = self.start_timeout if timeout is None else timeout
        t0 = time.monotonic()
        bindir = find_pg_bindir()
        self._prepare_root()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        if self.running():  # already running: its port is the one in its configuration
            wanted, self.port = self.port, self._previous_port()
            if wanted and wanted != self.port:
                _say(f"postgres is already running on port {self.port}, not on port {wanted}")
            self._wait_ready(timeout)
            return self.url
        if self.port is None:
            self.port = self._previous_port() or POSTGRES_DEFAULT_PORT
        if self.port == 0:
            self.port = free_port(self.host)
        if port_open(self.host, self.port, timeout=0.2):
            raise ServerError(f"port {self.host}:{self.port} is already in use; pick another with --port")
        if not (self.pgdata / "PG_VERSION").exists():
            if self.pgdata.exists():
                shutil.rmtree(self.pgdata)
            self._run(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(self.pgdata),
                    "-U",
                    self.role,
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--no-locale",
                    "--no-sync",
                    "--no-instructions",
                ]
            )
            with open(self.pgdata / "postgresql.conf", "a") as fh:
                fh.write("\ninclude_if_exists = 'switchboard.conf'\n")
        conf = self.pgdata / "switchboard.conf"
        conf.write_text(
            "# Written by deploy/local/servers.py on each start: a throwaway local/test cluster.\n"
            f"port = {self.port}\n"
            f"listen_addresses = '{self.host}'\n"
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
        if self.os_user is not None:
            os.chown(conf, self.os_user.pw_uid, self.os_user.pw_gid)
        with open(self.log_file, "a") as log:  # opened by us: postgres writes to the inherited fd
            self._run(
                [str(bindir / "pg_ctl"), "-D", str(self.pgdata), "-w", "-t", str(int(timeout)), "-s", "start"],
                stdout=log,
                stderr=subprocess.STDOUT,
                capture_output=False,
            )
        self._wait_ready(timeout)
        exists = self.psql(
            f"SELECT 1 FROM pg_database WHERE datname = {_sql_literal(self.database)}",  # noqa: S608,
            database="postgres",
        ).strip()
        if exists != "1":
            self.psql(f'CREATE DATABASE "{self.database}"', database="postgres")
        self.last_start_seconds = time.monotonic() - t0
        _say(f"postgres ready on {self.host}:{self.port} in {self.last_start_seconds:.1f}s (data {self.pgdata})")
        return self.url

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
        bindir = find_pg_bindir()
        cp = self._run(
            [
                str(bindir / "psql"),
                "-X",
                "-q",
                "-tA",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                self.host,
                "-p",
                str(self.port),
                "-U",
                self.role,
                "-d",
                database or self.database,
                "-c",
                sql,
            ],
            as_owner=False,
        )
        return cp.stdout

    def stop(self, timeout: float = 30.0, kill: bool = False) -> None:
        """Stop the cluster (fast shutdown; immediate with ``kill``). No-op when not running."""
        if not self.running():
            return
        bindir = find_pg_bindir()
        cp = self._run(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(self.pgdata),
                "-w",
                "-t",
                str(int(timeout)),
                "-m",
                "immediate" if kill else "fast",
                "-s",
                "stop",
            ],
            check=False,
        )
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


def _sql_literal(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


# ---------------------------------------------------------------------------------------------
# command line


def watch(pid: int, data_dir: Path, purge: bool = False, poll: float = 1.0) -> None:
    """Wait until ``pid`` exits, then stop the servers under ``data_dir`` (a test run that was killed)."""
    while pid_alive(pid):
        time.sleep(poll)
    data_dir = Path(data_dir)
    for kafka_dir in (p.parent for p in data_dir.glob("**/kafka/server.properties")):
        with contextlib.suppress(Exception):
            KafkaServer(kafka_dir.parent).stop(timeout=10)
    for pg_link in (p for p in data_dir.glob("**/postgres") if (p / "data" / "PG_VERSION").exists()):
        with contextlib.suppress(Exception):
            pg = PostgresServer(pg_link.parent)
            pg.purge() if purge else pg.stop(timeout=10)
    if purge:
        shutil.rmtree(data_dir, ignore_errors=True)


def _print_status(name: str, st: dict) -> int:
    state = "running" if st["running"] else "stopped"
    extra = " ".join(f"{k}={v}" for k, v in st.items() if k not in ("running",) and v is not None)
    print(f"{name}: {state} {extra}".rstrip())
    if not st["running"]:
        return 3
    return 0 if st["answering"] else 1


def _stop_parser(
    actions: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
    *,
    kill: str,
    purge: str,
) -> None:
    """The ``stop`` action of a server's command, with what ``--kill`` and ``--purge`` mean for it."""
    stop = actions.add_parser("stop", parents=[common])
    stop.add_argument("--kill", action="store_true", help=kill)
    stop.add_argument("--purge", action="store_true", help=purge)
    stop.add_argument("--timeout", type=float, default=30.0)


def main(argv: list[str] | None = None) -> int:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        type=Path,
        default=argparse.SUPPRESS,
        help=f"where data, pid files and logs live (default {DEFAULT_DATA_DIR})",
    )
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], parents=[common])
    sub = parser.add_subparsers(dest="server", required=True)

    k = sub.add_parser("kafka", parents=[common], help="single-node KRaft Apache Kafka")
    ksub = k.add_subparsers(dest="action", required=True)
    ksub.add_parser("fetch", parents=[common], help="resolve the broker jars (Maven)").add_argument(
        "--force", action="store_true"
    )
    ks = ksub.add_parser("start", parents=[common])
    ks.add_argument("--port", type=int, default=None, help="client port (0 = free port)")
    ks.add_argument("--controller-port", type=int, default=None, help="KRaft controller port (0 = free port)")
    ks.add_argument("--timeout", type=float, default=120.0)
    _stop_parser(ksub, common, kill="SIGKILL at once (simulate a crash)", purge="also delete the broker's data")
    ksub.add_parser("status", parents=[common])

    p = sub.add_parser("postgres", parents=[common], help="throwaway PostgreSQL cluster")
    psub = p.add_subparsers(dest="action", required=True)
    ps = psub.add_parser("start", parents=[common])
    ps.add_argument("--port", type=int, default=None, help="port (0 = free port)")
    ps.add_argument("--timeout", type=float, default=60.0)
    _stop_parser(psub, common, kill="immediate shutdown", purge="also delete the cluster")
    psub.add_parser("status", parents=[common])

    w = sub.add_parser("watch", parents=[common], help="stop (and purge) the data dir's servers once PID exits")
    w.add_argument("pid", type=int)
    w.add_argument("--purge", action="store_true", help="also delete the data dir afterwards")

    fp = sub.add_parser("free-port", help="print free loopback TCP ports")
    fp.add_argument("count", type=int, nargs="?", default=1)

    args = parser.parse_args(argv)
    data_dir = getattr(args, "data_dir", DEFAULT_DATA_DIR)
    try:
        if args.server == "free-port":
            seen: set[int] = set()
            for _ in range(args.count):
                port = free_port(avoid=seen)
                seen.add(port)
                print(port)
            return 0
        if args.server == "watch":
            watch(args.pid, Path(data_dir), purge=args.purge)
            return 0
        if args.server == "kafka":
            if args.action == "fetch":
                fetch_kafka(force=args.force)
                print(CLASSPATH_FILE)
                return 0
            if args.action == "start":
                srv = KafkaServer(data_dir, port=args.port, controller_port=args.controller_port)
                print(srv.start(timeout=args.timeout))
                return 0
            srv = KafkaServer(data_dir)
            if args.action == "stop":
                srv.purge() if args.purge else srv.stop(timeout=args.timeout, kill=args.kill)
                return 0
            return _print_status("kafka", srv.status())
        pg = PostgresServer(data_dir, port=getattr(args, "port", None))
        if args.action == "start":
            print(pg.start(timeout=args.timeout))
            return 0
        if args.action == "stop":
            pg.purge() if args.purge else pg.stop(timeout=args.timeout, kill=args.kill)
            return 0
        return _print_status("postgres", pg.status())
    except ServerError as exc:
        print(f"servers: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
