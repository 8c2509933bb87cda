"""Service-level targets: state and escalation on breach, over the deadlines of ``shared.sla``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from shared.lifecycle import ESCALATIONS_QUEUE
from shared.policies import SlaPolicy
from shared.sla import Deadline, SlaClock, SlaTarget, deadlines

SlaState = Literal["ok", "warning", "breached"]
ESCALATION_QUEUE = ESCALATIONS_QUEUE
_SEVERITY: dict[SlaState, int] = {"ok": 0, "warning": 1, "breached": 2}


@dataclass(frozen=True, slots=True)
class Breach:
    """A missed target."""

    target: SlaTarget
    priority: int
    due_at: datetime


@dataclass(frozen=True, slots=True)
class Escalation:
    """Where breached work goes: a supervisor queue, with higher priority, announced by an event."""

    new_priority: int
    queue: str = ESCALATION_QUEUE
    event: str = "sla.breached"


def _met_at(clock: SlaClock, target: SlaTarget) -> datetime | None:
    return clock.first_response_at if target == "first_response" else clock.resolved_at


def _state_of(deadline: Deadline, met_at: datetime | None, now: datetime) -> SlaState:
    if met_at is not None:
        return "breached" if met_at > deadline.due_at else "ok"
    if now >= deadline.due_at:
        return "breached"
    return "warning" if now >= deadline.warn_at else "ok"


def sla_state(clock: SlaClock, policy: SlaPolicy, now: datetime) -> SlaState:
    """The worst state over the work's targets: late responses stay breached, met targets are ok."""
    states = [_state_of(d, _met_at(clock, d.target), now) for d in deadlines(clock, policy)]
    return max(states, key=_SEVERITY.__getitem__, default="ok")


def breaches(clock: SlaClock, policy: SlaPolicy, now: datetime) -> list[Breach]:
    """The targets this work has missed by ``now``."""
    return [
        Breach(d.target, clock.priority, d.due_at)
        for d in deadlines(clock, policy)
        if _state_of(d, _met_at(clock, d.target), now) == "breached"
    ]


def escalation_for(breach: Breach) -> Escalation:
    """Escalate one priority level (never above 1) to the supervisors' queue."""
    return Escalation(new_priority=max(1, breach.priority - 1))


__all__ = [
    "ESCALATION_QUEUE",
    "Breach",
    "Deadline",
    "Escalation",
    "SlaClock",
    "SlaState",
    "SlaTarget",
    "breaches",
    "deadlines",
    "escalation_for",
    "sla_state",
]
