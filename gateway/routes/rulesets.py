"""Rulesets for ops: drafts, validate, simulate, backtest, publish, rollback, history."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Response
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.deps import ConfigReaderDep, DepsDep, GatewayDeps, OpsDep, SessionDep
from gateway.routes.messages import normalize
from gateway.schemas import (
    Activated,
    ActivationOut,
    BacktestOut,
    DraftSaved,
    Instant,
    MessageIn,
    RuleProblem,
    RulesetHistory,
    RulesetOut,
    RulesetSummary,
    RulesetVersion,
    SimulationOut,
    ValidationOut,
)
from shared.auth import Principal
from shared.db.models import Agent, AuditEvent, Queue, Ruleset, RulesetActivation, SlaPolicyRow
from shared.errors import Conflict, InvalidRequest, NotFound
from shared.ids import new_id

router = APIRouter(prefix="/v1/rulesets", tags=["rulesets"])
Document = Annotated[dict[str, Any], Body(embed=True)]


class DraftIn(BaseModel):
    """A ruleset document (defaults plus ordered rules) and a note on what changed."""

    document: dict[str, Any]
    note: str = Field(default="", max_length=500)


class BacktestIn(BaseModel):
    """The window of stored messages to replay (default: the last 7 days)."""

    since: Instant | None = None
    until: Instant | None = None
    limit: int = Field(default=10_000, ge=1, le=100_000)


class SimulateIn(BaseModel):
    """One message to route on paper."""

    message: MessageIn


def _summary(row: Ruleset, active: int | None) -> RulesetSummary:
    return RulesetSummary.model_validate(
        {
            "version": row.version,
            "status": row.status,
            "active": row.version == active,
            "note": row.note,
            "created_by": row.created_by,
            "created_at": row.created_at,
            "updated_at": row.updated_at,
        }
    )


def _with_document(row: Ruleset, active: int | None) -> RulesetOut:
    return RulesetOut(**_summary(row, active).model_dump(), document=row.document)


def _problems(errors: list[dict[str, object]]) -> list[RuleProblem]:
    return [RuleProblem.model_validate(error) for error in errors]


async def _active_version(session: AsyncSession) -> int | None:
    return await session.scalar(select(RulesetActivation.version).order_by(RulesetActivation.id.desc()).limit(1))


async def _get(session: AsyncSession, version: int) -> Ruleset:
    row = await session.get(Ruleset, version)
    if row is None:
        raise NotFound(f"no ruleset version {version}")
    return row


async def _validate(
    session: AsyncSession, deps: GatewayDeps, document: Mapping[str, object]
) -> list[dict[str, object]]:
    """Every error in a document, checked against the queues, SLA policies and agents' skills that exist."""
    queues = list(await session.scalars(select(Queue.name)))
    policies = list(await session.scalars(select(SlaPolicyRow.name)))
    skills = {name for row in await session.scalars(select(Agent.skills)) if isinstance(row, dict) for name in row}
    return deps.rules.validate(document, queues, known_sla_policies=policies, known_skills=skills)


@router.get("", response_model=RulesetHistory)
async def history(_: ConfigReaderDep, session: SessionDep) -> RulesetHistory:
    """Every version and every activation (publish or rollback): who changed what and when."""
    active = await _active_version(session)
    versions = [_summary(r, active) for r in await session.scalars(select(Ruleset).order_by(Ruleset.version.desc()))]
    activations = [
        ActivationOut.model_validate(a, from_attributes=True)
        for a in await session.scalars(select(RulesetActivation).order_by(RulesetActivation.id.desc()).limit(200))
    ]
    return RulesetHistory(active_version=active, versions=versions, activations=activations)


@router.post("", status_code=201, response_model=DraftSaved)
async def create_draft(body: DraftIn, principal: OpsDep, session: SessionDep, deps: DepsDep) -> DraftSaved:
    """Save a new draft version; the answer lists its validation errors (a draft may have some)."""
    errors = await _validate(session, deps, body.document)
    _refuse_unreadable(errors)
    version = (await session.scalar(select(func.max(Ruleset.version))) or 0) + 1
    now = datetime.now(UTC)
    session.add(
        Ruleset(
            version=version,
            document=body.document,
            status="draft",
            note=body.note,
            created_by=principal.actor,
            created_at=now,
            updated_at=now,
        )
    )
    after = {"document": body.document, "note": body.note}
    session.add(AuditEvent(actor=principal.actor, action="ruleset.draft", subject=str(version),
                           detail={"before": None, "after": after}))  # fmt: skip
    await session.commit()
    return DraftSaved(version=version, status="draft", valid=not errors, errors=_problems(errors))


@router.get("/active", response_model=RulesetOut)
async def get_active(_: ConfigReaderDep, session: SessionDep) -> RulesetOut:
    """The ruleset every router is using."""
    active = await _active_version(session)
    if active is None:
        raise NotFound("no ruleset has been published")
    row = await _get(session, active)
    return _with_document(row, active)


@router.get("/{version:int}", response_model=RulesetOut)
async def get_version(version: RulesetVersion, _: ConfigReaderDep, session: SessionDep) -> RulesetOut:
    """One version with its document."""
    row = await _get(session, version)
    return _with_document(row, await _active_version(session))


