"""Benchmark: messages routed per second by one router's batch path (parse, classify, route, store, commit).

Runs ``Router.handle_batch`` over the same messages on SQLite and on a real PostgreSQL that
``deploy/local/servers`` starts on loopback (skipped with ``--sqlite``). Classification is timed apart so
the database path's own rate is visible. 300 available agents with room, a third of the messages join a
conversation already open (the sticky path), the rest start new ones.
Run: ``python tests/perf/bench_router.py [--sqlite]``. Not collected by pytest.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

from router.service import Router
from shared.bus import Record
from shared.bus.embedded import EmbeddedBus
from shared.db.migrate import upgrade_async
from shared.db.models import Agent, AgentCapacity
from shared.db.session import create_engine, session_factory
from shared.ids import new_id
from shared.normalize import conversation_key
from shared.schema import InboundMessage, Sender
from shared.settings import Settings
from switchboard.bootstrap import shared_classifier
from switchboard.seed import QUEUES, seed_demo

MESSAGES = 3_000
WARMUP = 300
AGENTS = 300
LANGUAGES = ("en", "da", "nb", "sv", "de", "fr", "es", "zh", "tl", "tr")
TEXTS = [
    ("sms", "Hej, hvor er min pakke? Ordre 123456. Den skulle være kommet i går."),
    ("sms", "I want to return my jacket and get a refund"),
    ("email", "Guten Tag, ich möchte meine Bestellung 554433 stornieren. Mit freundlichen Grüßen"),
    ("chat", "my card was charged twice for order 99812, please fix this now"),
    ("email", "Bonjour, je n'arrive pas à me connecter à mon compte depuis hier."),
    ("sms", "Merhaba, siparişim 778899 nerede? Hâlâ gelmedi."),
    ("chat", "你好，我的订单 556677 什么时候发货？"),
    ("email", "Hola, quiero cambiar la dirección de envío de mi pedido 112233."),
]
REPO = Path(__file__).resolve().parents[2]


def servers() -> ModuleType:
    package = REPO / "deploy" / "local" / "servers"
    spec = importlib.util.spec_from_file_location(
        "switchboard_local_servers", package / "__init__.py", submodule_search_locations=[str(package)]
    )
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def messages(rng: random.Random) -> list[Record]:
    """New conversations, and a third that write again into one already open."""
    out: list[Record] = []
    senders: list[str] = []
    for n in range(MESSAGES):
        channel, text = rng.choice(TEXTS)
        if senders and rng.random() < 1 / 3:
            sender = rng.choice(senders)
        else:
            sender = f"+4520{n:06d}"
            senders.append(sender)
        message = InboundMessage(
            id=new_id(), channel=channel, provider="bench", received_at=datetime.now(UTC),
            sender=Sender(kind="phone", address=sender), recipient="+4570000000",
            conversation_key=conversation_key("sms", sender, "+4570000000"), text=text,
        )  # fmt: skip
        out.append(
            Record(topic="inbound", partition=0, offset=n, key=message.conversation_key, value=message.to_bytes())
        )
    return out


async def staff(url: str) -> None:
    """The demo setup plus ``AGENTS`` available agents who speak every language, with room on every channel."""
    engine = create_engine(url)
    sessions = session_factory(engine)
    now = datetime.now(UTC)
    await seed_demo(sessions, now)
    async with sessions() as session:
        agents = [
            Agent(id=new_id(), name=f"bench {n}", languages=list(LANGUAGES), queues=list(QUEUES),
                  skills={"refunds": 3, "billing": 3, "tech": 3, "complaints": 3},
                  presence="available", presence_changed_at=now, idle_since=now, updated_at=now)
            for n in range(AGENTS)
        ]  # fmt: skip
        session.add_all(agents)
        await session.flush()
        session.add_all(
            AgentCapacity(agent_id=a.id, channel=ch, capacity=50, load=0)
            for a in agents
            for ch in ("email", "sms", "chat", "fax")
        )
        await session.commit()
    await engine.dispose()


async def run(url: str, records: list[Record]) -> tuple[float, float, list[float], int]:
    """(routed per second, classification seconds, per-batch milliseconds, batch size)."""
    await upgrade_async(url)
    await staff(url)
    settings = Settings(database_url=url, admin_key="bench-admin-key-0123456789abcdef")
    engine = create_engine(url)
    bus = EmbeddedBus(engine)
    await bus.start()
    classifier = shared_classifier(settings.languages)
    router = Router(settings=settings, sessions=session_factory(engine), bus=bus, classifier=classifier)
    await router.refresh(force=True)
    if not url.startswith("sqlite"):
        router.batch_size = settings.router_batch_size  # PostgreSQL runs distributed, with full-size batches
    size = router.batch_size
    try:
        for i in range(0, WARMUP, size):
            await router.handle_batch(records[i : min(i + size, WARMUP)])
        timed = records[WARMUP:]
        t0 = time.perf_counter()
        for m in timed:
            message = InboundMessage.from_bytes(m.value)
            classifier.classify(text=message.text, subject=message.subject, channel=message.channel)
        classify_s = time.perf_counter() - t0
        batches: list[float] = []
        routed_before = router.routed
        t0 = time.perf_counter()
        for i in range(0, len(timed), size):
            b0 = time.perf_counter()
            await router.handle_batch(timed[i : i + size])
            batches.append((time.perf_counter() - b0) * 1000)
        wall = time.perf_counter() - t0
        assert router.routed - routed_before == len(timed), "every message routed once"
        return len(timed) / wall, classify_s, batches, size
    finally:
        await bus.stop()
        await engine.dispose()


def report(name: str, rate: float, classify_s: float, batches: list[float], size: int) -> None:
    timed = MESSAGES - WARMUP
    store_rate = timed / (timed / rate - classify_s)
    q = statistics.quantiles(batches, n=100)
    classify_rate = timed / classify_s
    print(
        f"{name:<11} {rate:>8,.0f} {store_rate:>11,.0f} {classify_rate:>10,.0f} {size:>6} {q[49]:>8.1f} {q[98]:>8.1f}"
    )


async def main() -> None:
    records = messages(random.Random(7))
    print(f"router batch path: {MESSAGES - WARMUP} messages after {WARMUP} warm-up, {AGENTS} agents, "
          f"load {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(
        f"{'database':<11} {'msg/s':>8} {'store msg/s':>11} {'classify/s':>10} {'batch':>6} {'p50 ms':>8} {'p99 ms':>8}"
    )
    with tempfile.TemporaryDirectory(prefix="sb-bench-router-") as tmp:
        report("sqlite", *await run(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}", records))
        if "--sqlite" in sys.argv:
            return
        server = servers().PostgresServer(Path(tmp) / "pg", port=0)
        server.start()
        try:
            report("postgresql", *await run(server.url, records))
        finally:
            server.purge()


if __name__ == "__main__":
    asyncio.run(main())
