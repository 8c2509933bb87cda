"""Intent features: tokens and the fold that makes OCR and typing variants share n-grams."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from router.classify.features import fold, token_ngrams, tokens
from router.classify.intent import load_intent_model

model = cache(load_intent_model)


@pytest.mark.parametrize(
    ("noisy", "clean"),
    [
        ("st0rnieren", "stornieren"),
        ("bestel1ung", "bestellung"),
        ("5tatus", "status"),
        ("rneine", "meine"),
        ("müşteri", "musteri"),
        ("iptal", "ıptal"),
        ("remboursé", "rembourse"),
        ("Invoice".lower(), "lnvoice"),
    ],
)
def test_ocr_and_typing_variants_fold_to_one_spelling(noisy: str, clean: str) -> None:
    assert fold(noisy) == fold(clean)


def test_stand_alone_numbers_are_one_token_and_digits_in_words_are_kept() -> None:
    assert tokens("Order #12345 costs 19,99 but y0u said 订单12345号") == [
        "order",
        "0",
        "costs",
        "0",
        "0",
        "but",
        "y0u",
        "said",
        "订单0号",
    ]


def test_turkish_capital_dotted_i_does_not_split_words() -> None:
    assert tokens("İPTAL EDİN") == ["iptal", "edin"]


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=300))
def test_tokens_and_ngrams_never_raise_and_have_no_whitespace(text: str) -> None:
    for token in tokens(text):
        assert token
        assert not any(ch.isspace() for ch in fold(token))
        assert token_ngrams(token)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=400), language=st.sampled_from(["en", "tr", "zh", "und"]))
def test_intent_scores_are_probabilities_for_any_text(text: str, language: str) -> None:
    scores = model().predict(text, language)
    assert all(0.0 <= p <= 1.0 for p in scores.values())
    assert abs(sum(scores.values()) - 1.0) < 1e-6
