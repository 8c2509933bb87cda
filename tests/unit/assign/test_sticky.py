"""Which agent a conversation sticks to."""

from __future__ import annotations

from datetime import timedelta

from router.assign import sticky_agent
from tests.unit.assign.assign_factories import NOW


def test_open_assignment_agent_wins_even_when_busy() -> None:
    assert sticky_agent("ann", "bob", NOW, NOW, window_s=3600) == "ann"


def test_returning_customer_prefers_last_agent_within_the_window_only() -> None:
    closed = NOW - timedelta(hours=2)
    assert sticky_agent(None, "bob", closed, NOW, window_s=3 * 3600) == "bob"
    assert sticky_agent(None, "bob", closed, NOW, window_s=3600) is None
    assert sticky_agent(None, None, closed, NOW, window_s=3600) is None
    assert sticky_agent(None, "bob", None, NOW, window_s=3600) is None
