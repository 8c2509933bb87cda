"""Request and response bodies of the public API."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated, Any, ClassVar, Literal, ParamSpec, TypeVar, get_args

from fastapi import Path
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    ValidationInfo,
    field_validator,
    model_validator,
)

from shared.auth import Role
from shared.errors import InvalidRequest
from shared.policies import (
    DEFAULT_AGING_PER_MINUTE,
    EARLIEST,
    LATEST,
    MAX_AGING_PER_MINUTE,
    MAX_CLOCK_SKEW,
    MAX_HOLIDAYS,
    MAX_SHIFTS_PER_DAY,
    OFFER_TIMEOUT_S,
    OVERFLOW_AFTER_S,
    PRIORITY,
    RULESET_VERSION,
    SLA_TARGET_S,
    QueuePolicy,
    SlaPolicy,
    Strategy,
    Weekday,
    check_instant,
    hours_from_json,
)
from shared.schema import CHANNELS, MAX_TEXT, Channel

Presence = Literal["available", "away", "offline"]
LANG = r"^[a-z]{2,3}$"
Priority = Annotated[int, Field(ge=PRIORITY.low, le=PRIORITY.high)]
TargetSeconds = Annotated[int, Field(ge=SLA_TARGET_S.low, le=SLA_TARGET_S.high)]
T = TypeVar("T")
P = ParamSpec("P")


def _refused_as_value_error(build: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Build a shared value object, turning its refusal into the ``ValueError`` pydantic reports as a 422."""
    try:
        return build(*args, **kwargs)
    except InvalidRequest as exc:
        raise ValueError(exc.detail) from None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[\t\n\r]")
# The same rules in the OpenAPI document (ECMA-262 patterns), so a schema-valid string is an accepted one.
_MULTILINE_PATTERN = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
_SINGLE_LINE_PATTERN = "^[^\\x00-\\x1f\\x7f-\\x9f]*$"
_VISIBLE_PATTERN = "[^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]"
"""Something besides whitespace (Python's, which ``str.strip`` removes before ``minLength`` is checked)."""


