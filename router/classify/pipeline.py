"""The default classifier: cleaning, language, intent, urgency, sentiment and entities."""

from __future__ import annotations

import re
from collections.abc import Sequence

from router.classify.clean import customer_text
from router.classify.cues import SENTIMENT_MARGIN, analyze
from router.classify.entities import extract_entities
from router.classify.features import intent_text
from router.classify.intent import load_intent_model
from router.classify.labels import SUPPORTED_LANGUAGES
from router.classify.language import PyLangidDetector
from router.classify.result import Classification, IntentModel, LanguageDetector

TOP_INTENTS = 3
COMPLAINT_IS_NEGATIVE = 0.5
_SHORT_TEXT = 40
_WORD = re.compile(r"[^\W\d_]")
# Nothing to read (empty, digits or punctuation only): "other" with no confidence, so triage.
_NO_TEXT: dict[str, float] = {"other": 0.0}


class UnsupportedLanguage(ValueError):
    """A requested language is not one the classifier supports."""


class DefaultClassifier:
    """Combines a language detector, an intent model and cue-based urgency and sentiment."""

    __slots__ = ("_detector", "_intents")

    def __init__(self, *, detector: LanguageDetector, intents: IntentModel) -> None:
        self._detector = detector
        self._intents = intents

    def classify(self, *, text: str, subject: str | None = None, channel: str = "email") -> Classification:
        """Classify one message (a fax is read without its letterhead)."""
        body = customer_text(text, channel)
        full = intent_text(body, subject)
        language, language_confidence = self._detector.detect(full if len(body) < _SHORT_TEXT else body)
        scores = self._intents.predict(full, language) if _WORD.search(full) else _NO_TEXT
        top = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)[:TOP_INTENTS]
        cues, urgency, mood, mood_score = analyze(full, noisy=channel == "fax")
        if top[0][0] == "complaint" and top[0][1] >= COMPLAINT_IS_NEGATIVE and mood == "neutral":
            # A complaint is a customer saying something went wrong, however politely they put it.
            mood, mood_score = "negative", min(mood_score, -SENTIMENT_MARGIN)
        return Classification(
            language=language,
            language_confidence=language_confidence,
            intent=top[0][0],
            intent_confidence=top[0][1],
            intent_scores=dict(top),
            urgency=urgency,
            urgency_cues=cues,
            sentiment=mood,
            sentiment_score=mood_score,
            entities=extract_entities(f"{subject}\n{text}" if subject else text),
        )


def load_classifier(languages: Sequence[str] | None = None) -> DefaultClassifier:
    """Build the default classifier, language detection restricted to `languages`."""
    chosen = tuple(languages) if languages is not None else SUPPORTED_LANGUAGES
    unknown = set(chosen) - set(SUPPORTED_LANGUAGES)
    if unknown or not chosen:
        raise UnsupportedLanguage(f"unsupported languages: {sorted(unknown) or 'none given'}")
    return DefaultClassifier(detector=PyLangidDetector(chosen), intents=load_intent_model())
