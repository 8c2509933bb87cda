"""SLA policies and known contacts (ops)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter
from sqlalchemy import select

from gateway.deps import AdminDep, SessionDep, SupervisorDep
from gateway.schemas import ContactIn, SlaPolicyIn
from shared.db.models import AuditEvent, Contact, SlaPolicyRow
from shared.errors import InvalidRequest
from shared.normalize import AddressInvalid, normalize_address

router = APIRouter(tags=["configuration"])


@router.put("/v1/sla-policies/{name}")
async def put_sla_policy(name: str, body: SlaPolicyIn, principal: AdminDep, session: SessionDep) -> dict[str, object]:
    """Create or replace an SLA policy; open work keeps the deadlines it was given."""
    if body.name != name:
        raise InvalidRequest("the name in the body must match the path")
    row = await session.get(SlaPolicyRow, name) or SlaPolicyRow(name=name)
    row.first_response_s = {str(k): v for k, v in body.first_response_s.items()}
    row.resolution_s = {str(k): v for k, v in body.resolution_s.items()}
    row.warn_ratio, row.updated_at = body.warn_ratio, datetime.now(UTC)
    session.add(row)
    session.add(
        AuditEvent(actor=principal.actor, action="sla_policy.put", subject=name, detail=body.model_dump(mode="json"))
    )
    await session.commit()
    return body.model_dump(mode="json")


@router.get("/v1/sla-policies")
async def list_sla_policies(_: SupervisorDep, session: SessionDep) -> list[dict[str, object]]:
    """Every SLA policy."""
    rows = await session.scalars(select(SlaPolicyRow).order_by(SlaPolicyRow.name))
    return [
        {
            "name": r.name,
            "first_response_s": r.first_response_s,
            "resolution_s": r.resolution_s,
            "warn_ratio": r.warn_ratio,
        }
        for r in rows
    ]


@router.put("/v1/contacts")
async def put_contact(body: ContactIn, principal: AdminDep, session: SessionDep) -> dict[str, object]:
    """Record a known customer and their tier (e.g. `vip`); rules see it as `customer.tier`."""
    try:
        _, address = normalize_address(body.channel, body.address)
    except AddressInvalid as exc:
        raise InvalidRequest(f"address: {exc}") from None
    row = await session.get(Contact, address) or Contact(address=address)
    row.name, row.tier = body.name, body.tier
    session.add(row)
    session.add(AuditEvent(actor=principal.actor, action="contact.put", subject=row.tier))
    await session.commit()
    return {"address": address, "tier": row.tier, "name": row.name}
