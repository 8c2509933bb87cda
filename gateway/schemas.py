"""Request and response bodies of the public API."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from shared.auth import Role
from shared.schema import CHANNELS, MAX_TEXT, Channel

Presence = Literal["available", "away", "offline"]
LANG = r"^[a-z]{2,3}$"


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SenderIn(_In):
    """The customer's address on the channel (email address, phone number, chat session) and name."""

    address: str = Field(min_length=1, max_length=320)
    name: str | None = Field(default=None, max_length=200)


class MessageIn(_In):
    """A message posted by an integration through the generic JSON API."""

    channel: Channel
    sender: SenderIn
    recipient: str | None = Field(default=None, max_length=320)
    subject: str | None = Field(default=None, max_length=1000)
    text: str = Field(max_length=MAX_TEXT)
    external_id: str | None = Field(default=None, min_length=1, max_length=255)
    thread_id: str | None = Field(default=None, max_length=512)
    received_at: datetime | None = None

    @field_validator("received_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("received_at needs a time zone (e.g. 2026-01-31T12:00:00Z)")
        return value


class Accepted(BaseModel):
    """The message is durable and will be routed."""

    id: str
    conversation_id: str


def _check_languages(value: list[str]) -> list[str]:
    for lang in value:
        if not re.match(LANG, lang):
            raise ValueError(f"language {lang!r} is not an ISO 639 code like 'da'")
    return value


def _check_skills(value: dict[str, int]) -> dict[str, int]:
    for name, level in value.items():
        if not 1 <= level <= 5 or not name or len(name) > 64:
            raise ValueError("skills map a name (1-64 chars) to a proficiency from 1 to 5")
    return value


def _check_capacity(value: dict[Channel, int]) -> dict[Channel, int]:
    if any(not 0 <= c <= 100 for c in value.values()):
        raise ValueError("capacity per channel is between 0 and 100")
    return value


Languages = Annotated[list[str], Field(max_length=50), AfterValidator(_check_languages)]
Skills = Annotated[dict[str, int], Field(max_length=100), AfterValidator(_check_skills)]
Capacity = Annotated[dict[Channel, int], AfterValidator(_check_capacity)]
QueueNames = Annotated[list[str], Field(max_length=100)]


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"


class HoursIn(_In):
    """Weekly hours in a time zone: shifts per weekday (split shifts allowed) and holidays. A queue's opening
    hours and an agent's working hours take this shape."""

    tz: str = Field(examples=["Europe/Copenhagen"])
    weekly: dict[str, list[tuple[str, str]]] = Field(examples=[{"mon": [["09:00", "12:00"], ["13:00", "17:00"]]}])
    holidays: list[date] = Field(default_factory=list, max_length=400)

    @field_validator("tz")
    @classmethod
    def _tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("weekly")
    @classmethod
    def _weekly(cls, value: dict[str, list[tuple[str, str]]]) -> dict[str, list[tuple[str, str]]]:
        for day, shifts in value.items():
            if day not in WEEKDAYS:
                raise ValueError(f"weekday {day!r} is not one of {', '.join(WEEKDAYS)}")
            for start, end in shifts:
                if not re.match(HHMM, start) or not re.match(HHMM, end):
                    raise ValueError("shift times are HH:MM")
                if end != "00:00" and end <= start:
                    raise ValueError(f"shift {start}-{end} ends before it starts")
        return value


class AgentIn(_In):
    """A new agent."""

    name: str = Field(min_length=1, max_length=200)
    languages: Languages = Field(default_factory=list)
    skills: Skills = Field(default_factory=dict)
    capacity: Capacity = Field(default_factory=lambda: dict.fromkeys(CHANNELS, 1))
    queues: QueueNames = Field(default_factory=list)
    presence: Presence = "offline"
    shift: HoursIn | None = Field(default=None, description="Working hours; when a shift ends the agent is signed off.")


class Created(BaseModel):
    """The id of what was created."""

    id: str


class AgentOut(BaseModel):
    """An agent as supervisors see it."""

    id: str
    name: str
    languages: list[str]
    skills: dict[str, int]
    capacity: dict[str, int]
    load: dict[str, int]
    queues: list[str]
    presence: str
    shift: dict[str, object] | None = None
    shift_ends_at: datetime | None = None


class ApiKeyIn(_In):
    """A new API key; agent keys are bound to one agent."""

    role: Role
    agent_id: str | None = None
    name: str | None = Field(default=None, max_length=200)


class ApiKeyCreated(BaseModel):
    """The new key; ``key`` is shown only in this response."""

    id: str
    key: str
    role: Role


class PresenceIn(_In):
    """The agent's presence."""

    status: Presence


class CompleteIn(_In):
    """How the conversation ended."""

    disposition: str = Field(min_length=1, max_length=64)
    notes: str | None = Field(default=None, max_length=10_000)


class AssignmentOut(BaseModel):
    """A conversation assigned to an agent or waiting in a queue."""

    id: str
    conversation_id: str
    channel: str
    queue: str
    agent_id: str | None
    status: str
    priority: int
    language: str
    message_count: int
    created_at: datetime
    offered_at: datetime | None
    accepted_at: datetime | None
    completed_at: datetime | None
    disposition: str | None


class DecisionOut(BaseModel):
    """Where the router sent a message, and why."""

    queue: str
    agent_id: str | None
    assignment_id: str | None
    ruleset_version: int | None
    outcome: str
    trace: dict[str, Any]


class MessageOut(BaseModel):
    """A routed message with its classification and decision."""

    id: str
    conversation_id: str
    channel: str
    provider: str
    external_id: str | None
    received_at: datetime
    routed_at: datetime
    sender: dict[str, Any]
    recipient: str | None
    subject: str | None
    text: str
    attachments: list[dict[str, Any]]
    flags: dict[str, Any]
    classification: dict[str, Any]
    decision: DecisionOut | None


class QueueOut(BaseModel):
    """A queue's current state."""

    name: str
    strategy: str
    open: int
    waiting: int
    offered: int
    accepted: int
    sla_warning: int
    sla_breached: int
    oldest_wait_seconds: float | None


class QueueIn(_In):
    """A department queue and how its work is offered."""

    name: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9_-]+$")
    description: str = Field(default="", max_length=500)
    strategy: Literal["least_loaded", "longest_idle", "round_robin"] = "least_loaded"
    offer_timeout_s: int = Field(default=120, ge=5, le=86_400)
    overflow_queue: str | None = None
    overflow_after_s: int | None = Field(default=None, ge=0)
    after_hours_queue: str | None = None
    hours: HoursIn | None = None
    aging_per_minute: float = Field(default=0.1, gt=0, le=10)
    sla_policy: str | None = None


