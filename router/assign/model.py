"""The assignment engine's plain data: agents, work items, selections, and the pure matching rules."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final, Literal

from shared.policies import Strategy

Presence = Literal["available", "busy", "away", "offline"]
NoteOutcome = Literal["chosen", "eligible", "skipped"]
CHANNELS: Final = ("email", "sms", "chat", "fax")
RankKey = tuple[float, datetime, str]
"""Lower ranks first; the agent id is the last element, so ties break deterministically by id."""

EARLIEST: Final = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class AgentState:
    """One agent as the engine sees it; ``load`` counts open (offered + accepted) work per channel."""

    id: str
    name: str
    languages: frozenset[str]
    skills: Mapping[str, int]
    capacity: Mapping[str, int]
    load: Mapping[str, int]
    presence: Presence
    queues: frozenset[str] = frozenset()
    idle_since: datetime | None = None
    last_assigned_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class WorkItem:
    """A conversation waiting for an agent, with what the agent must bring."""

    conversation_id: str
    channel: str
    queue: str
    language: str
    required_skills: Mapping[str, int]
    required_languages: frozenset[str]
    priority: int
    enqueued_at: datetime
    excluded_agents: frozenset[str] = frozenset()
    preferred_agent: str | None = None


@dataclass(frozen=True, slots=True)
class CandidateNote:
    """One line of the decision trace: an agent considered and why it was taken or skipped."""

    agent_id: str
    outcome: NoteOutcome
    reason: str


@dataclass(frozen=True, slots=True)
class Selection:
    """The chosen agent (None: the work waits in its queue), why, a bounded candidate trace, and how many
    index entries were examined to decide."""

    agent_id: str | None
    reason: str
    candidates: tuple[CandidateNote, ...] = ()
    examined: int = 0


@dataclass(frozen=True, slots=True)
class Demand:
    """A kind of work the pool should be ready to place: ``AgentPool.prepare`` builds its index entries."""

    queue: str
    channel: str
    required_skills: Mapping[str, int]
    strategy: Strategy


def serves(agent: AgentState, queue: str) -> bool:
    """Whether the agent takes work from ``queue`` (an empty queue set means every queue)."""
    return not agent.queues or queue in agent.queues


def has_room(agent: AgentState, channel: str) -> bool:
    """Available, with free capacity on ``channel``."""
    return agent.presence == "available" and agent.load.get(channel, 0) < agent.capacity.get(channel, 0)


def skill_fit(agent: AgentState, required: Mapping[str, int]) -> int:
    """How well the agent fits: the sum of its proficiency over the required skills."""
    return sum(agent.skills.get(skill, 0) for skill in required)


def unfit_reason(agent: AgentState, item: WorkItem) -> str | None:
    """Why the agent may not be offered the item, or None when it may."""
    if agent.id in item.excluded_agents:
        return "already declined or timed out on this conversation"
    if agent.presence != "available":
        return f"is {agent.presence}"
    if not serves(agent, item.queue):
        return f"does not serve queue {item.queue}"
    load, cap = agent.load.get(item.channel, 0), agent.capacity.get(item.channel, 0)
    if load >= cap:
        return f"has no free {item.channel} capacity ({load}/{cap})"
    if item.required_languages and not agent.languages & item.required_languages:
        return f"speaks none of {', '.join(sorted(item.required_languages))}"
    for skill, level in sorted(item.required_skills.items()):
        have = agent.skills.get(skill, 0)
        if have < level:
            return f"has skill {skill}={have}, needs >={level}"
    return None


def _least_loaded(agent: AgentState, channel: str) -> RankKey:
    cap = agent.capacity.get(channel, 0)
    return (agent.load.get(channel, 0) / cap if cap > 0 else 1.0, EARLIEST, agent.id)


def _longest_idle(agent: AgentState, channel: str) -> RankKey:
    working = 1.0 if any(agent.load.values()) else 0.0
    return (working, agent.idle_since or EARLIEST, agent.id)


def _round_robin(agent: AgentState, channel: str) -> RankKey:
    return (0.0, agent.last_assigned_at or EARLIEST, agent.id)


RANKERS: Final[dict[Strategy, Callable[[AgentState, str], RankKey]]] = {
    "least_loaded": _least_loaded,
    "longest_idle": _longest_idle,
    "round_robin": _round_robin,
}


def rank_key(agent: AgentState, channel: str, strategy: Strategy) -> RankKey:
    """The agent's place in a strategy's order on ``channel``: lower goes first, ties by agent id.

    least_loaded: lowest load/capacity on the channel; longest_idle: agents with no open work first,
    then the oldest ``idle_since``; round_robin: the oldest ``last_assigned_at``. None counts as oldest.
    """
    return RANKERS[strategy](agent, channel)


def describe_needs(item: WorkItem) -> str:
    """The item's requirements in words, for reasons and traces."""
    parts = [f"in queue {item.queue} with free {item.channel} capacity"]
    if item.required_languages:
        parts.append("language " + "/".join(sorted(item.required_languages)))
    if item.required_skills:
        parts.append("skill " + ", ".join(f"{s}>={n}" for s, n in sorted(item.required_skills.items())))
    return " and ".join(parts)
