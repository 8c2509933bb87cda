"""Agents, their presence and their assignments."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response
from sqlalchemy import select
from starlette.convertors import StringConvertor, register_url_convertor

from gateway import commands
from gateway.deps import AdminDep, AgentDep, SessionDep, SupervisorDep
from gateway.push import PushDep, etag, long_poll
from gateway.push.longpoll import WAIT_DOC
from gateway.schemas import (
    AgentIn,
    AgentOut,
    AgentPatch,
    AssignmentOut,
    ChannelLoad,
    Created,
    MyProfileOut,
    PresenceIn,
    PresenceOut,
)
from gateway.summaries import assignments_out
from shared.db.models import Agent, AgentCapacity, Assignment, AuditEvent, Queue
from shared.errors import InvalidRequest, NotFound
from shared.ids import new_id
from shared.lifecycle import HELD, Status

router = APIRouter(prefix="/v1/agents", tags=["agents"])


class _NotMe(StringConvertor):
    """An agent id in a path: any segment but ``me``, which names the caller's own routes (so ``/v1/agents/me``
    is not also an agent id, and a 405 there lists only the methods ``/me`` serves)."""

    regex = "(?!me$)[^/]+"


register_url_convertor("not_me", _NotMe())


@router.post("", status_code=201, response_model=Created)
async def create_agent(body: AgentIn, principal: AdminDep, session: SessionDep) -> Created:
    """Create an agent with languages, skills (proficiency 1-5), per-channel capacity and queues."""
    if body.queues:
        await _check_queues(session, body.queues)
    now = datetime.now(UTC)
    agent = Agent(
        id=new_id(),
        name=body.name,
        languages=body.languages,
        skills=body.skills,
        queues=body.queues,
        presence=body.presence,
        presence_changed_at=now,
        shift=body.shift.model_dump(mode="json") if body.shift is not None else None,
        idle_since=now if body.presence == "available" else None,
        updated_at=now,
    )
    session.add(agent)
    await session.flush()
    session.add_all(
        AgentCapacity(agent_id=agent.id, channel=ch, capacity=cap, load=0) for ch, cap in body.capacity.items()
    )
    after = body.model_dump(mode="json", exclude={"presence"})
    session.add(AuditEvent(actor=principal.actor, action="agent.create", subject=agent.id,
                           detail={"before": None, "after": after}))  # fmt: skip
    await session.commit()
    return Created(id=agent.id)


@router.get("", response_model=list[AgentOut])
async def list_agents(_: SupervisorDep, session: SessionDep) -> list[AgentOut]:
    """All agents with their current load."""
    agents = list(await session.scalars(select(Agent).order_by(Agent.name)))
    caps = await _capacities(session, [a.id for a in agents])
    return [_out(a, caps.get(a.id, [])) for a in agents]


@router.get("/me", response_model=MyProfileOut)
async def my_profile(principal: AgentDep, session: SessionDep) -> MyProfileOut:
    """Your profile, presence, capacity and load per channel, and shift (with when it ends)."""
    agent = await session.get(Agent, principal.agent_id)
    if agent is None:
        raise NotFound("the agent of this key no longer exists")
    caps = (await _capacities(session, [agent.id])).get(agent.id, [])
    return MyProfileOut(
        id=agent.id,
        name=agent.name,
        languages=agent.languages,
        skills=agent.skills,
        queues=agent.queues,
        presence=agent.presence,
        presence_changed_at=agent.presence_changed_at,
        channels={
            c.channel: ChannelLoad(capacity=c.capacity, load=c.load, free=max(0, c.capacity - c.load))
            for c in sorted(caps, key=lambda c: c.channel)
        },
        shift=agent.shift,
        shift_ends_at=agent.shift_ends_at,
    )


@router.put("/me/presence", status_code=200, response_model=PresenceOut)
async def set_presence(body: PresenceIn, principal: AgentDep, session: SessionDep) -> PresenceOut:
    """Set your presence. Going away or offline hands back offers you have not accepted yet."""
    requeued = await commands.set_presence(session, principal, body.status, datetime.now(UTC))
    return PresenceOut(status=body.status, requeued=requeued)


@router.get("/me/assignments", response_model=list[AssignmentOut])
async def my_assignments(
    principal: AgentDep,
    response: Response,
    push: PushDep,
    status: Annotated[list[Status] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    wait: Annotated[int | None, Query(ge=1, le=30, description=WAIT_DOC)] = None,
    if_none_match: Annotated[str | None, Header()] = None,
) -> list[AssignmentOut]:
    """Your assignments, each with its summary: offered and accepted ones by default, or those with the given
    `status` (`offered`, `accepted`, `completed`). The `ETag` names the list; with `wait`, the answer waits
    until the list differs from the one named by `If-None-Match` (or from the list as it was when you asked),
    at most `wait` seconds."""
    wanted = status or list(HELD)

    async def read() -> list[AssignmentOut]:
        async with push.sessions() as session:
            rows = await session.scalars(
                select(Assignment)
                .where(Assignment.agent_id == principal.agent_id, Assignment.status.in_(wanted))
                .order_by(Assignment.priority, Assignment.created_at)
                .limit(limit)
            )
            return await assignments_out(session, list(rows))

    if wait is None:
        found, tag = await read(), None
    else:
        found, tag = await long_poll(push, principal, read, wait=wait, if_none_match=if_none_match)
    response.headers["ETag"] = tag or etag(found)
    return found


@router.get("/{agent_id:not_me}", response_model=AgentOut)
async def get_agent(agent_id: str, _: SupervisorDep, session: SessionDep) -> AgentOut:
    """One agent with its current load."""
    agent = await session.get(Agent, agent_id)
    if agent is None:
        raise NotFound("no such agent")
    caps = await _capacities(session, [agent_id])
    return _out(agent, caps.get(agent_id, []))


async def _capacities(session: SessionDep, ids: list[str]) -> dict[str, list[AgentCapacity]]:
    rows = await session.scalars(select(AgentCapacity).where(AgentCapacity.agent_id.in_(ids)))
    out: dict[str, list[AgentCapacity]] = {}
    for row in rows:
        out.setdefault(row.agent_id, []).append(row)
    return out


def _out(agent: Agent, caps: list[AgentCapacity]) -> AgentOut:
    return AgentOut(
        id=agent.id,
        name=agent.name,
        languages=agent.languages,
        skills=agent.skills,
        capacity={c.channel: c.capacity for c in caps},
        load={c.channel: c.load for c in caps},
        queues=agent.queues,
        presence=agent.presence,
        shift=agent.shift,
        shift_ends_at=agent.shift_ends_at,
    )


@router.patch("/{agent_id:not_me}", response_model=AgentOut)
async def update_agent(agent_id: str, body: AgentPatch, principal: AdminDep, session: SessionDep) -> AgentOut:
    """Change only the fields sent: name, languages, skills, capacity (per channel; channels left out keep
    theirs), queues or shift (an explicit null removes it); routers pick it up at once."""
    agent = await session.get(Agent, agent_id, with_for_update=True)
    if agent is None:
        raise NotFound("no such agent")
    if body.queues:
        await _check_queues(session, body.queues)
    caps = {c.channel: c for c in (await _capacities(session, [agent_id])).get(agent_id, [])}
    before = _config(agent, caps.values())
    for name in ("name", "languages", "skills", "queues"):
        if name in body.model_fields_set:
            setattr(agent, name, getattr(body, name))
    if "shift" in body.model_fields_set:
        agent.shift = body.shift.model_dump(mode="json") if body.shift is not None else None
        agent.shift_ends_at = None  # a router computes the end from the new hours
    for channel, limit in (body.capacity or {}).items():
        if channel in caps:
            caps[channel].capacity = limit
        else:
            caps[channel] = AgentCapacity(agent_id=agent_id, channel=channel, capacity=limit, load=0)
            session.add(caps[channel])
    agent.updated_at = datetime.now(UTC)
    after = _config(agent, caps.values())
    session.add(AuditEvent(actor=principal.actor, action="agent.update", subject=agent_id,
                           detail={"before": before, "after": after}))  # fmt: skip
    await session.commit()
    return _out(agent, (await _capacities(session, [agent_id])).get(agent_id, []))


def _config(agent: Agent, caps: Iterable[AgentCapacity]) -> dict[str, object]:
    """An agent's configuration as the audit log records it (no load, no presence)."""
    return {
        "name": agent.name,
        "languages": list(agent.languages),
        "skills": dict(agent.skills),
        "queues": list(agent.queues),
        "capacity": {c.channel: c.capacity for c in sorted(caps, key=lambda c: c.channel)},
        "shift": agent.shift,
    }


async def _check_queues(session: SessionDep, queues: list[str]) -> None:
    known = set(await session.scalars(select(Queue.name).where(Queue.name.in_(queues))))
    unknown = sorted(set(queues) - known)
    if unknown:
        raise InvalidRequest(f"unknown queues: {', '.join(unknown)}")
