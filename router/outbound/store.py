"""The replies table as the sender's work queue: claim due replies under a lease, then record the outcome.

A claim is a conditional update (the row must still be pending, unleased or with its lease run out, and at
the attempt count read), so of several routers only one sends a given attempt; ``attempts`` is raised by the
claim and the outcome is written only while it still matches, so a router whose lease ran out cannot
overwrite the attempt of the one that took over.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import CursorResult, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from router.outbound import mail
from router.outbound.ports import Outgoing
from shared.blobs import BlobStore
from shared.db import activity
from shared.db.models import Message, Reply

SENT_BY_ROUTERS = ("email", "fax", "sms")


@dataclass(frozen=True, slots=True)
class Claimed:
    """A reply this router holds for one attempt."""

    id: str
    conversation_id: str
    agent_id: str | None
    channel: str
    attempt: int


async def claim(session: AsyncSession, now: datetime, lease: timedelta, limit: int) -> list[Claimed]:
    """Take up to ``limit`` due pending replies for one attempt each (the caller commits)."""
    due = await session.execute(
        select(Reply.id, Reply.attempts, Reply.conversation_id, Reply.agent_id, Reply.channel)
        .where(
            Reply.status == "pending",
            Reply.channel.in_(SENT_BY_ROUTERS),
            or_(Reply.next_attempt_at.is_(None), Reply.next_attempt_at <= now),
            or_(Reply.lease_until.is_(None), Reply.lease_until < now),
        )
        .order_by(Reply.created_at)
        .limit(limit)
    )
    taken: list[Claimed] = []
    for reply_id, attempts, conversation_id, agent_id, channel in due.all():
        result: CursorResult[tuple[()]] = await session.execute(  # type: ignore[assignment]
            update(Reply)
            .where(
                Reply.id == reply_id,
                Reply.status == "pending",
                Reply.attempts == attempts,
                or_(Reply.lease_until.is_(None), Reply.lease_until < now),
            )
            .values(lease_until=now + lease, attempts=attempts + 1)
        )
        if result.rowcount == 1:
            taken.append(Claimed(reply_id, conversation_id, agent_id, channel, attempts + 1))
    return taken


async def outgoing(session: AsyncSession, claimed: Claimed, blobs: BlobStore) -> Outgoing | None:
    """The claimed reply ready for its port: threading and sender from the customer's message it answers, the
    attachments' bytes from the blob store. None when the row is gone."""
    reply = await session.get(Reply, claimed.id)
    if reply is None:
        return None
    parent = await session.get(Message, reply.in_reply_to) if reply.in_reply_to else None
    body = parent.body if parent is not None else {}
    metadata = body.get("metadata") or {}
    thread = mail.Thread(
        message_id=parent.external_id if parent is not None and parent.channel == "email" else None,
        root=metadata.get("thread_root") if parent is not None and parent.channel == "email" else None,
    )
    sender = body.get("recipient") if reply.channel == "sms" and parent is not None else None
    files = []
    for item in reply.attachments:
        data = await blobs.get(str(item.get("sha256", "")))
        if data is None:
            continue
        files.append(mail.FileOut(str(item.get("name") or "attachment"),
                                  str(item.get("content_type") or "application/octet-stream"), data))  # fmt: skip
    return Outgoing(
        reply_id=reply.id,
        channel=reply.channel,
        recipient=reply.recipient,
        sender=sender if isinstance(sender, str) and sender.startswith("+") else None,
        subject=mail.reply_subject(reply.subject, body.get("subject")),
        text=reply.text,
        thread=thread,
        attachments=tuple(files),
    )


def _guard(claimed: Claimed) -> Sequence[object]:
    return (Reply.id == claimed.id, Reply.status == "pending", Reply.attempts == claimed.attempt)


async def mark_sent(session: AsyncSession, claimed: Claimed, provider_ref: str, now: datetime) -> bool:
    """The channel took the reply."""
    result: CursorResult[tuple[()]] = await session.execute(  # type: ignore[assignment]
        update(Reply)
        .where(*_guard(claimed))  # type: ignore[arg-type]
        .values(status="sent", provider_ref=provider_ref[:255], sent_at=now, lease_until=None, last_error=None)
    )
    return result.rowcount == 1


async def mark_retry(session: AsyncSession, claimed: Claimed, reason: str, at: datetime) -> bool:
    """The attempt failed; the reply is tried again at ``at``."""
    result: CursorResult[tuple[()]] = await session.execute(  # type: ignore[assignment]
        update(Reply)
        .where(*_guard(claimed))  # type: ignore[arg-type]
        .values(next_attempt_at=at, lease_until=None, last_error=reason[:500])
    )
    return result.rowcount == 1


async def mark_failed(session: AsyncSession, claimed: Claimed, reason: str, now: datetime) -> bool:
    """The reply has failed for good: shown as ``failed`` in the conversation, with an activity row (the
    ``conversation.reply_failed`` event of the agent's stream and the outbound webhooks)."""
    result: CursorResult[tuple[()]] = await session.execute(  # type: ignore[assignment]
        update(Reply)
        .where(*_guard(claimed))  # type: ignore[arg-type]
        .values(status="failed", lease_until=None, next_attempt_at=None, last_error=reason[:500])
    )
    if result.rowcount != 1:
        return False
    activity.record(session, "conversation.reply_failed", now, conversation_id=claimed.conversation_id,
                    agent_id=claimed.agent_id, data={"reply_id": claimed.id, "channel": claimed.channel,
                                                     "attempts": claimed.attempt, "error": reason[:500]})  # fmt: skip
    return True


__all__ = ["SENT_BY_ROUTERS", "Claimed", "claim", "mark_failed", "mark_retry", "mark_sent", "outgoing"]
