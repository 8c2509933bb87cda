"""SQLAlchemy models; the same tables serve SQLite (embedded) and PostgreSQL (distributed)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Json = dict[str, Any]


def utcnow() -> datetime:
    """Now, timezone-aware UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Store UTC; refuse naive datetimes, which are a bug at the caller."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return UTC-aware datetimes."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base with a stable constraint naming convention for migrations."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), Json: JSON, list[str]: JSON}


class ApiKey(Base):
    """A bearer key: only its SHA-256 is stored; ``prefix`` identifies it in lists and logs."""

    __tablename__ = "api_keys"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    agent_id: Mapped[str | None] = mapped_column(ForeignKey("agents.id"), default=None)
    name: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class Queue(Base):
    """A department queue and how work in it is offered."""

    __tablename__ = "queues"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    description: Mapped[str] = mapped_column(String(500), default="")
    strategy: Mapped[str] = mapped_column(String(32), default="least_loaded")
    offer_timeout_s: Mapped[int] = mapped_column(Integer, default=120)
    overflow_queue: Mapped[str | None] = mapped_column(String(64), default=None)
    overflow_after_s: Mapped[int | None] = mapped_column(Integer, default=None)
    after_hours_queue: Mapped[str | None] = mapped_column(String(64), default=None)
    hours: Mapped[Json | None] = mapped_column(JSON, default=None)
    aging_per_minute: Mapped[float] = mapped_column(default=0.1)
    sla_policy: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class SlaPolicyRow(Base):
    """First-response and resolution targets (seconds) per priority, with a warning ratio."""

    __tablename__ = "sla_policies"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    first_response_s: Mapped[Json] = mapped_column(JSON, default=dict)
    resolution_s: Mapped[Json] = mapped_column(JSON, default=dict)
    warn_ratio: Mapped[float] = mapped_column(default=0.8)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Agent(Base):
    """A customer-service representative."""

    __tablename__ = "agents"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    skills: Mapped[Json] = mapped_column(JSON, default=dict)
    queues: Mapped[list[str]] = mapped_column(JSON, default=list)
    presence: Mapped[str] = mapped_column(String(16), default="offline")
    presence_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Working hours (the queue-hours shape); at ``shift_ends_at`` a router signs the agent off. The gateway
    # clears ``shift_ends_at`` whenever presence or shift changes and a router computes it again.
    shift: Mapped[Json | None] = mapped_column(JSON(none_as_null=True), default=None)
    shift_ends_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    idle_since: Mapped[datetime | None] = mapped_column(default=None)
    last_assigned_at: Mapped[datetime | None] = mapped_column(default=None)
    revision: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class AgentCapacity(Base):
    """Per-channel capacity and current load; claimed with a conditional update so no router overfills."""

    __tablename__ = "agent_capacity"
    agent_id: Mapped[str] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), primary_key=True)
    channel: Mapped[str] = mapped_column(String(8), primary_key=True)
    capacity: Mapped[int] = mapped_column(Integer)
    load: Mapped[int] = mapped_column(Integer, default=0)


class Contact(Base):
    """A known customer address and its tier (e.g. ``vip``)."""

    __tablename__ = "contacts"
    address: Mapped[str] = mapped_column(String(320), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200), default=None)
    tier: Mapped[str] = mapped_column(String(32), default="standard")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


CHAT_SESSION_IDENTITY = "chat_session"
"""The kind of a contact identity that is a web-chat session whose visitor identified as the contact."""


