"""Property tests: classification never raises and always returns valid labels."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from router.classify import (
    INTENTS,
    SENTIMENTS,
    SUPPORTED_LANGUAGES,
    URGENCIES,
    DefaultClassifier,
    clean_text,
    extract_entities,
)

CHANNELS = st.sampled_from(["email", "sms", "chat", "fax"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=600), subject=st.none() | st.text(max_size=80), channel=CHANNELS)
def test_classify_never_raises_and_labels_are_valid(
    classifier: DefaultClassifier, text: str, subject: str | None, channel: str
) -> None:
    result = classifier.classify(text=text, subject=subject, channel=channel)
    assert result.language in (*SUPPORTED_LANGUAGES, "und")
    assert 0.0 <= result.language_confidence <= 1.0
    assert result.intent in INTENTS
    assert 0.0 <= result.intent_confidence <= 1.0
    assert result.urgency in URGENCIES
    assert result.sentiment in SENTIMENTS
    assert -1.0 <= result.sentiment_score <= 1.0
    assert set(result.intent_scores) <= set(INTENTS)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=400))
def test_clean_text_is_idempotent_and_never_grows(text: str) -> None:
    once = clean_text(text)
    assert len(once) <= len(text)
    assert clean_text(once) == once


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_entities_are_substrings_or_normalized_phones(text: str) -> None:
    entities = extract_entities(text)
    for kind in ("order_numbers", "amounts", "emails"):
        assert all(value in text for value in entities[kind])
    assert all(p.startswith("+") and p[1:].isdigit() for p in entities["phones"])
