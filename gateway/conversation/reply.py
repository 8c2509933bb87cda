"""An agent's reply: checked, recorded with its audit and activity rows in one commit, then sent by a router.

Attachments are either files already in the conversation (named by SHA-256: an attachment of one of its
messages or replies, whose bytes the blob store holds) or new bytes inline as base64, stored in the blob store
before the reply is recorded. Each file is bounded by ``SWITCHBOARD_ATTACHMENT_MAX_BYTES``, all together by
``SWITCHBOARD_MESSAGE_ATTACHMENTS_MAX_BYTES`` (and the request by ``SWITCHBOARD_MAX_BODY_BYTES``). Only email
and fax replies carry files.
"""

from __future__ import annotations

import binascii
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.conversation import access, contact, view
from gateway.conversation.schemas import ReplyAttachmentIn, ReplyIn
from shared.auth import Principal
from shared.blobs import BlobStore
from shared.db import activity
from shared.db.models import Agent, AuditEvent, Reply
from shared.errors import InvalidRequest, PayloadTooLarge
from shared.ids import new_id
from shared.settings import Settings

FILE_CHANNELS = ("email", "fax")


async def reply(
    session: AsyncSession,
    conversation_id: str,
    body: ReplyIn,
    principal: Principal,
    now: datetime,
    *,
    blobs: BlobStore,
    settings: Settings,
) -> Reply:
    """Record the reply (pending) and commit; the first reply stops the first-response SLA clock."""
    conversation = await access.readable(session, conversation_id, principal)
    assignment = await access.answering(session, conversation_id, principal)
    customer = await contact.customer_of(session, conversation.customer)
    targets = await contact.targets(session, conversation, customer)
    channel = body.channel or await contact.default_channel(session, conversation)
    target = targets.get(channel)
    if target is None:
        known = ", ".join(sorted(targets)) or "none"
        raise InvalidRequest(f"channel: the customer has no address on {channel} (reply channels: {known})")
    if body.attachments and channel not in FILE_CHANNELS:
        raise InvalidRequest(f"attachments: a {channel} reply carries text only (files go by email or fax)")
    files = await _attachments(session, conversation_id, body.attachments, blobs=blobs, settings=settings)
    agent = await session.get(Agent, principal.agent_id)
    row = Reply(
        id=new_id(),
        conversation_id=conversation_id,
        assignment_id=assignment.id,
        agent_id=principal.agent_id,
        author=(agent.name if agent is not None else principal.actor)[:64],
        channel=channel,
        recipient=target.recipient,
        subject=body.subject if channel in FILE_CHANNELS else None,
        text=body.text,
        attachments=files,
        in_reply_to=target.in_reply_to,
        status="pending",
        attempts=0,
        created_at=now,
    )
    session.add(row)
    first = assignment.first_response_at is None
    if first:
        assignment.first_response_at = now
    detail = {"reply_id": row.id, "channel": channel, "attachments": len(files), "first_response": first}
    session.add(AuditEvent(actor=principal.actor, action="conversation.reply", subject=conversation_id, detail=detail))
    activity.record(session, "conversation.reply", now, conversation_id=conversation_id, assignment_id=assignment.id,
                    queue=assignment.queue, agent_id=principal.agent_id, data=detail)  # fmt: skip
    await session.commit()
    return row


async def _attachments(
    session: AsyncSession,
    conversation_id: str,
    wanted: list[ReplyAttachmentIn],
    *,
    blobs: BlobStore,
    settings: Settings,
) -> list[dict[str, object]]:
    """The files of the reply as the row lists them (name, content type, size, SHA-256), stored."""
    known = await view.stored_files(session, conversation_id) if any(w.sha256 for w in wanted) else {}
    out: list[dict[str, object]] = []
    total = 0
    for index, item in enumerate(wanted):
        where = f"attachments[{index}]"
        if (item.sha256 is None) == (item.content_base64 is None):
            raise InvalidRequest(f"{where}: give exactly one of sha256 or content_base64")
        if item.sha256 is not None:
            listed = known.get(item.sha256)
            data = await blobs.get(item.sha256) if listed is not None else None
            if listed is None or data is None:
                raise InvalidRequest(f"{where}: no stored file with that SHA-256 in this conversation")
            name = item.name or str(listed.get("name") or "attachment")
            content_type = item.content_type or str(listed.get("content_type") or "application/octet-stream")
        else:
            try:
                data = item.decoded() or b""
            except (ValueError, binascii.Error):
                raise InvalidRequest(f"{where}: content_base64 is not valid base64") from None
            if item.name is None:
                raise InvalidRequest(f"{where}: an inline file needs a name")
            name, content_type = item.name, item.content_type or "application/octet-stream"
        total += len(data)
        if len(data) > settings.attachment_max_bytes or total > settings.message_attachments_max_bytes:
            raise PayloadTooLarge(f"{where}: over the attachment size limit")
        digest = await blobs.put(data) if item.sha256 is None else item.sha256
        out.append({"name": name, "content_type": content_type, "size": len(data), "sha256": digest})
    return out


__all__ = ["reply"]
