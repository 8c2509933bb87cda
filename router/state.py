"""What a router keeps in memory between batches, and how it is brought up to date from the database."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from router import store
from router.assign import AgentPool, QueuePolicy, SlaPolicy
from router.rules import CompiledRuleset, compile_ruleset, default_ruleset

log = logging.getLogger(__name__)
FULL_RELOAD_SECONDS = 60.0


@dataclass
class RouterState:
    """The active ruleset, the queue and SLA policies, and the agent pool; what routing and dispatching read."""

    ruleset: CompiledRuleset
    activation: int | None
    pool: AgentPool
    policies: dict[str, QueuePolicy]
    sla: dict[str, SlaPolicy] = field(default_factory=dict)
    config_seen: tuple[object, ...] = ()
    agents_seen: datetime | None = None
    full_reload_at: float = 0.0
    indexed: tuple[int, dict[str, QueuePolicy]] | None = None
    """The ruleset version and queue policies the pool's index was built (or is being built) for."""

    @classmethod
    def initial(cls) -> RouterState:
        """The state before anything is loaded: the default ruleset, no agents, no policies."""
        return cls(compile_ruleset(default_ruleset(), version=0), None, AgentPool(), {})

    def reload_everything_next(self) -> None:
        """Have the next refresh re-read every agent (after a rollback, the pool's loads may be wrong)."""
        self.full_reload_at = 0.0


async def reload(session: AsyncSession, state: RouterState, *, force: bool = False) -> None:
    """Pick up a newly published ruleset, changed queue/SLA settings and changed agents; every
    ``FULL_RELOAD_SECONDS`` (and when forced) re-read every agent, in case an update was missed."""
    full = force or time.monotonic() >= state.full_reload_at
    config = await store.config_fingerprint(session)
    if full or config != state.config_seen:
        active = await store.active_ruleset(session)
        if active is not None and active[0] != state.activation:
            activation, version, document = active
            state.ruleset = compile_ruleset(document, version=version)
            state.activation = activation
            log.info("ruleset active", extra={"version": version})
        state.policies = await store.queue_policies(session)
        state.sla = await store.sla_policies(session)
        state.config_seen = config
    if full:
        state.full_reload_at = time.monotonic() + FULL_RELOAD_SECONDS
    state.agents_seen = await store.refresh_pool(session, state.pool, None if full else state.agents_seen)
