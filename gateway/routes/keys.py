"""API keys (admin)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.deps import AdminDep, DepsDep, SessionDep
from gateway.schemas import ApiKeyCreated, ApiKeyIn, ApiKeyOut
from shared.auth import generate_key
from shared.db.models import Agent, ApiKey, AuditEvent
from shared.errors import Conflict, InvalidRequest, NotFound
from shared.ids import new_id

router = APIRouter(prefix="/v1/api-keys", tags=["api-keys"])
LINKED_ROLES = ("agent", "supervisor")
"""Roles whose keys may be linked to an agent profile."""


@router.post("", status_code=201, response_model=ApiKeyCreated)
async def create_key(body: ApiKeyIn, principal: AdminDep, session: SessionDep) -> ApiKeyCreated:
    """Create a key for a role (`integration`, `agent`, `supervisor`, `ops`, `admin`); the key is shown only in
    this response.

    An `agent` key needs `agent_id`. A `supervisor` key may name one too: it then oversees that agent's queues
    (and the escalations queue) and can take escalations as that agent; without one it oversees every queue.
    """
    if body.role == "agent" and body.agent_id is None:
        raise InvalidRequest("an agent key needs the agent_id of an existing agent")
    if body.agent_id is not None:
        if body.role not in LINKED_ROLES:
            raise InvalidRequest("only agent and supervisor keys are linked to an agent")
        if await session.get(Agent, body.agent_id) is None:
            raise InvalidRequest(f"an {body.role} key needs the agent_id of an existing agent")
    new = generate_key()
    row = ApiKey(
        id=new_id(), prefix=new.prefix, key_hash=new.key_hash, role=body.role, agent_id=body.agent_id, name=body.name
    )
    session.add(row)
    session.add(
        AuditEvent(
            actor=principal.actor,
            action="api_key.create",
            subject=row.id,
            detail={"role": body.role, "agent_id": body.agent_id},
        )
    )
    await session.commit()
    return ApiKeyCreated(id=row.id, key=new.token, role=body.role)


@router.get("", response_model=list[ApiKeyOut])
async def list_keys(_: AdminDep, session: SessionDep) -> list[ApiKeyOut]:
    """Keys without their secrets."""
    rows = await session.scalars(select(ApiKey).order_by(ApiKey.created_at))
    return [ApiKeyOut.model_validate(r, from_attributes=True) for r in rows]


async def _keep_an_admin(session: AsyncSession, revoking: str) -> None:
    """Refuse to revoke the last active admin key: nobody could manage keys any more (409)."""
    others = select(ApiKey.id).where(ApiKey.role == "admin", ApiKey.revoked_at.is_(None), ApiKey.id != revoking)
    if (await session.scalars(others.limit(1).with_for_update())).first() is None:
        raise Conflict("this is the last active admin key; create another admin key before revoking it")


@router.delete("/{key_id}", status_code=204)
async def revoke_key(key_id: str, principal: AdminDep, session: SessionDep, deps: DepsDep) -> Response:
    """Revoke a key; it stops working within seconds on every gateway."""
    row = await session.get(ApiKey, key_id)
    if row is None:
        raise NotFound("no such key")
    if row.revoked_at is None:
        if row.role == "admin":
            await _keep_an_admin(session, key_id)
        row.revoked_at = datetime.now(UTC)
        session.add(
            AuditEvent(actor=principal.actor, action="api_key.revoke", subject=key_id, detail={"role": row.role})
        )
        await session.commit()
    deps.forget_keys()
    return Response(status_code=204)
