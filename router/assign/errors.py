"""Assignment-domain errors, part of Switchboard's one exception tree."""

from __future__ import annotations

from shared.errors import InvalidRequest


class UnknownStrategy(InvalidRequest):
    """A queue names a strategy the engine does not know."""

    code = "unknown-strategy"


class InvalidQueuePolicy(InvalidRequest):
    """A queue policy that cannot be applied (e.g. no aging, so work could starve)."""

    code = "invalid-queue-policy"


class InvalidBusinessHours(InvalidRequest):
    """Business hours with an unknown time zone, a bad weekday or an empty shift."""

    code = "invalid-business-hours"


class InvalidSlaPolicy(InvalidRequest):
    """An SLA policy with non-positive targets or a warn ratio outside (0, 1]."""

    code = "invalid-sla-policy"
