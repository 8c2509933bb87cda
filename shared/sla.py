"""When service-level targets fall due: one home for the rule the router measures by and the gateway shows.

Pure (no I/O). ``router.assign.sla`` builds the SLA state machine (warning, breach, escalation) on these
deadlines; the gateway shows the same due times in assignment summaries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from shared.policies import InvalidSlaPolicy, SlaPolicy

SlaTarget = Literal["first_response", "resolution"]


@dataclass(frozen=True, slots=True)
class SlaClock:
    """The stored timestamps an SLA is measured from: the clock starts when the work is enqueued."""

    priority: int
    started_at: datetime
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Deadline:
    """One target's warning and due instants; store them and fire each once with a conditional update."""

    target: SlaTarget
    warn_at: datetime
    due_at: datetime


def deadlines(clock: SlaClock, policy: SlaPolicy) -> list[Deadline]:
    """The targets that apply to this work, computed from its timestamps (so they survive restarts)."""
    out: list[Deadline] = []
    targets: tuple[tuple[SlaTarget, Mapping[int, int]], ...] = (
        ("first_response", policy.first_response_s),
        ("resolution", policy.resolution_s),
    )
    for target, table in targets:
        seconds = table.get(clock.priority)
        if seconds is not None:
            warn = clock.started_at + timedelta(seconds=seconds * policy.warn_ratio)
            out.append(Deadline(target, warn, clock.started_at + timedelta(seconds=seconds)))
    return out


def stored_policy(
    name: str, first_response_s: Mapping[str, object], resolution_s: Mapping[str, object], warn_ratio: float
) -> SlaPolicy:
    """A stored SLA policy (JSON keys are priorities as strings) as a policy; raises ``InvalidSlaPolicy`` for
    stored targets that are malformed or outside the bounds."""
    try:
        first = {int(k): int(v) for k, v in first_response_s.items()}  # type: ignore[call-overload]
        resolution = {int(k): int(v) for k, v in resolution_s.items()}  # type: ignore[call-overload]
    except (TypeError, ValueError) as exc:
        raise InvalidSlaPolicy(f"SLA policy {name}: targets are malformed: {exc}") from None
    return SlaPolicy(name=name, first_response_s=first, resolution_s=resolution, warn_ratio=warn_ratio)


__all__ = ["Deadline", "SlaClock", "SlaTarget", "deadlines", "stored_policy"]
