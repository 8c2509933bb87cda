"""Builders for the assignment tests: agents and work items with sensible defaults."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from router.assign import AgentState, Presence, WorkItem

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def agent(
    agent_id: str,
    *,
    languages: tuple[str, ...] = ("en",),
    skills: Mapping[str, int] | None = None,
    capacity: Mapping[str, int] | None = None,
    load: Mapping[str, int] | None = None,
    presence: Presence = "available",
    queues: tuple[str, ...] = (),
    idle_since: datetime | None = None,
    last_assigned_at: datetime | None = None,
) -> AgentState:
    """An agent that can take chat and email unless told otherwise."""
    return AgentState(
        id=agent_id,
        name=agent_id.title(),
        languages=frozenset(languages),
        skills=dict(skills or {}),
        capacity=dict(capacity if capacity is not None else {"chat": 2, "email": 5}),
        load=dict(load or {}),
        presence=presence,
        queues=frozenset(queues),
        idle_since=idle_since,
        last_assigned_at=last_assigned_at,
    )


def item(
    conversation_id: str = "conv-1",
    *,
    channel: str = "chat",
    queue: str = "support",
    skills: Mapping[str, int] | None = None,
    languages: tuple[str, ...] = (),
    language: str | None = None,
    priority: int = 3,
    enqueued_at: datetime = NOW,
    excluded: tuple[str, ...] = (),
    preferred: str | None = None,
) -> WorkItem:
    """A chat in the support queue with no requirements unless told otherwise."""
    return WorkItem(
        conversation_id=conversation_id,
        channel=channel,
        queue=queue,
        language=language or (languages[0] if languages else "en"),
        required_skills=dict(skills or {}),
        required_languages=frozenset(languages),
        priority=priority,
        enqueued_at=enqueued_at,
        excluded_agents=frozenset(excluded),
        preferred_agent=preferred,
    )
