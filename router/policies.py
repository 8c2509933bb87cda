"""Stored queue and SLA settings turned into the policy value objects of ``shared.policies``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from shared.db.models import Queue, SlaPolicyRow
from shared.policies import BusinessHours, QueuePolicy, SlaPolicy, Strategy, hours_from_json
from shared.sla import stored_policy


def business_hours(stored: Mapping[str, object] | None) -> BusinessHours | None:
    """Stored hours (the API's shape) -> BusinessHours, None when there are none; raises
    ``InvalidBusinessHours`` for a stored value outside the bounds."""
    return hours_from_json(stored) if stored else None


def queue_policy(row: Queue) -> QueuePolicy:
    """A queue row as a policy; raises an ``InvalidRequest`` for a stored value outside the bounds."""
    return QueuePolicy(
        name=row.name,
        strategy=cast(Strategy, row.strategy),  # checked by QueuePolicy
        offer_timeout_s=row.offer_timeout_s,
        overflow_queue=row.overflow_queue,
        overflow_after_s=row.overflow_after_s,
        aging_per_minute=row.aging_per_minute,
        hours=business_hours(row.hours),
        after_hours_queue=row.after_hours_queue,
        sla_policy=row.sla_policy,
    )


def sla_policy(row: SlaPolicyRow) -> SlaPolicy:
    """An SLA row as a policy (JSON keys are priorities as strings); raises ``InvalidSlaPolicy`` for a stored
    value outside the bounds."""
    return stored_policy(row.name, row.first_response_s, row.resolution_s, row.warn_ratio)
