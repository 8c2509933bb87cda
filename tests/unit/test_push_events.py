"""The mapping from activity rows to agents' events, and the feed's bookkeeping of ids that commit late."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateway.push.caps import ConnectionCaps
from gateway.push.events import EVENT_NAMES, ActivityRow, agent_event
from gateway.push.feed import ActivityFeed, Subscription
from gateway.push.longpoll import etag, seen_tags
from gateway.schemas import Created
from shared.errors import RateLimited

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
ME, OTHER = "agent-me", "agent-other"


def row(type_: str, *, agent: str | None = None, previous: str | None = None, **data: object) -> ActivityRow:
    return ActivityRow(id=7, at=NOW, type=type_, assignment_id="a1", conversation_id="c1", queue="support",
                       agent_id=agent, previous_agent_id=previous, data=data)  # fmt: skip


def test_an_offer_to_the_agent_is_offered() -> None:
    event = agent_event(row("assignment.offered", agent=ME, status="offered"), ME)
    assert event is not None
    assert event.type == "assignment.offered"
    assert event.id == 7
    assert event.reason is None


def test_a_transfer_offers_to_the_new_agent_and_withdraws_from_the_old() -> None:
    moved = row("assignment.transferred", agent=ME, previous=OTHER, status="offered")
    to_me, from_other = agent_event(moved, ME), agent_event(moved, OTHER)
    assert to_me is not None
    assert (to_me.type, to_me.reason) == ("assignment.offered", "transfer")
    assert from_other is not None
    assert (from_other.type, from_other.reason) == ("assignment.withdrawn", "transferred")


def test_work_leaving_the_agent_is_withdrawn_with_the_reason() -> None:
    for kind in ("rejected", "expired", "escalated", "transferred"):
        event = agent_event(row(f"assignment.{kind}", previous=ME, status="queued"), ME)
        assert event is not None
        assert (event.type, event.reason) == ("assignment.withdrawn", kind)


def test_requeued_work_is_requeued_with_the_reason() -> None:
    event = agent_event(row("assignment.requeued", previous=ME, status="queued", reason="agent away"), ME)
    assert event is not None
    assert (event.type, event.reason) == ("assignment.requeued", "agent away")


def test_a_sticky_message_is_a_conversation_message_and_a_first_one_is_not() -> None:
    sticky = agent_event(row("message.routed", agent=ME, outcome="sticky"), ME)
    assert sticky is not None
    assert sticky.type == "conversation.message"
    assert agent_event(row("message.routed", agent=ME, outcome="assigned"), ME) is None


def test_sla_and_own_actions_keep_their_names() -> None:
    for kind in ("sla.warning", "sla.breached", "assignment.accepted", "assignment.completed"):
        event = agent_event(row(kind, agent=ME, status="accepted", sla_state="warning"), ME)
        assert event is not None
        assert event.type == kind


def test_a_priority_escalation_of_accepted_work_is_no_event() -> None:
    assert agent_event(row("assignment.escalated", agent=ME, status="accepted"), ME) is None


TYPES = st.sampled_from([
    "assignment.offered", "assignment.accepted", "assignment.rejected", "assignment.expired", "assignment.requeued",
    "assignment.completed", "assignment.transferred", "assignment.escalated", "message.routed", "sla.warning",
    "sla.breached", "assignment.reassigned", "something.else",
])  # fmt: skip
AGENTS = st.sampled_from([None, ME, OTHER, "agent-third"])
ROWS = st.builds(
    ActivityRow,
    id=st.integers(1, 10**9),
    at=st.just(NOW),
    type=TYPES,
    agent_id=AGENTS,
    previous_agent_id=AGENTS,
    data=st.fixed_dictionaries({}, optional={"status": st.sampled_from(["queued", "offered", "accepted"]),
                                             "outcome": st.sampled_from(["sticky", "assigned", "queued"])}),
)  # fmt: skip


@given(ROWS)
def test_an_agent_the_row_does_not_name_hears_nothing(r: ActivityRow) -> None:
    assert agent_event(r, "agent-nobody") is None


@given(ROWS, st.sampled_from([ME, OTHER]))
def test_events_carry_the_rows_id_and_a_known_type(r: ActivityRow, agent: str) -> None:
    event = agent_event(r, agent)
    if event is not None:
        assert r.names(agent)
        assert event.id == r.id
        assert event.type in EVENT_NAMES


@given(ROWS, st.sampled_from([ME, OTHER]))
def test_work_leaving_an_agent_is_always_withdrawn_or_requeued(r: ActivityRow, agent: str) -> None:
    event = agent_event(r, agent)
    left = r.previous_agent_id == agent and r.agent_id != agent
    assert left == (event is not None and event.type in ("assignment.withdrawn", "assignment.requeued"))
    if left:
        assert event is not None
        assert (event.type == "assignment.requeued") == (r.type == "assignment.requeued")


def _feed() -> ActivityFeed:
    return ActivityFeed(None, poll_seconds=1)  # type: ignore[arg-type]  # bookkeeping only: no reads


@given(st.permutations(list(range(1, 41))), st.lists(st.integers(1, 8), min_size=1, max_size=40))
def test_every_id_is_handed_out_once_whatever_order_they_commit_in(order: list[int], batches: list[int]) -> None:
    feed, seen, committed, i = _feed(), [], [], 0
    while i < len(order):
        size = batches[len(seen) % len(batches)]
        committed.extend(order[i : i + size])
        i += size
        visible = [c for c in committed if c > feed._cursor or c in feed._gaps]  # what the feed's query asks for
        seen.extend(feed._note(visible))
    assert sorted(seen) == list(range(1, 41))


def test_subscription_collects_rows_and_marks_overflow() -> None:
    async def scenario() -> None:
        sub = Subscription(ME)
        assert await sub.wait(0.01) == []
        sub.put(row("assignment.offered", agent=ME))
        assert len(await sub.wait(5)) == 1
        for _ in range(1001):
            sub.put(row("assignment.offered", agent=ME))
        assert sub.overflowed

    asyncio.run(scenario())


def test_caps_refuse_past_the_limit_and_release_once() -> None:
    caps = ConnectionCaps({"long-poll": 1, "stream": 2})
    release = caps.acquire("k", "long-poll")
    with pytest.raises(RateLimited) as refused:
        caps.acquire("k", "long-poll")
    assert refused.value.headers["Retry-After"] == "5"
    caps.acquire("other", "long-poll")
    release()
    release()
    assert caps.held("k", "long-poll") == 0
    caps.acquire("k", "long-poll")


def test_etags_name_the_list_and_if_none_match_is_parsed() -> None:
    one, two = [Created(id="a")], [Created(id="b")]
    assert etag(one) == etag([Created(id="a")]) != etag(two)
    assert seen_tags(f"W/{etag(one)}, {etag(two)}") == {etag(one), etag(two)}
    assert seen_tags(None) == set()


def test_the_push_package_lists_exactly_its_public_names() -> None:
    import gateway.push

    assert sorted(gateway.push.__all__) == sorted(set(gateway.push.__all__))
    assert all(hasattr(gateway.push, name) for name in gateway.push.__all__)
    assert set(EVENT_NAMES) == {
        "assignment.offered", "assignment.withdrawn", "assignment.requeued", "assignment.accepted",
        "assignment.completed", "conversation.message", "sla.warning", "sla.breached",
    }  # fmt: skip
