"""Offers to agents and what happens to open work when its agent goes away: pure state transitions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal

from router.assign.errors import OfferExpired, OfferNotOpen
from router.assign.model import WorkItem

OfferStatus = Literal["offered", "accepted", "rejected", "expired"]
WorkStatus = Literal["offered", "accepted"]
AwayKind = Literal["requeue_now", "requeue_after_grace"]


@dataclass(frozen=True, slots=True)
class OfferState:
    """One offer of a conversation to one agent; it closes by acceptance, rejection or timeout."""

    assignment_id: str
    agent_id: str
    offered_at: datetime
    timeout_s: int
    status: OfferStatus = "offered"
    closed_at: datetime | None = None

    @property
    def deadline(self) -> datetime:
        """When an unanswered offer expires."""
        return self.offered_at + timedelta(seconds=self.timeout_s)


def _require_open(offer: OfferState, now: datetime) -> None:
    if offer.status != "offered":
        raise OfferNotOpen(f"offer {offer.assignment_id} is already {offer.status}")
    if now >= offer.deadline:
        raise OfferExpired(f"offer {offer.assignment_id} expired at {offer.deadline.isoformat()}")


def accept(offer: OfferState, now: datetime) -> OfferState:
    """The agent takes the work; refused once the offer is closed or past its deadline."""
    _require_open(offer, now)
    return replace(offer, status="accepted", closed_at=now)


def reject(offer: OfferState, now: datetime) -> OfferState:
    """The agent declines; the work goes back to its queue without this agent."""
    _require_open(offer, now)
    return replace(offer, status="rejected", closed_at=now)


def expire(offer: OfferState, now: datetime) -> OfferState:
    """Close an open offer whose deadline has passed; anything else is returned unchanged."""
    if offer.status == "offered" and now >= offer.deadline:
        return replace(offer, status="expired", closed_at=offer.deadline)
    return offer


def requeued(item: WorkItem, offer: OfferState) -> WorkItem:
    """The item to queue again after a rejected or expired offer: that agent is excluded from now on."""
    if offer.status not in ("rejected", "expired"):
        return item
    return replace(item, excluded_agents=item.excluded_agents | {offer.agent_id})


@dataclass(frozen=True, slots=True)
class HeldWork:
    """Open work held by an agent; ``away_since`` is when the holder went away or offline (None if present)."""

    assignment_id: str
    agent_id: str
    status: WorkStatus
    away_since: datetime | None = None


@dataclass(frozen=True, slots=True)
class AwayAction:
    """What to do with one piece of work whose agent went away, and from when (a durable deadline)."""

    kind: AwayKind
    due_at: datetime


def on_agent_away(
    agent_id: str, assignments: Iterable[HeldWork], now: datetime, grace_s: int
) -> list[tuple[str, AwayAction]]:
    """Un-accepted offers go back to the queue at once; accepted work after ``grace_s`` seconds away."""
    out: list[tuple[str, AwayAction]] = []
    for work in assignments:
        if work.agent_id != agent_id:
            continue
        if work.status == "offered":
            out.append((work.assignment_id, AwayAction("requeue_now", now)))
        else:
            out.append((work.assignment_id, AwayAction("requeue_after_grace", now + timedelta(seconds=grace_s))))
    return out


def requeue_due(assignments: Iterable[HeldWork], now: datetime, grace_s: int) -> list[str]:
    """Ids of work to re-queue now: offers held by an absent agent, accepted work once the grace has passed."""
    grace = timedelta(seconds=grace_s)
    return [
        work.assignment_id
        for work in assignments
        if work.away_since is not None and (work.status == "offered" or now - work.away_since >= grace)
    ]