class SlaPolicyIn(_In):
    """First-response and resolution targets in seconds, per priority 1 (highest) to 5."""

    name: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9_-]+$")
    first_response_s: dict[int, int] = Field(default_factory=dict, examples=[{1: 300, 3: 3600}])
    resolution_s: dict[int, int] = Field(default_factory=dict)
    warn_ratio: float = Field(default=0.8, gt=0, le=1)

    @field_validator("first_response_s", "resolution_s")
    @classmethod
    def _targets(cls, value: dict[int, int]) -> dict[int, int]:
        if any(not 1 <= p <= 5 or s <= 0 for p, s in value.items()):
            raise ValueError("targets map a priority 1-5 to a positive number of seconds")
        return value


class ContactIn(_In):
    """A known customer address and its tier."""

    channel: Channel
    address: str = Field(min_length=1, max_length=320)
    name: str | None = Field(default=None, max_length=200)
    tier: str = Field(default="standard", min_length=1, max_length=32, pattern=r"^[a-z0-9_-]+$")
    identities: list[Annotated[str, Field(min_length=1, max_length=320)]] | None = Field(
        default=None,
        max_length=20,
        description="The contact's other addresses (phone numbers in international form, email addresses), so a "
        "message from any of them is from this customer. Replaces the stored set; omitted, it is kept.",
        examples=[["+45 20 12 34 56", "kirsten@example.dk"]],
    )


class AgentPatch(_In):
    """Fields of an agent to change."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    languages: Languages | None = None
    skills: Skills | None = None
    capacity: Capacity | None = None
    queues: QueueNames | None = None
    shift: HoursIn | None = Field(default=None, description="Working hours; an explicit null removes them.")


class TransferIn(_In):
    """Where to send the conversation: another queue, or a named agent."""

    queue: str | None = None
    agent_id: str | None = None
    reason: str | None = Field(default=None, max_length=500)
