"""What routers publish: decision and timer events on ``switchboard.routed.v1``, and the envelope of a record
sent to ``switchboard.dlq.v1``. Versioned like InboundMessage v1: a v2 is a new topic or a tolerant reader,
never a silent change. Their JSON Schemas are published in ``shared/schemas/`` (``python -m shared.contracts``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

Outcome = Literal["assigned", "queued", "sticky"]
"""What routing did with a message that needs an answer: offered to an agent, left waiting, or joined its
conversation's open assignment."""
FlaggedOutcome = Literal["filed", "dropped"]
"""What routing did with a flagged auto-reply or bounce, which is never offered: filed in a queue or dropped."""


class _Event(BaseModel):
    # The published schemas describe what is emitted, where every field is present: defaults are required there.
    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, json_schema_serialization_defaults_required=True
    )

    schema_version: Literal[1] = 1

    @property
    def bus_key(self) -> str:
        """The bus key: the conversation, so one conversation's events stay in order."""
        conversation = getattr(self, "conversation_id", None)
        return conversation if isinstance(conversation, str) else ""

    def to_bytes(self) -> bytes:
        """Serialize for the bus (with the wire names)."""
        return self.model_dump_json(by_alias=True).encode()


class MessageRouted(_Event):
    """A message was routed: assigned to an agent, queued, or joined its conversation's open assignment; a
    flagged auto-reply or bounce is filed (``queue`` set, no assignment) or dropped (neither)."""

    type: Literal["message.routed"] = "message.routed"
    message_id: str
    conversation_id: str
    assignment_id: str | None
    queue: str | None
    agent_id: str | None
    outcome: Outcome | FlaggedOutcome
    ruleset_version: int | None


class SlaChanged(_Event):
    """Open work reached its SLA warning or breach; a first breach also escalates it (by priority in place,
    or to the escalations queue)."""

    type: Literal["sla.warning", "sla.breached"]
    assignment_id: str
    conversation_id: str
    queue: str
    agent_id: str | None
    at: datetime
    escalated: Literal["priority", "queue"] | None = None
    priority: int | None = None
    to_queue: str | None = None


class AssignmentRequeued(_Event):
    """Work went back to its queue because its agent was away for longer than the grace period."""

    type: Literal["assignment.requeued"] = "assignment.requeued"
    assignment_id: str
    conversation_id: str
    reason: str
    at: datetime


class ShiftEnded(_Event):
    """An agent's shift ended: the agent was signed off and its un-accepted offers handed back."""

    type: Literal["agent.shift_ended"] = "agent.shift_ended"
    agent_id: str
    requeued: list[str]
    at: datetime


class QueueOverflowed(_Event):
    """Work that waited longer than its queue's overflow time moved to the overflow queue."""

    type: Literal["queue.overflowed"] = "queue.overflowed"
    from_queue: str = Field(alias="from")
    to_queue: str = Field(alias="to")
    count: int = Field(ge=1)
    at: datetime


RoutedEvent = Annotated[
    MessageRouted | SlaChanged | AssignmentRequeued | ShiftEnded | QueueOverflowed, Field(discriminator="type")
]
"""Any event on ``switchboard.routed.v1``, told apart by ``type``."""
ROUTED_EVENT: TypeAdapter[RoutedEvent] = TypeAdapter(RoutedEvent)


class DeadLetter(_Event):
    """A record the router could not route, with the error and where it came from, so its partition moves on."""

    type: Literal["dead_letter"] = "dead_letter"
    error: str = Field(max_length=2000)
    topic: str
    partition: int
    offset: int
    key: str | None
    value: str
    at: datetime

    @property
    def bus_key(self) -> str:
        """The record's own key, so a retry tool can put it back where it was."""
        return self.key or ""


__all__ = [
    "ROUTED_EVENT",
    "AssignmentRequeued",
    "DeadLetter",
    "FlaggedOutcome",
    "MessageRouted",
    "Outcome",
    "QueueOverflowed",
    "RoutedEvent",
    "ShiftEnded",
    "SlaChanged",
]
