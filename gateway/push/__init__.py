"""Push to agents: an activity feed per gateway process, the long-poll of assignments and the event stream."""

from gateway.push.caps import ConnectionCaps
from gateway.push.events import EVENT_NAMES, ActivityRow, AgentEvent, agent_event
from gateway.push.feed import ActivityFeed, Subscription
from gateway.push.hub import Push, PushDep, running
from gateway.push.longpoll import etag, long_poll
from gateway.push.stream import stream_for

__all__ = [
    "EVENT_NAMES",
    "ActivityFeed",
    "ActivityRow",
    "AgentEvent",
    "ConnectionCaps",
    "Push",
    "PushDep",
    "Subscription",
    "agent_event",
    "etag",
    "long_poll",
    "running",
    "stream_for",
]
