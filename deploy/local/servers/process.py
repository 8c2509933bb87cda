"""Ports and processes: free ports, liveness that sees through zombies, stopping a process group."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import time
from pathlib import Path

from .paths import LOOPBACK


class ServerError(RuntimeError):
    """A server could not be fetched, started or stopped; the message says why."""


def say(msg: str) -> None:
    """Progress for the operator, on stderr (stdout carries only the command's answer)."""
    print(f"servers: {msg}", file=sys.stderr, flush=True)


def free_port(host: str = LOOPBACK, avoid: set[int] | None = None) -> int:
    """A TCP port on ``host`` that nothing listens on right now."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind((host, 0))
            port: int = s.getsockname()[1]
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


def cmdline(pid: int) -> str:
    """The command line of ``pid``, arguments joined by spaces ('' when it is gone)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _signal_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)  # started as a session leader: take its children too
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


def _gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return True
        time.sleep(0.05)
    return False


def stop_pid(pid: int, timeout: float = 30.0, kill: bool = False, name: str = "process") -> None:
    """SIGTERM (or SIGKILL when ``kill``) the process group of ``pid``; SIGKILL after ``timeout``."""
    if not pid_alive(pid):
        return
    _signal_group(pid, signal.SIGKILL if kill else signal.SIGTERM)
    if _gone_within(pid, 5.0 if kill else timeout):
        return
    if not kill:
        say(f"{name} (pid {pid}) did not stop in {timeout:.0f}s; sending SIGKILL")
        _signal_group(pid, signal.SIGKILL)
        if _gone_within(pid, 5.0):
            return
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
