"""SLA policies and known contacts (ops).

Audit rows of contacts name the contact by a digest of its address and record only its configuration (tier,
how many identities): addresses and names are customer data.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.deps import ConfigReaderDep, OpsDep, SessionDep
from gateway.schemas import ContactIn, ContactOut, ContactPatch, SlaPolicyIn
from shared.db.models import (
    CHAT_SESSION_IDENTITY,
    Assignment,
    AuditEvent,
    Contact,
    ContactIdentity,
    Queue,
    Ruleset,
    RulesetActivation,
    SlaPolicyRow,
)
from shared.errors import Conflict, InvalidRequest, NotFound
from shared.lifecycle import OPEN
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
async def put_sla_policy(name: str, body: SlaPolicyIn, principal: OpsDep, session: SessionDep) -> SlaPolicyOut:
    """Create or replace an SLA policy; open work keeps the deadlines it was given."""
    if body.name != name:
        raise InvalidRequest("the name in the body must match the path")
    row = await session.get(SlaPolicyRow, name)
    before = None if row is None else _policy(row).model_dump(mode="json")
    row = row or SlaPolicyRow(name=name)
    row.first_response_s = {str(k): v for k, v in body.first_response_s.items()}
    row.resolution_s = {str(k): v for k, v in body.resolution_s.items()}
    row.warn_ratio, row.updated_at = body.warn_ratio, datetime.now(UTC)
    session.add(row)
    after = _policy(row)
    session.add(AuditEvent(actor=principal.actor, action="sla_policy.put", subject=name,
                           detail={"before": before, "after": after.model_dump(mode="json")}))  # fmt: skip
    await session.commit()
    return after


@router.delete("/v1/sla-policies/{name}", status_code=204)
async def delete_sla_policy(name: str, principal: OpsDep, session: SessionDep) -> Response:
    """Delete an SLA policy nothing uses: 409 naming the queues, the active ruleset and how much open work
    still use it."""
    row = await session.get(SlaPolicyRow, name)
    if row is None:
        raise NotFound(f"no SLA policy {name}")
    users = await _sla_users(session, name)
    if users:
        raise Conflict(f"SLA policy {name} is used by {'; '.join(users)}")
    before = _policy(row).model_dump(mode="json")
    await session.delete(row)
    session.add(AuditEvent(actor=principal.actor, action="sla_policy.delete", subject=name,
                           detail={"before": before, "after": None}))  # fmt: skip
    await session.commit()
    return Response(status_code=204)


async def _sla_users(session: AsyncSession, name: str) -> list[str]:
    """What uses the SLA policy: queues, the active ruleset, open assignments (described for a 409)."""
    users = []
    queues = list(await session.scalars(select(Queue.name).where(Queue.sla_policy == name).order_by(Queue.name)))
    if queues:
        users.append(f"queues {', '.join(queues)}")
    active = await session.scalar(select(RulesetActivation.version).order_by(RulesetActivation.id.desc()).limit(1))
    document = await session.scalar(select(Ruleset.document).where(Ruleset.version == active)) if active else None
    if document is not None and name in _ruleset_policies(document):
        users.append(f"the active ruleset (version {active})")
    open_work = await session.scalar(
        select(func.count()).select_from(Assignment).where(Assignment.sla_policy == name, Assignment.status.in_(OPEN))
    )
    if open_work:
        users.append(f"{open_work} open assignments")
    return users


def _ruleset_policies(document: dict[str, Any]) -> set[str]:
    """The SLA policies a ruleset document names (its defaults and its rules' actions)."""
    actions = [document.get("defaults")] + [r.get("action") for r in document.get("rules") or [] if isinstance(r, dict)]
    return {a["sla_policy"] for a in actions if isinstance(a, dict) and isinstance(a.get("sla_policy"), str)}


@router.get("/v1/sla-policies", response_model=list[SlaPolicyOut])
async def list_sla_policies(_: ConfigReaderDep, session: SessionDep) -> list[SlaPolicyOut]:
    """Every SLA policy."""
    return [_policy(r) for r in await session.scalars(select(SlaPolicyRow).order_by(SlaPolicyRow.name))]


@router.put("/v1/contacts", response_model=ContactOut)
async def put_contact(body: ContactIn, principal: OpsDep, session: SessionDep) -> ContactOut:
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
    row = await session.get(Contact, address)
    before = None if row is None else await _audited(session, row)
    row = row or Contact(address=address)
    row.name, row.tier = body.name, body.tier
    session.add(row)
    return await _save_contact(session, row, identities, principal.actor, "contact.put", before)


@router.patch("/v1/contacts/{address}", response_model=ContactOut)
async def patch_contact(address: str, body: ContactPatch, principal: OpsDep, session: SessionDep) -> ContactOut:
    """Change only the fields sent of the known contact an address belongs to (its own address or one of its
    identities): `tier`, `name` (an explicit null removes it), `identities` (replaces the set)."""
    row = await _find(session, address)
    try:
        identities = None if body.identities is None else dict(_identities(body.identities, row.address))
    except AddressInvalid as exc:
        raise InvalidRequest(f"identities: {exc}") from None
    before = await _audited(session, row)
    if "name" in body.model_fields_set:
        row.name = body.name
    if body.tier is not None:
        row.tier = body.tier
    return await _save_contact(session, row, identities, principal.actor, "contact.update", before)


async def _save_contact(
    session: AsyncSession, row: Contact, identities: dict[str, str] | None, actor: str, action: str, before: object
) -> ContactOut:
    """Store the contact (and its identities when given) with the audit row, in one commit."""
    if identities is not None:
        await _replace_identities(session, row.address, identities)
    await session.flush()
    detail = {"before": before, "after": await _audited(session, row)}
    session.add(AuditEvent(actor=actor, action=action, subject=_subject(row.address), detail=detail))
    try:
        await session.commit()
    except IntegrityError:  # a concurrent request linked the same identity to another contact
        await session.rollback()
        raise Conflict("an identity already belongs to another contact") from None
    listed = await _listed(session, row.address)
    return ContactOut(address=row.address, tier=row.tier, name=row.name, identities=listed)


def _subject(address: str) -> str:
    """A contact named in the audit log without its address (customer data): a digest of it."""
    return "contact:" + hashlib.sha256(address.encode()).hexdigest()[:16]


async def _audited(session: AsyncSession, row: Contact) -> dict[str, object]:
    """A contact's configuration for the audit log: tier and how many identities, not who they are."""
    return {"tier": row.tier, "named": row.name is not None, "identities": len(await _listed(session, row.address))}


@router.get("/v1/contacts/{address}", response_model=ContactOut)
async def get_contact(address: str, _: ConfigReaderDep, session: SessionDep) -> ContactOut:
    """The known contact an address belongs to (its own address or one of its identities), with its identities."""
    row = await _find(session, address)
    identities = await _listed(session, row.address)
    return ContactOut(address=row.address, tier=row.tier, name=row.name, identities=identities)


async def _find(session: AsyncSession, address: str) -> Contact:
    """The known contact an address (its own or one of its identities) belongs to; 404 when none."""
    try:
        wanted = normalize_identity(address)[1]
    except AddressInvalid as exc:
        raise InvalidRequest(f"address: {exc}") from None
    owner = await session.scalar(select(ContactIdentity.contact).where(ContactIdentity.address == wanted))
    row = await session.get(Contact, owner or wanted)
    if row is None:
        raise NotFound("no known contact has that address")
    return row


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