def _document_text_rules(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """Add the control-character and not-blank rules to each plain string property of an input model."""
    multiline: frozenset[str] = getattr(model, "_multiline", frozenset())
    if not isinstance(multiline, frozenset):
        multiline = frozenset(getattr(multiline, "default", frozenset()))
    for name, prop in schema.get("properties", {}).items():
        for variant in prop.get("anyOf", [prop]):
            if variant.get("type") != "string" or "pattern" in variant or "format" in variant or "enum" in variant:
                continue
            variant["pattern"] = _MULTILINE_PATTERN if name in multiline else _SINGLE_LINE_PATTERN
            if variant.get("minLength", 0) >= 1:
                variant["allOf"] = [{"pattern": _VISIBLE_PATTERN}]


_NUMERIC = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")


def _iso_only(value: object) -> object:
    """Refuse numbers for instants: pydantic would read them as Unix times, the schema says ISO 8601."""
    if isinstance(value, int | float) or (isinstance(value, str) and _NUMERIC.fullmatch(value)):
        raise ValueError("ISO 8601 is needed, e.g. 2026-01-31 or 2026-01-31T12:00:00Z, not a number")
    return value


IsoDateTime = Annotated[datetime, BeforeValidator(_iso_only)]
"""An instant written as ISO 8601 (never a bare number)."""
IsoDate = Annotated[date, BeforeValidator(_iso_only)]
"""A calendar date written as ISO 8601 (never a bare number)."""


_NUMBERS: frozenset[object] = frozenset({int, float})


class _In(BaseModel):
    """Every request body: no unknown fields, surrounding whitespace stripped, no control characters.

    NUL and the other C0/C1 control characters are refused in every string (422), everywhere alike;
    tab, newline and carriage return only where the field says it is multi-line (``_multiline``).
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra=_document_text_rules)
    _multiline: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _no_booleans_for_numbers(cls, value: object, info: ValidationInfo) -> object:
        """JSON ``true`` is not the integer 1 the schema asks for (pydantic would take it as one)."""
        if isinstance(value, bool) and info.field_name is not None:
            annotation = cls.model_fields[info.field_name].annotation
            if annotation in _NUMBERS or set(get_args(annotation)) & _NUMBERS:
                raise ValueError("a number is needed, not a boolean")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: object, info: ValidationInfo) -> object:
        if isinstance(value, str):
            if _CONTROL.search(value):
                raise ValueError("control characters (such as NUL) are not allowed")
            if info.field_name not in cls._multiline and _LINE_BREAKS.search(value):
                raise ValueError("line breaks and tabs are not allowed in this field")
        return value


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
    text: str = Field(min_length=1, max_length=MAX_TEXT, description="Not empty or only whitespace.")
    external_id: str | None = Field(default=None, min_length=1, max_length=255)
    thread_id: str | None = Field(default=None, max_length=512)
    received_at: IsoDateTime | None = Field(
        default=None,
        description=f"When the customer sent it, with a time zone: from {EARLIEST:%Y-%m-%d} to now"
        f" (up to {MAX_CLOCK_SKEW.seconds // 60} minutes ahead, for a fast clock); default: now.",
    )
    _multiline: ClassVar[frozenset[str]] = frozenset({"text", "subject"})

    @field_validator("received_at")
    @classmethod
    def _bounded(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        return _refused_as_value_error(check_instant, value, "received_at", now=datetime.now(UTC))


def _query_instant(value: datetime) -> datetime:
    """A query bound: without a time zone it is UTC; it must lie from ``EARLIEST`` to ``LATEST``."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return _refused_as_value_error(check_instant, aware, "the instant")


Instant = Annotated[
    datetime,
    BeforeValidator(_iso_only),
    AfterValidator(_query_instant),
    Field(description=f"An instant from {EARLIEST:%Y-%m-%d} to {LATEST:%Y-%m-%d} (UTC when no zone is given)."),
]
"""An instant a client passes to page or to choose a window."""
RulesetVersion = Annotated[int, Path(ge=RULESET_VERSION.low, le=RULESET_VERSION.high)]
"""A ruleset version in a path."""


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
Skills = Annotated[dict[str, StrictInt], Field(max_length=100), AfterValidator(_check_skills)]
Capacity = Annotated[dict[Channel, StrictInt], AfterValidator(_check_capacity)]
QueueNames = Annotated[list[str], Field(max_length=100)]


HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"
Shift = tuple[Annotated[str, Field(pattern=HHMM)], Annotated[str, Field(pattern=HHMM)]]


class HoursIn(_In):
    """Weekly hours in a time zone: shifts per weekday (split shifts allowed; an end of 00:00 is midnight) and
    holidays. A queue's opening hours and an agent's working hours take this shape."""

    tz: str = Field(max_length=64, examples=["Europe/Copenhagen"])
    weekly: dict[Weekday, Annotated[list[Shift], Field(max_length=MAX_SHIFTS_PER_DAY)]] = Field(
        examples=[{"mon": [["09:00", "12:00"], ["13:00", "17:00"]]}]
    )
    holidays: list[IsoDate] = Field(default_factory=list, max_length=MAX_HOLIDAYS)

    @model_validator(mode="after")
    def _valid_hours(self) -> HoursIn:
        _refused_as_value_error(hours_from_json, self.model_dump(mode="json"))
        return self


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


class SenderSummary(BaseModel):
    """Who wrote the latest message."""

    name: str | None
    address: str | None


class SlaDue(BaseModel):
    """When the work's SLA targets fall due (null: the policy sets no target for its priority, or there is no
    policy), and where it stands now."""

    policy: str | None
    first_response_due_at: datetime | None
    resolution_due_at: datetime | None
    state: str


PREVIEW_CHARS = 500
"""How much of the latest message's new text a summary carries."""


class AssignmentSummary(BaseModel):
    """What an agent needs to decide on an offer without opening the conversation."""

    conversation_id: str
    channel: str
    queue: str
    sender: SenderSummary
    subject: str | None
    preview: str = Field(description=f"The first {PREVIEW_CHARS} characters of the latest message's new text "
                         "(quoted history and signature stripped).")  # fmt: skip
    last_message_at: datetime | None
    language: str
    intent: str | None
    urgency: str | None
    priority: int
    sla: SlaDue


class AssignmentOut(BaseModel):
    """A conversation assigned to an agent or waiting in a queue, with its summary."""

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
    summary: AssignmentSummary


class ReassignIn(_In):
    """The agent to offer the work to (available, with room on the work's channel)."""

    agent_id: str = Field(min_length=1, max_length=36)


class ChannelLoad(BaseModel):
    """An agent's capacity on one channel and how much of it is in use."""

    capacity: int
    load: int
    free: int


class MyProfileOut(BaseModel):
    """The calling agent: profile, presence, load per channel and shift."""

    id: str
    name: str
    languages: list[str]
    skills: dict[str, int]
    queues: list[str]
    presence: str
    presence_changed_at: datetime
    channels: dict[str, ChannelLoad]
    shift: dict[str, object] | None
    shift_ends_at: datetime | None = Field(description="When a router signs you off (null: no shift, or not "
                                           "computed yet after a change).")  # fmt: skip


class DecisionOut(BaseModel):
    """Where the router sent a message, and why."""

    queue: str
    agent_id: str | None
    assignment_id: str | None
    ruleset_version: int | None
    outcome: str
    trace: dict[str, Any]


class MessageAcceptedOut(BaseModel):
    """A message that is durable but not routed yet."""

    id: str
    status: Literal["accepted"] = "accepted"
    accepted_at: datetime


class MessageOut(BaseModel):
    """A routed message with its classification and decision."""

    id: str
    status: Literal["routed"] = "routed"
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
    metadata: dict[str, str] = {}
    """Provider extras the adapter kept: a fax's ``fax_pages`` and ``ocr`` state, an email's ``thread_root``."""
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
    strategy: Strategy = "least_loaded"
    offer_timeout_s: int = Field(default=120, ge=OFFER_TIMEOUT_S.low, le=OFFER_TIMEOUT_S.high)
    overflow_queue: str | None = None
    overflow_after_s: int | None = Field(default=None, ge=OVERFLOW_AFTER_S.low, le=OVERFLOW_AFTER_S.high)
    after_hours_queue: str | None = None
    hours: HoursIn | None = None
    aging_per_minute: float = Field(default=DEFAULT_AGING_PER_MINUTE, gt=0, le=MAX_AGING_PER_MINUTE)
    sla_policy: str | None = None

    @model_validator(mode="after")
    def _valid_policy(self) -> QueueIn:
        self.policy()
        return self

    def policy(self) -> QueuePolicy:
        """The queue's policy as the router applies it (raises ``ValueError`` outside its bounds)."""
        hours = _refused_as_value_error(hours_from_json, self.hours.model_dump(mode="json")) if self.hours else None
        return _refused_as_value_error(
            QueuePolicy,
            name=self.name,
            strategy=self.strategy,
            offer_timeout_s=self.offer_timeout_s,
            overflow_queue=self.overflow_queue,
            overflow_after_s=self.overflow_after_s,
            aging_per_minute=self.aging_per_minute,
            hours=hours,
            after_hours_queue=self.after_hours_queue,
            sla_policy=self.sla_policy,
        )


class SlaPolicyIn(_In):
    """First-response and resolution targets in seconds, per priority 1 (highest) to 5."""

    name: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9_-]+$")
    first_response_s: dict[Priority, TargetSeconds] = Field(default_factory=dict, examples=[{1: 300, 3: 3600}])
    resolution_s: dict[Priority, TargetSeconds] = Field(default_factory=dict)
    warn_ratio: float = Field(default=0.8, gt=0, le=1)

    @model_validator(mode="after")
    def _valid_policy(self) -> SlaPolicyIn:
        _refused_as_value_error(SlaPolicy, self.name, self.first_response_s, self.resolution_s, self.warn_ratio)
        return self


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


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def _unset(**constraints: Any) -> Any:
    """A field a partial update may leave out but not set to null: documented without a default (null is
    refused by its type), and applied only when sent (``model_fields_set``)."""
    return Field(default=None, json_schema_extra=_no_default, **constraints)


