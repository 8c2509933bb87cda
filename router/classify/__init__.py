"""Message classification: language, intent, urgency, sentiment and entities (pure, offline)."""

from router.classify.clean import clean_text
from router.classify.entities import extract_entities
from router.classify.intent import IntentModelError, LinearIntentModel, load_intent_model
from router.classify.labels import (
    DEFAULT_MIN_INTENT_CONFIDENCE,
    INTENTS,
    SENTIMENTS,
    SUPPORTED_LANGUAGES,
    UNDETERMINED,
    URGENCIES,
)
from router.classify.language import PyLangidDetector
from router.classify.pipeline import DefaultClassifier, UnsupportedLanguage, load_classifier
from router.classify.result import Classification, Classifier, IntentModel, LanguageDetector

__all__ = [
    "DEFAULT_MIN_INTENT_CONFIDENCE",
    "INTENTS",
    "SENTIMENTS",
    "SUPPORTED_LANGUAGES",
    "UNDETERMINED",
    "URGENCIES",
    "Classification",
    "Classifier",
    "DefaultClassifier",
    "IntentModel",
    "IntentModelError",
    "LanguageDetector",
    "LinearIntentModel",
    "PyLangidDetector",
    "UnsupportedLanguage",
    "clean_text",
    "extract_entities",
    "load_classifier",
    "load_intent_model",
]
