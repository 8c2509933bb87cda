"""The router's classifier holds its accuracy on the held-out set that no training ever read.

The set (tests/data/classify_eval/heldout.jsonl) was written by hand, apart from the training data and its
generator: 446 messages in ten languages, every intent in every language, email, SMS, chat and OCR'd fax.
Each floor is the model's measured figure when the floor was set, minus about three points, rounded down:
the test passes today and catches a regression. Whoever improves the classifier raises the floors with it
(`python -m router.classify.evaluate` prints the figures).
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from router.classify import load_classifier
from router.classify.evaluate import DEFAULT_DATA, Report, Tally, load_examples, predict, score

pytestmark = pytest.mark.slow

LANGUAGE_FLOOR = 0.96
INTENT_FLOOR = 0.87
INTENT_BY_LANGUAGE_FLOOR = {
    "da": 0.90,
    "de": 0.85,
    "en": 0.85,
    "es": 0.90,
    "fr": 0.85,
    "nb": 0.83,
    "sv": 0.85,
    "tl": 0.94,
    "tr": 0.85,
    "zh": 0.87,
}
INTENT_BY_CHANNEL_FLOOR = {"chat": 0.89, "email": 0.89, "fax": 0.79, "sms": 0.84}
INTENT_BY_INTENT_FLOOR = {
    "account_update": 0.82,
    "billing": 0.87,
    "cancellation": 0.87,
    "complaint": 0.92,
    "order_change": 0.84,
    "order_status": 0.87,
    "other": 0.90,
    "product_inquiry": 0.82,
    "refund_return": 0.94,
    "technical_support": 0.86,
}
URGENCY_F1_FLOOR = 0.77
SENTIMENT_FLOOR = 0.77
NEGATIVE_SENTIMENT_RECALL_FLOOR = 0.71


@pytest.fixture(scope="module")
def report() -> Report:
    """The held-out set scored through the classifier the router loads."""
    examples = load_examples(DEFAULT_DATA)
    return score(examples, predict(load_classifier(), examples))


def _below(groups: Mapping[str, Tally], floors: Mapping[str, float]) -> dict[str, str]:
    assert set(groups) == set(floors)
    return {key: f"{groups[key].rate:.3f} < {floor}" for key, floor in floors.items() if groups[key].rate < floor}


def test_language_is_identified_on_messages_nobody_trained_on(report: Report) -> None:
    assert report.language.rate >= LANGUAGE_FLOOR


def test_intent_accuracy_holds_overall(report: Report) -> None:
    assert report.intent.rate >= INTENT_FLOOR


def test_intent_accuracy_holds_in_every_language(report: Report) -> None:
    assert _below(report.intent_by_language, INTENT_BY_LANGUAGE_FLOOR) == {}


def test_intent_accuracy_holds_on_every_channel(report: Report) -> None:
    assert _below(report.intent_by_channel, INTENT_BY_CHANNEL_FLOOR) == {}


def test_intent_accuracy_holds_for_every_intent(report: Report) -> None:
    assert _below(report.intent_by_intent, INTENT_BY_INTENT_FLOOR) == {}


def test_urgent_messages_are_found_without_too_many_false_alarms(report: Report) -> None:
    assert report.urgency.f1 >= URGENCY_F1_FLOOR


def test_sentiment_agrees_with_the_labels(report: Report) -> None:
    assert report.sentiment.rate >= SENTIMENT_FLOOR


def test_unhappy_customers_are_read_as_negative(report: Report) -> None:
    assert report.sentiment_by_label["negative"].rate >= NEGATIVE_SENTIMENT_RECALL_FLOOR