class _Patch(_In):
    """A partial update: only the fields sent change; an explicit null clears a field that may be empty."""

    def sent(self) -> dict[str, Any]:
        """The fields sent, as JSON values."""
        return self.model_dump(mode="json", include=self.model_fields_set)


class AgentPatch(_Patch):
    """Fields of an agent to change; those left out keep their values."""

    name: str = _unset(min_length=1, max_length=200)
    languages: Languages = _unset()
    skills: Skills = _unset()
    capacity: Capacity = _unset(description="Per channel; channels left out keep their capacity.")
    queues: QueueNames = _unset()
    shift: HoursIn | None = Field(default=None, description="Working hours; an explicit null removes them.")


class QueuePatch(_Patch):
    """Fields of a queue to change; those left out keep their values, an explicit null clears a nullable one."""

    description: str = _unset(max_length=500)
    strategy: Strategy = _unset()
    offer_timeout_s: int = _unset(ge=OFFER_TIMEOUT_S.low, le=OFFER_TIMEOUT_S.high)
    overflow_queue: str | None = None
    overflow_after_s: int | None = Field(default=None, ge=OVERFLOW_AFTER_S.low, le=OVERFLOW_AFTER_S.high)
    after_hours_queue: str | None = None
    hours: HoursIn | None = None
    aging_per_minute: float = _unset(gt=0, le=MAX_AGING_PER_MINUTE)
    sla_policy: str | None = None


