"""SLA deadlines from stored timestamps, warnings, breaches and escalation."""

from __future__ import annotations

from datetime import timedelta

import pytest

from router.assign import (
    Breach,
    Escalation,
    InvalidSlaPolicy,
    SlaClock,
    SlaPolicy,
    breaches,
    deadlines,
    escalation_for,
    sla_state,
)
from tests.unit.assign.assign_factories import NOW

POLICY = SlaPolicy("standard", first_response_s={1: 600, 3: 3600}, resolution_s={1: 3600, 3: 86400})


def test_fresh_work_is_ok_then_warns_then_breaches() -> None:
    clock = SlaClock(priority=1, started_at=NOW)
    assert sla_state(clock, POLICY, NOW + timedelta(seconds=479)) == "ok"
    assert sla_state(clock, POLICY, NOW + timedelta(seconds=480)) == "warning"
    assert sla_state(clock, POLICY, NOW + timedelta(seconds=600)) == "breached"


def test_answered_in_time_is_ok_and_late_answer_stays_breached() -> None:
    on_time = SlaClock(priority=1, started_at=NOW, first_response_at=NOW + timedelta(seconds=300))
    late = SlaClock(priority=1, started_at=NOW, first_response_at=NOW + timedelta(seconds=700))
    assert sla_state(on_time, POLICY, NOW + timedelta(seconds=900)) == "ok"
    assert sla_state(late, POLICY, NOW + timedelta(seconds=900)) == "breached"


def test_resolution_target_applies_after_the_first_response() -> None:
    clock = SlaClock(priority=1, started_at=NOW, first_response_at=NOW + timedelta(seconds=60))
    assert sla_state(clock, POLICY, NOW + timedelta(seconds=3000)) == "warning"
    assert [b.target for b in breaches(clock, POLICY, NOW + timedelta(seconds=3600))] == ["resolution"]


def test_deadlines_are_computed_from_timestamps_so_they_survive_restarts() -> None:
    clock = SlaClock(priority=3, started_at=NOW)
    due = {d.target: d.due_at for d in deadlines(clock, POLICY)}
    assert due == {"first_response": NOW + timedelta(hours=1), "resolution": NOW + timedelta(days=1)}


def test_priority_without_a_target_is_never_late() -> None:
    assert sla_state(SlaClock(priority=5, started_at=NOW), POLICY, NOW + timedelta(days=30)) == "ok"


def test_breach_escalates_to_the_supervisor_queue_with_higher_priority() -> None:
    assert escalation_for(Breach("first_response", 3, NOW)) == Escalation(2, "escalations", "sla.breached")
    assert escalation_for(Breach("resolution", 1, NOW)).new_priority == 1


@pytest.mark.parametrize(("first", "ratio"), [({1: 0}, 0.8), ({1: 60}, 0.0), ({1: 60}, 1.5)])
def test_invalid_sla_policies_are_refused(first: dict[int, int], ratio: float) -> None:
    with pytest.raises(InvalidSlaPolicy):
        SlaPolicy("bad", first_response_s=first, resolution_s={}, warn_ratio=ratio)
