"""The reply sender against the database, driven by hand with its own clock: claims are exclusive across
senders, a lease that runs out is taken over, failures wait out the backoff. The port is an in-memory twin
(what the channel would do is proven against real servers in test_reply_sending)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from router.outbound import Outgoing, ReplySender, SendFailed, store
from shared.db.models import Conversation, Reply
from shared.ids import new_id
from shared.settings import Settings
from tests.api.conftest import running_app

pytestmark = pytest.mark.asyncio
T0 = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


class Port:
    """Records what it is asked to send; fails the first ``fail`` sends; yields to other tasks while sending."""

    def __init__(self, fail: int = 0, *, permanent: bool = False) -> None:
        self.sent: list[str] = []
        self.fail = fail
        self.permanent = permanent

    async def send(self, reply: Outgoing, now: datetime) -> str:
        await asyncio.sleep(0)
        if self.fail > 0:
            self.fail -= 1
            raise SendFailed("relay answered 451", permanent=self.permanent)
        self.sent.append(reply.reply_id)
        return f"<{reply.reply_id}@example.com>"


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    """The app without a router: only the senders a test makes send anything."""
    async with running_app(settings, with_router=False) as application:
        yield application


async def pending_replies(app: FastAPI, count: int) -> list[str]:
    ids = [new_id() for _ in range(count)]
    async with app.state.deps.sessions() as session:
        conversation = Conversation(id=new_id(), key=new_id(), channel="email", customer="kirsten@example.dk")
        session.add(conversation)
        await session.flush()
        session.add_all(
            Reply(
                id=i,
                conversation_id=conversation.id,
                author="Asta",
                channel="email",
                recipient="kirsten@example.dk",
                text=f"reply {n}",
                created_at=T0 + timedelta(milliseconds=n),
            )
            for n, i in enumerate(ids)
        )
        await session.commit()
    return ids


def sender(app: FastAPI, settings: Settings, port: Port, now: list[datetime]) -> ReplySender:
    deps = app.state.deps
    return ReplySender(settings=settings, sessions=deps.sessions, blobs=deps.blobs, ports={"email": port},
                       clock=lambda: now[0], jitter=lambda: 0.0)  # fmt: skip


async def rows(app: FastAPI) -> dict[str, Reply]:
    async with app.state.deps.sessions() as session:
        return {r.id: r for r in await session.scalars(select(Reply))}


async def test_two_senders_at_once_send_each_reply_exactly_once(app: FastAPI, settings: Settings) -> None:
    ids = await pending_replies(app, 30)
    ports, now = [Port(), Port()], [T0]
    senders = [sender(app, settings, p, now) for p in ports]
    for _ in range(3):
        await asyncio.gather(*(s.run_once() for s in senders))
    assert sorted(ports[0].sent + ports[1].sent) == sorted(ids)
    assert all(r.status == "sent" and r.attempts == 1 for r in (await rows(app)).values())


async def test_a_failed_attempt_waits_out_the_backoff_then_fails_for_good_after_the_last_attempt(
    app: FastAPI, settings: Settings
) -> None:
    [reply_id] = await pending_replies(app, 1)
    now = [T0]
    base = timedelta(seconds=settings.reply_retry_base_seconds)
    worker = sender(app, settings, Port(fail=1000), now)
    for attempt in range(1, settings.reply_max_attempts + 1):
        assert await worker.run_once() == 1, f"attempt {attempt} is due"
        row = (await rows(app))[reply_id]
        assert row.attempts == attempt
        if attempt == settings.reply_max_attempts:
            break
        assert row.status == "pending"
        wait = base * 2 ** (attempt - 1) / 2  # no jitter: the fixed lower half of the doubled delay
        assert row.next_attempt_at == now[0] + wait
        now[0] += wait - timedelta(microseconds=1)
        assert await worker.run_once() == 0, "not due before its backoff is over"
        now[0] += timedelta(microseconds=1)
    row = (await rows(app))[reply_id]
    assert (row.status, row.last_error) == ("failed", "relay answered 451")


async def test_a_permanent_refusal_fails_at_once(app: FastAPI, settings: Settings) -> None:
    [reply_id] = await pending_replies(app, 1)
    await sender(app, settings, Port(fail=1, permanent=True), [T0]).run_once()
    assert ((await rows(app))[reply_id].status, (await rows(app))[reply_id].attempts) == ("failed", 1)


async def test_a_lease_that_runs_out_is_taken_over_and_the_late_outcome_is_not_written(
    app: FastAPI, settings: Settings
) -> None:
    [reply_id] = await pending_replies(app, 1)
    lease = timedelta(seconds=settings.reply_lease_seconds)
    async with app.state.deps.sessions() as session:
        [stalled] = await store.claim(session, T0, lease, 10)  # a router that then dies mid-send
        await session.commit()
    now = [T0 + lease - timedelta(seconds=1)]
    port = Port()
    assert await sender(app, settings, port, now).run_once() == 0, "still leased"
    now[0] = T0 + lease + timedelta(seconds=1)
    assert await sender(app, settings, port, now).run_once() == 1
    assert port.sent == [reply_id]
    async with app.state.deps.sessions() as session:
        assert not await store.mark_failed(session, stalled, "late", now[0]), "the dead router's attempt is over"
        await session.commit()
    row = (await rows(app))[reply_id]
    assert (row.status, row.attempts) == ("sent", 2)
