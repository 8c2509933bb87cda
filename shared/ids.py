"""Time-ordered identifiers (UUIDv7, RFC 9562) and random tokens, from the operating system's CSPRNG."""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_seq = 0
_POOL_BYTES = 4096
_pool = b""
_used = 0


def _reset_in_child() -> None:
    """A forked child starts with its own randomness and counter, never its parent's bytes (and a fresh lock,
    which another of the parent's threads may have held at the fork)."""
    global _lock, _pool, _used, _last_ms, _seq
    _lock, _pool, _used, _last_ms, _seq = threading.Lock(), b"", 0, 0, 0


os.register_at_fork(after_in_child=_reset_in_child)


def _take(n: int) -> bytes:
    """``n`` bytes from ``os.urandom``, read 4 KiB at a time (call with ``_lock`` held).

    Every ingested message takes an id and every request a request id: one ``getrandom`` call each was
    two system calls a request, and each gave the GIL to the bus's writer thread when it wanted it.
    """
    global _pool, _used
    if _used + n > len(_pool):
        _pool, _used = os.urandom(max(_POOL_BYTES, n)), 0
    _used += n
    return _pool[_used - n : _used]


def random_hex(n: int) -> str:
    """``n`` random bytes as hex: request ids and other tokens that only need to be unique, not secret."""
    with _lock:
        return _take(n).hex()


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
            _seq = int.from_bytes(_take(2), "big") & 0x3FF
        _last_ms = ms
        seq = _seq
        rand = int.from_bytes(_take(8), "big") & ((1 << 62) - 1)
    return (ms << 80) | (0x7 << 76) | (seq << 64) | (0b10 << 62) | rand


def uuid7() -> uuid.UUID:
    """Return a UUIDv7: 48-bit Unix milliseconds, then a counter, then random bits; monotonic per process."""
    return uuid.UUID(int=_uuid7_int())


def new_id() -> str:
    """Return a new time-ordered id as a string (``str(uuid7())``, formatted without the UUID object: every
    ingested message takes one)."""
    h = f"{_uuid7_int():032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
