"""The process's Prometheus metrics. Labels name channels, queues, outcomes and event types only: never a
message, an address or a person."""

from __future__ import annotations

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, disable_created_metrics, generate_latest

disable_created_metrics()  # type: ignore[no-untyped-call]  # no *_created series: they double the page for little

MESSAGES_ACCEPTED = Counter(
    "switchboard_messages_accepted", "Messages the ingest API made durable and answered 202", ["channel"]
)
MESSAGES_REFUSED = Counter(
    "switchboard_messages_refused", "Messages the ingest API could not make durable and answered 503"
)
MESSAGES_ROUTED = Counter(
    "switchboard_messages_routed", "Messages this process's router routed, by outcome", ["outcome"]
)
DEAD_LETTERS = Counter("switchboard_dead_letters", "Records this process's router sent to the dead-letter topic")
EVENTS = Counter("switchboard_events", "Decision and timer events this process's router announced", ["event"])
ROUTER_BATCH_SECONDS = Histogram(
    "switchboard_router_batch_seconds",
    "Time to classify, route and store one batch of messages",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def exposition(*extra: CollectorRegistry) -> bytes:
    """This process's metrics (and the process and runtime collectors'), then ``extra``'s, as text."""
    return b"".join(generate_latest(registry) for registry in (REGISTRY, *extra))
