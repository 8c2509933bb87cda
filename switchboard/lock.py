"""One embedded Switchboard per data directory: a second ``switchboard run`` on the same files refuses to start."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url

from shared.settings import Settings


class AlreadyRunning(RuntimeError):
    """Another process holds the data directory's lock."""


def lock_path(settings: Settings) -> Path | None:
    """The lock file beside the SQLite database (None for a server database: nothing local to guard)."""
    if not settings.is_sqlite:
        return None
    database = make_url(settings.database_url).database
    if not database or database == ":memory:":
        return None
    return Path(database).with_name(Path(database).name + ".lock")


@contextmanager
def exclusive(settings: Settings) -> Iterator[None]:
    """Hold the data directory's lock for the block; raise ``AlreadyRunning`` when another process has it.

    An advisory ``flock``: the kernel releases it when the holder exits, however it exits, so a crash
    leaves no stale lock behind.
    """
    path = lock_path(settings)
    if path is None:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "another process"
            raise AlreadyRunning(f"Switchboard is already running on {path.parent} (pid {holder})") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)
