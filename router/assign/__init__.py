"""Assignment: who takes which conversation, when queues are open, and what waits too long. Pure, no I/O.

The policy value objects it applies (business hours, queue and SLA policies) are defined, with their bounds,
in ``shared.policies``; they are exported here too.
"""

from router.assign.errors import (
    InvalidBusinessHours,
    InvalidQueuePolicy,
    InvalidSlaPolicy,
    UnknownStrategy,
)
from router.assign.hours import is_open, next_open
from router.assign.model import (
    CHANNELS,
    AgentState,
    CandidateNote,
    Demand,
    Presence,
    Selection,
    WorkItem,
    rank_key,
    skill_fit,
    unfit_reason,
)
from router.assign.pool import AgentPool
from router.assign.queues import (
    effective_priority,
    order_waiting,
    overflow_target,
    route_for_hours,
)
from router.assign.sla import (
    ESCALATION_QUEUE,
    Breach,
    Deadline,
    Escalation,
    SlaClock,
    SlaState,
    breaches,
    deadlines,
    escalation_for,
    sla_state,
)
from router.assign.sticky import sticky_agent
from shared.policies import DEFAULT_AGING_PER_MINUTE, STRATEGIES, BusinessHours, QueuePolicy, SlaPolicy, Strategy

__all__ = [
    "CHANNELS",
    "DEFAULT_AGING_PER_MINUTE",
    "ESCALATION_QUEUE",
    "STRATEGIES",
    "AgentPool",
    "AgentState",
    "Breach",
    "BusinessHours",
    "CandidateNote",
    "Deadline",
    "Demand",
    "Escalation",
    "InvalidBusinessHours",
    "InvalidQueuePolicy",
    "InvalidSlaPolicy",
    "Presence",
    "QueuePolicy",
    "Selection",
    "SlaClock",
    "SlaPolicy",
    "SlaState",
    "Strategy",
    "UnknownStrategy",
    "WorkItem",
    "breaches",
    "deadlines",
    "effective_priority",
    "escalation_for",
    "is_open",
    "next_open",
    "order_waiting",
    "overflow_target",
    "rank_key",
    "route_for_hours",
    "skill_fit",
    "sla_state",
    "sticky_agent",
    "unfit_reason",
]
