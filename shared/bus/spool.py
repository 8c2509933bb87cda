"""A durable local spool for records the broker did not acknowledge in time, forwarded in order later.

Why not answer 503 instead: a record the producer has sent to a frozen broker is in flight, and the broker
appends it when it wakes, whatever the client does then. A refusal would be a lie (a refused message
routed anyway). So a record the broker does not acknowledge in time is written here (appended and
fsynced) before the caller is told it was accepted; while anything waits here, later records queue behind
it, so each conversation stays in order. Forwarding may deliver a record twice (the in-flight copy and the
spooled one): consumers already dedupe by message id.

Each bus writes its own file, locked while it runs; a bus adopts the files of processes that died
(unlocked) and forwards them too. A 503 is left only for a spool that cannot be written.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import struct
import uuid
from collections import deque
from dataclasses import dataclass
from pathlib import Path

_HEADER = struct.Struct(">HHI")


@dataclass(frozen=True, slots=True)
class Spooled:
    """One record waiting for the broker."""

    topic: str
    key: str
    value: bytes


class Spool:
    """Append-only, fsynced files of records; read back in order."""

    def __init__(self, directory: Path, name: str) -> None:
        self.directory = directory
        self.path = directory / f"{name}-{uuid.uuid4().hex[:12]}.spool"  # one file per bus, even in one process
        self._fd: int | None = None
        self._adopted: dict[Path, int] = {}
        self._pending: deque[Spooled] = deque()
        self._lock = asyncio.Lock()

    @property
    def pending(self) -> int:
        """Records not yet forwarded."""
        return len(self._pending)

    def open(self) -> None:
        """Lock this process's file and adopt (load) every unlocked file, this one's leftovers included."""
        self.directory.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        records, whole = _read(self.path)
        os.ftruncate(self._fd, whole)  # drop a torn last frame before appending after it
        self._pending.extend(records)
        self.adopt()

    def adopt(self) -> None:
        """Load the files of processes that are gone (nobody holds their lock)."""
        for other in sorted(self.directory.glob("*.spool")):
            if other == self.path or other in self._adopted:
                continue
            fd = os.open(other, os.O_RDWR)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            self._adopted[other] = fd
            self._pending.extend(_read(other)[0])

    async def append(self, record: Spooled) -> None:
        """Make ``record`` durable (raises ``OSError`` when the disk refuses)."""
        assert self._fd is not None, "open the spool first"
        data = record.topic.encode(), record.key.encode(), record.value
        frame = _HEADER.pack(len(data[0]), len(data[1]), len(data[2])) + b"".join(data)
        async with self._lock:
            await asyncio.to_thread(_write_synced, self._fd, frame)
            self._pending.append(record)

    def head(self, limit: int) -> list[Spooled]:
        """The oldest records, in order."""
        return [self._pending[i] for i in range(min(limit, len(self._pending)))]

    async def forwarded(self, count: int) -> None:
        """The oldest ``count`` records are acknowledged; once none is left, empty the files."""
        async with self._lock:
            for _ in range(count):
                self._pending.popleft()
            if not self._pending and self._fd is not None:
                os.ftruncate(self._fd, 0)
                for path, fd in self._adopted.items():
                    path.unlink(missing_ok=True)
                    os.close(fd)
                self._adopted.clear()

    def close(self) -> None:
        """Release the files: an empty one is removed, what is still pending stays for the next process."""
        for fd in self._adopted.values():
            os.close(fd)
        self._adopted.clear()
        if self._fd is not None:
            if not self._pending:
                self.path.unlink(missing_ok=True)
            os.close(self._fd)
            self._fd = None


def _write_synced(fd: int, frame: bytes) -> None:
    os.write(fd, frame)
    os.fsync(fd)


def _read(path: Path) -> tuple[list[Spooled], int]:
    """Every whole record in a spool file and the length they take (a torn last frame, from a crash
    mid-write, was never acknowledged to anyone)."""
    data = path.read_bytes()
    records, at = [], 0
    while at + _HEADER.size <= len(data):
        topic_len, key_len, value_len = _HEADER.unpack_from(data, at)
        end = at + _HEADER.size + topic_len + key_len + value_len
        if end > len(data):
            break
        body = data[at + _HEADER.size : end]
        topic, key = body[:topic_len].decode(), body[topic_len : topic_len + key_len].decode()
        records.append(Spooled(topic, key, body[topic_len + key_len :]))
        at = end
    return records, at
