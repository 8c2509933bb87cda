"""The Kafka bus's local spool: durable, in order, torn tails dropped, dead processes' files adopted."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.bus.spool import Spool, Spooled

pytestmark = pytest.mark.asyncio


def record(i: int) -> Spooled:
    return Spooled("inbound", f"conv-{i % 3}", f"message {i}".encode())


async def test_records_survive_a_restart_in_order(tmp_path: Path) -> None:
    spool = Spool(tmp_path, "gateway")
    spool.open()
    for i in range(5):
        await spool.append(record(i))
    spool.close()
    again = Spool(tmp_path, "gateway")
    again.open()
    assert again.head(10) == [record(i) for i in range(5)]
    await again.forwarded(2)
    assert again.head(10) == [record(i) for i in range(2, 5)]
    await again.forwarded(3)
    assert again.pending == 0
    again.close()
    assert list(tmp_path.glob("*.spool")) == []  # forwarded files are removed, and an empty one on close


async def test_a_torn_last_frame_is_dropped(tmp_path: Path) -> None:
    spool = Spool(tmp_path, "gateway")
    spool.open()
    await spool.append(record(1))
    await spool.append(record(2))
    spool.close()
    with spool.path.open("ab") as f:
        f.write(b"\x00\x07\x00")  # a crash mid-write
    again = Spool(tmp_path, "gateway")
    again.open()
    assert again.head(10) == [record(1), record(2)]
    again.close()


async def test_two_buses_in_one_process_each_have_their_own_file(tmp_path: Path) -> None:
    first, second = Spool(tmp_path, "router"), Spool(tmp_path, "router")
    first.open()
    second.open()
    await first.append(record(1))
    assert (first.pending, second.pending) == (1, 0)
    first.close()
    second.close()


async def test_a_live_process_file_is_left_alone_and_a_dead_ones_is_adopted(tmp_path: Path) -> None:
    live = Spool(tmp_path, "live")
    live.open()
    await live.append(record(1))
    dead = Spool(tmp_path, "dead")
    dead.open()
    await dead.append(record(2))
    dead.close()  # its process is gone: the lock is free
    other = Spool(tmp_path, "other")
    other.open()
    assert other.head(10) == [record(2)]
    await other.forwarded(1)
    assert not dead.path.exists()
    assert live.head(10) == [record(1)]
    live.close()
    other.close()
