"""Chat sessions in the database, so a visitor resumes on any gateway process and after a restart."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import SecretStr
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.chat.parse import Identify, Visitor
from services.chat.verify import identity_verified, new_resume_token, resume_token_hash
from shared.db.models import CHAT_SESSION_IDENTITY, ChatSession, Contact, ContactIdentity
from shared.errors import Unauthorized
from shared.ids import new_id


def _visitor(row: ChatSession) -> Visitor:
    return Visitor(
        session_id=row.id,
        name=row.name,
        identified_kind=row.identified_kind,
        identified=row.identified,
        identified_verified=bool(row.identified_verified),
        origin=row.origin,
    )


async def open_session(
    sessions: async_sessionmaker[AsyncSession], *, origin: str | None, now: datetime, idle: timedelta
) -> tuple[Visitor, str]:
    """A new session and its resume token (only the token's hash is stored); forgets expired sessions."""
    token = new_resume_token()
    token_hash = resume_token_hash(token)
    assert token_hash is not None
    row = ChatSession(id=new_id(), token_hash=token_hash, origin=origin, created_at=now, last_seen_at=now)
    async with sessions() as session:
        await session.execute(delete(ChatSession).where(ChatSession.last_seen_at < now - idle))
        session.add(row)
        await session.commit()
        return _visitor(row), token


async def resume_session(
    sessions: async_sessionmaker[AsyncSession], token: str, *, now: datetime, idle: timedelta
) -> Visitor | None:
    """The live session ``token`` resumes (marked seen now), or None for an unknown or expired token."""
    token_hash = resume_token_hash(token)
    if token_hash is None:
        return None
    async with sessions() as session:
        row = await session.scalar(select(ChatSession).where(ChatSession.token_hash == token_hash))
        if row is None or row.last_seen_at < now - idle:
            return None
        row.last_seen_at = now
        await session.commit()
        return _visitor(row)


async def session_for(
    sessions: async_sessionmaker[AsyncSession], session_id: str, token: str | None, *, now: datetime, idle: timedelta
) -> Visitor:
    """The session ``session_id`` when ``token`` resumes it; raises ``Unauthorized`` otherwise."""
    visitor = None if token is None else await resume_session(sessions, token, now=now, idle=idle)
    if visitor is None or visitor.session_id != session_id:
        raise Unauthorized("send this session's resume token in X-Resume-Token (sessions expire when idle)")
    return visitor


async def identify(
    sessions: async_sessionmaker[AsyncSession], visitor: Visitor, claim: Identify, *, secret: SecretStr | None
) -> Visitor:
    """Record who the visitor says they are, and whether the website vouched for it with ``secret``
    (``SWITCHBOARD_CHAT_IDENTITY_SECRET``). A claim the site signed, or any claim when no secret is set,
    links the session to that contact when it is a known one (so the router sees the known customer and
    its tier, and agents its history); an unsigned claim under a secret is recorded only. A new claim
    replaces an earlier one and its link. A signature that does not match raises ``SignatureInvalid``
    (nothing is recorded)."""
    verified = identity_verified(secret, claim.claimed, claim.signature)
    link = verified or secret is None
    async with sessions() as session:
        row = await session.get(ChatSession, visitor.session_id)
        if row is None:
            raise Unauthorized("the chat session has expired; open a new one")
        row.identified_kind, row.identified, row.identified_verified = claim.kind, claim.address, verified
        if claim.name is not None:
            row.name = claim.name
        contact = await _known_contact(session, claim.address) if link else None
        existing = await session.get(ContactIdentity, visitor.session_id)
        if contact is None:
            if existing is not None:
                await session.delete(existing)
        elif existing is None:
            session.add(ContactIdentity(address=visitor.session_id, contact=contact, kind=CHAT_SESSION_IDENTITY))
        else:
            existing.contact = contact
        await session.commit()
        return _visitor(row)


async def _known_contact(session: AsyncSession, address: str) -> str | None:
    """The contact whose address, or one of whose identities, ``address`` is."""
    contact = await session.scalar(select(Contact.address).where(Contact.address == address))
    if contact is None:
        contact = await session.scalar(select(ContactIdentity.contact).where(ContactIdentity.address == address))
    return contact
