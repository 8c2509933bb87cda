"""Which agent a conversation's new message should stick to."""

from __future__ import annotations

from datetime import datetime, timedelta


def sticky_agent(
    open_assignment_agent: str | None,
    last_agent: str | None,
    last_closed_at: datetime | None,
    now: datetime,
    window_s: int,
) -> str | None:
    """The open assignment's agent (even if busy: the message joins that work), else a recent last agent.

    A returning customer within ``window_s`` of the last closure gets the last agent as *preferred*;
    ``AgentPool.select`` offers it to them only if they fit right now.
    """
    if open_assignment_agent is not None:
        return open_assignment_agent
    if last_agent is None or last_closed_at is None:
        return None
    if timedelta(0) <= now - last_closed_at <= timedelta(seconds=window_s):
        return last_agent
    return None
