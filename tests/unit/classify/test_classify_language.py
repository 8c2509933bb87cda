"""Language identification across the supported languages."""

from __future__ import annotations

import pytest

from router.classify import DefaultClassifier

SAMPLES = [
    ("en", "Hi, my parcel still hasn't arrived, can you check where it is?"),
    ("da", "Hej, jeg har stadig ikke fået min pakke. Kan I undersøge hvad der er sket?"),
    ("nb", "Hei, jeg har fortsatt ikke fått pakken min. Kan dere sjekke hva som har skjedd?"),
    ("sv", "Hej, jag har fortfarande inte fått mitt paket. Kan ni kolla vad som har hänt?"),
    ("de", "Hallo, mein Paket ist immer noch nicht angekommen. Können Sie nachsehen?"),
    ("fr", "Bonjour, mon colis n'est toujours pas arrivé. Pouvez-vous vérifier ?"),
    ("es", "Hola, mi paquete todavía no ha llegado. ¿Pueden comprobar qué pasó?"),
    ("zh", "你好，我的包裹还没到，能帮我查一下吗？"),
    ("tl", "Hello po, hindi pa rin dumarating ang package ko. Pwede po bang pakitingnan?"),
    ("tr", "Merhaba, kargom hâlâ gelmedi. Ne olduğunu kontrol edebilir misiniz?"),
]
SHORT = [
    ("en", "cancel my order"),
    ("da", "hvor er min pakke"),
    ("nb", "hvor er pakken min"),
    ("sv", "var är mitt paket"),
    ("de", "wo ist mein Paket"),
    ("fr", "où est mon colis"),
    ("es", "dónde está mi pedido"),
    ("zh", "退款"),
    ("tl", "nasaan na po order ko"),
    ("tr", "siparişim nerede"),
]


@pytest.mark.parametrize(("language", "text"), SAMPLES)
def test_sentence_language_is_detected(classifier: DefaultClassifier, language: str, text: str) -> None:
    result = classifier.classify(text=text)
    assert result.language == language
    assert result.language_confidence >= 0.5


@pytest.mark.parametrize(("language", "text"), SHORT)
def test_short_sms_language_is_detected(classifier: DefaultClassifier, language: str, text: str) -> None:
    assert classifier.classify(text=text, channel="sms").language == language


def test_danish_and_norwegian_refund_requests_are_told_apart(
    classifier: DefaultClassifier,
) -> None:
    danish = classifier.classify(text="Jeg vil gerne have pengene tilbage for min jakke.")
    norwegian = classifier.classify(text="Jeg vil gjerne ha pengene tilbake for jakka mi.")
    assert (danish.language, norwegian.language) == ("da", "nb")


@pytest.mark.parametrize("text", ["", "   ", "12345", "ok", "!!!", "+45 12 34 56 78", "😀😀"])
def test_empty_or_tiny_text_is_undetermined(classifier: DefaultClassifier, text: str) -> None:
    result = classifier.classify(text=text)
    assert result.language == "und"


def test_empty_text_goes_to_other_with_no_confidence(classifier: DefaultClassifier) -> None:
    result = classifier.classify(text="")
    assert (result.intent, result.intent_confidence) == ("other", 0.0)
