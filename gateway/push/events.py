"""What an agent hears about an activity row: the pure mapping from the activity log to agent-facing events.

Each row gives an agent at most one event, with the row's id, so a stream's ``id:`` is the activity id and
``Last-Event-ID`` resumes exactly. A row names an agent as the holder afterwards (``agent_id``) or as the
holder before, when the holder changed (``previous_agent_id``):

- ``assignment.offered``: work offered to the agent (by a router, a dispatcher or a transfer to it);
- ``assignment.withdrawn``: work left the agent without being completed (rejected, expired, transferred
  or escalated away, pulled back), with the reason;
- ``assignment.requeued``: the agent's work went back to its queue because the agent was away;
- ``assignment.accepted``, ``assignment.completed``: the agent's own actions, for its other devices;
- ``conversation.message``: a new customer message joined a conversation the agent holds;
- ``sla.warning``, ``sla.breached``: the SLA clock of work the agent holds.

No I/O here: the feed and the stream read rows and call :func:`agent_event`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict

EventName = Literal[
    "assignment.offered",
    "assignment.withdrawn",
    "assignment.requeued",
    "assignment.accepted",
    "assignment.completed",
    "conversation.message",
    "sla.warning",
    "sla.breached",
]
EVENT_NAMES: tuple[EventName, ...] = get_args(EventName)
"""Every event an agent's stream can carry (besides ``stream.reset``)."""
SAME_NAME: Mapping[str, EventName] = {
    "assignment.accepted": "assignment.accepted",
    "assignment.completed": "assignment.completed",
    "sla.warning": "sla.warning",
    "sla.breached": "sla.breached",
}
"""Activity types passed on to their holder under their own name."""


@dataclass(frozen=True, slots=True)
class ActivityRow:
    """One row of the activity log, detached from any session."""

    id: int
    at: datetime
    type: str
    conversation_id: str | None = None
    assignment_id: str | None = None
    message_id: str | None = None
    queue: str | None = None
    agent_id: str | None = None
    previous_agent_id: str | None = None
    data: Mapping[str, object] = field(default_factory=dict)

    def names(self, agent_id: str) -> bool:
        """Whether the row concerns the agent (held the work before, or holds it now)."""
        return agent_id in (self.agent_id, self.previous_agent_id)


class AgentEvent(BaseModel):
    """One event on an agent's stream; ``id`` is the activity row's id."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int
    type: EventName
    at: datetime
    assignment_id: str | None = None
    conversation_id: str | None = None
    message_id: str | None = None
    queue: str | None = None
    reason: str | None = None
    """Why work was withdrawn or requeued (``rejected``, ``expired``, ``transferred``, ...), or ``transfer`` for
    an offer made by a transfer."""
    sla_state: str | None = None


def agent_event(row: ActivityRow, agent_id: str) -> AgentEvent | None:
    """The event ``agent_id`` gets for ``row``, or None when the row does not concern it as an event."""
    if row.previous_agent_id == agent_id and row.agent_id != agent_id:
        if row.type == "assignment.requeued":
            return _event(row, "assignment.requeued", reason=_text(row.data.get("reason")) or "requeued")
        return _event(row, "assignment.withdrawn", reason=_reason(row.type))
    if row.agent_id != agent_id:
        return None
    if row.type in SAME_NAME:
        return _event(row, SAME_NAME[row.type], sla_state=_text(row.data.get("sla_state")))
    if row.type == "message.routed":
        return _event(row, "conversation.message") if row.data.get("outcome") == "sticky" else None
    if row.type.startswith("assignment.") and row.data.get("status") == "offered":
        return _event(row, "assignment.offered", reason="transfer" if row.type == "assignment.transferred" else None)
    return None


def _event(row: ActivityRow, name: EventName, *, reason: str | None = None, sla_state: str | None = None) -> AgentEvent:
    return AgentEvent(
        id=row.id,
        type=name,
        at=row.at,
        assignment_id=row.assignment_id,
        conversation_id=row.conversation_id,
        message_id=row.message_id,
        queue=row.queue,
        reason=reason,
        sla_state=sla_state,
    )


def _reason(activity_type: str) -> str:
    """``assignment.rejected`` -> ``rejected``."""
    return activity_type.rpartition(".")[2] or activity_type


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


__all__ = ["EVENT_NAMES", "ActivityRow", "AgentEvent", "EventName", "agent_event"]