class ContactPatch(_Patch):
    """Fields of a known contact to change; those left out keep their values."""

    name: str | None = Field(default=None, max_length=200, description="An explicit null removes the name.")
    tier: str = _unset(min_length=1, max_length=32, pattern=r"^[a-z0-9_-]+$")
    identities: list[Annotated[str, Field(min_length=1, max_length=320)]] = _unset(
        max_length=20, description="Replaces the contact's other addresses (an empty list removes them all)."
    )


class TransferIn(_In):
    """Where to send the conversation: another queue, or a named agent."""

    queue: str | None = None
    agent_id: str | None = None
    reason: str | None = Field(default=None, max_length=500)


class Health(BaseModel):
    """The process is alive."""

    status: Literal["ok"]


class Readiness(BaseModel):
    """Whether the database, the bus and this process's router answer."""

    status: Literal["ready", "unavailable"]
    checks: dict[str, bool]


class PresenceOut(BaseModel):
    """The presence now, and how many un-accepted offers went back to their queues."""

    status: Presence
    requeued: int


class ApiKeyOut(BaseModel):
    """A key without its secret."""

    id: str
    prefix: str
    role: Role
    agent_id: str | None
    name: str | None
    created_at: datetime
    revoked_at: datetime | None


class RulesetSummary(BaseModel):
    """One ruleset version: its state, who made it and when."""

    version: int
    status: Literal["draft", "published"]
    active: bool
    note: str
    created_by: str
    created_at: datetime
    updated_at: datetime


class RulesetOut(RulesetSummary):
    """One version with its document."""

    document: dict[str, Any]


class ActivationOut(BaseModel):
    """A publish or a rollback."""

    version: int
    action: Literal["publish", "rollback"]
    actor: str
    at: datetime


class RulesetHistory(BaseModel):
    """Every version and the latest activations."""

    active_version: int | None
    versions: list[RulesetSummary]
    activations: list[ActivationOut]


class RuleProblem(BaseModel):
    """One problem in a ruleset: of the document's structure, or of one rule (with its position)."""

    kind: Literal["document", "rule"]
    rule_id: str | None
    message: str
    line: int | None
    column: int | None
    field: str | None
    location: list[str | int] | None = None


class DraftSaved(BaseModel):
    """A saved draft and the problems it still has (a draft may have some; publishing needs none)."""

    version: int
    status: Literal["draft"]
    valid: bool
    errors: list[RuleProblem]


class ValidationOut(BaseModel):
    """Whether a document can be published, and every problem in it."""

    version: int | None = None
    valid: bool
    errors: list[RuleProblem]


class SimulationOut(BaseModel):
    """Where one message would go under a version, with the full decision trace."""

    version: int
    queue: str
    priority: int
    agent_id: str | None
    trace: dict[str, Any]


class BacktestWindow(BaseModel):
    """The replayed window (ISO 8601)."""

    since: str
    until: str


class QueueCount(BaseModel):
    """Messages per queue under the active ruleset and under the draft."""

    queue: str
    active: int
    draft: int
    change: int


class Move(BaseModel):
    """A message that would go elsewhere under the draft."""

    message_id: str
    conversation_id: str
    from_: str | None = Field(alias="from")
    to: str

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class BacktestOut(BaseModel):
    """Stored messages replayed under the active ruleset and a draft."""

    window: BacktestWindow
    messages: int
    active_version: int | None
    draft_version: int
    per_queue: list[QueueCount]
    moved: int
    moves: list[Move]


class Activated(BaseModel):
    """The version every router now uses."""

    version: int
    active: Literal[True]
    action: Literal["publish", "rollback"]


class ContactOut(BaseModel):
    """A known customer as stored (addresses normalized), with the other addresses that are theirs."""

    address: str
    tier: str
    name: str | None
    identities: list[str]
