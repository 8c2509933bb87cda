"""One materialised view of the pool: the agents that statically fit one (queue, channel, required skills)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from router.assign.model import AgentState, RankKey, WorkItem, serves, skill_fit
from router.assign.ranked import RankedSet
from shared.policies import Strategy

ANY_LANGUAGE = "*"

Ranks = Mapping[str, RankKey | None]
"""Each agent's rank key in one strategy on one channel right now, None when it cannot take such work now."""
RankTable = Mapping[tuple[Strategy, str], Ranks]
"""``Ranks`` per (strategy, channel): one table for the whole pool, so every view files the same key tuples."""


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
    """The members with one skill fit, by language, and their orders per (strategy, language) built on demand."""

    __slots__ = ("by_language", "members", "misses", "views")

    def __init__(self) -> None:
        self.members: set[str] = set()
        self.by_language: dict[str, set[str]] = {}
        self.views: dict[tuple[Strategy, str], RankedSet] = {}
        self.misses = 0

    def view(self, strategy: Strategy, language: str, ranks: Ranks) -> RankedSet:
        """The ready members speaking ``language`` in ``strategy`` order (built from its speakers on first use)."""
        found = self.views.get((strategy, language))
        if found is not None:
            return found
        ids = self.members if language == ANY_LANGUAGE else self.by_language.get(language)
        if not ids:
            return RankedSet()  # nobody here speaks it: not kept, so a later speaker needs no bookkeeping
        ranked = RankedSet.of(_ready(ids, ranks))
        self.views[(strategy, language)] = ranked
        self.misses += 1
        return ranked


class Segment:
    """Statically fitting agents in tiers of skill fit (best first); see ``AgentPool`` for the costs."""

    __slots__ = ("fits", "key", "order", "prepared", "skills", "tiers")

    def __init__(self, key: SegmentKey) -> None:
        self.key = key
        self.skills = dict(key.skills)
        self.fits: dict[str, int] = {}
        self.tiers: dict[int, Tier] = {}
        self.order: list[int] = []
        self.prepared: set[Strategy] = set()

    def add(self, agent: AgentState, table: RankTable) -> None:
        """Admit a statically fitting agent."""
        tiers = len(self.tiers)
        tier = self._enlist(agent)
        if len(self.tiers) != tiers:
            self.order = sorted(self.tiers, reverse=True)
        for strategy in self.prepared:  # keep prepared views complete: a first speaker or a new tier gets its own
            for language in (ANY_LANGUAGE, *agent.languages):
                tier.views.setdefault((strategy, language), RankedSet())
        if tier.views:
            self.refresh(agent, table)

    def _enlist(self, agent: AgentState) -> Tier:
        """Record the agent's skill fit and file it in that tier, by language (``order`` is the caller's)."""
        fit = self.fits[agent.id] = skill_fit(agent, self.skills)
        tier = self.tiers.get(fit)
        if tier is None:
            tier = self.tiers[fit] = Tier()
        tier.members.add(agent.id)
        for language in agent.languages:
            tier.by_language.setdefault(language, set()).add(agent.id)
        return tier

    def remove(self, agent: AgentState) -> None:
        """Forget a member."""
        fit = self.fits.pop(agent.id)
        tier = self.tiers[fit]
        tier.members.discard(agent.id)
        for language in agent.languages:
            tier.by_language[language].discard(agent.id)
        for ranked in tier.views.values():
            ranked.discard(agent.id)

    def refresh(self, agent: AgentState, table: RankTable) -> None:
        """Re-rank a member at once: needed whenever its rank may have improved or it became ready."""
        channel = self.key.channel
        for (strategy, language), ranked in self.tiers[self.fits[agent.id]].views.items():
            key = table[(strategy, channel)][agent.id]
            if key is None:
                ranked.discard(agent.id)
            elif language == ANY_LANGUAGE or language in agent.languages:
                ranked.put(key)

    def prepare(self, strategy: Strategy, ranks: Ranks) -> None:
        """Build every view ``strategy`` can ask for (each language spoken here, and any), off the hot path."""
        self.prepared.add(strategy)
        for tier in self.tiers.values():
            for language in (ANY_LANGUAGE, *tier.by_language):
                if (strategy, language) in tier.views:
                    continue
                ids = tier.members if language == ANY_LANGUAGE else tier.by_language[language]
                if ids:
                    tier.views[(strategy, language)] = RankedSet.of(_ready(ids, ranks))

    def best(
        self,
        item: WorkItem,
        strategy: Strategy,
        ranks: Ranks,
        runners_up: int,
    ) -> tuple[int, list[RankKey], list[str], int, int]:
        """(fit, [best key, *a few other eligible keys], skipped agents, ready agents in the winning views,
        entries examined) from the best tier with a taker; ``ranks`` are the keys in ``strategy`` on this
        segment's channel."""
        current = ranks.get
        languages = sorted(item.required_languages) or [ANY_LANGUAGE]
        skip = item.excluded_agents
        passed: list[str] = []
        examined = 0
        for fit in self.order:
            tier = self.tiers[fit]
            best: tuple[RankKey, RankedSet] | None = None
            ready = 0
            for language in languages:
                ranked = tier.view(strategy, language, ranks)
                key, skipped, seen = ranked.first(current, skip)
                examined += seen
                passed.extend(a for a in skipped if a not in passed)
                if key is not None:
                    ready += len(ranked)
                    if best is None or key < best[0]:
                        best = (key, ranked)
            if best is not None:
                others = [k for k in best[1].peek(current, skip, runners_up) if k != best[0]][:runners_up]
                return fit, [best[0], *others], passed, ready, examined + len(others)
        return 0, [], passed, 0, examined

    def has_speakers(self, languages: frozenset[str]) -> bool:
        """Whether any member speaks one of ``languages`` (any member, when there is no requirement)."""
        if not languages:
            return bool(self.fits)
        return any(tier.by_language.get(lang) for tier in self.tiers.values() for lang in languages)


def _ready(ids: Iterable[str], ranks: Ranks) -> list[RankKey]:
    """The keys of the agents among ``ids`` that can take work now."""
    return [key for i in ids if (key := ranks[i]) is not None]


def build(key: SegmentKey, fitting: Iterable[AgentState]) -> Segment:
    """A new view over agents that statically fit ``key`` (the caller's index found them); no views yet."""
    segment = Segment(key)
    for agent in fitting:
        segment._enlist(agent)
    segment.order = sorted(segment.tiers, reverse=True)
    return segment
