"""A set of agents kept in rank order: a sorted run for keys that arrive in order, a heap for the rest."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from heapq import heappop, heappush
from typing import Generic, TypeVar

from router.assign.model import RankKey

Current = Callable[[str], RankKey | None]
"""An agent's rank key right now, or None when it cannot take work right now."""

_SLACK = 32
V = TypeVar("V")


class KeyMap(dict[str, V], Generic[V]):
    """Agent id to rank key: a dict the cyclic collector never untracks.

    A full collection untracks a plain dict whose values are all untracked (rank keys, once collected),
    and storing a freshly made key tracks it again, in the youngest generation: every young collection
    would then walk all of its entries, thousands of them, during some decision. A dict subclass stays
    tracked, so once ``gc.freeze()`` has moved it out of the generations, no young collection walks it.
    """

    __slots__ = ()


class RankedSet:
    """Agent rank keys, best (lowest) first.

    Invariant: every agent that may be ranked has an entry no worse than its current key. Changes that
    can only worsen an agent's rank (taking work, going away) need no update here: ``first`` re-checks
    each entry it meets against the agent's current key and re-files or drops it. Changes that can
    improve a rank must ``put`` at once.

    Entries live in two places. The *run* is a deque in ascending order: the set is built into it, and a
    key no better than its last entry is appended in O(1). Any other key goes into a binary *heap*
    (O(log h)). The best entry is the lower of the two fronts. Round robin re-files an agent at the
    back (its newest assignment ranks last), so there a stale entry costs O(1) to pass over, however
    many other views' assignments left stale entries at the top of a rarely used view. Superseded
    entries are dropped when they surface; both parts are rebuilt into one run when they outnumber
    live entries.
    """

    __slots__ = ("_heap", "_keys", "_run")

    def __init__(self) -> None:
        self._run: deque[RankKey] = deque()
        self._heap: list[RankKey] = []
        self._keys: KeyMap[RankKey] = KeyMap()

    @classmethod
    def of(cls, keys: list[RankKey]) -> RankedSet:
        """A set holding ``keys`` (one per agent): O(n log n), and O(n) when they are nearly in order."""
        ranked = cls()
        ranked._keys = KeyMap((key[2], key) for key in keys)
        ranked._run = deque(sorted(keys))
        return ranked

    def __len__(self) -> int:
        return len(self._keys)

    def put(self, key: RankKey) -> None:
        """Insert the agent (the key's last element) or move it to its new rank."""
        if self._keys.get(key[2]) == key:
            return
        self._file(key)
        self._compact_if_sparse()

    def discard(self, agent_id: str) -> None:
        """Remove the agent if present (its entries become superseded)."""
        if self._keys.pop(agent_id, None) is not None:
            self._compact_if_sparse()

    def first(self, current: Current, skip: frozenset[str]) -> tuple[RankKey | None, list[str], int]:
        """The best current key whose agent is not in ``skip``, the skipped agents met on the way, and
        how many entries were examined.

        Cost O(1 + |skip| + passed) entries, each O(1) from the run and O(log h) from the heap; every
        entry passed over pays for one earlier lazy change.
        """
        run, heap, keys = self._run, self._heap, self._keys
        passed: list[str] = []
        kept_run: list[RankKey] = []
        kept_heap: list[RankKey] = []
        found: RankKey | None = None
        examined = 0
        while run or heap:
            examined += 1
            from_run = not heap or (bool(run) and run[0] <= heap[0])
            key = run.popleft() if from_run else heappop(heap)
            agent_id = key[2]
            if keys.get(agent_id) != key:
                continue  # superseded
            now_key = current(agent_id)
            if now_key != key:
                if now_key is None:
                    del keys[agent_id]
                else:
                    self._file(now_key)
                continue
            (kept_run if from_run else kept_heap).append(key)
            if agent_id not in skip:
                found = key
                break
            passed.append(agent_id)
        run.extendleft(reversed(kept_run))  # they came off the front in order and rank before any re-filed entry
        for key in kept_heap:
            heappush(heap, key)
        return found, passed, examined

    def peek(self, current: Current, skip: frozenset[str], limit: int) -> list[RankKey]:
        """Up to ``limit + 1`` eligible keys from near the top, best first (not strictly the next ones): for
        traces, which show a few agents that could also have taken the work."""
        keys = self._keys
        near = [self._run[i] for i in range(min(len(self._run), 1 + 2 * limit))]
        near.extend(self._heap[: 1 + 2 * limit])
        out = {k for k in near if keys.get(k[2]) == k and k[2] not in skip and current(k[2]) == k}
        return sorted(out)[: 1 + limit]

    def _file(self, key: RankKey) -> None:
        """Record ``key`` as the agent's entry: at the back of the run when it ranks last, else in the heap."""
        self._keys[key[2]] = key
        run = self._run
        if not run or run[-1] <= key:
            run.append(key)
        else:
            heappush(self._heap, key)

    def _compact_if_sparse(self) -> None:
        if len(self._run) + len(self._heap) > 2 * len(self._keys) + _SLACK:
            self._run = deque(sorted(self._keys.values()))
            self._heap = []
