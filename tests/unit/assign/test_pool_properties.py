"""Properties of AgentPool.select: it only offers work to agents that may take it, and agrees with a naive scan."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from router.assign import AgentPool, AgentState, Demand, Presence, Strategy, WorkItem

T0 = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)
EARLIEST = datetime.min.replace(tzinfo=UTC)
IDS = [f"ag{n}" for n in range(4)]
QUEUES = ["billing", "returns"]
CHANNELS = ["chat", "email"]
LANGS = ["en", "da", "de"]
SKILLS = ["refunds", "billing", "tech"]

moments = st.integers(0, 600).map(lambda m: T0 + timedelta(minutes=m))
LATEST = T0 + timedelta(minutes=601)
agents = st.builds(
    AgentState,
    id=st.sampled_from(IDS),
    name=st.just("x"),
    languages=st.frozensets(st.sampled_from(LANGS), min_size=1, max_size=2),
    skills=st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 5), max_size=3),
    capacity=st.fixed_dictionaries({"chat": st.integers(0, 2)}, optional={"email": st.integers(0, 3)}),
    load=st.dictionaries(st.sampled_from(CHANNELS), st.integers(0, 3), max_size=2),
    presence=st.sampled_from(["available", "available", "available", "busy", "away", "offline"]),
    queues=st.just(frozenset()) | st.frozensets(st.sampled_from(QUEUES), max_size=2),
    idle_since=st.none() | moments,
    last_assigned_at=st.none() | moments,
)
items = st.builds(
    WorkItem,
    conversation_id=st.just("c"),
    channel=st.sampled_from(CHANNELS),
    queue=st.sampled_from(QUEUES),
    language=st.sampled_from([*LANGS, "fr", "und"]),
    required_skills=st.just({}) | st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 3), max_size=2),
    required_languages=st.just(frozenset()) | st.frozensets(st.sampled_from(LANGS), max_size=2),
    priority=st.integers(1, 5),
    enqueued_at=st.just(T0),
    excluded_agents=st.just(frozenset()) | st.frozensets(st.sampled_from(IDS), max_size=2),
    preferred_agent=st.none() | st.sampled_from(IDS),
)
strategies = st.sampled_from(["least_loaded", "longest_idle", "round_robin"])
demands = st.builds(
    Demand,
    queue=st.sampled_from(QUEUES),
    channel=st.sampled_from(CHANNELS),
    required_skills=st.just({}) | st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 3), max_size=2),
    strategy=strategies,
)
operations = st.one_of(
    st.tuples(st.just("prepare"), st.lists(demands, max_size=4)),
    st.tuples(st.just("upsert"), agents),
    st.tuples(st.just("presence"), st.sampled_from(IDS), st.sampled_from(["available", "busy", "away", "offline"])),
    st.tuples(st.just("load"), st.sampled_from(IDS), st.sampled_from(CHANNELS), st.sampled_from([-1, 1, 1, 2])),
    st.tuples(st.just("remove"), st.sampled_from(IDS)),
    st.tuples(
        st.just("reload"),
        st.sampled_from(IDS),
        st.fixed_dictionaries({"chat": st.integers(0, 2), "email": st.integers(0, 2)}),
        st.sampled_from(["available", "available", "busy"]),
    ),
)


def may_take(agent: AgentState, item: WorkItem) -> bool:
    """The selection rules, written out independently of the engine."""
    return (
        agent.presence == "available"
        and agent.load.get(item.channel, 0) < agent.capacity.get(item.channel, 0)
        and (not agent.queues or item.queue in agent.queues)
        and all(agent.skills.get(s, 0) >= n for s, n in item.required_skills.items())
        and (not item.required_languages or bool(agent.languages & item.required_languages))
        and agent.id not in item.excluded_agents
    )


def naive_rank(agent: AgentState, item: WorkItem, strategy: Strategy) -> tuple[object, ...]:
    """Best skill fit first, then the strategy, then the agent id."""
    fit = -sum(agent.skills.get(s, 0) for s in item.required_skills)
    if strategy == "least_loaded":
        return (fit, agent.load.get(item.channel, 0) / agent.capacity[item.channel], agent.id)
    if strategy == "longest_idle":
        return (fit, any(agent.load.values()), agent.idle_since or EARLIEST, agent.id)
    return (fit, agent.last_assigned_at or EARLIEST, agent.id)


def naive_select(pool: AgentPool, item: WorkItem, strategy: Strategy) -> str | None:
    """A linear scan over every agent."""
    states = [a for a in (pool.get(i) for i in IDS) if a is not None]
    preferred = pool.get(item.preferred_agent) if item.preferred_agent else None
    if preferred is not None and may_take(preferred, item):
        return preferred.id
    fitting = [a for a in states if may_take(a, item)]
    if not item.required_languages and any(item.language in a.languages for a in fitting):
        fitting = [a for a in fitting if item.language in a.languages]
    return min(fitting, key=lambda a: naive_rank(a, item, strategy)).id if fitting else None


@dataclass
class Run:
    """Replays operations on a pool, checking every selection."""

    pool: AgentPool
    now: datetime = LATEST  # the clock starts after every generated moment: it never runs backwards

    def apply(self, op: tuple[object, ...]) -> None:
        self.now += timedelta(seconds=7)
        kind = op[0]
        if kind == "upsert":
            self.pool.upsert(op[1])  # type: ignore[arg-type]
        elif kind == "presence":
            self.pool.set_presence(op[1], op[2], self.now)  # type: ignore[arg-type]
        elif kind == "load":
            self.pool.adjust_load(op[1], op[2], op[3], self.now)  # type: ignore[arg-type]
        elif kind == "remove":
            self.pool.remove(op[1])  # type: ignore[arg-type]
        elif kind == "prepare":
            self.pool.prepare(op[1])  # type: ignore[arg-type]
        else:
            self.reload(op[1], op[2], op[3])  # type: ignore[arg-type]

    def reload(self, agent_id: str, load: dict[str, int], presence: Presence) -> None:
        """What the database refresh does: the same agent, with other load and presence."""
        state = self.pool.get(agent_id)
        if state is not None:
            self.pool.upsert(replace(state, load=load, presence=presence))

    def check(self, item: WorkItem, strategy: Strategy) -> None:
        selection = self.pool.select(item, strategy=strategy, now=self.now)
        assert len(selection.candidates) <= 10
        if selection.agent_id is not None:
            chosen = self.pool.get(selection.agent_id)
            assert chosen is not None
            assert may_take(chosen, item), (chosen, item)
        assert selection.agent_id == naive_select(self.pool, item, strategy)


@settings(max_examples=250, deadline=None)
@given(
    st.lists(operations, min_size=8, max_size=40),
    st.lists(st.tuples(items, strategies), min_size=1, max_size=3),
    st.sampled_from([1, 3, 1024]),
)
def test_indexed_select_matches_a_naive_scan(
    ops: list[tuple[object, ...]], probes: list[tuple[WorkItem, Strategy]], max_segments: int
) -> None:
    run = Run(AgentPool(max_segments=max_segments))
    for op in ops:
        run.apply(op)
        for item, strategy in probes:
            run.check(item, strategy)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(agents, max_size=10),
    st.lists(operations, max_size=20),
    st.lists(st.tuples(items, strategies), min_size=1, max_size=3),
)
def test_prepared_pool_selects_without_building_and_matches_a_naive_scan(
    states: list[AgentState], ops: list[tuple[object, ...]], probes: list[tuple[WorkItem, Strategy]]
) -> None:
    run = Run(AgentPool(max_segments=1))
    for state in states:
        run.pool.upsert(state)
    run.pool.prepare(Demand(item.queue, item.channel, item.required_skills, strategy) for item, strategy in probes)
    for op in ops:
        if op[0] != "prepare":  # a later prepare would drop the shapes it no longer asks for
            run.apply(op)
        for item, strategy in probes:
            run.check(item, strategy)
    assert run.pool.misses == 0


@settings(max_examples=150, deadline=None)
@given(
    st.lists(agents, max_size=10),
    st.lists(demands, min_size=1, max_size=6),
    st.lists(operations, max_size=20),
    st.lists(st.tuples(items, strategies), min_size=1, max_size=3),
)
def test_selections_between_preparing_steps_match_a_naive_scan(
    states: list[AgentState],
    wanted: list[Demand],
    ops: list[tuple[object, ...]],
    probes: list[tuple[WorkItem, Strategy]],
) -> None:
    """The router serves other work while it builds the index step by step: the pool is consistent at every step."""
    run = Run(AgentPool(max_segments=1))
    for state in states:
        run.pool.upsert(state)
    steps = run.pool.preparing(wanted)
    for op in ops:
        next(steps, None)
        if op[0] != "prepare":
            run.apply(op)
        for item, strategy in probes:
            run.check(item, strategy)
    for _ in steps:
        pass
    for item, strategy in probes:
        run.check(item, strategy)


@settings(max_examples=150, deadline=None)
@given(st.lists(agents, max_size=10), st.lists(st.tuples(items, strategies), min_size=1, max_size=10))
def test_select_never_offers_work_to_an_agent_who_may_not_take_it(
    states: list[AgentState], asks: list[tuple[WorkItem, Strategy]]
) -> None:
    pool = AgentPool()
    for state in states:
        pool.upsert(state)
    for item, strategy in asks:
        chosen = pool.select(item, strategy=strategy, now=T0).agent_id
        if chosen is None:
            continue
        agent = pool.get(chosen)
        assert agent is not None
        assert agent.presence == "available"
        assert agent.load.get(item.channel, 0) < agent.capacity.get(item.channel, 0)
        assert all(agent.skills.get(s, 0) >= n for s, n in item.required_skills.items())
        assert not item.required_languages or agent.languages & item.required_languages
        assert chosen not in item.excluded_agents


@settings(max_examples=100, deadline=None)
@given(st.lists(agents, min_size=1, max_size=10), items, strategies)
def test_assignments_spread_until_capacity_runs_out(
    states: list[AgentState], item: WorkItem, strategy: Strategy
) -> None:
    pool = AgentPool()
    for state in states:
        pool.upsert(state)
    free = sum(
        max(0, a.capacity.get(item.channel, 0) - a.load.get(item.channel, 0))
        for a in (pool.get(i) for i in IDS)
        if a is not None and may_take(a, item)
    )
    now = T0
    for _ in range(free):
        now += timedelta(seconds=1)
        chosen = pool.select(item, strategy=strategy, now=now).agent_id
        assert chosen is not None
        pool.adjust_load(chosen, item.channel, +1, now)
    assert pool.select(item, strategy=strategy, now=now).agent_id is None
