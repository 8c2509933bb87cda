"""The assignment lifecycle: its states and every transition between them, as pure functions. No I/O.

```
queued ──offer──► offered ──accept──► accepted ──complete──► completed
  ▲                  │                    │
  └── reject, expire, hand back, requeue, transfer, escalate, withdraw ──┘
```

Only accepted work can be completed. Whenever the holder changes (transfer, reassign) the new holder must
accept afresh (``accepted_at`` is cleared); work back in a queue has no holder and no acceptance. Supervisors
``reassign`` open work to an agent, ``withdraw`` held work back to its queue, and ``take`` escalated work for
their own agent (accepted at once).

A transition names the row it changes, the values the row must still hold (``expect``: applied as a
conditional update, so of two writers racing for the same row exactly one wins), the new values, the
agent whose capacity unit comes back, and the event it emits. Callers apply it with
``shared.db.assignments.apply`` and refuse or skip when the row changed meanwhile.

Late accept: an offer past its ``offer_timeout_s`` can still be accepted until a dispatcher has expired it.
The timeout is when a router *may* take the offer back, not when the agent loses it; the conditional
update decides the race between the agent's accept and the expiry, so the work is never held twice. It
also keeps the gateway free of the queue's timeout and of clock skew between gateway and router hosts: a
refusal the agent sees always means the work has already gone elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal

from shared.errors import Conflict


class Status(StrEnum):
    """Where an assignment is in its lifecycle."""

    QUEUED = "queued"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    COMPLETED = "completed"


OPEN: tuple[Status, ...] = (Status.QUEUED, Status.OFFERED, Status.ACCEPTED)
"""Work not completed yet: a conversation has at most one open assignment."""
HELD: tuple[Status, ...] = (Status.OFFERED, Status.ACCEPTED)
"""Work with an agent, using one unit of that agent's capacity on its channel."""

ESCALATIONS_QUEUE = "escalations"
TOP_PRIORITY = 1

EventType = Literal[
    "assignment.offered",
    "assignment.accepted",
    "assignment.rejected",
    "assignment.expired",
    "assignment.requeued",
    "assignment.completed",
    "assignment.transferred",
    "assignment.escalated",
    "assignment.withdrawn",
]


class TransitionRefused(Conflict):
    """The assignment is not in a state this step can start from."""

    code = "assignment-state"


@dataclass(frozen=True, slots=True)
class Work:
    """What the lifecycle reads of one assignment."""

    id: str
    status: Status
    agent_id: str | None
    queue: str
    conversation_id: str = ""
    offered_at: datetime | None = None
    accepted_at: datetime | None = None
    excluded_agents: tuple[str, ...] = ()
    priority: int = 3


@dataclass(frozen=True, slots=True)
class Transition:
    """One step: set ``changes`` on assignment ``work.id`` where its columns still equal ``expect``, give back
    one unit of ``release``'s capacity, and emit ``event``."""

    work: Work
    expect: Mapping[str, object]
    changes: Mapping[str, object]
    event: EventType
    release: str | None = None
    reason: str | None = None
    detail: Mapping[str, object] = field(default_factory=dict)


def _as_found(work: Work) -> dict[str, object]:
    """The guard that the row is still what ``work`` was read as (status, holder and the offer's instant)."""
    expect: dict[str, object] = {"status": work.status, "agent_id": work.agent_id}
    if work.status == Status.OFFERED:
        expect["offered_at"] = work.offered_at
    return expect


def _require(work: Work, allowed: tuple[Status, ...], doing: str) -> None:
    if work.status not in allowed:
        names = " or ".join(s.value for s in allowed)
        raise TransitionRefused(f"the assignment is {work.status.value}, only {names} work can be {doing}")


def _excluding(work: Work, agent_id: str | None) -> list[str]:
    """The excluded agents with ``agent_id`` added (kept sorted, so the stored list is stable)."""
    return sorted({*work.excluded_agents, *([agent_id] if agent_id else [])})


def _back_to_queue(work: Work, *, exclude: bool) -> dict[str, object]:
    """Waiting in a queue again: no holder, no offer, no acceptance (the next holder accepts afresh)."""
    changes: dict[str, object] = {"status": Status.QUEUED, "agent_id": None, "offered_at": None, "accepted_at": None}
    if exclude:
        changes["excluded_agents"] = _excluding(work, work.agent_id)
    return changes


