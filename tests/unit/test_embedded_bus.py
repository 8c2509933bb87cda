"""The embedded bus keeps what it acknowledged, in order, and resumes from committed offsets."""

from __future__ import annotations

import asyncio
from pathlib import Path

from shared.bus import EmbeddedBus
from shared.db.migrate import upgrade_async
from shared.db.session import create_engine


async def test_published_records_are_read_in_order_and_resume_after_commit(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bus.db'}"
    await upgrade_async(url)
    engine = create_engine(url)
    bus = EmbeddedBus(engine)
    await bus.start()
    try:
        await asyncio.gather(*(bus.publish("t", f"k{i}", str(i).encode()) for i in range(100)))
        consumer = bus.consumer("t", "g")
        await consumer.start()
        first = await consumer.fetch(60, 0)
        assert len(first) == 60
        await consumer.commit(first[:40])
        rest = await consumer.fetch(100, 0)
        assert len(rest) == 40
        assert [r.offset for r in first + rest] == sorted(r.offset for r in first + rest)
        again = bus.consumer("t", "g")
        await again.start()
        resumed = await again.fetch(100, 0)
        assert [r.value for r in resumed] == [str(i).encode() for i in range(40, 100)]
        other_group = bus.consumer("t", "h")
        await other_group.start()
        assert len(await other_group.fetch(1000, 0)) == 100
    finally:
        await bus.stop()
        await engine.dispose()


async def test_fetch_wakes_up_when_a_record_arrives(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bus.db'}"
    await upgrade_async(url)
    engine = create_engine(url)
    bus = EmbeddedBus(engine)
    await bus.start()
    try:
        consumer = bus.consumer("t", "g")
        await consumer.start()
        waiting = asyncio.create_task(consumer.fetch(10, 5.0))
        await asyncio.sleep(0.05)
        await bus.publish("t", "k", b"v")
        records = await asyncio.wait_for(waiting, 2.0)
        assert [r.value for r in records] == [b"v"]
    finally:
        await bus.stop()
        await engine.dispose()
