"""Topic names and the router's consumer group: the bus's part of the contract."""

from __future__ import annotations

import functools
from dataclasses import dataclass

INBOUND = "switchboard.inbound.v1"
ROUTED = "switchboard.routed.v1"
DLQ = "switchboard.dlq.v1"
ROUTER_GROUP = "router"


@dataclass(frozen=True, slots=True)
class Topics:
    """The topics one deployment uses; a namespace lets several deployments share a cluster."""

    inbound: str = INBOUND
    routed: str = ROUTED
    dlq: str = DLQ
    router_group: str = ROUTER_GROUP

    @classmethod
    def for_namespace(cls, namespace: str) -> Topics:
        """Topics prefixed with ``namespace.`` (the defaults when it is empty)."""
        return _for_namespace(namespace)


@functools.cache
def _for_namespace(namespace: str) -> Topics:
    """One immutable ``Topics`` per namespace: every published message asks for its topic."""
    if not namespace:
        return Topics()
    return Topics(
        f"{namespace}.{INBOUND}", f"{namespace}.{ROUTED}", f"{namespace}.{DLQ}", f"{namespace}.{ROUTER_GROUP}"
    )
