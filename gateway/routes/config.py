"""SLA policies and known contacts (ops)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.deps import AdminDep, SessionDep, SupervisorDep
from gateway.schemas import ContactIn, ContactOut, SlaPolicyIn
from shared.db.models import CHAT_SESSION_IDENTITY, AuditEvent, Contact, ContactIdentity, SlaPolicyRow
from shared.errors import Conflict, InvalidRequest, NotFound
from shared.normalize import AddressInvalid, normalize_address, normalize_identity

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
    """Record a known customer and their tier (e.g. `vip`); rules see it as `customer.tier`.

    `identities` are the customer's other addresses (phone numbers, email addresses): a message from any of
    them is from this customer, with this tier, whichever channel it came by. An address can belong to one
    contact only (409 otherwise).
    """
    try:
        _, address = normalize_address(body.channel, body.address)
    except AddressInvalid as exc:
        raise InvalidRequest(f"address: {exc}") from None
    try:
        identities = None if body.identities is None else dict(_identities(body.identities, address))
    except AddressInvalid as exc:
        raise InvalidRequest(f"identities: {exc}") from None
    owner = await session.scalar(select(ContactIdentity.contact).where(ContactIdentity.address == address))
    if owner is not None:
        raise Conflict("that address is another contact's identity")
    row = await session.get(Contact, address) or Contact(address=address)
    row.name, row.tier = body.name, body.tier
    session.add(row)
    if identities is not None:
        await _replace_identities(session, address, identities)
    session.add(AuditEvent(actor=principal.actor, action="contact.put", subject=row.tier))
    try:
        await session.commit()
    except IntegrityError:  # a concurrent request linked the same identity to another contact
        await session.rollback()
        raise Conflict("an identity already belongs to another contact") from None
    return ContactOut(address=address, tier=row.tier, name=row.name, identities=await _listed(session, address))


@router.get("/v1/contacts/{address}", response_model=ContactOut)
async def get_contact(address: str, _: SupervisorDep, session: SessionDep) -> ContactOut:
    """The known contact an address belongs to (its own address or one of its identities), with its identities."""
    try:
        wanted = normalize_identity(address)[1]
    except AddressInvalid as exc:
        raise InvalidRequest(f"address: {exc}") from None
    owner = await session.scalar(select(ContactIdentity.contact).where(ContactIdentity.address == wanted))
    row = await session.get(Contact, owner or wanted)
    if row is None:
        raise NotFound("no known contact has that address")
    identities = await _listed(session, row.address)
    return ContactOut(address=row.address, tier=row.tier, name=row.name, identities=identities)


async def _listed(session: AsyncSession, contact: str) -> list[str]:
    """The contact's identities that ops manage (not the chat sessions its visitors identified from)."""
    stored = await session.scalars(
        select(ContactIdentity.address)
        .where(ContactIdentity.contact == contact, ContactIdentity.kind != CHAT_SESSION_IDENTITY)
        .order_by(ContactIdentity.address)
    )
    return list(stored)


def _identities(raw: list[str], primary: str) -> list[tuple[str, str]]:
    """(address, kind) of each other identity, normalized, without the primary address or repeats."""
    out = {}
    for value in raw:
        kind, address = normalize_identity(value)
        if address != primary:
            out[address] = kind
    return list(out.items())


async def _replace_identities(session: AsyncSession, contact: str, identities: dict[str, str]) -> None:
    """Make ``identities`` the contact's set; refuse one that is another contact's address or identity."""
    wanted = sorted(identities)
    taken = await session.scalar(
        select(func.count())
        .select_from(ContactIdentity)
        .where(ContactIdentity.address.in_(wanted), ContactIdentity.contact != contact)
    )
    primaries = await session.scalar(select(func.count()).select_from(Contact).where(Contact.address.in_(wanted)))
    if taken or primaries:
        raise Conflict("an identity already belongs to another contact")
    await session.execute(
        delete(ContactIdentity).where(
            ContactIdentity.contact == contact,
            ContactIdentity.address.not_in(wanted),
            ContactIdentity.kind != CHAT_SESSION_IDENTITY,  # linked by the visitor's identify, not by this list
        )
    )
    have = set(await session.scalars(select(ContactIdentity.address).where(ContactIdentity.contact == contact)))
    session.add_all(ContactIdentity(address=a, contact=contact, kind=identities[a]) for a in wanted if a not in have)
