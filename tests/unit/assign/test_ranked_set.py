"""RankedSet against a plain dict of current keys: lazy worsening, eager improvement, skips and traces."""

from __future__ import annotations

import gc
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from router.assign.model import RankKey
from router.assign.ranked import KeyMap, RankedSet

T0 = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)
IDS = [f"ag{n}" for n in range(6)]

moments = st.integers(0, 50).map(lambda m: T0 + timedelta(minutes=m))
primaries = st.sampled_from([0.0, 0.5, 1.0])
operations = st.one_of(
    st.tuples(st.just("put"), st.sampled_from(IDS), primaries, moments),  # any new rank, filed at once
    st.tuples(st.just("worsen"), st.sampled_from(IDS), primaries, st.integers(0, 20)),  # lazily: the key alone moves
    st.tuples(st.just("assign"), st.sampled_from(IDS)),  # round robin: lazily, to the back
    st.tuples(st.just("leave"), st.sampled_from(IDS)),  # lazily: cannot take work now
    st.tuples(st.just("discard"), st.sampled_from(IDS)),
    st.tuples(st.just("first"), st.frozensets(st.sampled_from(IDS), max_size=3)),
)


class Model:
    """The set under test beside the truth: each agent's current key."""

    def __init__(self) -> None:
        self.ranked = RankedSet()
        self.current: dict[str, RankKey | None] = {}
        self.clock = T0 + timedelta(hours=1)

    def apply(self, op: tuple[object, ...]) -> None:
        kind, agent_id = op[0], op[1]
        if kind == "first":
            self.check(op[1])  # type: ignore[arg-type]
            return
        assert isinstance(agent_id, str)
        now = self.current.get(agent_id)
        if kind == "put":
            key: RankKey = (op[2], op[3], agent_id)  # type: ignore[assignment]
            self.current[agent_id] = key
            self.ranked.put(key)
        elif kind == "discard":
            self.current[agent_id] = None
            self.ranked.discard(agent_id)
        elif now is None:
            return  # lazy changes only apply to agents that are ranked
        elif kind == "worsen":
            primary = max(now[0], op[2])  # type: ignore[type-var]
            self.current[agent_id] = (primary, now[1] + timedelta(seconds=op[3]), agent_id)  # type: ignore[arg-type]
        elif kind == "assign":
            self.clock += timedelta(seconds=1)
            self.current[agent_id] = (now[0], self.clock, agent_id)
        else:
            self.current[agent_id] = None

    def check(self, skip: frozenset[str]) -> None:
        ranked = sorted(k for k in self.current.values() if k is not None)
        takers = [k for k in ranked if k[2] not in skip]
        found, passed, examined = self.ranked.first(self.current.get, skip)
        assert found == (takers[0] if takers else None)
        assert set(passed) == {k[2] for k in ranked if k[2] in skip and (found is None or k < found)}
        assert examined >= len(passed) + (found is not None)
        near = self.ranked.peek(self.current.get, skip, 2)
        assert near == sorted(set(near))
        assert set(near) <= set(takers)
        assert len(self.ranked) >= len(ranked)  # lazily dropped agents may still be counted


@settings(max_examples=400, deadline=None)
@given(st.lists(operations, max_size=60))
def test_first_is_the_best_current_key_outside_the_skipped(ops: list[tuple[object, ...]]) -> None:
    model = Model()
    for op in ops:
        model.apply(op)
    model.check(frozenset())


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(IDS), min_size=1, max_size=200))
def test_round_robin_turns_pass_over_stale_entries_in_order(turns: list[str]) -> None:
    """Assignments made elsewhere re-file at the back: the set keeps handing out the oldest turn."""
    model = Model()
    for n, agent_id in enumerate(IDS):
        model.apply(("put", agent_id, 0.0, T0 + timedelta(minutes=n)))
    for agent_id in turns:
        model.apply(("assign", agent_id))
        model.check(frozenset())
    assert model.ranked.first(model.current.get, frozenset())[0] == min(k for k in model.current.values() if k)


def test_many_stale_entries_are_dropped_in_one_pass_and_the_set_stays_compact() -> None:
    model = Model()
    for n in range(1000):
        model.apply(("put", f"a{n}", 0.0, T0 + timedelta(seconds=n)))
    for n in range(900):
        model.apply(("assign", f"a{n}"))
    found, passed, examined = model.ranked.first(model.current.get, frozenset())
    assert found == model.current["a900"]
    assert (passed, examined) == ([], 901)
    for n in range(900):
        model.apply(("discard", f"a{n}"))
    assert len(model.ranked) == 100
    model.check(frozenset())


def test_key_maps_stay_out_of_young_collections_once_frozen() -> None:
    """A plain dict of untracked tuples is untracked by a full collection and re-tracked as young."""
    plain: dict[str, RankKey] = {"a": (0.0, T0, "a")}
    kept = KeyMap(a=(0.0, T0, "a"))
    gc.collect()
    assert not gc.is_tracked(plain)
    assert gc.is_tracked(kept)
