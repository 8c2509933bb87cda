"""The indexed in-memory view of agents that answers "who should take this work?" without scanning."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import datetime

from router.assign.errors import UnknownStrategy
from router.assign.model import (
    AgentState,
    CandidateNote,
    Demand,
    Presence,
    RankKey,
    Selection,
    WorkItem,
    describe_needs,
    has_room,
    rank_key,
    unfit_reason,
)
from router.assign.ranked import KeyMap
from router.assign.segment import Segment, SegmentKey, build
from shared.policies import STRATEGIES, Strategy

ANY_QUEUE = "*"
NO_LANGUAGE = frozenset({"", "und"})
MAX_NOTES = 10
RUNNERS_UP = 2
DEFAULT_MAX_SEGMENTS = 1024


def _profile(agent: AgentState) -> tuple[object, ...]:
    """What decides static fit; a change here moves the agent between views."""
    channels = frozenset(ch for ch, cap in agent.capacity.items() if cap > 0)
    return (agent.languages, frozenset(agent.skills.items()), agent.queues, channels)


class AgentPool:
    """Indexed in-memory view of agents; ``select`` cost does not grow with the number of agents.

    Index: one *segment* per distinct (queue, channel, required skills) that work items ask for (they
    follow the ruleset's actions, not the agents). ``prepare`` builds the segments a ruleset can ask
    for ahead of time and keeps them until a later ``prepare`` no longer asks for them; any other is
    built on first use (a *miss*: O(agents that fit), found by set intersections) and kept in an LRU
    of ``max_segments``. A segment holds the agents that statically fit, in tiers by skill fit (sum of
    proficiencies: at most 5k+1 tiers for k required skills); a tier keeps its ready agents (available,
    free capacity on the channel) in a ``RankedSet`` per (strategy, language), built by ``prepare`` or
    when first asked for, from that language's speakers.

    Updates are lazy where ranks can only worsen: taking work (``adjust_load`` with delta > 0) or
    leaving "available" only refreshes the agent's rank keys (one per strategy and channel in use, at
    most 12), and ``select`` re-files such agents when it meets them, with one lookup of those keys.
    Changes that may improve a rank (releasing work, becoming available, an upsert from the
    database) update the agent's S segments at once: O(S log n).

    ``select``: at most two passes (the message's language first, when no rule requires one), each
    O(T · L · (w + x + r)) entries for T tiers, L required languages, w traced runners-up,
    x excluded agents and r re-filings (each paid for by an earlier lazy change), each entry O(1) from
    a view's sorted run or O(log n) from its heap: independent of the number of agents in the pool.
    """

    def __init__(self, *, max_segments: int = DEFAULT_MAX_SEGMENTS) -> None:
        self._agents: dict[str, AgentState] = {}
        self._profiles: dict[str, tuple[object, ...]] = {}
        self._by_queue: dict[str, set[str]] = {}
        self._by_channel: dict[str, set[str]] = {}
        self._by_skill: dict[str, dict[int, set[str]]] = {}
        self._segments: dict[SegmentKey, Segment] = {}
        self._lru: OrderedDict[SegmentKey, None] = OrderedDict()
        self._seg_by_queue: dict[str, set[SegmentKey]] = {}
        self._member_of: dict[str, set[SegmentKey]] = {}
        self._max_segments = max_segments
        self._segment_misses = 0
        # Each agent's current rank key per (strategy, channel), None when it cannot take such work: kept up
        # to date on every change, so a decision re-files a stale entry with one dictionary lookup. Every
        # view files these very tuples (RankTable), and a key that did not change is not replaced.
        self._ranks: dict[tuple[Strategy, str], KeyMap[RankKey | None]] = {}

    def __len__(self) -> int:
        return len(self._agents)

    def __contains__(self, agent_id: object) -> bool:
        return agent_id in self._agents

    @property
    def misses(self) -> int:
        """Index entries (segments, views) built inside ``select``: work ``prepare`` was not told about.

        O(segments): for statistics, not for the hot path. Evicted segments' view misses are not counted.
        """
        return self._segment_misses + sum(t.misses for s in self._segments.values() for t in s.tiers.values())

    def ids(self) -> frozenset[str]:
        """Every known agent's id."""
        return frozenset(self._agents)

    def get(self, agent_id: str) -> AgentState | None:
        """The agent's current state, if known."""
        return self._agents.get(agent_id)

    def upsert(self, agent: AgentState) -> None:
        """Add an agent or replace its state."""
        old = self._agents.get(agent.id)
        if old == agent:
            return
        profile = _profile(agent)
        if old is not None and self._profiles[agent.id] == profile:
            self._put(agent, channel=None)
            return
        self.remove(agent.id)
        self._set(agent)
        self._profiles[agent.id] = profile
        self._member_of[agent.id] = set()
        for queue in agent.queues or {ANY_QUEUE}:
            self._by_queue.setdefault(queue, set()).add(agent.id)
        for channel, cap in agent.capacity.items():
            if cap > 0:
                self._by_channel.setdefault(channel, set()).add(agent.id)
        for skill, level in agent.skills.items():
            self._by_skill.setdefault(skill, {}).setdefault(level, set()).add(agent.id)
        for key in self._segment_keys_for(agent):
            if key.admits(agent):
                self._segments[key].add(agent, self._ranks)
                self._member_of[agent.id].add(key)

    def remove(self, agent_id: str) -> None:
        """Forget an agent (unknown ids are ignored)."""
        agent = self._agents.pop(agent_id, None)
        if agent is None:
            return
        for ranks in self._ranks.values():
            ranks.pop(agent_id, None)
        del self._profiles[agent_id]
        for queue in agent.queues or {ANY_QUEUE}:
            self._by_queue[queue].discard(agent_id)
        for channel, cap in agent.capacity.items():
            if cap > 0:
                self._by_channel[channel].discard(agent_id)
        for skill, level in agent.skills.items():
            self._by_skill[skill][level].discard(agent_id)
        for key in self._member_of.pop(agent_id, set()):
            self._segments[key].remove(agent)

    def set_presence(self, agent_id: str, presence: Presence, now: datetime) -> None:
        """Record a presence change; becoming available restarts the idle clock (unknown ids are ignored)."""
        agent = self._agents.get(agent_id)
        if agent is None or agent.presence == presence:
            return
        if presence != "available":
            self._set(replace(agent, presence=presence))
            return
        self._put(replace(agent, presence=presence, idle_since=now), channel=None)

    def adjust_load(self, agent_id: str, channel: str, delta: int, now: datetime) -> None:
        """Add ``delta`` open assignments on ``channel`` (never below zero; unknown ids are ignored).

        Taking work stamps ``last_assigned_at``; dropping back to no open work restarts the idle clock.
        """
        agent = self._agents.get(agent_id)
        if agent is None or delta == 0:
            return
        load = dict(agent.load)
        load[channel] = max(0, load.get(channel, 0) + delta)
        if delta > 0:
            self._set(replace(agent, load=load, last_assigned_at=now))
            return
        freed = any(n > 0 for n in agent.load.values()) and not any(n > 0 for n in load.values())
        if freed:
            self._put(replace(agent, load=load, idle_since=now), channel=None)
        else:
            self._put(replace(agent, load=load), channel=channel)

    def prepare(self, demands: Iterable[Demand]) -> None:
        """Build, now and off the hot path, every index entry these kinds of work need, and keep them.

        Call it after loading the pool and whenever the ruleset or queue strategies change: ``select``
        then finds its segment and views built. Segments prepared earlier but not asked for now are
        dropped at the end (work still waiting in such a shape builds its segment again, into the LRU),
        so memory follows the current ruleset. Cost O(sum over demands of the agents that fit).
        """
        for _ in self.preparing(demands):
            pass

    def preparing(self, demands: Iterable[Demand]) -> Iterator[None]:
        """``prepare`` one segment at a time, yielding after each so a caller can serve other work.

        The pool may be read and changed between steps: it is consistent at every yield, and a segment
        not prepared yet is built on first use, as a miss.
        """
        wanted: dict[SegmentKey, set[Strategy]] = {}
        for demand in demands:
            if demand.strategy not in STRATEGIES:
                raise UnknownStrategy(f"unknown assignment strategy {demand.strategy!r}")
            key = SegmentKey(demand.queue, demand.channel, frozenset(demand.required_skills.items()))
            wanted.setdefault(key, set()).add(demand.strategy)
            self._ranks_for(demand.strategy, demand.channel)
        earlier = self._segments.keys() - self._lru.keys() - wanted.keys()
        for key, strategies in wanted.items():
            segment = self._segments.get(key) or self._build(key)
            self._lru.pop(key, None)
            for strategy in sorted(strategies):
                segment.prepare(strategy, self._ranks[(strategy, key.channel)])
            yield
        for key in earlier:
            if key in self._segments and key not in self._lru:  # still only prepared for earlier work
                self._drop(key)
                yield

    def select(self, item: WorkItem, *, strategy: Strategy, now: datetime) -> Selection:
        """The best fitting agent for the item by the queue's strategy, or None with the reason why.

        Without a required language, agents who speak the message's language go first; only when none of
        them fits and is free does another agent take it, and the reason says the language was relaxed.
        """
        if strategy not in STRATEGIES:
            raise UnknownStrategy(f"unknown assignment strategy {strategy!r}")
        notes: list[CandidateNote] = []
        if item.preferred_agent is not None:
            preferred = self._preferred(item, item.preferred_agent)
            if preferred.outcome == "chosen":
                return Selection(preferred.agent_id, "preferred agent (sticky or returning customer)", (preferred,))
            notes.append(preferred)
        segment = self._segment(item)
        ranks = self._ranks_for(strategy, item.channel)
        spoken, relaxed, examined = _preferred_language(item), "", 0
        if spoken is not None:
            speaking = replace(item, required_languages=frozenset({spoken}))
            found = segment.best(speaking, strategy, ranks, RUNNERS_UP)
            if found[1]:
                return self._chosen(found, segment, strategy, notes, f", speaks {spoken}")
            examined = found[4]
            relaxed = f"; language {spoken} relaxed: {self._why_nobody(speaking, segment)}"
        found = segment.best(item, strategy, ranks, RUNNERS_UP)
        if not found[1]:
            for agent_id in found[2][: MAX_NOTES - len(notes)]:
                notes.append(CandidateNote(agent_id, "skipped", "already declined or timed out on this conversation"))
            return Selection(None, self._why_nobody(item, segment), tuple(notes), examined + found[4])
        return self._chosen(found, segment, strategy, notes, relaxed, examined)

    def _chosen(
        self,
        found: tuple[int, list[RankKey], list[str], int, int],
        segment: Segment,
        strategy: Strategy,
        notes: list[CandidateNote],
        because: str,
        examined: int = 0,
    ) -> Selection:
        """The selection of ``segment.best``'s winner, with its runners-up and skipped agents as notes."""
        fit, taken, passed, ready, seen = found
        for agent_id in passed[: MAX_NOTES - 1 - RUNNERS_UP - len(notes)]:
            notes.append(CandidateNote(agent_id, "skipped", "already declined or timed out on this conversation"))
        chosen = taken[0][2]
        better = "best skill fit" if fit == segment.order[0] else "best skill fit among those free"
        notes.append(CandidateNote(chosen, "chosen", f"{better} ({fit}), first by {strategy} of up to {ready}"))
        notes.extend(
            CandidateNote(k[2], "eligible", f"also eligible (skill fit {fit}), ranked later by {strategy}")
            for k in taken[1:]
        )
        return Selection(chosen, f"best fitting agent by {strategy}{because}", tuple(notes), examined + seen)

    def _preferred(self, item: WorkItem, agent_id: str) -> CandidateNote:
        agent = self._agents.get(agent_id)
        reason = unfit_reason(agent, item) if agent is not None else "is not a known agent"
        if reason is None:
            return CandidateNote(agent_id, "chosen", "preferred agent and fits")
        return CandidateNote(agent_id, "skipped", f"preferred agent {reason}")

    def _why_nobody(self, item: WorkItem, segment: Segment) -> str:
        needs = describe_needs(item)
        if not segment.has_speakers(item.required_languages):
            return f"no agent {needs}"
        return f"no available agent {needs} (all are busy, away, offline, full or already declined)"

    def _set(self, agent: AgentState) -> None:
        """Store an agent's new state and its rank keys."""
        self._agents[agent.id] = agent
        made: dict[RankKey, RankKey] = {}
        for (strategy, channel), ranks in self._ranks.items():
            key = _current_key(agent, strategy, channel)
            if key is None:
                ranks[agent.id] = None
            elif ranks.get(agent.id) != key:  # keep an equal key as it is: views hold that very tuple
                ranks[agent.id] = made.setdefault(key, key)  # one tuple for the channels it is equal on

    def _ranks_for(self, strategy: Strategy, channel: str) -> KeyMap[RankKey | None]:
        """The rank keys of every agent in ``strategy`` on ``channel`` (built on first use, then kept)."""
        ranks = self._ranks.get((strategy, channel))
        if ranks is None:
            ranks = KeyMap((a.id, _current_key(a, strategy, channel)) for a in self._agents.values())
            self._ranks[(strategy, channel)] = ranks
        return ranks

    def _put(self, agent: AgentState, *, channel: str | None) -> None:
        """Store a state whose rank may have improved, re-ranking it in its segments (of ``channel`` only)."""
        self._set(agent)
        for key in self._member_of[agent.id]:
            if channel is None or key.channel == channel:
                self._segments[key].refresh(agent, self._ranks)

    def _segment(self, item: WorkItem) -> Segment:
        key = SegmentKey.of(item)
        found = self._segments.get(key)
        if found is not None:
            if key in self._lru:
                self._lru.move_to_end(key)
            return found
        self._segment_misses += 1
        segment = self._build(key)
        self._lru[key] = None
        self._trim()
        return segment

    def _build(self, key: SegmentKey) -> Segment:
        """A new segment from the agents that statically fit ``key``, found by intersecting the static indexes."""
        ids = self._by_queue.get(key.queue, set()) | self._by_queue.get(ANY_QUEUE, set())
        ids &= self._by_channel.get(key.channel, set())
        for skill, level in key.skills:
            if level > 0:
                levels = self._by_skill.get(skill, {})
                ids &= set().union(*(members for have, members in levels.items() if have >= level))
        segment = build(key, (self._agents[i] for i in ids))
        self._segments[key] = segment
        self._seg_by_queue.setdefault(key.queue, set()).add(key)
        for agent_id in segment.fits:
            self._member_of[agent_id].add(key)
        return segment

    def _trim(self) -> None:
        """Evict the least recently used unprepared segments beyond ``max_segments``."""
        while len(self._lru) > self._max_segments:
            key, _ = self._lru.popitem(last=False)
            self._drop(key)

    def _drop(self, key: SegmentKey) -> None:
        segment = self._segments.pop(key)
        self._seg_by_queue[key.queue].discard(key)
        for agent_id in segment.fits:
            self._member_of[agent_id].discard(key)

    def _segment_keys_for(self, agent: AgentState) -> list[SegmentKey]:
        if not agent.queues:
            return list(self._segments)
        return [key for queue in agent.queues for key in self._seg_by_queue.get(queue, ())]


def _preferred_language(item: WorkItem) -> str | None:
    """The message's language when no rule requires one: its speakers go first, others only if none fits."""
    if item.required_languages or item.language in NO_LANGUAGE:
        return None
    return item.language


def _current_key(agent: AgentState, strategy: Strategy, channel: str) -> RankKey | None:
    """The agent's rank key in ``strategy`` on ``channel``, None when it cannot take such work now."""
    return rank_key(agent, channel, strategy) if has_room(agent, channel) else None
