"""The command line: ``python3 deploy/local/servers [--data-dir DIR] kafka|postgres|watch|free-port ...``."""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
import time
from pathlib import Path

from .kafka import KafkaServer
from .kafka_jars import fetch_kafka
from .paths import CLASSPATH_FILE, DEFAULT_DATA_DIR
from .postgres import PostgresServer
from .process import ServerError, free_port, pid_alive

DESCRIPTION = "Local Apache Kafka (single KRaft node) and a throwaway PostgreSQL cluster for Switchboard."


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
            if purge:
                pg.purge()
            else:
                pg.stop(timeout=10)
    if purge:
        shutil.rmtree(data_dir, ignore_errors=True)


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


def parser() -> argparse.ArgumentParser:
    """Every command and its options."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        type=Path,
        default=argparse.SUPPRESS,
        help=f"where data, pid files and logs live (default {DEFAULT_DATA_DIR})",
    )
    root = argparse.ArgumentParser(prog="servers", description=DESCRIPTION, parents=[common])
    sub = root.add_subparsers(dest="server", required=True)

    k = sub.add_parser("kafka", parents=[common], help="single-node KRaft Apache Kafka")
    ksub = k.add_subparsers(dest="action", required=True)
    fetch = ksub.add_parser("fetch", parents=[common], help="resolve the broker jars (Maven)")
    fetch.add_argument("--force", action="store_true")
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
    return root


def _free_ports(count: int) -> int:
    seen: set[int] = set()
    for _ in range(count):
        port = free_port(avoid=seen)
        seen.add(port)
        print(port)
    return 0


def _kafka(args: argparse.Namespace, data_dir: Path) -> int:
    if args.action == "fetch":
        fetch_kafka(force=args.force)
        print(CLASSPATH_FILE)
        return 0
    if args.action == "start":
        print(KafkaServer(data_dir, port=args.port, controller_port=args.controller_port).start(timeout=args.timeout))
        return 0
    return _stop_or_status(KafkaServer(data_dir), args, "kafka")


def _postgres(args: argparse.Namespace, data_dir: Path) -> int:
    server = PostgresServer(data_dir, port=getattr(args, "port", None))
    if args.action == "start":
        print(server.start(timeout=args.timeout))
        return 0
    return _stop_or_status(server, args, "postgres")


def _stop_or_status(server: KafkaServer | PostgresServer, args: argparse.Namespace, name: str) -> int:
    """``stop`` (``--purge`` deletes the data too) or ``status`` of either server."""
    if args.action == "stop":
        if args.purge:
            server.purge()
        else:
            server.stop(timeout=args.timeout, kill=args.kill)
        return 0
    status = server.status()
    print(status.line(name))
    return status.exit_code


def main(argv: list[str] | None = None) -> int:
    """Run one command; the exit code says how it went (``status``: 0 up, 1 not answering, 3 stopped)."""
    args = parser().parse_args(argv)
    data_dir = Path(getattr(args, "data_dir", DEFAULT_DATA_DIR))
    try:
        if args.server == "free-port":
            return _free_ports(args.count)
        if args.server == "watch":
            watch(args.pid, data_dir, purge=args.purge)
            return 0
        if args.server == "kafka":
            return _kafka(args, data_dir)
        return _postgres(args, data_dir)
    except ServerError as exc:
        print(f"servers: error: {exc}", file=sys.stderr)
        return 1
