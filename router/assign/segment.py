"""One materialised view of the pool: the agents that statically fit one (queue, channel, required skills)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from router.assign.model import RANKERS, AgentState, RankKey, Strategy, WorkItem, has_room, rank_key, serves, skill_fit
from router.assign.ranked import Current, RankedSet

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
    """The members with one skill fit, by language, and their orders per (strategy, language) built on demand."""

    __slots__ = ("by_language", "members", "misses", "views")

    def __init__(self) -> None:
        self.members: set[str] = set()
        self.by_language: dict[str, set[str]] = {}
        self.views: dict[tuple[Strategy, str], RankedSet] = {}
        self.misses = 0

    def view(self, strategy: Strategy, language: str, channel: str, agents: Mapping[str, AgentState]) -> RankedSet:
        """The ready members speaking ``language`` in ``strategy`` order (built from its speakers on first use)."""
        found = self.views.get((strategy, language))
        if found is not None:
            return found
        ids = self.members if language == ANY_LANGUAGE else self.by_language.get(language)
        if not ids:
            return RankedSet()  # nobody here speaks it: not kept, so a later speaker needs no bookkeeping
        ranker = RANKERS[strategy]
        ranked = RankedSet.of([ranker(a, channel) for a in (agents[i] for i in ids) if has_room(a, channel)])
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

    def add(self, agent: AgentState) -> None:
        """Admit a statically fitting agent."""
        fit = skill_fit(agent, self.skills)
        self.fits[agent.id] = fit
        if fit not in self.tiers:
            self.tiers[fit] = Tier()
            self.order = sorted(self.tiers, reverse=True)
        tier = self.tiers[fit]
        tier.members.add(agent.id)
        for language in agent.languages:
            tier.by_language.setdefault(language, set()).add(agent.id)
        for strategy in self.prepared:  # keep prepared views complete: a first speaker or a new tier gets its own
            for language in (ANY_LANGUAGE, *agent.languages):
                tier.views.setdefault((strategy, language), RankedSet())
        if tier.views:
            self.refresh(agent)

    def remove(self, agent: AgentState) -> None:
        """Forget a member."""
        fit = self.fits.pop(agent.id)
        tier = self.tiers[fit]
        tier.members.discard(agent.id)
        for language in agent.languages:
            tier.by_language[language].discard(agent.id)
        for ranked in tier.views.values():
            ranked.discard(agent.id)

    def refresh(self, agent: AgentState) -> None:
        """Re-rank a member at once: needed whenever its rank may have improved or it became ready."""
        channel = self.key.channel
        ready = has_room(agent, channel)
        keys: dict[Strategy, RankKey] = {}  # one key per strategy, shared by the language views
        for (strategy, language), ranked in self.tiers[self.fits[agent.id]].views.items():
            if not ready:
                ranked.discard(agent.id)
            elif language == ANY_LANGUAGE or language in agent.languages:
                key = keys.get(strategy)
                if key is None:
                    key = keys[strategy] = rank_key(agent, channel, strategy)
                ranked.put(key)

    def prepare(self, strategy: Strategy, agents: Mapping[str, AgentState]) -> None:
        """Build every view ``strategy`` can ask for (each language spoken here, and any), off the hot path."""
        self.prepared.add(strategy)
        channel = self.key.channel
        ranker = RANKERS[strategy]
        for tier in self.tiers.values():
            keys = {i: ranker(a, channel) for i in tier.members if has_room(a := agents[i], channel)}
            for language in (ANY_LANGUAGE, *tier.by_language):
                if (strategy, language) in tier.views:
                    continue
                ids = tier.members if language == ANY_LANGUAGE else tier.by_language[language]
                if ids:  # the views share each agent's key tuple
                    tier.views[(strategy, language)] = RankedSet.of([keys[i] for i in ids if i in keys])

    def best(
        self,
        item: WorkItem,
        strategy: Strategy,
        agents: Mapping[str, AgentState],
        current: Current,
        runners_up: int,
    ) -> tuple[int, list[RankKey], list[str], int, int]:
        """(fit, [best key, *a few other eligible keys], skipped agents, ready agents in the winning views,
        heap entries examined) from the best tier with a taker; ``current`` gives an agent's rank key in
        ``strategy`` on this segment's channel right now."""
        channel = self.key.channel
        languages = sorted(item.required_languages) or [ANY_LANGUAGE]
        skip = item.excluded_agents
        passed: list[str] = []
        examined = 0
        for fit in self.order:
            tier = self.tiers[fit]
            best: tuple[RankKey, RankedSet] | None = None
            ready = 0
            for language in languages:
                ranked = tier.view(strategy, language, channel, agents)
                key, skipped, seen = ranked.first(current, skip)
                examined += seen
                passed.extend(a for a in skipped if a not in passed)
                if key is not None:
                    ready += len(ranked)
                    if best is None or key < best[0]:
                        best = (key, ranked)
            if best is not None:
                others = [k for k in best[1].peek(current, skip, runners_up) if k != best[0]]
                return fit, [best[0], *others], passed, ready, examined + len(others)
        return 0, [], passed, 0, examined

    def has_speakers(self, languages: frozenset[str]) -> bool:
        """Whether any member speaks one of ``languages`` (any member, when there is no requirement)."""
        if not languages:
            return bool(self.fits)
        return any(tier.by_language.get(lang) for tier in self.tiers.values() for lang in languages)


def current_key(agent: AgentState, strategy: Strategy, channel: str) -> RankKey | None:
    """The agent's rank key in ``strategy`` on ``channel``, None when it cannot take such work now."""
    return RANKERS[strategy](agent, channel) if has_room(agent, channel) else None


def build(key: SegmentKey, fitting: Iterable[AgentState]) -> Segment:
    """A new view over agents that statically fit ``key`` (the caller's index found them); no views yet."""
    segment = Segment(key)
    skills, fits, tiers = segment.skills, segment.fits, segment.tiers
    for agent in fitting:
        fit = fits[agent.id] = skill_fit(agent, skills)
        tier = tiers.get(fit)
        if tier is None:
            tier = tiers[fit] = Tier()
        tier.members.add(agent.id)
        for language in agent.languages:
            tier.by_language.setdefault(language, set()).add(agent.id)
    segment.order = sorted(tiers, reverse=True)
    return segment
