"""Time-ordered identifiers (UUIDv7, RFC 9562)."""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_seq = 0


def _uuid7_int() -> int:
    """A UUIDv7 as an integer: 48-bit Unix milliseconds, then a counter, then random bits; monotonic per process."""
    global _last_ms, _seq
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms <= _last_ms:
            ms = _last_ms
            _seq += 1
            if _seq > 0xFFF:
                ms += 1
                _seq = 0
        else:
            _seq = int.from_bytes(os.urandom(2), "big") & 0x3FF
        _last_ms = ms
        seq = _seq
    rand = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    return (ms << 80) | (0x7 << 76) | (seq << 64) | (0b10 << 62) | rand


def uuid7() -> uuid.UUID:
    """Return a UUIDv7: 48-bit Unix milliseconds, then a counter, then random bits; monotonic per process."""
    return uuid.UUID(int=_uuid7_int())


def new_id() -> str:
    """Return a new time-ordered id as a string (``str(uuid7())``, formatted without the UUID object: every
    ingested message takes one)."""
    h = f"{_uuid7_int():032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
