"""The REST gateway: ingest, agents, assignments, queues, ops."""

from gateway.app import create_app
from gateway.deps import GatewayDeps

__all__ = ["GatewayDeps", "create_app"]
