"""The assignment lifecycle: which steps each state allows, what they change, whose capacity they free."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

import shared.lifecycle as lifecycle
from router.assign import AgentPool
from router.assign.model import WorkItem
from shared.errors import Conflict
from shared.lifecycle import Status, Transition, TransitionRefused, Work
from tests.unit.assign.assign_factories import agent, item

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
OFFERED = Work("as-1", Status.OFFERED, "ann", "support", "conv-1", offered_at=NOW)
ACCEPTED = replace(OFFERED, status=Status.ACCEPTED, accepted_at=NOW + timedelta(seconds=5))
QUEUED = Work("as-1", Status.QUEUED, None, "support", "conv-1")
COMPLETED = replace(ACCEPTED, status=Status.COMPLETED)

Step = Callable[[Work], Transition | None]
STEPS: dict[str, tuple[Step, set[Status], Status | None]] = {
    # name: (step, the states it starts from, the state it leaves the work in; None: unchanged)
    "offer": (lambda w: lifecycle.offer(w, "bob", NOW), {Status.QUEUED}, Status.OFFERED),
    "accept": (lambda w: lifecycle.accept(w, NOW), {Status.OFFERED, Status.ACCEPTED}, Status.ACCEPTED),
    "reject": (lambda w: lifecycle.reject(w, NOW), {Status.OFFERED}, Status.QUEUED),
    "hand_back": (lambda w: lifecycle.hand_back(w, NOW), {Status.OFFERED}, Status.QUEUED),
    "requeue_absent": (lambda w: lifecycle.requeue_absent(w, NOW), set(lifecycle.HELD), Status.QUEUED),
    "complete": (
        lambda w: lifecycle.complete(w, NOW, disposition="resolved", notes=None),
        {Status.ACCEPTED},
        Status.COMPLETED,
    ),
    "transfer_to_queue": (lambda w: lifecycle.transfer_to_queue(w, "billing", NOW), set(lifecycle.HELD), Status.QUEUED),
    "transfer_to_agent": (lambda w: lifecycle.transfer_to_agent(w, "bob", NOW), set(lifecycle.HELD), Status.OFFERED),
    "escalate": (lambda w: lifecycle.escalate(w, NOW), set(lifecycle.HELD), Status.QUEUED),
    "reassign": (lambda w: lifecycle.reassign(w, "bob", NOW), set(lifecycle.OPEN), Status.OFFERED),
    "withdraw": (lambda w: lifecycle.withdraw(w, NOW), set(lifecycle.HELD), Status.QUEUED),
    "take": (
        lambda w: lifecycle.take(replace(w, queue=lifecycle.ESCALATIONS_QUEUE), "bob", NOW),
        {Status.QUEUED, Status.OFFERED},
        Status.ACCEPTED,
    ),
}
BY_STATUS = {Status.QUEUED: QUEUED, Status.OFFERED: OFFERED, Status.ACCEPTED: ACCEPTED, Status.COMPLETED: COMPLETED}


@given(st.sampled_from(sorted(STEPS)), st.sampled_from(list(Status)))
def test_each_step_starts_only_from_its_states_and_leaves_the_work_in_one_state(name: str, status: Status) -> None:
    step, allowed, target = STEPS[name]
    work = BY_STATUS[status]
    if status not in allowed:
        with pytest.raises(TransitionRefused):
            step(work)
        return
    transition = step(work)
    if transition is None:  # accepting accepted work again
        assert (name, status) == ("accept", Status.ACCEPTED)
        return
    assert transition.changes.get("status", work.status) == target
    assert transition.expect["status"] == status, "applied only while the row is still in the state read"
    holder_changed = transition.changes.get("agent_id", work.agent_id) != work.agent_id
    frees = status in lifecycle.HELD and (holder_changed or target == Status.COMPLETED)
    assert transition.release == (work.agent_id if frees else None), "the holder before gives back its unit"
    assert (target == Status.QUEUED) <= (transition.changes.get("agent_id", work.agent_id) is None)


def test_a_refused_step_is_a_conflict_in_the_shared_error_tree() -> None:
    with pytest.raises(Conflict, match="already completed"):
        lifecycle.complete(COMPLETED, NOW, disposition="resolved", notes=None)


def test_an_offer_is_applied_only_while_it_is_the_same_offer() -> None:
    transition = lifecycle.accept(OFFERED, NOW)
    assert transition is not None
    assert transition.expect == {"status": Status.OFFERED, "agent_id": "ann", "offered_at": NOW}


def test_a_late_accept_is_allowed_until_the_offer_has_been_expired() -> None:
    late = NOW + timedelta(hours=1)
    accepted = lifecycle.accept(OFFERED, late)
    assert accepted is not None
    assert accepted.changes["status"] == Status.ACCEPTED
    expired = lifecycle.expire(OFFERED, late, timeout_s=120)
    assert expired is not None
    assert accepted.expect == expired.expect, "both race for the same row state: exactly one can apply"
    with pytest.raises(TransitionRefused):
        lifecycle.accept(replace(OFFERED, status=Status.QUEUED, agent_id=None, offered_at=None), late)


def test_an_unanswered_offer_expires_at_its_deadline_and_not_before() -> None:
    assert lifecycle.expire(OFFERED, NOW + timedelta(seconds=119), timeout_s=120) is None
    expired = lifecycle.expire(OFFERED, NOW + timedelta(seconds=120), timeout_s=120)
    assert expired is not None
    assert (expired.event, expired.release, expired.changes["excluded_agents"]) == (
        "assignment.expired",
        "ann",
        ["ann"],
    )
    assert lifecycle.expire(ACCEPTED, NOW + timedelta(days=1), timeout_s=120) is None


def _requeued(work_item: WorkItem, transition: Transition) -> WorkItem:
    excluded = transition.changes.get("excluded_agents", sorted(work_item.excluded_agents))
    assert isinstance(excluded, list)
    return replace(work_item, excluded_agents=frozenset(excluded))


def test_rejected_offer_goes_to_the_next_agent_never_back_to_the_same_one() -> None:
    pool = AgentPool()
    for a in (agent("ann"), agent("bob")):
        pool.upsert(a)
    work = item()
    assert pool.select(work, strategy="least_loaded", now=NOW).agent_id == "ann"
    again = _requeued(work, lifecycle.reject(OFFERED, NOW))
    assert pool.select(again, strategy="least_loaded", now=NOW).agent_id == "bob"
    with pytest.raises(TransitionRefused):
        lifecycle.offer(replace(QUEUED, excluded_agents=("ann",)), "ann", NOW)


def test_going_away_hands_back_an_offer_without_excluding_the_agent() -> None:
    handed = lifecycle.hand_back(OFFERED, NOW)
    assert "excluded_agents" not in handed.changes
    assert (handed.event, handed.reason, handed.release) == ("assignment.requeued", "agent away", "ann")


def test_accepted_work_of_an_absent_agent_is_requeued_unaccepted() -> None:
    requeued = lifecycle.requeue_absent(ACCEPTED, NOW)
    assert requeued.changes["accepted_at"] is None
    assert requeued.changes["status"] == Status.QUEUED


def test_completing_an_offer_that_was_never_accepted_is_refused() -> None:
    with pytest.raises(TransitionRefused, match="only accepted work can be completed"):
        lifecycle.complete(OFFERED, NOW, disposition="resolved", notes="ok")
    kept = lifecycle.complete(ACCEPTED, NOW + timedelta(minutes=1), disposition="resolved", notes=None)
    assert "accepted_at" not in kept.changes, "the acceptance it had stays"


def _work(status: Status, holder: str | None, queue: str, excluded: tuple[str, ...]) -> Work:
    held = status in lifecycle.HELD or status == Status.COMPLETED
    return Work(
        "as-1",
        status,
        holder if held else None,
        queue,
        "conv-1",
        offered_at=NOW if held else None,
        accepted_at=NOW if status in (Status.ACCEPTED, Status.COMPLETED) else None,
        excluded_agents=excluded,
    )


works = st.builds(
    _work,
    st.sampled_from(list(Status)),
    st.sampled_from(["ann", "bob", "cy"]),
    st.sampled_from(["support", lifecycle.ESCALATIONS_QUEUE]),
    st.lists(st.sampled_from(["ann", "bob", "cy"]), unique=True, max_size=3).map(lambda xs: tuple(sorted(xs))),
)
SUPERVISED: dict[str, Callable[[Work, str], Transition]] = {
    "reassign": lambda w, a: lifecycle.reassign(w, a, NOW),
    "take": lambda w, a: lifecycle.take(w, a, NOW),
    "withdraw": lambda w, a: lifecycle.withdraw(w, NOW),
    "transfer_to_agent": lambda w, a: lifecycle.transfer_to_agent(w, a, NOW),
    "transfer_to_queue": lambda w, a: lifecycle.transfer_to_queue(w, "billing", NOW),
    "escalate": lambda w, a: lifecycle.escalate(w, NOW),
}


@given(works, st.sampled_from(sorted(SUPERVISED)), st.sampled_from(["ann", "bob", "cy"]))
def test_whoever_holds_work_afterwards_has_accepted_it_only_by_accepting_it_themselves(
    work: Work, name: str, to: str
) -> None:
    try:
        transition = SUPERVISED[name](work, to)
    except TransitionRefused:
        return
    after = {"status": work.status, "agent_id": work.agent_id, "accepted_at": work.accepted_at} | dict(
        transition.changes
    )
    if after["agent_id"] != work.agent_id:
        taken = name == "take"
        assert (after["accepted_at"] is not None) == taken, "a new holder starts unaccepted unless it took the work"
        assert (after["status"] == Status.ACCEPTED) == taken
    if after["status"] == Status.QUEUED:
        assert after["agent_id"] is None
        assert after["accepted_at"] is None
    excluded = transition.changes.get("excluded_agents", work.excluded_agents)
    assert isinstance(excluded, list | tuple)
    if name == "reassign":
        assert after["agent_id"] not in excluded, "a supervisor's choice overrides the agent's earlier refusal"


@given(works, st.sampled_from(["ann", "bob", "cy"]))
def test_a_supervisor_reassigns_open_work_to_anyone_but_its_holder_and_takes_only_escalations(
    work: Work, to: str
) -> None:
    if work.status in lifecycle.OPEN and to != work.agent_id:
        assert lifecycle.reassign(work, to, NOW).release == work.agent_id
    else:
        with pytest.raises(TransitionRefused):
            lifecycle.reassign(work, to, NOW)
    takeable = work.queue == lifecycle.ESCALATIONS_QUEUE and work.status in (Status.QUEUED, Status.OFFERED)
    if takeable and to != work.agent_id:
        assert lifecycle.take(work, to, NOW).event == "assignment.accepted"
    else:
        with pytest.raises(TransitionRefused):
            lifecycle.take(work, to, NOW)


def test_a_withdrawn_assignment_waits_in_its_queue_and_may_go_back_to_the_same_agent() -> None:
    pulled = lifecycle.withdraw(ACCEPTED, NOW)
    assert (pulled.event, pulled.release, pulled.changes["status"]) == ("assignment.withdrawn", "ann", Status.QUEUED)
    assert "queue" not in pulled.changes
    assert "excluded_agents" not in pulled.changes


def test_an_sla_breach_raises_accepted_work_in_place_and_moves_waiting_work() -> None:
    raised = lifecycle.escalate_breach(ACCEPTED, NOW, priority=1, queue="escalations")
    assert set(raised.changes) == {"priority", "escalated_at"}
    assert raised.release is None
    moved = lifecycle.escalate_breach(OFFERED, NOW, priority=1, queue="escalations")
    assert (moved.changes["queue"], moved.changes["status"], moved.release) == ("escalations", Status.QUEUED, "ann")
    waiting = lifecycle.escalate_breach(QUEUED, NOW, priority=2, queue="escalations")
    assert waiting.release is None
    assert waiting.detail["to_queue"] == "escalations"


def test_a_transfer_resets_acceptance() -> None:
    assert lifecycle.transfer_to_agent(ACCEPTED, "bob", NOW).changes["accepted_at"] is None
    assert lifecycle.transfer_to_queue(ACCEPTED, "billing", NOW).changes["accepted_at"] is None


def test_transfer_to_the_same_agent_is_refused() -> None:
    with pytest.raises(TransitionRefused):
        lifecycle.transfer_to_agent(ACCEPTED, "ann", NOW)


def test_status_values_are_the_stored_strings() -> None:
    assert [s.value for s in Status] == ["queued", "offered", "accepted", "completed"]
    assert lifecycle.OPEN == (Status.QUEUED, Status.OFFERED, Status.ACCEPTED)


def test_all_lists_exactly_the_public_names() -> None:
    public = {
        n
        for n, v in vars(lifecycle).items()
        if not n.startswith("_") and getattr(v, "__module__", "") == lifecycle.__name__
    }
    assert public <= set(lifecycle.__all__)
