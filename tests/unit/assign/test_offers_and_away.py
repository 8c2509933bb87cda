"""Offers time out, rejections move work on, and work comes back when its agent goes away."""

from __future__ import annotations

from datetime import timedelta

import pytest

from router.assign import (
    AgentPool,
    AwayAction,
    HeldWork,
    OfferExpired,
    OfferNotOpen,
    OfferState,
    accept,
    expire,
    on_agent_away,
    reject,
    requeue_due,
    requeued,
    sticky_agent,
)
from tests.unit.assign.assign_factories import NOW, agent, item


def offer(agent_id: str = "ann") -> OfferState:
    return OfferState(assignment_id="as-1", agent_id=agent_id, offered_at=NOW, timeout_s=60)


def test_unanswered_offer_expires_at_its_deadline() -> None:
    assert expire(offer(), NOW + timedelta(seconds=59)).status == "offered"
    expired = expire(offer(), NOW + timedelta(seconds=90))
    assert (expired.status, expired.closed_at) == ("expired", NOW + timedelta(seconds=60))


def test_accepting_after_the_deadline_is_refused() -> None:
    with pytest.raises(OfferExpired):
        accept(offer(), NOW + timedelta(seconds=60))


def test_an_answered_offer_cannot_be_answered_again() -> None:
    accepted = accept(offer(), NOW + timedelta(seconds=5))
    assert accepted.status == "accepted"
    with pytest.raises(OfferNotOpen):
        reject(accepted, NOW + timedelta(seconds=6))
    assert expire(accepted, NOW + timedelta(hours=1)) == accepted


def test_rejected_offer_is_requeued_without_that_agent() -> None:
    pool = AgentPool()
    for a in (agent("ann"), agent("bob")):
        pool.upsert(a)
    work = item()
    first = pool.select(work, strategy="least_loaded", now=NOW).agent_id
    assert first == "ann"
    again = requeued(work, reject(offer("ann"), NOW + timedelta(seconds=3)))
    assert again.excluded_agents == {"ann"}
    assert pool.select(again, strategy="least_loaded", now=NOW).agent_id == "bob"


def test_timed_out_offer_goes_to_the_next_agent_not_back_to_the_same_one() -> None:
    pool = AgentPool()
    for a in (agent("ann"), agent("bob")):
        pool.upsert(a)
    again = requeued(item(), expire(offer("ann"), NOW + timedelta(minutes=5)))
    assert pool.select(again, strategy="least_loaded", now=NOW).agent_id == "bob"


def test_open_offer_does_not_exclude_anyone() -> None:
    assert requeued(item(), offer()).excluded_agents == frozenset()


def test_going_away_requeues_offers_at_once_and_accepted_work_after_the_grace() -> None:
    work = [
        HeldWork("as-1", "ann", "offered"),
        HeldWork("as-2", "ann", "accepted"),
        HeldWork("as-3", "bob", "accepted"),
    ]
    assert on_agent_away("ann", work, NOW, grace_s=300) == [
        ("as-1", AwayAction("requeue_now", NOW)),
        ("as-2", AwayAction("requeue_after_grace", NOW + timedelta(seconds=300))),
    ]


def test_accepted_work_is_requeued_only_once_the_grace_has_passed() -> None:
    away = NOW - timedelta(seconds=200)
    work = [
        HeldWork("as-1", "ann", "accepted", away_since=away),
        HeldWork("as-2", "ann", "offered", away_since=away),
        HeldWork("as-3", "bob", "accepted"),
    ]
    assert requeue_due(work, NOW, grace_s=300) == ["as-2"]
    assert requeue_due(work, NOW + timedelta(seconds=100), grace_s=300) == ["as-1", "as-2"]


def test_open_assignment_agent_wins_even_when_busy() -> None:
    assert sticky_agent("ann", "bob", NOW, NOW, window_s=3600) == "ann"


def test_returning_customer_prefers_last_agent_within_the_window_only() -> None:
    closed = NOW - timedelta(hours=2)
    assert sticky_agent(None, "bob", closed, NOW, window_s=3 * 3600) == "bob"
    assert sticky_agent(None, "bob", closed, NOW, window_s=3600) is None
    assert sticky_agent(None, None, closed, NOW, window_s=3600) is None
    assert sticky_agent(None, "bob", None, NOW, window_s=3600) is None
