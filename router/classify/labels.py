"""Label vocabularies and defaults shared by the classifier modules."""

from __future__ import annotations

from typing import Final

INTENTS: Final[tuple[str, ...]] = (
    "order_status",
    "order_change",
    "cancellation",
    "refund_return",
    "billing",
    "complaint",
    "technical_support",
    "account_update",
    "product_inquiry",
    "other",
)
URGENCIES: Final[tuple[str, ...]] = ("low", "normal", "high", "urgent")
SENTIMENTS: Final[tuple[str, ...]] = ("negative", "neutral", "positive")
SUPPORTED_LANGUAGES: Final[tuple[str, ...]] = (
    "en",
    "da",
    "nb",
    "sv",
    "de",
    "fr",
    "es",
    "zh",
    "tl",
    "tr",
)
ENTITY_KINDS: Final[tuple[str, ...]] = ("order_numbers", "amounts", "emails", "phones", "dates")
UNDETERMINED: Final[str] = "und"
# Below this the router should send the message to a triage queue (the router owns the threshold).
DEFAULT_MIN_INTENT_CONFIDENCE: Final[float] = 0.45
