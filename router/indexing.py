"""Building the router's agent index beside the other work on its event loop."""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Mapping

from router import planning
from router.assign import AgentPool, QueuePolicy
from router.rules import CompiledRuleset
from router.state import RouterState

log = logging.getLogger(__name__)
INDEX_SLICE_SECONDS = 0.005
"""Longest stretch of index building between two turns of the event loop."""


async def build_index(pool: AgentPool, ruleset: CompiledRuleset, policies: Mapping[str, QueuePolicy]) -> int:
    """Prepare the pool for the ruleset, giving the event loop a turn every ``INDEX_SLICE_SECONDS``;
    then keep the long-lived pool, rules and models out of the cyclic collector's passes, which would
    walk them all and stall a decision. Returns the turns given.

    Meanwhile the dispatcher, the consumer's heartbeats and, embedded, the API keep going, and what they
    route finds the pool consistent (an entry not built yet is built on first use). The collector's pass
    at the end walks the new index in one go.
    """
    turns = 0
    slice_ends = time.perf_counter() + INDEX_SLICE_SECONDS
    for _ in pool.preparing(planning.demands(ruleset, policies)):
        if time.perf_counter() >= slice_ends:
            await asyncio.sleep(0)
            turns += 1
            slice_ends = time.perf_counter() + INDEX_SLICE_SECONDS
    gc.collect()
    gc.freeze()
    return turns


class Indexer:
    """Keeps the pool's index built for the state's ruleset and queue policies, one build at a time."""

    def __init__(self) -> None:
        self._building = asyncio.Lock()

    async def ensure(self, state: RouterState) -> None:
        """Build the index for every kind of work the ruleset can send, off the decision path, when the ruleset
        or the queue policies differ from what it was built for."""
        if (state.ruleset.version, state.policies) == state.indexed:
            return  # built, or being built: another task (the dispatcher's tick) goes on with the pool meanwhile
        async with self._building:  # a caller that waited may find its work done
            target = (state.ruleset.version, state.policies)
            if target == state.indexed:
                return
            state.indexed = target
            started = time.perf_counter()
            try:
                turns = await build_index(state.pool, state.ruleset, state.policies)
            except BaseException:
                state.indexed = None  # not built: the next refresh tries again
                raise
            ms = round((time.perf_counter() - started) * 1000)
            log.info("agent index ready", extra={"agents": len(state.pool), "ms": ms, "turns": turns})
