"""Outbound webhook subscriptions (admin, ops): where Switchboard POSTs signed events, and how each went."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Query, Response
from sqlalchemy import delete, func, select

from gateway.deps import DepsDep, OpsDep, SessionDep
from gateway.integration_schemas import (
    Cursor,
    DeliveryOut,
    DeliveryPage,
    DeliveryStatus,
    SubscriptionIn,
    SubscriptionOut,
)
from shared.db.models import Activity, AuditEvent, WebhookDelivery, WebhookSubscription
from shared.errors import InvalidRequest, NotFound
from shared.ids import new_id
from shared.webhooks import TargetRefused, check_url

router = APIRouter(prefix="/v1/webhooks/subscriptions", tags=["webhooks"])


@router.post("", status_code=201, response_model=SubscriptionOut)
async def create_subscription(
    body: SubscriptionIn, principal: OpsDep, session: SessionDep, deps: DepsDep
) -> SubscriptionOut:
    """Subscribe a URL to event types. Events that happen from now on are POSTed to it as JSON, signed with
    `secret` in `Switchboard-Signature`, at least once and in order per conversation, retried with backoff.

    The URL must be http(s) on a public address (422 otherwise). The secret is never shown again.
    """
    try:
        await check_url(body.url, allow_private=deps.settings.webhook_allow_private)
    except TargetRefused as exc:
        raise InvalidRequest(f"url: {exc}") from None
    start = await session.scalar(select(func.max(Activity.id)))
    row = WebhookSubscription(
        id=new_id(),
        url=body.url,
        events=list(body.events),
        secret=body.secret,
        created_by=principal.actor,
        cursor=start or 0,
    )
    session.add(row)
    detail = {"host": urlsplit(body.url).hostname or "", "events": list(body.events)}
    session.add(AuditEvent(actor=principal.actor, action="webhook_subscription.create", subject=row.id, detail=detail))
    await session.commit()
    return _out(row)


@router.get("", response_model=list[SubscriptionOut])
async def list_subscriptions(_: OpsDep, session: SessionDep) -> list[SubscriptionOut]:
    """Every subscription, oldest first, without secrets."""
    rows = await session.scalars(select(WebhookSubscription).order_by(WebhookSubscription.created_at))
    return [_out(r) for r in rows]


@router.get("/{subscription_id}", response_model=SubscriptionOut)
async def get_subscription(subscription_id: str, _: OpsDep, session: SessionDep) -> SubscriptionOut:
    """One subscription, without its secret."""
    return _out(await _find(session, subscription_id))


@router.delete("/{subscription_id}", status_code=204)
async def delete_subscription(subscription_id: str, principal: OpsDep, session: SessionDep) -> Response:
    """Stop delivering to this subscription; its pending deliveries are dropped."""
    row = await _find(session, subscription_id)
    await session.execute(delete(WebhookDelivery).where(WebhookDelivery.subscription_id == row.id))
    await session.delete(row)
    detail = {"host": urlsplit(row.url).hostname or "", "events": list(row.events)}
    session.add(AuditEvent(actor=principal.actor, action="webhook_subscription.delete", subject=row.id, detail=detail))
    await session.commit()
    return Response(status_code=204)


@router.get("/{subscription_id}/deliveries", response_model=DeliveryPage)
async def list_deliveries(
    subscription_id: str,
    _: OpsDep,
    session: SessionDep,
    status: DeliveryStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Cursor | None = None,
) -> DeliveryPage:
    """The subscription's events and their delivery (attempts, last HTTP status or error), newest first."""
    await _find(session, subscription_id)
    stmt = select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription_id)
    if status is not None:
        stmt = stmt.where(WebhookDelivery.status == status)
    if cursor is not None:
        stmt = stmt.where(WebhookDelivery.activity_id < int(cursor))
    rows = list(await session.scalars(stmt.order_by(WebhookDelivery.activity_id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    items = [DeliveryOut.model_validate(r, from_attributes=True) for r in rows[:limit]]
    return DeliveryPage(items=items, next_cursor=str(items[-1].activity_id) if more else None)


async def _find(session: SessionDep, subscription_id: str) -> WebhookSubscription:
    row = await session.get(WebhookSubscription, subscription_id)
    if row is None:
        raise NotFound("no such webhook subscription")
    return row


def _out(row: WebhookSubscription) -> SubscriptionOut:
    return SubscriptionOut(
        id=row.id, url=row.url, events=list(row.events), created_by=row.created_by, created_at=row.created_at
    )
