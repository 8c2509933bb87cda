"""The parts of concatenated SMS, stored durably until the last one arrives (in any order, retried or not)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.sms.parse import Sms
from shared.db.models import SmsPart

PART_TTL = timedelta(hours=25)
"""Parts of a message that never completes are dropped after this (providers retry for 24 hours)."""


def group_of(sms: Sms) -> str:
    """The name of the whole message ``sms`` is a part of: sender, recipient, the carrier's reference and the
    part count (a reference is one or two bytes, so it is only unique together with the rest)."""
    assert sms.concat is not None
    return f"{sms.sender}|{sms.recipient or ''}|{sms.concat.ref}|{sms.concat.total}"[:160]


async def add_part(sessions: async_sessionmaker[AsyncSession], sms: Sms, now: datetime) -> list[SmsPart] | None:
    """Store one part durably (storing it again is a no-op); every part in order once all have arrived."""
    assert sms.concat is not None
    group = group_of(sms)
    async with sessions() as session:
        await session.execute(delete(SmsPart).where(SmsPart.received_at < now - PART_TTL))
        if await session.get(SmsPart, (sms.provider, group, sms.concat.part)) is None:
            session.add(_row(sms, group, now))
        try:
            await session.commit()
        except IntegrityError:  # the same part, stored by a concurrent retry
            await session.rollback()
        rows = await session.scalars(
            select(SmsPart).where(SmsPart.provider == sms.provider, SmsPart.group == group).order_by(SmsPart.part)
        )
        parts = list(rows)
    return parts if [p.part for p in parts] == list(range(1, sms.concat.total + 1)) else None


async def forget(sessions: async_sessionmaker[AsyncSession], parts: Sequence[SmsPart]) -> None:
    """Drop the parts of a message that has been published whole."""
    async with sessions() as session:
        for part in parts:
            await session.execute(
                delete(SmsPart).where(
                    SmsPart.provider == part.provider, SmsPart.group == part.group, SmsPart.part == part.part
                )
            )
        await session.commit()


def _row(sms: Sms, group: str, now: datetime) -> SmsPart:
    assert sms.concat is not None
    return SmsPart(
        provider=sms.provider,
        group=group,
        part=sms.concat.part,
        total=sms.concat.total,
        external_id=sms.external_id,
        sender=sms.sender,
        recipient=sms.recipient,
        text=sms.text,
        received_at=now,
    )
