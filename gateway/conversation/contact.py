"""The customer behind a conversation across channels: the contact, its addresses, its other conversations,
and where a reply to it can go."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.conversation.schemas import AssignmentSummary, ContactView, HistoryItem, IdentityOut
from shared.db.models import CHAT_SESSION_IDENTITY, Assignment, Contact, ContactIdentity, Conversation, Message

MAX_HISTORY = 20
MAX_ASSIGNMENTS = 10
RECENT_MESSAGES = 200


@dataclass(frozen=True, slots=True)
class Target:
    """Where a reply on one channel goes, and the customer's message it answers (threading, our number)."""

    recipient: str
    in_reply_to: str | None = None


@dataclass
class Customer:
    """The contact (when known) and every address that is theirs."""

    contact: ContactView | None
    addresses: set[str] = field(default_factory=set)


async def customer_of(session: AsyncSession, address: str) -> Customer:
    """The contact whose address or identity ``address`` is, with its identities; else just the address."""
    primary = await session.scalar(select(Contact).where(Contact.address == address))
    if primary is None:
        owner = await session.scalar(select(ContactIdentity.contact).where(ContactIdentity.address == address))
        primary = await session.get(Contact, owner) if owner is not None else None
    if primary is None:
        return Customer(None, {address})
    identities = list(
        await session.scalars(
            select(ContactIdentity).where(ContactIdentity.contact == primary.address).order_by(ContactIdentity.address)
        )
    )
    view = ContactView(
        address=primary.address,
        name=primary.name,
        tier=primary.tier,
        identities=[IdentityOut(address=i.address, kind=i.kind) for i in identities],
    )
    return Customer(view, {address, primary.address, *(i.address for i in identities)})


def summary(row: Assignment) -> AssignmentSummary:
    """An assignment as the conversation shows it."""
    return AssignmentSummary.model_validate(row, from_attributes=True)


async def history(session: AsyncSession, conversation: Conversation, customer: Customer) -> list[HistoryItem]:
    """The contact's other conversations, newest first, each with its assignments (dispositions, notes)."""
    others = list(
        await session.scalars(
            select(Conversation)
            .where(Conversation.customer.in_(customer.addresses), Conversation.id != conversation.id)
            .order_by(Conversation.last_message_at.desc())
            .limit(MAX_HISTORY)
        )
    )
    by_conversation: dict[str, list[AssignmentSummary]] = {c.id: [] for c in others}
    if others:
        rows = await session.scalars(
            select(Assignment)
            .where(Assignment.conversation_id.in_(list(by_conversation)))
            .order_by(Assignment.created_at.desc())
        )
        for row in rows:
            found = by_conversation[row.conversation_id]
            if len(found) < MAX_ASSIGNMENTS:
                found.append(summary(row))
    return [
        HistoryItem(
            id=c.id,
            channel=c.channel,
            created_at=c.created_at,
            last_message_at=c.last_message_at,
            assignments=by_conversation[c.id],
        )
        for c in others
    ]


def _target(message: Message) -> Target | None:
    """Where a reply on the message's channel goes: its sender (a fax: the fax service's mail address)."""
    body: dict[str, Any] = message.body
    sender = body.get("sender") or {}
    metadata = body.get("metadata") or {}
    address = metadata.get("fax_mail_from") if message.channel == "fax" else sender.get("address")
    if not isinstance(address, str) or not address or address == "unknown":
        return None
    if message.channel == "email" and sender.get("kind") != "email":
        return None
    return Target(address, message.id)


async def targets(session: AsyncSession, conversation: Conversation, customer: Customer) -> dict[str, Target]:
    """Each channel a reply can go out on, to which address: from the contact's latest message on it (this
    conversation's first), else from the contact's addresses (email addresses, phone numbers for SMS, the
    chat sessions the visitor identified in)."""
    ids = [conversation.id, *await session.scalars(
        select(Conversation.id).where(Conversation.customer.in_(customer.addresses), Conversation.id != conversation.id)
        .order_by(Conversation.last_message_at.desc()).limit(MAX_HISTORY))]  # fmt: skip
    recent = await session.scalars(
        select(Message)
        .where(Message.conversation_id.in_(ids))
        .order_by(Message.received_at.desc())
        .limit(RECENT_MESSAGES)
    )
    found: dict[str, Target] = {}
    for message in sorted(recent, key=lambda m: m.conversation_id != conversation.id):  # stable: newest first
        target = _target(message)
        if target is not None:
            found.setdefault(message.channel, target)
    for address, kind in _addresses(customer):
        channel = {"email": "email", "phone": "sms", CHAT_SESSION_IDENTITY: "chat"}.get(kind)
        if channel is not None:
            found.setdefault(channel, Target(address))
    return found


def _addresses(customer: Customer) -> list[tuple[str, str]]:
    if customer.contact is None:
        return []
    primary = customer.contact.address
    pairs = [(primary, "email" if "@" in primary else "phone")]
    return pairs + [(i.address, i.kind) for i in customer.contact.identities]


async def default_channel(session: AsyncSession, conversation: Conversation) -> str:
    """The channel of the customer's latest message in the conversation (its own channel before any)."""
    latest = await session.scalar(
        select(Message.channel)
        .where(Message.conversation_id == conversation.id)
        .order_by(Message.received_at.desc())
        .limit(1)
    )
    return latest or conversation.channel


__all__ = ["Customer", "Target", "customer_of", "default_channel", "history", "summary", "targets"]
