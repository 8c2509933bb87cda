"""Request and response bodies of the integrations' endpoints: webhook subscriptions, deliveries, audit."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, field_validator

from gateway.schemas import _In
from shared.webhooks import EVENT_TYPES, EventType

DeliveryStatus = Literal["pending", "delivered", "parked"]
Cursor = Annotated[str, Field(pattern=r"^[0-9]{1,18}$", description="`next_cursor` of the previous page.")]


class SubscriptionIn(_In):
    """A new outbound webhook: where to POST which events, and the secret that signs them."""

    url: str = Field(min_length=8, max_length=2000, description="http(s) URL on a public address.")
    events: list[EventType] = Field(min_length=1, max_length=len(EVENT_TYPES))
    secret: str = Field(
        min_length=16, max_length=200, description="Signs every delivery (HMAC-SHA256); never shown again."
    )

    @field_validator("events")
    @classmethod
    def _distinct(cls, value: list[EventType]) -> list[EventType]:
        if len(set(value)) != len(value):
            raise ValueError("name each event type once")
        return value


class SubscriptionOut(BaseModel):
    """A subscription without its secret."""

    id: str
    url: str
    events: list[str]
    created_by: str
    created_at: datetime


class DeliveryOut(BaseModel):
    """One event for one subscription and where its delivery stands."""

    id: str = Field(description="Also the `id` of the event's body: receivers deduplicate on it.")
    event_type: str
    activity_id: int
    conversation_id: str | None
    status: DeliveryStatus
    attempts: int
    last_status: int | None = Field(description="The HTTP status of the last attempt (none when it got no answer).")
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime | None
    delivered_at: datetime | None


class DeliveryPage(BaseModel):
    """Deliveries newest first; pass `next_cursor` as `cursor` for the next page (null on the last)."""

    items: list[DeliveryOut]
    next_cursor: str | None


class AuditOut(BaseModel):
    """Who did what to which entity, and when."""

    id: int
    at: datetime
    actor: str = Field(description="`<role>:<key id>` of the caller, or a process (`router`, `system`).")
    action: str
    entity: str
    detail: dict[str, Any]


class AuditPage(BaseModel):
    """Audit entries newest first; pass `next_cursor` as `cursor` for the next page (null on the last)."""

    items: list[AuditOut]
    next_cursor: str | None


__all__ = [
    "AuditOut",
    "AuditPage",
    "Cursor",
    "DeliveryOut",
    "DeliveryPage",
    "DeliveryStatus",
    "SubscriptionIn",
    "SubscriptionOut",
]
