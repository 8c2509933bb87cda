"""Fan-out: turn new activity rows into one pending delivery per interested subscription.

Every router process runs this; the unique (subscription, activity) pair makes a row fanned out twice (by two
processes, or again after a crash) one delivery, and a cursor only moves forward (conditional update)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db.inserts import insert_ignoring_duplicates
from shared.db.models import Activity, WebhookDelivery, WebhookSubscription
from shared.ids import new_id
from shared.webhooks import settled


async def fan_out(
    session: AsyncSession, now: datetime, *, first_missing: dict[int, float], clock: float, settle: float, limit: int
) -> int:
    """One pass in the caller's transaction (the caller commits). Returns how many rows the cursors moved
    over (0: nothing new has settled)."""
    subscriptions = list(await session.scalars(select(WebhookSubscription)))
    if not subscriptions:
        return 0
    low = min(s.cursor for s in subscriptions)
    rows = list(await session.scalars(select(Activity).where(Activity.id > low).order_by(Activity.id).limit(limit)))
    if not rows:
        return 0
    for key in [k for k in first_missing if k <= low]:
        del first_missing[key]
    moved = 0
    dialect = session.get_bind().dialect.name
    for sub in subscriptions:
        mine = [r for r in rows if r.id > sub.cursor]
        upto = settled(sub.cursor, (r.id for r in mine), first_missing, clock, settle)
        wanted = [r for r in mine if r.id <= upto and r.type in sub.events]
        if wanted:
            values = [
                {"id": new_id(), "subscription_id": sub.id, "activity_id": r.id, "event_type": r.type,
                 "conversation_id": r.conversation_id, "status": "pending", "attempts": 0,
                 "next_attempt_at": now, "created_at": now}
                for r in wanted
            ]  # fmt: skip
            await session.execute(insert_ignoring_duplicates(WebhookDelivery, dialect), values)
        if upto > sub.cursor:
            moved += upto - sub.cursor
            await session.execute(
                update(WebhookSubscription)
                .where(WebhookSubscription.id == sub.id, WebhookSubscription.cursor < upto)
                .values(cursor=upto)
            )
    return moved


__all__ = ["fan_out"]
