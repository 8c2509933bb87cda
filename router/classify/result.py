"""The classification result and the ports (protocols) of the classifier."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Classification:
    """What the classifier concluded about one message."""

    language: str
    language_confidence: float
    intent: str
    intent_confidence: float
    intent_scores: Mapping[str, float]
    urgency: str
    urgency_cues: tuple[str, ...]
    sentiment: str
    sentiment_score: float
    entities: Mapping[str, tuple[str, ...]]

    def as_dict(self) -> dict[str, object]:
        """Return a JSON-ready dict (for the decision trace)."""
        return {
            "language": self.language,
            "language_confidence": round(self.language_confidence, 4),
            "intent": self.intent,
            "intent_confidence": round(self.intent_confidence, 4),
            "intent_scores": {k: round(v, 4) for k, v in self.intent_scores.items()},
            "urgency": self.urgency,
            "urgency_cues": list(self.urgency_cues),
            "sentiment": self.sentiment,
            "sentiment_score": round(self.sentiment_score, 4),
            "entities": {k: list(v) for k, v in self.entities.items()},
        }


class Classifier(Protocol):
    """Classifies one inbound message."""

    def classify(self, *, text: str, subject: str | None = None, channel: str = "email") -> Classification:
        """Classify a message's (cleaned) text and subject."""
        ...


class IntentModel(Protocol):
    """Scores every intent for a text; the swappable part of intent detection."""

    def predict(self, text: str, language: str) -> dict[str, float]:
        """Return a probability per intent (summing to 1)."""
        ...


class LanguageDetector(Protocol):
    """Detects the language of a text."""

    def detect(self, text: str) -> tuple[str, float]:
        """Return (ISO 639-1 code or "und", confidence)."""
        ...
