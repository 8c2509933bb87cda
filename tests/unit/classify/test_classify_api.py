"""The public API of router.classify."""

from __future__ import annotations

import json
from types import ModuleType

import pytest

import router.classify as classify
from router.classify import (
    INTENTS,
    SUPPORTED_LANGUAGES,
    URGENCIES,
    DefaultClassifier,
    UnsupportedLanguage,
    load_classifier,
)


def test_public_api_is_exactly_all() -> None:
    public = {
        name for name, value in vars(classify).items() if not name.startswith("_") and not isinstance(value, ModuleType)
    }
    assert public == set(classify.__all__)


def test_label_sets_are_as_documented() -> None:
    assert len(INTENTS) == 10
    assert "other" in INTENTS
    assert URGENCIES == ("low", "normal", "high", "urgent")
    assert {"en", "da", "nb", "sv", "de", "fr", "es", "zh", "tl", "tr"} <= set(SUPPORTED_LANGUAGES)


def test_as_dict_is_json_ready(classifier: DefaultClassifier) -> None:
    result = classifier.classify(text="Where is order #12345? I paid €19.99", subject="Order")
    data = json.loads(json.dumps(result.as_dict()))
    assert data["intent"] in INTENTS
    assert data["entities"]["order_numbers"] == ["12345"]
    assert set(data["entities"]) == {"order_numbers", "amounts", "emails", "phones", "dates"}


def test_intent_scores_are_top_three_and_include_winner(classifier: DefaultClassifier) -> None:
    result = classifier.classify(text="Please cancel my subscription")
    assert len(result.intent_scores) == 3
    assert result.intent_scores[result.intent] == result.intent_confidence


def test_language_restriction_limits_detected_languages() -> None:
    only_nordic = load_classifier(["da", "sv"])
    result = only_nordic.classify(text="Hei, hvor er pakken min? Jeg har ikke fått den ennå.")
    assert result.language in {"da", "sv"}


def test_unsupported_language_is_rejected() -> None:
    with pytest.raises(UnsupportedLanguage):
        load_classifier(["xx"])
