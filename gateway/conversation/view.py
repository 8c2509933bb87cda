"""A page of a conversation's messages and replies, merged in time order, behind an opaque cursor."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from gateway.conversation.schemas import AttachmentOut, Author, InboundItem, ReplyItem
from shared.db.models import Message, Reply
from shared.errors import InvalidRequest

Position = tuple[datetime, str]
Entry = InboundItem | ReplyItem


def encode_cursor(position: Position) -> str:
    """An opaque cursor after ``position`` (time, id)."""
    raw = json.dumps([position[0].isoformat(), position[1]]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> Position:
    """The position a cursor names; ``InvalidRequest`` for anything not made by ``encode_cursor``."""
    try:
        at, item_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        moment = datetime.fromisoformat(at)
        if not isinstance(item_id, str) or moment.tzinfo is None:
            raise ValueError(cursor)
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        raise InvalidRequest("cursor: not a cursor this API returned") from None
    return moment, item_id


def attachment_url(conversation_id: str, sha256: str) -> str:
    """Where an attachment of the conversation is downloaded."""
    return f"/v1/conversations/{conversation_id}/attachments/{sha256}"


def attachments_of(conversation_id: str, listed: object) -> list[AttachmentOut]:
    """The attachments a message body or reply lists, with download links for those whose bytes were kept."""
    out: list[AttachmentOut] = []
    for item in listed if isinstance(listed, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("sha256"), str):
            continue
        stored = item.get("storage_ref", item["sha256"])
        out.append(
            AttachmentOut(
                name=str(item.get("name") or "attachment"),
                content_type=str(item.get("content_type") or "application/octet-stream"),
                size=int(item.get("size") or 0),
                sha256=item["sha256"],
                url=attachment_url(conversation_id, item["sha256"]) if stored else None,
                extracted_text=item.get("extracted_text") if isinstance(item.get("extracted_text"), str) else None,
            )
        )
    return out


def inbound(row: Message) -> InboundItem:
    """A customer's message as an item."""
    body: dict[str, Any] = row.body
    return InboundItem(
        id=row.id,
        at=row.received_at,
        channel=row.channel,
        sender=body.get("sender") or {},
        recipient=body.get("recipient"),
        subject=body.get("subject"),
        text=body.get("text") or "",
        attachments=attachments_of(row.conversation_id, body.get("attachments")),
        flags=body.get("flags") or {},
        classification=row.classification,
    )


def outbound(row: Reply) -> ReplyItem:
    """A reply as an item."""
    return ReplyItem(
        id=row.id,
        at=row.created_at,
        channel=row.channel,
        recipient=row.recipient,
        author=Author(agent_id=row.agent_id, name=row.author),
        subject=row.subject,
        text=row.text,
        attachments=attachments_of(row.conversation_id, row.attachments),
        status=row.status,
        attempts=row.attempts,
        last_error=row.last_error,
        next_attempt_at=row.next_attempt_at if row.status == "pending" else None,
        sent_at=row.sent_at,
        seen_at=row.seen_at,
        provider_ref=row.provider_ref,
    )


def _after(at: InstrumentedAttribute[datetime], key: InstrumentedAttribute[str], position: Position | None) -> Any:
    if position is None:
        return and_(True)
    return or_(at > position[0], and_(at == position[0], key > position[1]))


async def page(
    session: AsyncSession, conversation_id: str, *, limit: int, cursor: str | None
) -> tuple[list[Entry], str | None]:
    """Up to ``limit`` items after ``cursor``, oldest first, and the cursor of the next page (None at the end)."""
    position = decode_cursor(cursor) if cursor else None
    messages = await session.scalars(
        select(Message)
        .where(Message.conversation_id == conversation_id, _after(Message.received_at, Message.id, position))
        .order_by(Message.received_at, Message.id)
        .limit(limit + 1)
    )
    replies = await session.scalars(
        select(Reply)
        .where(Reply.conversation_id == conversation_id, _after(Reply.created_at, Reply.id, position))
        .order_by(Reply.created_at, Reply.id)
        .limit(limit + 1)
    )
    merged: list[Entry] = sorted([*map(inbound, messages), *map(outbound, replies)], key=lambda e: (e.at, e.id))
    if len(merged) <= limit:
        return merged, None
    shown = merged[:limit]
    return shown, encode_cursor((shown[-1].at, shown[-1].id))


async def stored_files(session: AsyncSession, conversation_id: str) -> dict[str, dict[str, object]]:
    """The files of the conversation's messages and replies whose bytes were kept, by SHA-256."""
    files: dict[str, dict[str, object]] = {}
    bodies = await session.scalars(select(Message.body).where(Message.conversation_id == conversation_id))
    lists: list[object] = [b.get("attachments") for b in bodies]
    lists += list(await session.scalars(select(Reply.attachments).where(Reply.conversation_id == conversation_id)))
    for listed in lists:
        for item in listed if isinstance(listed, list) else []:
            if isinstance(item, dict) and isinstance(item.get("sha256"), str) and item.get("storage_ref", True):
                files.setdefault(item["sha256"], item)
    return files


__all__ = ["attachment_url", "attachments_of", "decode_cursor", "encode_cursor", "page", "stored_files"]