def offer(work: Work, agent_id: str, now: datetime) -> Transition:
    """Offer queued work to an agent whose capacity the caller has claimed."""
    _require(work, (Status.QUEUED,), "offered")
    if agent_id in work.excluded_agents:
        raise TransitionRefused("the work may not be offered to that agent again")
    changes = {"status": Status.OFFERED, "agent_id": agent_id, "offered_at": now}
    return Transition(work, {"status": Status.QUEUED}, changes, "assignment.offered")


def accept(work: Work, now: datetime) -> Transition | None:
    """The agent takes the offered work; accepting it again changes nothing (None). A late accept is allowed
    until the offer has been expired (see the module's docstring)."""
    if work.status == Status.ACCEPTED:
        return None
    _require(work, (Status.OFFERED,), "accepted")
    changes = {"status": Status.ACCEPTED, "accepted_at": now}
    return Transition(work, _as_found(work), changes, "assignment.accepted")


def reject(work: Work, now: datetime) -> Transition:
    """The agent declines: the work goes back to its queue and is never offered to that agent again."""
    _require(work, (Status.OFFERED,), "rejected")
    changes = _back_to_queue(work, exclude=True)
    return Transition(work, _as_found(work), changes, "assignment.rejected", release=work.agent_id)


def expire(work: Work, now: datetime, timeout_s: int) -> Transition | None:
    """An offer unanswered for ``timeout_s`` goes back to its queue without that agent; None if not due."""
    if work.status != Status.OFFERED or work.offered_at is None or work.agent_id is None:
        return None
    if now - work.offered_at < timedelta(seconds=timeout_s):
        return None
    changes = _back_to_queue(work, exclude=True)
    return Transition(work, _as_found(work), changes, "assignment.expired", release=work.agent_id)


def hand_back(work: Work, now: datetime) -> Transition:
    """An agent going away (or signed off at a shift's end) hands back an offer it has not accepted; it may
    come back, so it is not excluded."""
    _require(work, (Status.OFFERED,), "handed back")
    changes = _back_to_queue(work, exclude=False)
    return Transition(work, _as_found(work), changes, "assignment.requeued", release=work.agent_id, reason="agent away")


def requeue_absent(work: Work, now: datetime) -> Transition:
    """Work held by an agent away for longer than the grace period goes back to its queue."""
    _require(work, HELD, "requeued")
    changes = _back_to_queue(work, exclude=False)
    return Transition(work, _as_found(work), changes, "assignment.requeued", release=work.agent_id, reason="agent away")


def complete(work: Work, now: datetime, *, disposition: str, notes: str | None) -> Transition:
    """Close accepted work with a disposition; an offer must be accepted first (work nobody took on is not
    done)."""
    if work.status == Status.COMPLETED:
        raise TransitionRefused("the assignment is already completed")
    _require(work, (Status.ACCEPTED,), "completed")
    changes: dict[str, object] = {"status": Status.COMPLETED, "completed_at": now, "disposition": disposition,
                                  "notes": notes}  # fmt: skip
    return Transition(work, _as_found(work), changes, "assignment.completed", release=work.agent_id)


def transfer_to_queue(work: Work, queue: str, now: datetime) -> Transition:
    """Hand held work to another queue, where it waits for the next fitting agent."""
    _require(work, HELD, "transferred")
    changes = _back_to_queue(work, exclude=False) | {"queue": queue}
    return Transition(work, _as_found(work), changes, "assignment.transferred", release=work.agent_id,
                      detail={"from_agent": work.agent_id, "to_agent": None, "to_queue": queue})  # fmt: skip


def transfer_to_agent(work: Work, agent_id: str, now: datetime) -> Transition:
    """Offer held work straight to another agent, whose capacity the caller has claimed; the new holder must
    accept it (the acceptance of the one before does not carry over)."""
    _require(work, HELD, "transferred")
    if agent_id == work.agent_id:
        raise TransitionRefused("the assignment is already with that agent")
    changes = {"status": Status.OFFERED, "agent_id": agent_id, "offered_at": now, "accepted_at": None}
    return Transition(work, _as_found(work), changes, "assignment.transferred", release=work.agent_id,
                      detail={"from_agent": work.agent_id, "to_agent": agent_id, "to_queue": None})  # fmt: skip