class ContactIdentity(Base):
    """Another address of a known contact (a phone number beside an email address), so one person writing
    on several channels is one customer."""

    __tablename__ = "contact_identities"
    address: Mapped[str] = mapped_column(String(320), primary_key=True)
    contact: Mapped[str] = mapped_column(ForeignKey("contacts.address", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IdempotencyRecord(Base):
    """A request an integration named (by ``Idempotency-Key`` or the provider's ``external_id``): the message
    it became and a hash of its body, so a retry gets the same message and a different body under the same
    name is refused."""

    __tablename__ = "idempotency_keys"
    key_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(36))
    body_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class SeenToken(Base):
    """A one-time value a provider sent once (a signed webhook's token): seen again before it expires, the
    request is a replay."""

    __tablename__ = "seen_tokens"
    scope: Mapped[str] = mapped_column(String(32), primary_key=True)
    token: Mapped[str] = mapped_column(String(255), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class ChatSession(Base):
    """A web-chat visitor's session: its resume token (hashed) and what the visitor said about themselves."""

    __tablename__ = "chat_sessions"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    origin: Mapped[str | None] = mapped_column(String(255), default=None)
    name: Mapped[str | None] = mapped_column(String(200), default=None)
    identified_kind: Mapped[str | None] = mapped_column(String(16), default=None)
    identified: Mapped[str | None] = mapped_column(String(320), default=None)
    identified_verified: Mapped[bool] = mapped_column(default=False, server_default=false())
    """The website signed the claim (``SWITCHBOARD_CHAT_IDENTITY_SECRET``); unverified claims are only recorded
    when the secret is set."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class SmsPart(Base):
    """One part of a concatenated (multi-part) SMS, kept until every part has arrived and the whole message
    is published; ``group`` names the message (sender, recipient, the carrier's reference, part count)."""

    __tablename__ = "sms_parts"
    provider: Mapped[str] = mapped_column(String(16), primary_key=True)
    group: Mapped[str] = mapped_column(String(160), primary_key=True)
    part: Mapped[int] = mapped_column(Integer, primary_key=True)
    total: Mapped[int] = mapped_column(Integer)
    external_id: Mapped[str] = mapped_column(String(255))
    sender: Mapped[str] = mapped_column(String(32))
    recipient: Mapped[str | None] = mapped_column(String(320), default=None)
    text: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(index=True)


class Conversation(Base):
    """A thread of messages from one customer that is assigned as a whole."""

    __tablename__ = "conversations"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    key: Mapped[str] = mapped_column(String(512), unique=True)
    channel: Mapped[str] = mapped_column(String(8))
    customer: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_agent_id: Mapped[str | None] = mapped_column(String(36), default=None)
    last_closed_at: Mapped[datetime | None] = mapped_column(default=None)


class Message(Base):
    """A routed inbound message, stored with what the router made of it."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("provider", "external_id", name="uq_messages_provider_external_id"),
        Index("ix_messages_received_at", "received_at"),
        Index("ix_messages_channel_received_at", "channel", "received_at"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    channel: Mapped[str] = mapped_column(String(8))
    provider: Mapped[str] = mapped_column(String(64))
    external_id: Mapped[str | None] = mapped_column(String(255), default=None)
    received_at: Mapped[datetime] = mapped_column()
    routed_at: Mapped[datetime] = mapped_column(default=utcnow)
    body: Mapped[Json] = mapped_column(JSON)
    classification: Mapped[Json] = mapped_column(JSON)


class Decision(Base):
    """The routing decision for one message; its primary key makes re-delivery harmless."""

    __tablename__ = "decisions"
    message_id: Mapped[str] = mapped_column(ForeignKey("messages.id"), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(36), index=True)
    queue: Mapped[str] = mapped_column(String(64))
    agent_id: Mapped[str | None] = mapped_column(String(36), default=None)
    assignment_id: Mapped[str | None] = mapped_column(String(36), default=None)
    ruleset_version: Mapped[int | None] = mapped_column(Integer, default=None)
    outcome: Mapped[str] = mapped_column(String(16))
    routed_by: Mapped[str] = mapped_column(String(128), default="")
    trace: Mapped[Json] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Assignment(Base):
    """A conversation's place in a queue or with an agent: queued, offered, accepted, completed."""

    __tablename__ = "assignments"
    __table_args__ = (
        Index("ix_assignments_agent_status", "agent_id", "status"),
        Index("ix_assignments_queue_status", "queue", "status"),
        Index("ix_assignments_conversation_status", "conversation_id", "status"),
        Index("ix_assignments_sla_next_check", "sla_next_check"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    channel: Mapped[str] = mapped_column(String(8))
    queue: Mapped[str] = mapped_column(String(64))
    agent_id: Mapped[str | None] = mapped_column(ForeignKey("agents.id"), default=None)
    status: Mapped[str] = mapped_column(String(16))
    priority: Mapped[int] = mapped_column(Integer, default=3)
    language: Mapped[str] = mapped_column(String(8), default="und")
    requirements: Mapped[Json] = mapped_column(JSON, default=dict)
    excluded_agents: Mapped[list[str]] = mapped_column(JSON, default=list)
    message_count: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    enqueued_at: Mapped[datetime] = mapped_column(default=utcnow)
    offered_at: Mapped[datetime | None] = mapped_column(default=None)
    accepted_at: Mapped[datetime | None] = mapped_column(default=None)
    completed_at: Mapped[datetime | None] = mapped_column(default=None)
    disposition: Mapped[str | None] = mapped_column(String(64), default=None)
    notes: Mapped[str | None] = mapped_column(Text, default=None)
    sla_policy: Mapped[str | None] = mapped_column(String(64), default=None)
    sla_priority: Mapped[int] = mapped_column(Integer, default=3)
    sla_state: Mapped[str] = mapped_column(String(16), default="ok")
    sla_next_check: Mapped[datetime | None] = mapped_column(default=None)
    escalated_at: Mapped[datetime | None] = mapped_column(default=None)
    # The first reply sent to the customer: it stops the SLA's first-response clock.
    first_response_at: Mapped[datetime | None] = mapped_column(default=None)


class Activity(Base):
    """Something that happened to an assignment, a conversation or a message, recorded in the transaction that
    made it happen: the outbox that agents' event streams, long-polls and outbound webhooks read. ``agent_id``
    is who holds the work afterwards, ``previous_agent_id`` who held it before when that changed. ``id`` orders
    the log, but on PostgreSQL ids can commit out of order: readers must allow for that (``shared.db.activity``).
    """

    __tablename__ = "activity"
    __table_args__ = (
        Index("ix_activity_agent_id_id", "agent_id", "id"),
        Index("ix_activity_previous_agent_id_id", "previous_agent_id", "id"),
    )
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(index=True)
    type: Mapped[str] = mapped_column(String(48))
    conversation_id: Mapped[str | None] = mapped_column(String(36), default=None)
    assignment_id: Mapped[str | None] = mapped_column(String(36), default=None)
    message_id: Mapped[str | None] = mapped_column(String(36), default=None)
    queue: Mapped[str | None] = mapped_column(String(64), default=None)
    agent_id: Mapped[str | None] = mapped_column(String(36), default=None)
    previous_agent_id: Mapped[str | None] = mapped_column(String(36), default=None)
    data: Mapped[Json] = mapped_column(JSON, default=dict)


class Reply(Base):
    """A message sent to the customer (an agent's reply), kept in the conversation with its delivery state:
    ``pending`` until a sender has handed it to the channel (retried with backoff), then ``sent``, or
    ``failed`` once the retries are spent. ``provider_ref`` is the channel's id for it (Message-ID, SID)."""

    __tablename__ = "replies"
    __table_args__ = (
        Index("ix_replies_conversation_id_created_at", "conversation_id", "created_at"),
        Index("ix_replies_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_replies_provider_ref", "provider_ref"),
        Index("ix_replies_recipient_created_at", "recipient", "created_at"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    assignment_id: Mapped[str | None] = mapped_column(String(36), default=None)
    agent_id: Mapped[str | None] = mapped_column(String(36), default=None)
    author: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(8))
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str | None] = mapped_column(String(998), default=None)
    text: Mapped[str] = mapped_column(Text)
    attachments: Mapped[list[Json]] = mapped_column(JSON, default=list)
    in_reply_to: Mapped[str | None] = mapped_column(String(36), default=None)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=None)
    lease_until: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(String(500), default=None)
    provider_ref: Mapped[str | None] = mapped_column(String(255), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    # A chat reply the visitor's widget acknowledged (``{"type": "seen"}``): not pushed again on resume.
    seen_at: Mapped[datetime | None] = mapped_column(default=None)


class MessageReceipt(Base):
    """Who posted a message and when it was accepted, written at ingest: the poster can read it back before
    the router has stored it."""

    __tablename__ = "message_receipts"
    message_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    key_id: Mapped[str] = mapped_column(String(64), index=True)
    accepted_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebhookSubscription(Base):
    """An integration's endpoint for outbound events; ``cursor`` is the last activity id fanned out to it."""

    __tablename__ = "webhook_subscriptions"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    secret: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cursor: Mapped[int] = mapped_column(BigInteger, default=0)


class WebhookDelivery(Base):
    """One event for one subscription: ``pending`` (retried with backoff), ``delivered`` or ``parked``."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("subscription_id", "activity_id", name="uq_webhook_deliveries_subscription_activity"),
        Index("ix_webhook_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_subscription_conversation", "subscription_id", "conversation_id", "activity_id"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    subscription_id: Mapped[str] = mapped_column(ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"))
    activity_id: Mapped[int] = mapped_column(BigInteger)
    event_type: Mapped[str] = mapped_column(String(48))
    conversation_id: Mapped[str | None] = mapped_column(String(36), default=None)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=None)
    lease_until: Mapped[datetime | None] = mapped_column(default=None)
    last_status: Mapped[int | None] = mapped_column(Integer, default=None)
    last_error: Mapped[str | None] = mapped_column(String(500), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(default=None)


class Ruleset(Base):
    """One version of the routing ruleset document; drafts become immutable once published."""

    __tablename__ = "rulesets"
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    document: Mapped[Json] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    note: Mapped[str] = mapped_column(String(500), default="")
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class RulesetActivation(Base):
    """History of which version was made active, when and by whom; the newest row is the active one."""

    __tablename__ = "ruleset_activations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version: Mapped[int] = mapped_column(ForeignKey("rulesets.version"))
    action: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class BusRecord(Base):
    """The embedded bus: an append-only log per topic, ordered by ``offset``."""

    __tablename__ = "bus_records"
    __table_args__ = (Index("ix_bus_records_topic_offset", "topic", "offset"),)
    offset: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    topic: Mapped[str] = mapped_column(String(128))
    key: Mapped[str | None] = mapped_column(String(512), default=None)
    value: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ConsumerOffset(Base):
    """A consumer group's committed position on a topic (embedded bus)."""

    __tablename__ = "consumer_offsets"
    group: Mapped[str] = mapped_column(String(64), primary_key=True)
    topic: Mapped[str] = mapped_column(String(128), primary_key=True)
    offset: Mapped[int] = mapped_column(Integer, default=0)


class AuditEvent(Base):
    """Who changed what and when (agents, keys, rulesets, presence, webhook subscriptions); read newest first
    by ``GET /v1/audit``, filtered by actor or subject."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_actor_id", "actor", "id"),
        Index("ix_audit_events_subject_id", "subject", "id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(128))
    detail: Mapped[Json] = mapped_column(JSON, default=dict)


__all__ = [
    "Activity",
    "Agent",
    "AgentCapacity",
    "ApiKey",
    "Assignment",
    "AuditEvent",
    "Base",
    "BusRecord",
    "ConsumerOffset",
    "Contact",
    "ContactIdentity",
    "Conversation",
    "Decision",
    "Message",
    "MessageReceipt",
    "Queue",
    "Reply",
    "Ruleset",
    "RulesetActivation",
    "SeenToken",
    "SlaPolicyRow",
    "SmsPart",
    "WebhookDelivery",
    "WebhookSubscription",
    "utcnow",
]
