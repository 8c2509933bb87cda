"""Delivery: claim due events by lease, POST them signed, record the outcome (retry later, or park).

A conversation's events go out in order: an event waits while an earlier one of the same conversation for
the same subscription is still pending. Leases are taken by conditional update, so several routers can
deliver side by side and a crashed one's claims expire."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from shared.db.models import Activity, WebhookDelivery, WebhookSubscription
from shared.webhooks import SIGNATURE_HEADER, TargetRefused, check_url, next_attempt, payload, sign


@dataclass(frozen=True, slots=True)
class Retry:
    """The retry schedule: first wait, cap on a wait, how long an event is retried before it is parked."""

    base: float
    cap: float
    retry_for: float


@dataclass(frozen=True, slots=True)
class Claimed:
    """A delivery this process holds the lease of, with what it needs to send it."""

    id: str
    lease: datetime
    attempts: int
    created_at: datetime
    url: str
    secret: str
    body: bytes


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one attempt got: ``status`` when the receiver answered, ``error`` when it did not or refused."""

    ok: bool
    status: int | None
    error: str | None


async def claim(session: AsyncSession, now: datetime, lease_for: timedelta, limit: int) -> list[Claimed]:
    """Lease up to ``limit`` due deliveries that no earlier pending event of their conversation holds back.
    Commits the leases."""
    D, earlier = WebhookDelivery, aliased(WebhookDelivery)
    blocked = exists().where(
        earlier.subscription_id == D.subscription_id,
        earlier.conversation_id == D.conversation_id,
        earlier.status == "pending",
        earlier.activity_id < D.activity_id,
    )
    free = or_(D.lease_until.is_(None), D.lease_until < now)
    stmt = (
        select(D, WebhookSubscription, Activity)
        .join(WebhookSubscription, WebhookSubscription.id == D.subscription_id)
        .join(Activity, Activity.id == D.activity_id)
        .where(D.status == "pending", D.next_attempt_at <= now, free, ~blocked)
        .order_by(D.activity_id)
        .limit(limit)
    )
    found = (await session.execute(stmt)).all()
    lease = now + lease_for
    claimed: list[Claimed] = []
    for delivery, sub, act in found:
        taken = await session.execute(
            update(D).where(D.id == delivery.id, D.status == "pending", free).values(lease_until=lease)
        )
        if getattr(taken, "rowcount", 0) == 1:
            ids = {"conversation_id": act.conversation_id, "assignment_id": act.assignment_id,
                   "message_id": act.message_id, "queue": act.queue, "agent_id": act.agent_id,
                   "previous_agent_id": act.previous_agent_id}  # fmt: skip
            body = payload(delivery.id, act.type, act.at, ids, act.data)
            claimed.append(
                Claimed(delivery.id, lease, delivery.attempts, delivery.created_at, sub.url, sub.secret, body)
            )
    await session.commit()
    return claimed


async def send(client: httpx.AsyncClient, item: Claimed, *, allow_private: bool, timeout: float) -> Outcome:
    """POST one event, signed, within ``timeout`` seconds in all (the lease outlasts it); the target's address
    is checked again as resolved now. The answer's body is not read."""
    try:
        async with asyncio.timeout(timeout):
            return await _post(client, item, allow_private=allow_private)
    except TimeoutError:
        return Outcome(False, None, "timed out")


async def _post(client: httpx.AsyncClient, item: Claimed, *, allow_private: bool) -> Outcome:
    try:
        await check_url(item.url, allow_private=allow_private)
    except TargetRefused as exc:
        return Outcome(False, None, f"refused: {exc}")
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(item.secret, int(time.time()), item.body),
        "User-Agent": "Switchboard-Webhooks/1",
    }
    try:
        async with client.stream("POST", item.url, content=item.body, headers=headers) as response:
            return Outcome(200 <= response.status_code < 300, response.status_code, None)
    except httpx.HTTPError as exc:
        return Outcome(False, None, type(exc).__name__)


async def record(session: AsyncSession, item: Claimed, outcome: Outcome, now: datetime, retry: Retry) -> None:
    """Store the attempt under this process's lease (a lease lost meanwhile changes nothing), then commit."""
    attempts = item.attempts + 1
    values: dict[str, object] = {"attempts": attempts, "lease_until": None, "last_status": outcome.status,
                                 "last_error": outcome.error}  # fmt: skip
    if outcome.ok:
        values.update(status="delivered", delivered_at=now, next_attempt_at=None)
    else:
        age = (now - item.created_at).total_seconds()
        delay = next_attempt(attempts, age, base=retry.base, cap=retry.cap, retry_for=retry.retry_for)
        if delay is None:
            values.update(status="parked", next_attempt_at=None)
        else:
            values.update(next_attempt_at=now + timedelta(seconds=delay))
    D = WebhookDelivery
    await session.execute(update(D).where(D.id == item.id, D.lease_until == item.lease).values(**values))
    await session.commit()


__all__ = ["Claimed", "Outcome", "Retry", "claim", "record", "send"]
