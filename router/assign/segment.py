"""One materialised view of the pool: the agents that statically fit one (queue, channel, required skills)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from router.assign.model import RANKERS, AgentState, RankKey, Strategy, WorkItem, has_room, rank_key, serves, skill_fit
from router.assign.ranked import RankedSet

ANY_LANGUAGE = "*"


class SegmentKey(NamedTuple):
    """What a view is keyed by: the parts of a work item that decide static fit, except languages."""

    queue: str
    channel: str
    skills: frozenset[tuple[str, int]]

    @classmethod
    def of(cls, item: WorkItem) -> SegmentKey:
        """The key for a work item."""
        return cls(item.queue, item.channel, frozenset(item.required_skills.items()))

    def admits(self, agent: AgentState) -> bool:
        """Static fit: serves the queue, has capacity on the channel, knows the skills well enough."""
        if not serves(agent, self.queue) or agent.capacity.get(self.channel, 0) <= 0:
            return False
        return all(agent.skills.get(skill, 0) >= level for skill, level in self.skills)


class Tier:
    """The members with one skill fit, and their orders per (strategy, language) built on demand."""

    __slots__ = ("members", "views")

    def __init__(self) -> None:
        self.members: set[str] = set()
        self.views: dict[tuple[Strategy, str], RankedSet] = {}

    def view(self, strategy: Strategy, language: str, channel: str, agents: Mapping[str, AgentState]) -> RankedSet:
        """The ready members speaking ``language`` in ``strategy`` order (built from members on first use)."""
        found = self.views.get((strategy, language))
        if found is not None:
            return found
        ranked = self.views[(strategy, language)] = RankedSet()
        for agent_id in self.members:
            agent = agents[agent_id]
            if (language == ANY_LANGUAGE or language in agent.languages) and has_room(agent, channel):
                ranked.put(rank_key(agent, channel, strategy))
        return ranked


class Segment:
    """Statically fitting agents in tiers of skill fit (best first); see ``AgentPool`` for the costs."""

    __slots__ = ("fits", "key", "order", "speakers", "tiers")

    def __init__(self, key: SegmentKey) -> None:
        self.key = key
        self.fits: dict[str, int] = {}
        self.tiers: dict[int, Tier] = {}
        self.order: list[int] = []
        self.speakers: Counter[str] = Counter()

    def add(self, agent: AgentState) -> None:
        """Admit a statically fitting agent."""
        fit = skill_fit(agent, dict(self.key.skills))
        self.fits[agent.id] = fit
        self.speakers.update(agent.languages)
        if fit not in self.tiers:
            self.tiers[fit] = Tier()
            self.order = sorted(self.tiers, reverse=True)
        self.tiers[fit].members.add(agent.id)
        self.refresh(agent)

    def remove(self, agent: AgentState) -> None:
        """Forget a member."""
        fit = self.fits.pop(agent.id)
        self.speakers.subtract(agent.languages)
        tier = self.tiers[fit]
        tier.members.discard(agent.id)
        for ranked in tier.views.values():
            ranked.discard(agent.id)

    def refresh(self, agent: AgentState) -> None:
        """Re-rank a member at once: needed whenever its rank may have improved or it became ready."""
        channel = self.key.channel
        ready = has_room(agent, channel)
        for (strategy, language), ranked in self.tiers[self.fits[agent.id]].views.items():
            if not ready:
                ranked.discard(agent.id)
            elif language == ANY_LANGUAGE or language in agent.languages:
                ranked.put(rank_key(agent, channel, strategy))

    def best(
        self, item: WorkItem, strategy: Strategy, agents: Mapping[str, AgentState], runners_up: int
    ) -> tuple[int, list[RankKey], list[str]]:
        """(fit, [best key, *a few other eligible keys], skipped agents) from the best tier with a taker."""
        channel = self.key.channel
        languages = sorted(item.required_languages) or [ANY_LANGUAGE]
        skip = item.excluded_agents

        ranker = RANKERS[strategy]

        def current(agent_id: str) -> RankKey | None:
            agent = agents.get(agent_id)
            if agent is None or agent.presence != "available":
                return None
            return ranker(agent, channel) if agent.load.get(channel, 0) < agent.capacity.get(channel, 0) else None

        passed: list[str] = []
        for fit in self.order:
            tier = self.tiers[fit]
            best: tuple[RankKey, RankedSet] | None = None
            for language in languages:
                ranked = tier.view(strategy, language, channel, agents)
                key, skipped = ranked.first(current, skip)
                passed.extend(a for a in skipped if a not in passed)
                if key is not None and (best is None or key < best[0]):
                    best = (key, ranked)
            if best is not None:
                others = [k for k in best[1].peek(current, skip, runners_up) if k != best[0]]
                return fit, [best[0], *others], passed
        return 0, [], passed

    def has_speakers(self, languages: frozenset[str]) -> bool:
        """Whether any member speaks one of ``languages`` (any member, when there is no requirement)."""
        if not languages:
            return bool(self.fits)
        return any(self.speakers[lang] > 0 for lang in languages)


def build(key: SegmentKey, candidates: Iterable[AgentState]) -> Segment:
    """A new view over the candidates that statically fit ``key``."""
    segment = Segment(key)
    for agent in candidates:
        if key.admits(agent):
            segment.add(agent)
    return segment
