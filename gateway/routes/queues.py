"""Queues: what supervisors watch and ops configure."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, ValidationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.deps import ConfigReaderDep, OpsDep, SessionDep
from gateway.schemas import QueueIn, QueueOut, QueuePatch
from shared.auth import Principal
from shared.db.models import Assignment, AuditEvent, Queue, SlaPolicyRow
from shared.errors import Conflict, InvalidRequest, NotFound
from shared.lifecycle import OPEN, Status

router = APIRouter(prefix="/v1/queues", tags=["queues"])


@router.get("", response_model=list[QueueOut])
async def list_queues(_: ConfigReaderDep, session: SessionDep) -> list[QueueOut]:
    """Every queue with its open work: waiting (no agent yet), offered, accepted, SLA trouble, the oldest wait."""
    return await queue_stats(session)


async def queue_stats(session: AsyncSession) -> list[QueueOut]:
    """What ``GET /v1/queues`` shows, for the metrics too."""
    counts = await session.execute(
        select(
            Assignment.queue, Assignment.status, Assignment.sla_state, func.count(), func.min(Assignment.enqueued_at)
        )
        .where(Assignment.status.in_(OPEN))
        .group_by(Assignment.queue, Assignment.status, Assignment.sla_state)
    )
    now = datetime.now(UTC)
    stats: dict[str, dict[str, int]] = {}
    oldest: dict[str, datetime] = {}
    for queue, status, sla, count, first in counts:
        bucket = stats.setdefault(queue, {})
        bucket[status] = bucket.get(status, 0) + count
        bucket[f"sla_{sla}"] = bucket.get(f"sla_{sla}", 0) + count
        if status == Status.QUEUED and first is not None:
            first = first if first.tzinfo else first.replace(tzinfo=UTC)
            oldest[queue] = min(first, oldest.get(queue, first))
    out = []
    for q in await session.scalars(select(Queue).order_by(Queue.name)):
        s = stats.get(q.name, {})
        out.append(
            QueueOut(
                name=q.name,
                strategy=q.strategy,
                open=sum(s.get(k, 0) for k in OPEN),
                waiting=s.get(Status.QUEUED, 0),
                offered=s.get(Status.OFFERED, 0),
                accepted=s.get(Status.ACCEPTED, 0),
                sla_warning=s.get("sla_warning", 0),
                sla_breached=s.get("sla_breached", 0),
                oldest_wait_seconds=(now - oldest[q.name]).total_seconds() if q.name in oldest else None,
            )
        )
    return out


class QueueConfigOut(BaseModel):
    """A queue's configuration as stored."""

    name: str
    description: str
    strategy: str
    offer_timeout_s: int
    overflow_queue: str | None
    overflow_after_s: int | None
    after_hours_queue: str | None
    hours: dict[str, Any] | None
    aging_per_minute: float
    sla_policy: str | None


@router.get("/{name}", response_model=QueueConfigOut)
async def get_queue(name: str, _: ConfigReaderDep, session: SessionDep) -> QueueConfigOut:
    """A queue's configuration."""
    return _config(await _get(session, name))


@router.post("", status_code=201, response_model=QueueConfigOut)
async def create_queue(body: QueueIn, principal: OpsDep, session: SessionDep) -> QueueConfigOut:
    """Create a queue with its strategy, offer timeout, overflow, business hours and SLA policy."""
    if await session.get(Queue, body.name) is not None:
        raise Conflict(f"queue {body.name} exists; use PUT to change it")
    row = Queue(name=body.name)
    session.add(row)
    return await _save(session, row, body, principal, "queue.create", before=None)


@router.put("/{name}", response_model=QueueConfigOut)
async def update_queue(name: str, body: QueueIn, principal: OpsDep, session: SessionDep) -> QueueConfigOut:
    """Replace a queue's whole configuration (fields left out take their defaults; to change some fields only,
    use PATCH); routers pick it up with their next batch."""
    if body.name != name:
        raise InvalidRequest("the name in the body must match the path")
    row = await _get(session, name)
    return await _save(session, row, body, principal, "queue.update", before=_config(row).model_dump(mode="json"))


