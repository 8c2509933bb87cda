"""Prometheus metrics: this process's counters, and the state of every queue and agent from the database."""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry
from prometheus_client.core import GaugeMetricFamily, Metric
from sqlalchemy import func, select

from gateway.deps import SessionDep, SupervisorDep
from gateway.routes.queues import queue_stats
from shared.db.models import Agent
from shared.metrics import exposition

router = APIRouter(tags=["health"])


class _Snapshot:
    """Metric families read once per scrape (a collector's ``collect`` cannot await the database)."""

    def __init__(self, families: list[Metric]) -> None:
        self.families = families

    def collect(self) -> Iterable[Metric]:
        return self.families


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}, "description": "Prometheus text."}},
)
async def metrics(_: SupervisorDep, session: SessionDep) -> Response:
    """Prometheus text format. Counters are this process's (with several gateways or routers, sum them);
    the queue and agent gauges come from the database, so every gateway reports the same whole picture."""
    work = GaugeMetricFamily("switchboard_queue_work", "Open work per queue by state", labels=["queue", "state"])
    sla = GaugeMetricFamily("switchboard_queue_sla", "Open work per queue in SLA trouble", labels=["queue", "state"])
    oldest = GaugeMetricFamily(
        "switchboard_queue_oldest_wait_seconds", "Age of the oldest work waiting for an agent", labels=["queue"]
    )
    for queue in await queue_stats(session):
        for state, count in (("waiting", queue.waiting), ("offered", queue.offered), ("accepted", queue.accepted)):
            work.add_metric([queue.name, state], count)
        sla.add_metric([queue.name, "warning"], queue.sla_warning)
        sla.add_metric([queue.name, "breached"], queue.sla_breached)
        if queue.oldest_wait_seconds is not None:
            oldest.add_metric([queue.name], queue.oldest_wait_seconds)
    agents = GaugeMetricFamily("switchboard_agents", "Agents by presence", labels=["presence"])
    for presence, count in await session.execute(select(Agent.presence, func.count()).group_by(Agent.presence)):
        agents.add_metric([presence], count)
    snapshot = CollectorRegistry(auto_describe=False)
    snapshot.register(_Snapshot([work, sla, oldest, agents]))
    return Response(exposition(snapshot), media_type=CONTENT_TYPE_LATEST)
