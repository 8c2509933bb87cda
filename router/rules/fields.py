"""The facts a rule condition may reference, their CEL types, and a builder for fact dicts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from types import MappingProxyType

_TOP_LEVEL: dict[str, str] = {
    "channel": "string",
    "language": "string",
    "language_confidence": "double",
    "intent": "string",
    "intent_confidence": "double",
    "urgency": "string",
    "sentiment": "string",
    "sentiment_score": "double",
    "customer": "map(string, dyn)",
    "recipient": "string",
    "sender": "string",
    "subject": "string",
    "text": "string",
    "entities": "map(string, list(string))",
    "received_at": "timestamp",
    "hour": "int",
    "weekday": "int",
    "tags": "list(string)",
    "attachments": "int",
}
_SUBFIELDS: dict[str, dict[str, str]] = {
    "customer": {"tier": "string", "id": "string", "known": "bool"},
    "entities": {
        "order_numbers": "list(string)",
        "amounts": "list(string)",
        "emails": "list(string)",
        "phones": "list(string)",
        "dates": "list(string)",
    },
}

FIELDS: Mapping[str, str] = MappingProxyType(
    _TOP_LEVEL | {f"{root}.{name}": kind for root, keys in _SUBFIELDS.items() for name, kind in keys.items()}
)
"""Every fact a condition may reference (``customer.tier`` style for map members) -> CEL type."""

ROOT_FIELDS: frozenset[str] = frozenset(_TOP_LEVEL)
MAP_FIELDS: Mapping[str, frozenset[str]] = MappingProxyType(
    {root: frozenset(keys) for root, keys in _SUBFIELDS.items()}
)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def facts_from(
    *,
    channel: str = "",
    language: str = "",
    language_confidence: float = 0.0,
    intent: str = "",
    intent_confidence: float = 0.0,
    urgency: str = "",
    sentiment: str = "",
    sentiment_score: float = 0.0,
    customer_tier: str = "",
    customer_id: str = "",
    customer_known: bool = False,
    recipient: str = "",
    sender: str = "",
    subject: str = "",
    text: str = "",
    entities: Mapping[str, Sequence[str]] | None = None,
    received_at: datetime | None = None,
    tz: tzinfo = UTC,
    tags: Sequence[str] = (),
    attachments: int = 0,
) -> dict[str, object]:
    """Build a complete facts dict: absent values get typed zero values, so no key is ever missing."""
    # hour and weekday are local to `tz`; weekday is ISO (1 = Monday .. 7 = Sunday) so weekends are [6, 7].
    when = received_at or _EPOCH
    local = when.astimezone(tz)
    found = entities or {}
    return {
        "channel": channel,
        "language": language,
        "language_confidence": float(language_confidence),
        "intent": intent,
        "intent_confidence": float(intent_confidence),
        "urgency": urgency,
        "sentiment": sentiment,
        "sentiment_score": float(sentiment_score),
        "customer": {"tier": customer_tier, "id": customer_id, "known": customer_known},
        "recipient": recipient,
        "sender": sender,
        "subject": subject,
        "text": text,
        "entities": {name: list(found.get(name, ())) for name in _SUBFIELDS["entities"]},
        "received_at": when,
        "hour": local.hour,
        "weekday": local.isoweekday(),
        "tags": list(tags),
        "attachments": int(attachments),
    }
