"""Assignment summaries from stored rows: the preview's bound and SLA due times by the router's own rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from gateway.schemas import PREVIEW_CHARS
from gateway.summaries import summary
from router.assign.sla import deadlines as routers_deadlines
from shared.db.models import Assignment, Message
from shared.policies import SlaPolicy
from shared.sla import SlaClock

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
targets = st.dictionaries(st.integers(1, 5), st.integers(60, 86_400), max_size=5)


def assignment(priority: int, policy: str | None) -> Assignment:
    return Assignment(id="as-1", conversation_id="c-1", channel="email", queue="returns", priority=priority,
                      sla_priority=priority, sla_policy=policy, sla_state="ok", language="da",
                      created_at=START)  # fmt: skip


def message(text: str) -> Message:
    body = {"sender": {"address": "a@example.com", "name": None}, "subject": "Hi", "text": text}
    return Message(id="m-1", conversation_id="c-1", received_at=START, body=body,
                   classification={"intent": "refund_return", "urgency": "high"})  # fmt: skip


@given(st.text(max_size=2_000))
def test_the_preview_is_the_start_of_the_latest_text_and_never_longer_than_its_bound(text: str) -> None:
    preview = summary(assignment(3, None), message(text), None).preview
    assert len(preview) <= PREVIEW_CHARS
    assert text.startswith(preview)
    assert len(preview) == min(len(text), PREVIEW_CHARS)


@given(st.integers(1, 5), targets, targets, st.floats(0.1, 1.0))
def test_due_times_are_the_routers_deadlines(
    priority: int, first: dict[int, int], resolution: dict[int, int], warn: float
) -> None:
    policy = SlaPolicy("p", first, resolution, warn)
    due = summary(assignment(priority, "p"), message("x"), policy).sla
    expected = {d.target: d.due_at for d in routers_deadlines(SlaClock(priority, START), policy)}
    assert due.first_response_due_at == expected.get("first_response")
    assert due.resolution_due_at == expected.get("resolution")
    if priority in first:
        assert due.first_response_due_at == START + timedelta(seconds=first[priority])


def test_work_without_a_message_or_policy_still_has_a_summary() -> None:
    empty = summary(assignment(2, None), None, None)
    assert (empty.preview, empty.subject, empty.intent, empty.sender.address) == ("", None, None, None)
    assert empty.sla.first_response_due_at is None
