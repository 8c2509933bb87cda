"""What the gateway needs from the routing engine, supplied by the composition root. Only data crosses this
port: the engine reads the database through its own sessions."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Protocol

from shared.schema import InboundMessage


class RulesOps(Protocol):
    """Validate, simulate and backtest ruleset documents without importing the router."""

    def validate(
        self,
        document: Mapping[str, object],
        known_queues: Collection[str],
        *,
        known_sla_policies: Collection[str] | None = None,
        known_skills: Collection[str] | None = None,
    ) -> list[dict[str, object]]:
        """Every problem in the document (empty when it can be published)."""
        ...

    async def simulate(
        self, document: Mapping[str, object], version: int, message: InboundMessage
    ) -> dict[str, object]:
        """The full decision trace one message would get under this document among the current agents; nothing
        is stored."""
        ...

    async def backtest(
        self,
        active: tuple[int, Mapping[str, object]] | None,
        draft: tuple[int, Mapping[str, object]],
        since: datetime,
        until: datetime,
        limit: int,
    ) -> dict[str, object]:
        """Per-queue counts under the active ruleset and the draft over stored messages, and what would move."""
        ...
