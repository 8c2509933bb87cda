"""Ingest and read messages."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Response
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from gateway.deps import AdminDep, DepsDep, GatewayDeps, IngestDep, SessionDep
from gateway.downloads import DOWNLOAD_RESPONSES, download
from gateway.schemas import Accepted, DecisionOut, Instant, MessageAcceptedOut, MessageIn, MessageOut
from shared.auth import Principal
from shared.db.models import Decision, IdempotencyRecord, Message, MessageReceipt
from shared.errors import IdempotencyKeyReused, InvalidRequest, NotFound
from shared.ids import new_id
from shared.ingest import publish_inbound
from shared.normalize import (
    AddressInvalid,
    conversation_id,
    conversation_key,
    idempotent_message_id,
    normalize_address,
)
from shared.schema import Channel, InboundMessage, Sender

router = APIRouter(prefix="/v1/messages", tags=["messages"])


def normalize(body: MessageIn, *, message_id: str, provider: str = "api") -> InboundMessage:
    """Turn a posted message into InboundMessage v1."""
    try:
        kind, address = normalize_address(body.channel, body.sender.address)
    except AddressInvalid as exc:
        raise InvalidRequest(f"sender.address: {exc}") from None
    key = conversation_key(body.channel, address, body.recipient, body.thread_id)
    return InboundMessage(
        id=message_id,
        channel=body.channel,
        provider=provider,
        external_id=body.external_id,
        received_at=body.received_at or datetime.now(UTC),
        sender=Sender(kind=kind, address=address, name=body.sender.name),
        recipient=body.recipient,
        conversation_key=key,
        subject=body.subject,
        text=body.text,
    )


@router.post("", status_code=202, response_model=Accepted)
async def post_message(
    body: MessageIn,
    principal: IngestDep,
    deps: DepsDep,
    idempotency_key: Annotated[str | None, Header(max_length=255)] = None,
) -> Accepted:
    """Accept a customer message for routing. Answers 202 only once the message is durable.

    With an `Idempotency-Key` header, a retried request names the same message and is routed once; the
    same key with a different body is refused (422). Without one, a repeated `external_id` from the same
    key is the same message.
    """
    if idempotency_key:
        message_id = idempotent_message_id(principal.key_id, idempotency_key)
        await _claim(deps, principal, f"key:{idempotency_key}", message_id, body)
    elif body.external_id:
        message_id = idempotent_message_id(f"{principal.key_id}:external", body.external_id)
        await _claim(deps, principal, f"external:{body.external_id}", message_id, body)
    else:
        message_id = new_id()
    message = normalize(body, message_id=message_id)
    await publish_inbound(
        message, bus=deps.bus, settings=deps.settings, poster=principal.key_id, receipts=deps.receipts
    )
    return Accepted(id=message.id, conversation_id=conversation_id(message.conversation_key))


async def _claim(deps: GatewayDeps, principal: Principal, name: str, message_id: str, body: MessageIn) -> None:
    """Record what ``name`` means for this key, or check that a retry carries the same body."""
    digest = hashlib.sha256(body.model_dump_json().encode()).hexdigest()
    async with deps.sessions() as session:
        row = await session.get(IdempotencyRecord, (principal.key_id, name))
        if row is None:
            session.add(
                IdempotencyRecord(key_id=principal.key_id, name=name, message_id=message_id, body_sha256=digest)
            )
            try:
                await session.commit()
                return
            except IntegrityError:  # a concurrent request with the same name got there first
                await session.rollback()
                row = await session.get(IdempotencyRecord, (principal.key_id, name))
        if row is not None and row.body_sha256 != digest:
            what = "Idempotency-Key" if name.startswith("key:") else "external_id"
            raise IdempotencyKeyReused(f"this {what} was already used for a different message")


@router.get("/{message_id}", response_model=MessageOut | MessageAcceptedOut)
async def get_message(message_id: str, principal: IngestDep, session: SessionDep) -> MessageOut | MessageAcceptedOut:
    """A message by id: `"status": "accepted"` once it is durable, `"routed"` with its classification and the
    decision trace once the router has decided. An integration key reads the messages it posted (others' are
    404); an admin key reads every message, including those that came through the channel adapters."""
    receipt = await session.get(MessageReceipt, message_id)
    if principal.role != "admin" and (receipt is None or receipt.key_id != principal.key_id):
        raise NotFound("no message with that id was posted with this key")
    row = await session.get(Message, message_id)
    if row is not None:
        return _out(row, await session.get(Decision, message_id))
    if receipt is None:
        raise NotFound("no message with that id (one from a channel adapter may still be on its way to the router)")
    return MessageAcceptedOut(id=message_id, accepted_at=receipt.accepted_at)


@router.get(
    "/{message_id}/attachments/{sha256}",
    response_class=Response,
    responses=DOWNLOAD_RESPONSES,
)
async def get_attachment(
    message_id: str,
    sha256: Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")],
    _: AdminDep,
    session: SessionDep,
    deps: DepsDep,
) -> Response:
    """One attachment of a routed message, as a download (never rendered inline by a browser).

    404 when the message does not list that attachment, or its bytes were not kept (over a size limit).
    """
    row = await session.get(Message, message_id)
    listed = [a for a in (row.body.get("attachments", []) if row is not None else []) if isinstance(a, dict)]
    found = next((a for a in listed if a.get("sha256") == sha256 and a.get("storage_ref")), None)
    data = await deps.blobs.get(str(found["storage_ref"])) if found is not None else None
    if found is None or data is None:
        raise NotFound("the message has no stored attachment with that SHA-256")
    return download(data, found)


@router.get("", response_model=list[MessageOut])
async def list_messages(
    _: AdminDep,
    session: SessionDep,
    channel: Channel | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    before: Instant | None = None,
) -> list[MessageOut]:
    """Recent routed messages, newest first; page with `before` (the last `received_at` you saw)."""
    stmt = select(Message, Decision).join(Decision, Decision.message_id == Message.id, isouter=True)
    if channel is not None:
        stmt = stmt.where(Message.channel == channel)
    if before is not None:
        stmt = stmt.where(Message.received_at < before)
    stmt = stmt.order_by(Message.received_at.desc(), Message.id.desc()).limit(limit)
    return [_out(m, d) for m, d in (await session.execute(stmt))]


def _out(row: Message, decision: Decision | None) -> MessageOut:
    body = row.body
    return MessageOut(
        id=row.id,
        conversation_id=row.conversation_id,
        channel=row.channel,
        provider=row.provider,
        external_id=row.external_id,
        received_at=row.received_at,
        routed_at=row.routed_at,
        sender=body.get("sender", {}),
        recipient=body.get("recipient"),
        subject=body.get("subject"),
        text=body.get("text", ""),
        attachments=body.get("attachments", []),
        flags=body.get("flags", {}),
        metadata=body.get("metadata", {}),
        classification=row.classification,
        decision=None
        if decision is None
        else DecisionOut(
            queue=decision.queue,
            agent_id=decision.agent_id,
            assignment_id=decision.assignment_id,
            ruleset_version=decision.ruleset_version,
            outcome=decision.outcome,
            trace=decision.trace,
        ),
    )
