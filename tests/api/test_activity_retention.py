"""The activity log and ended webhook deliveries are pruned past their retention, never what a webhook
subscription has not fanned out yet, nor deliveries still being retried."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.db import activity
from shared.db.models import Activity, WebhookDelivery, WebhookSubscription
from shared.settings import Settings
from tests.api.conftest import running_app

pytestmark = pytest.mark.asyncio

KEEP = timedelta(days=14)


async def test_old_activity_and_ended_deliveries_are_pruned_and_the_rest_kept(settings: Settings) -> None:
    async with running_app(settings, with_router=False) as app:  # no router: no worker moves the cursor
        await _prune_and_check(app.state.deps.sessions)


async def _prune_and_check(sessions: async_sessionmaker[AsyncSession]) -> None:
    now = datetime.now(UTC)
    old, recent = now - KEEP - timedelta(hours=1), now - timedelta(hours=1)
    async with sessions() as session:
        for at in (old, old, old, recent):
            activity.record(session, "assignment.offered", at, assignment_id="a", agent_id="agent")
        await session.flush()
        ids = sorted(await session.scalars(select(Activity.id).where(Activity.assignment_id == "a")))
        session.add(WebhookSubscription(id="s", url="https://crm.example/h", events=["assignment.offered"],
                                        secret="x" * 16, created_by="admin:k", cursor=ids[1]))  # fmt: skip
        await session.flush()
        for n, (status, at) in enumerate(
            (("delivered", old), ("parked", old), ("pending", old), ("delivered", recent))
        ):
            session.add(WebhookDelivery(id=f"d{n + 1}", subscription_id="s", activity_id=10_000 + n, status=status,
                                        event_type="assignment.offered", created_at=at))  # fmt: skip
        await session.commit()

    async with sessions() as session:
        deleted = await activity.prune(session, now, KEEP)
        await session.commit()
    async with sessions() as session:
        kept = sorted(await session.scalars(select(Activity.id).where(Activity.assignment_id == "a")))
        deliveries = set(await session.scalars(select(WebhookDelivery.id)))
    # The first two old rows were fanned out (the cursor is at the second); the third waits for the webhook
    # worker however old it is; the recent one is within retention.
    assert kept == ids[2:]
    assert deliveries == {"d3", "d4"}  # pending is still being retried; d4 ended recently
    assert deleted == 4
    async with sessions() as session:
        assert await activity.prune(session, now, KEEP) == 0  # nothing more to do: pruning is idempotent
