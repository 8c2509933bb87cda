"""The REST gateway: ingest, agents, assignments, queues, ops."""

from gateway.app import create_app
from gateway.deps import GatewayDeps
from gateway.process_app import create_process_app

__all__ = ["GatewayDeps", "create_app", "create_process_app"]
