"""SLA policies and known contacts (ops)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import select

from gateway.deps import AdminDep, SessionDep, SupervisorDep
from gateway.schemas import ContactIn, ContactOut, SlaPolicyIn
from shared.db.models import AuditEvent, Contact, SlaPolicyRow
from shared.errors import InvalidRequest
from shared.normalize import AddressInvalid, normalize_address

router = APIRouter(tags=["configuration"])


class SlaPolicyOut(BaseModel):
    """An SLA policy as stored: targets in seconds per priority (JSON object keys are strings)."""

    name: str
    first_response_s: dict[str, int]
    resolution_s: dict[str, int]
    warn_ratio: float


def _policy(row: SlaPolicyRow) -> SlaPolicyOut:
    return SlaPolicyOut(
        name=row.name,
        first_response_s={str(k): v for k, v in row.first_response_s.items()},
        resolution_s={str(k): v for k, v in row.resolution_s.items()},
        warn_ratio=row.warn_ratio,
    )


@router.put("/v1/sla-policies/{name}", response_model=SlaPolicyOut)
async def put_sla_policy(name: str, body: SlaPolicyIn, principal: AdminDep, session: SessionDep) -> SlaPolicyOut:
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
    return _policy(row)


@router.get("/v1/sla-policies", response_model=list[SlaPolicyOut])
async def list_sla_policies(_: SupervisorDep, session: SessionDep) -> list[SlaPolicyOut]:
    """Every SLA policy."""
    return [_policy(r) for r in await session.scalars(select(SlaPolicyRow).order_by(SlaPolicyRow.name))]


@router.put("/v1/contacts", response_model=ContactOut)
async def put_contact(body: ContactIn, principal: AdminDep, session: SessionDep) -> ContactOut:
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
    return ContactOut(address=address, tier=row.tier, name=row.name)
