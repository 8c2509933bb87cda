"""The audit log (supervisors, ops, admins): who did what to which entity, and when."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from gateway.deps import AuditDep, SessionDep
from gateway.integration_schemas import AuditOut, AuditPage, Cursor
from gateway.schemas import Instant
from shared.db.models import AuditEvent

router = APIRouter(prefix="/v1/audit", tags=["audit"])

Name = Annotated[str, Query(min_length=1, max_length=128, pattern=r"^[^\s\x00-\x1f\x7f]+$")]
"""An actor, entity or action as stored: no whitespace or control characters, at most 128 characters."""


@router.get("", response_model=AuditPage)
async def list_audit(
    _: AuditDep,
    session: SessionDep,
    actor: Annotated[Name | None, Query(description="Exactly this actor, e.g. `admin:<key id>` or `router`.")] = None,
    entity: Annotated[Name | None, Query(description="Exactly this entity: an id or a name.")] = None,
    action: Annotated[Name | None, Query(description="Exactly this action, e.g. `api_key.revoke`.")] = None,
    since: Instant | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Cursor | None = None,
) -> AuditPage:
    """Audit entries newest first: configuration changes (with before and after where recorded), key and
    subscription changes, agents' actions on their work. Page with `cursor` (the previous page's
    `next_cursor`); filter values that cannot be valid are 422."""
    stmt = select(AuditEvent)
    if actor is not None:
        stmt = stmt.where(AuditEvent.actor == actor)
    if entity is not None:
        stmt = stmt.where(AuditEvent.subject == entity)
    if action is not None:
        stmt = stmt.where(AuditEvent.action == action)
    if since is not None:
        stmt = stmt.where(AuditEvent.at >= since)
    if cursor is not None:
        stmt = stmt.where(AuditEvent.id < int(cursor))
    rows = list(await session.scalars(stmt.order_by(AuditEvent.id.desc()).limit(limit + 1)))
    items = [
        AuditOut(id=r.id, at=r.at, actor=r.actor, action=r.action, entity=r.subject, detail=r.detail)
        for r in rows[:limit]
    ]
    return AuditPage(items=items, next_cursor=str(items[-1].id) if len(rows) > limit else None)
