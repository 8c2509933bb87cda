"""A set of agents kept in rank order: a binary heap with lazy deletion and lazy re-ranking."""

from __future__ import annotations

from collections.abc import Callable
from heapq import heapify, heappop, heappush

from router.assign.model import RankKey

Current = Callable[[str], RankKey | None]
"""An agent's rank key right now, or None when it cannot take work right now."""

_SLACK = 32


class RankedSet:
    """Agent rank keys, best (lowest) first.

    Invariant: every agent that may be ranked has an entry no worse than its current key. Changes that
    can only worsen an agent's rank (taking work, going away) need no update here: ``best`` re-checks
    each entry it meets against the agent's current key and re-files or drops it. Changes that can
    improve a rank must ``put`` at once. ``put``/``discard`` are O(log n) amortised; superseded entries
    are dropped when they surface, and the heap is rebuilt in O(n) when they outnumber live ones.
    """

    __slots__ = ("_heap", "_keys")

    def __init__(self) -> None:
        self._heap: list[RankKey] = []
        self._keys: dict[str, RankKey] = {}

    @classmethod
    def of(cls, keys: list[RankKey]) -> RankedSet:
        """A set holding ``keys`` (one per agent), built in O(n) rather than by n insertions."""
        ranked = cls()
        ranked._keys = {key[2]: key for key in keys}
        heapify(keys)
        ranked._heap = keys
        return ranked

    def __len__(self) -> int:
        return len(self._keys)

    def put(self, key: RankKey) -> None:
        """Insert the agent (the key's last element) or move it to its new rank."""
        if self._keys.get(key[2]) == key:
            return
        self._keys[key[2]] = key
        heappush(self._heap, key)
        self._compact_if_sparse()

    def discard(self, agent_id: str) -> None:
        """Remove the agent if present."""
        if self._keys.pop(agent_id, None) is not None:
            self._compact_if_sparse()

    def first(self, current: Current, skip: frozenset[str]) -> tuple[RankKey | None, list[str], int]:
        """The best current key whose agent is not in ``skip``, the skipped agents met on the way, and
        how many entries were examined.

        Cost O((1 + |skip| + re-filed) log n); each re-filing pays for one earlier lazy change.
        """
        heap, keys = self._heap, self._keys
        passed: list[str] = []
        keep: list[RankKey] = []
        found: RankKey | None = None
        examined = 0
        while heap:
            examined += 1
            key = heap[0]
            agent_id = key[2]
            if keys.get(agent_id) != key:
                heappop(heap)
                continue
            now_key = current(agent_id)
            if now_key != key:
                heappop(heap)
                self._refile(agent_id, now_key)
                continue
            if agent_id not in skip:
                found = key
                break
            passed.append(agent_id)
            keep.append(heappop(heap))
        for key in keep:
            heappush(heap, key)
        return found, passed, examined

    def peek(self, current: Current, skip: frozenset[str], limit: int) -> list[RankKey]:
        """Other valid keys near the top of the heap (eligible, not strictly the next ones): for traces."""
        out: list[RankKey] = []
        keys = self._keys
        for key in self._heap[1 : 1 + 2 * limit]:
            agent_id = key[2]
            if keys.get(agent_id) == key and agent_id not in skip and current(agent_id) == key:
                out.append(key)
        return sorted(out)[:limit]

    def _refile(self, agent_id: str, key: RankKey | None) -> None:
        if key is None:
            del self._keys[agent_id]
        else:
            self._keys[agent_id] = key
            heappush(self._heap, key)

    def _compact_if_sparse(self) -> None:
        if len(self._heap) > 2 * len(self._keys) + _SLACK:
            self._heap = list(self._keys.values())
            heapify(self._heap)