@router.patch("/{name}", response_model=QueueConfigOut)
async def patch_queue(name: str, body: QueuePatch, principal: OpsDep, session: SessionDep) -> QueueConfigOut:
    """Change only the fields sent; an explicit null clears a field that may be empty (`overflow_queue` with
    `overflow_after_s`, `after_hours_queue`, `hours`, `sla_policy`). Routers pick it up with their next batch."""
    row = await _get(session, name)
    before = _config(row).model_dump(mode="json")
    try:
        merged = QueueIn.model_validate(before | body.sent())
    except ValidationError as exc:
        raise InvalidRequest(
            "the queue would not be valid", errors=[{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()]
        ) from None
    return await _save(session, row, merged, principal, "queue.update", before=before)


@router.delete("/{name}", status_code=204)
async def delete_queue(name: str, principal: OpsDep, session: SessionDep) -> Response:
    """Delete a queue that holds no open work and that no other queue points to."""
    row = await _get(session, name)
    open_work = await session.scalar(
        select(func.count()).select_from(Assignment).where(Assignment.queue == name, Assignment.status.in_(OPEN))
    )
    if open_work:
        raise Conflict(f"queue {name} still holds {open_work} open assignments")
    pointing = await session.scalar(
        select(Queue.name).where((Queue.overflow_queue == name) | (Queue.after_hours_queue == name)).limit(1)
    )
    if pointing:
        raise Conflict(f"queue {pointing} overflows or routes after hours to {name}")
    before = _config(row).model_dump(mode="json")
    await session.delete(row)
    session.add(AuditEvent(actor=principal.actor, action="queue.delete", subject=name,
                           detail={"before": before, "after": None}))  # fmt: skip
    await session.commit()
    return Response(status_code=204)


async def _get(session: AsyncSession, name: str) -> Queue:
    row = await session.get(Queue, name)
    if row is None:
        raise NotFound(f"no queue {name}")
    return row


async def _save(
    session: AsyncSession, row: Queue, body: QueueIn, principal: Principal, action: str, *, before: Any
) -> QueueConfigOut:
    await _check_references(session, body)
    row.description, row.strategy, row.offer_timeout_s = body.description, body.strategy, body.offer_timeout_s
    row.overflow_queue, row.overflow_after_s = body.overflow_queue, body.overflow_after_s
    row.after_hours_queue, row.aging_per_minute, row.sla_policy = (
        body.after_hours_queue,
        body.aging_per_minute,
        body.sla_policy,
    )
    row.hours = body.hours.model_dump(mode="json") if body.hours is not None else None
    row.updated_at = datetime.now(UTC)
    after = _config(row)
    session.add(AuditEvent(actor=principal.actor, action=action, subject=body.name,
                           detail={"before": before, "after": after.model_dump(mode="json")}))  # fmt: skip
    await session.commit()
    return after


async def _check_references(session: AsyncSession, body: QueueIn) -> None:
    """Overflow and after-hours queues and the SLA policy must exist; overflow must not loop."""
    rows = (await session.execute(select(Queue.name, Queue.overflow_queue))).all()
    overflow: dict[str, str | None] = dict(rows)
    overflow[body.name] = body.overflow_queue
    for ref in (body.overflow_queue, body.after_hours_queue):
        if ref is not None and ref not in overflow:
            raise InvalidRequest(f"unknown queue {ref}")
    if body.sla_policy is not None and await session.get(SlaPolicyRow, body.sla_policy) is None:
        raise InvalidRequest(f"unknown SLA policy {body.sla_policy}")
    if (body.overflow_queue is None) != (body.overflow_after_s is None):
        raise InvalidRequest("overflow_queue and overflow_after_s go together")
    seen, current = {body.name}, body.overflow_queue
    while current is not None:
        if current in seen:
            raise InvalidRequest(f"overflow from {body.name} loops back through {current}")
        seen.add(current)
        current = overflow.get(current)


def _config(row: Queue) -> QueueConfigOut:
    return QueueConfigOut.model_validate(row, from_attributes=True)
