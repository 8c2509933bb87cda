"""The blob-store port: attachment bytes stored content-addressed by SHA-256, durable before a message is.

Adapters store an attachment's bytes first and publish the message that refers to them after, so a message
on the bus never names bytes that were lost. The gateway serves them back to whoever may read the message.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BlobStore(Protocol):
    """Content-addressed storage of attachment bytes."""

    async def put(self, data: bytes) -> str:
        """Store ``data`` durably; return its SHA-256 (hex), which is also its storage reference."""
        ...

    async def get(self, sha256: str) -> bytes | None:
        """The bytes stored under ``sha256``, or None."""
        ...


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data`` as lower-case hex."""
    return hashlib.sha256(data).hexdigest()


class FileBlobStore:
    """Blobs as files ``<root>/ab/cd/<sha256>``, written to a temporary file, fsynced, then renamed."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, sha256: str) -> Path:
        if not _SHA256.match(sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    async def put(self, data: bytes) -> str:
        """Store ``data`` durably (off the event loop); storing the same bytes twice is a no-op."""
        digest = sha256_hex(data)
        await asyncio.to_thread(self._write, self._path(digest), data)
        return digest

    async def get(self, sha256: str) -> bytes | None:
        """The stored bytes, or None when there are none (or ``sha256`` is not a digest)."""
        try:
            path = self._path(sha256)
        except ValueError:
            return None
        return await asyncio.to_thread(_read, path)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        if path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