@router.put("/{version:int}", response_model=DraftSaved)
async def update_draft(
    version: RulesetVersion, body: DraftIn, principal: OpsDep, session: SessionDep, deps: DepsDep
) -> DraftSaved:
    """Replace a draft's document; published versions are immutable."""
    row = await _get(session, version)
    if row.status != "draft":
        raise Conflict(f"version {version} is {row.status}; create a new draft instead")
    errors = await _validate(session, deps, body.document)
    _refuse_unreadable(errors)
    before = {"document": row.document, "note": row.note}
    row.document, row.note, row.updated_at = body.document, body.note or row.note, datetime.now(UTC)
    detail = {"before": before, "after": {"document": row.document, "note": row.note}}
    session.add(AuditEvent(actor=principal.actor, action="ruleset.update", subject=str(version), detail=detail))
    await session.commit()
    return DraftSaved(version=version, status="draft", valid=not errors, errors=_problems(errors))


@router.delete("/{version:int}", status_code=204)
async def delete_draft(version: RulesetVersion, principal: OpsDep, session: SessionDep) -> Response:
    """Delete a draft; published versions stay (409), they are the history rollback returns to."""
    row = await _get(session, version)
    if row.status != "draft":
        raise Conflict(f"version {version} is {row.status}; published versions cannot be deleted")
    before = {"document": row.document, "note": row.note}
    await session.delete(row)
    session.add(AuditEvent(actor=principal.actor, action="ruleset.delete", subject=str(version),
                           detail={"before": before, "after": None}))  # fmt: skip
    await session.commit()
    return Response(status_code=204)


@router.post("/validate", response_model=ValidationOut, response_model_exclude_none=False)
async def validate_document(document: Document, _: OpsDep, session: SessionDep, deps: DepsDep) -> ValidationOut:
    """Check a document without saving it: compile errors with positions, unknown fields and queues."""
    errors = await _validate(session, deps, document)
    return ValidationOut(valid=not errors, errors=_problems(errors))


@router.post("/{version:int}/validate", response_model=ValidationOut)
async def validate_version(version: RulesetVersion, _: OpsDep, session: SessionDep, deps: DepsDep) -> ValidationOut:
    """Check a saved version."""
    row = await _get(session, version)
    errors = await _validate(session, deps, row.document)
    return ValidationOut(version=version, valid=not errors, errors=_problems(errors))


@router.post("/{version:int}/simulate", response_model=SimulationOut)
async def simulate(
    version: RulesetVersion, body: SimulateIn, _: OpsDep, session: SessionDep, deps: DepsDep
) -> SimulationOut:
    """Route one message on paper under this version: the full decision trace; nothing is stored."""
    row = await _get(session, version)
    _refuse_invalid(await _validate(session, deps, row.document))
    message = normalize(body.message, message_id=new_id(), provider="simulation")
    document = row.document
    await _end_reads(session)
    return SimulationOut.model_validate(await deps.rules.simulate(document, version, message))


@router.post("/{version:int}/backtest", response_model=BacktestOut)
async def backtest(
    version: RulesetVersion, body: BacktestIn, _: OpsDep, session: SessionDep, deps: DepsDep
) -> BacktestOut:
    """Replay stored messages in a window: per-queue counts, active versus this version, and what would move."""
    row = await _get(session, version)
    _refuse_invalid(await _validate(session, deps, row.document))
    until = body.until or datetime.now(UTC)
    since = body.since or until - timedelta(days=7)
    if since >= until:
        raise InvalidRequest("since must be before until")
    active_version = await _active_version(session)
    active = None
    if active_version is not None:
        active = (active_version, (await _get(session, active_version)).document)
    draft = (version, row.document)
    await _end_reads(session)
    return BacktestOut.model_validate(await deps.rules.backtest(active, draft, since, until, body.limit))


async def _end_reads(session: AsyncSession) -> None:
    """End this request's transaction before the routing engine reads through its own: on SQLite every
    transaction holds the one write lock, so a request's open one would keep the engine's waiting."""
    await session.rollback()


@router.post("/{version:int}/publish", response_model=Activated)
async def publish(version: RulesetVersion, principal: OpsDep, session: SessionDep, deps: DepsDep) -> Activated:
    """Make this version active, atomically; every router uses it for its next message, no restart."""
    row = await _get(session, version)
    _refuse_invalid(await _validate(session, deps, row.document))
    return await _activate(session, row, principal, "publish")


@router.post("/{version:int}/rollback", response_model=Activated)
async def rollback(version: RulesetVersion, principal: OpsDep, session: SessionDep) -> Activated:
    """Make an earlier published version active again."""
    row = await _get(session, version)
    if row.status != "published":
        raise Conflict(f"version {version} was never published; publish it instead")
    return await _activate(session, row, principal, "rollback")


async def _activate(
    session: AsyncSession, row: Ruleset, principal: Principal, action: Literal["publish", "rollback"]
) -> Activated:
    now = datetime.now(UTC)
    before = await _active_version(session)
    row.status, row.updated_at = "published", now
    session.add(RulesetActivation(version=row.version, action=action, actor=principal.actor, at=now))
    detail = {"before": {"active_version": before}, "after": {"active_version": row.version}}
    session.add(AuditEvent(actor=principal.actor, action=f"ruleset.{action}", subject=str(row.version), detail=detail))
    await session.commit()
    return Activated(version=row.version, active=True, action=action)


def _refuse_unreadable(errors: list[dict[str, object]]) -> None:
    """A draft may have rule errors, but it must be a ruleset document at all."""
    unreadable = [e for e in errors if e.get("kind") == "document"]
    if unreadable:
        raise InvalidRequest("the document is not a ruleset", errors=unreadable)


def _refuse_invalid(errors: list[dict[str, object]]) -> None:
    if errors:
        raise InvalidRequest(
            f"the ruleset has {len(errors)} error(s); first: {errors[0].get('message')}", errors=errors
        )
