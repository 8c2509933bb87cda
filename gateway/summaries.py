"""Assignment summaries: what an agent sees of a conversation before opening it (sender, subject, a preview of
the latest message, classification, SLA due times), built for a whole list in a fixed number of queries.

Other answers that carry assignments (event streams, supervisors' lists) build them here too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.schemas import PREVIEW_CHARS, AssignmentOut, AssignmentSummary, SenderSummary, SlaDue
from shared.db.models import Assignment, Message, SlaPolicyRow
from shared.policies import InvalidSlaPolicy, SlaPolicy
from shared.sla import SlaClock, deadlines, stored_policy


async def latest_messages(session: AsyncSession, conversation_ids: Iterable[str]) -> dict[str, Message]:
    """The latest message of each conversation, in one query."""
    ids = sorted(set(conversation_ids))
    if not ids:
        return {}
    order = (Message.received_at.desc(), Message.id.desc())
    rank = func.row_number().over(partition_by=Message.conversation_id, order_by=order).label("rank")
    ranked = select(Message.id, rank).where(Message.conversation_id.in_(ids)).subquery()
    rows = await session.scalars(select(Message).join(ranked, ranked.c.id == Message.id).where(ranked.c.rank == 1))
    return {m.conversation_id: m for m in rows}


async def sla_policies(session: AsyncSession, names: Iterable[str | None]) -> dict[str, SlaPolicy]:
    """The named SLA policies as the router reads them (a stored policy out of bounds is left out, as there)."""
    wanted = sorted({n for n in names if n})
    if not wanted:
        return {}
    out = {}
    for row in await session.scalars(select(SlaPolicyRow).where(SlaPolicyRow.name.in_(wanted))):
        try:
            out[row.name] = stored_policy(row.name, row.first_response_s, row.resolution_s, row.warn_ratio)
        except InvalidSlaPolicy:
            continue
    return out


def sla_due(row: Assignment, policy: SlaPolicy | None) -> SlaDue:
    """The work's due times, by the router's own rule (``shared.sla.deadlines``) over the same timestamps."""
    due = {d.target: d.due_at for d in deadlines(SlaClock(row.sla_priority, row.created_at), policy)} if policy else {}
    return SlaDue(
        policy=row.sla_policy,
        first_response_due_at=due.get("first_response"),
        resolution_due_at=due.get("resolution"),
        state=row.sla_state,
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def summary(row: Assignment, message: Message | None, policy: SlaPolicy | None) -> AssignmentSummary:
    """One assignment's summary from its latest message and SLA policy."""
    body: Mapping[str, object] = message.body if message is not None else {}
    classified: Mapping[str, object] = message.classification if message is not None else {}
    sender = body.get("sender")
    sender = sender if isinstance(sender, Mapping) else {}
    return AssignmentSummary(
        conversation_id=row.conversation_id,
        channel=row.channel,
        queue=row.queue,
        sender=SenderSummary(name=_text(sender.get("name")), address=_text(sender.get("address"))),
        subject=_text(body.get("subject")),
        preview=(_text(body.get("text")) or "")[:PREVIEW_CHARS],
        last_message_at=message.received_at if message is not None else None,
        language=row.language,
        intent=_text(classified.get("intent")),
        urgency=_text(classified.get("urgency")),
        priority=row.priority,
        sla=sla_due(row, policy),
    )


async def summaries(session: AsyncSession, rows: Sequence[Assignment]) -> list[AssignmentSummary]:
    """Summaries of ``rows``, in their order: two queries however many rows there are."""
    messages = await latest_messages(session, (r.conversation_id for r in rows))
    policies = await sla_policies(session, (r.sla_policy for r in rows))
    return [summary(r, messages.get(r.conversation_id), policies.get(r.sla_policy or "")) for r in rows]


async def assignments_out(session: AsyncSession, rows: Sequence[Assignment]) -> list[AssignmentOut]:
    """Assignments as the API shows them, each with its summary."""
    return [
        AssignmentOut.model_validate({**{k: getattr(r, k) for k in _COLUMNS}, "summary": s})
        for r, s in zip(rows, await summaries(session, rows), strict=True)
    ]


async def assignment_out(session: AsyncSession, row: Assignment) -> AssignmentOut:
    """One assignment as the API shows it."""
    return (await assignments_out(session, [row]))[0]


_COLUMNS = tuple(name for name in AssignmentOut.model_fields if name != "summary")


__all__ = ["assignment_out", "assignments_out", "latest_messages", "sla_due", "sla_policies", "summaries", "summary"]
