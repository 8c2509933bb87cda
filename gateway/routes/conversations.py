"""Conversations: read one whole (messages and replies, contact, history) and reply to the customer."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.conversation import access, contact, view
from gateway.conversation.reply import reply as record_reply
from gateway.conversation.schemas import ConversationOut, ReplyIn, ReplyOut
from gateway.deps import AgentDep, ConversationReaderDep, DepsDep, SessionDep
from gateway.downloads import DOWNLOAD_RESPONSES, download
from shared.db.models import Assignment
from shared.errors import NotFound

router = APIRouter(prefix="/v1/conversations", tags=["conversations"])


@router.get("/{conversation_id}", response_model=ConversationOut)
async def get_conversation(
    conversation_id: str,
    principal: ConversationReaderDep,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> ConversationOut:
    """The conversation: every message from the customer and every reply to them, oldest first (`limit` at a
    time; pass `next_cursor` back as `cursor` for the rest), with attachments and classification, the contact
    (identities, tier), the current assignment, and the contact's other conversations on any channel with
    their dispositions and notes.

    For the agent who holds the conversation (offered or accepted) or held it last, and for supervisors and
    admins; for any other agent it does not exist (404).
    """
    conversation = await access.readable(session, conversation_id, principal)
    items, next_cursor = await view.page(session, conversation_id, limit=limit, cursor=cursor)
    customer = await contact.customer_of(session, conversation.customer)
    assignment = await _latest_assignment(session, conversation_id)
    targets = await contact.targets(session, conversation, customer)
    default = await contact.default_channel(session, conversation)
    return ConversationOut(
        id=conversation.id,
        channel=conversation.channel,
        customer=conversation.customer,
        created_at=conversation.created_at,
        last_message_at=conversation.last_message_at,
        items=items,
        next_cursor=next_cursor,
        assignment=contact.summary(assignment) if assignment is not None else None,
        contact=customer.contact,
        history=await contact.history(session, conversation, customer),
        reply_channels=sorted(targets),
        default_reply_channel=default if default in targets else None,
    )


async def _latest_assignment(session: AsyncSession, conversation_id: str) -> Assignment | None:
    found: Assignment | None = await session.scalar(
        select(Assignment)
        .where(Assignment.conversation_id == conversation_id)
        .order_by(Assignment.created_at.desc(), Assignment.id.desc())
        .limit(1)
    )
    return found


@router.post("/{conversation_id}/replies", status_code=202, response_model=ReplyOut)
async def post_reply(
    conversation_id: str, body: ReplyIn, principal: AgentDep, session: SessionDep, deps: DepsDep
) -> ReplyOut:
    """Reply to the customer, through the channel of their latest message in this conversation or the
    `channel` named (one the contact has an address on: see the conversation's `reply_channels`; 422
    otherwise). Only the agent who has accepted the conversation's assignment may reply (409 before
    accepting).

    Answers 202 once the reply is recorded (`status` pending); a router sends it and retries failures with
    backoff, and the conversation shows it `sent` or, once the retries are spent, `failed`. The first reply
    stops the assignment's first-response SLA clock. Attachments (email and fax only): the SHA-256 of a file
    already in this conversation, or new bytes as `content_base64` with a `name`.
    """
    row = await record_reply(session, conversation_id, body, principal, datetime.now(UTC),
                             blobs=deps.blobs, settings=deps.settings)  # fmt: skip
    return ReplyOut(id=row.id, conversation_id=row.conversation_id, channel=row.channel, recipient=row.recipient,
                    status=row.status, created_at=row.created_at)  # fmt: skip


@router.get(
    "/{conversation_id}/attachments/{sha256}",
    response_class=Response,
    responses=DOWNLOAD_RESPONSES,
)
async def get_attachment(
    conversation_id: str,
    sha256: Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")],
    principal: ConversationReaderDep,
    session: SessionDep,
    deps: DepsDep,
) -> Response:
    """A file of one of the conversation's messages or replies, as a download (for whoever may read the
    conversation). 404 when the conversation lists no stored file with that SHA-256."""
    await access.readable(session, conversation_id, principal)
    files = await view.stored_files(session, conversation_id)
    found = files.get(sha256)
    data = await deps.blobs.get(sha256) if found is not None else None
    if found is None or data is None:
        raise NotFound("the conversation has no stored attachment with that SHA-256")
    return download(data, found)