def escalate(work: Work, now: datetime) -> Transition:
    """An agent escalates held work to the supervisors' queue with top priority, away from itself."""
    _require(work, HELD, "escalated")
    moved = {"queue": ESCALATIONS_QUEUE, "priority": TOP_PRIORITY, "escalated_at": now}
    detail = {"escalated": "queue", "priority": TOP_PRIORITY, "to_queue": ESCALATIONS_QUEUE}
    changes = _back_to_queue(work, exclude=True) | moved
    return Transition(work, _as_found(work), changes, "assignment.escalated", release=work.agent_id, detail=detail)


def reassign(work: Work, agent_id: str, now: datetime) -> Transition:
    """A supervisor offers open work (waiting or held) to an agent whose capacity the caller has claimed.

    The supervisor's choice overrides an earlier refusal by that agent (it leaves the excluded list); the
    holder before, if any, gives back its capacity unit; the new holder must accept.
    """
    _require(work, OPEN, "reassigned")
    if agent_id == work.agent_id:
        raise TransitionRefused("the assignment is already with that agent")
    changes: dict[str, object] = {"status": Status.OFFERED, "agent_id": agent_id, "offered_at": now,
                                  "accepted_at": None}  # fmt: skip
    if agent_id in work.excluded_agents:
        changes["excluded_agents"] = sorted(set(work.excluded_agents) - {agent_id})
    return Transition(work, _as_found(work), changes, "assignment.transferred", release=work.agent_id,
                      detail={"from_agent": work.agent_id, "to_agent": agent_id, "to_queue": None,
                              "by": "supervisor"})  # fmt: skip


def withdraw(work: Work, now: datetime) -> Transition:
    """A supervisor pulls held work back to its queue, away from its agent, who may be offered it again."""
    _require(work, HELD, "withdrawn")
    changes = _back_to_queue(work, exclude=False)
    return Transition(work, _as_found(work), changes, "assignment.withdrawn", release=work.agent_id,
                      reason="withdrawn by a supervisor", detail={"from_agent": work.agent_id})  # fmt: skip


def take(work: Work, agent_id: str, now: datetime) -> Transition:
    """A supervisor's own agent takes escalated work, accepted at once; the caller has claimed its capacity.

    Only work waiting in the escalations queue, or offered there to someone else, can be taken.
    """
    if work.queue != ESCALATIONS_QUEUE:
        raise TransitionRefused(f"only work in the {ESCALATIONS_QUEUE} queue can be taken")
    _require(work, (Status.QUEUED, Status.OFFERED), "taken")
    if agent_id == work.agent_id:
        raise TransitionRefused("the assignment is already offered to you; accept it")
    changes = {"status": Status.ACCEPTED, "agent_id": agent_id, "offered_at": now, "accepted_at": now}
    return Transition(work, _as_found(work), changes, "assignment.accepted", release=work.agent_id,
                      detail={"from_agent": work.agent_id, "taken": True})  # fmt: skip


def escalate_breach(work: Work, now: datetime, *, priority: int, queue: str) -> Transition:
    """An SLA breach: accepted work keeps its agent at a higher priority; waiting or offered work moves to
    ``queue`` (an offer is taken back from its agent)."""
    _require(work, OPEN, "escalated")
    if work.status == Status.ACCEPTED:
        changes: dict[str, object] = {"priority": priority, "escalated_at": now}
        return Transition(work, _as_found(work), changes, "assignment.escalated",
                          detail={"escalated": "priority", "priority": priority})  # fmt: skip
    changes = _back_to_queue(work, exclude=False) | {"queue": queue, "priority": priority, "escalated_at": now}
    return Transition(work, _as_found(work), changes, "assignment.escalated", release=work.agent_id,
                      detail={"escalated": "queue", "priority": priority, "to_queue": queue})  # fmt: skip


__all__ = [
    "ESCALATIONS_QUEUE",
    "HELD",
    "OPEN",
    "TOP_PRIORITY",
    "EventType",
    "Status",
    "Transition",
    "TransitionRefused",
    "Work",
    "accept",
    "complete",
    "escalate",
    "escalate_breach",
    "expire",
    "hand_back",
    "offer",
    "reassign",
    "reject",
    "requeue_absent",
    "take",
    "transfer_to_agent",
    "transfer_to_queue",
    "withdraw",
]
