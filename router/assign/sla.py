"""Service-level targets: deadlines from stored timestamps, state, and escalation on breach."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from shared.lifecycle import ESCALATIONS_QUEUE
from shared.policies import SlaPolicy

SlaState = Literal["ok", "warning", "breached"]
SlaTarget = Literal["first_response", "resolution"]
ESCALATION_QUEUE = ESCALATIONS_QUEUE
_SEVERITY: dict[SlaState, int] = {"ok": 0, "warning": 1, "breached": 2}


@dataclass(frozen=True, slots=True)
class SlaClock:
    """The stored timestamps an SLA is measured from: the clock starts when the work is enqueued."""

    priority: int
    started_at: datetime
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Deadline:
    """One target's warning and due instants; store them and fire each once with a conditional update."""

    target: SlaTarget
    warn_at: datetime
    due_at: datetime


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


def deadlines(clock: SlaClock, policy: SlaPolicy) -> list[Deadline]:
    """The targets that apply to this work, computed from its timestamps (so they survive restarts)."""
    out: list[Deadline] = []
    targets: tuple[tuple[SlaTarget, Mapping[int, int]], ...] = (
        ("first_response", policy.first_response_s),
        ("resolution", policy.resolution_s),
    )
    for target, table in targets:
        seconds = table.get(clock.priority)
        if seconds is not None:
            warn = clock.started_at + timedelta(seconds=seconds * policy.warn_ratio)
            out.append(Deadline(target, warn, clock.started_at + timedelta(seconds=seconds)))
    return out


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
