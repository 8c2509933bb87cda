"""Assignment-domain errors, part of Switchboard's one exception tree (the policy errors live beside the
policies in ``shared.policies``)."""

from __future__ import annotations

from shared.policies import InvalidBusinessHours, InvalidQueuePolicy, InvalidSlaPolicy, UnknownStrategy

__all__ = ["InvalidBusinessHours", "InvalidQueuePolicy", "InvalidSlaPolicy", "UnknownStrategy"]
