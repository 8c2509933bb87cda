"""Urgency and sentiment cues in every supported language."""

from __future__ import annotations

import pytest

from router.classify import DefaultClassifier

SAFETY = [
    "The charger started smoking and caught fire!",
    "Opladeren begyndte at ryge og gik i brand",
    "Laderen tok fyr i natt",
    "Laddaren fattade eld",
    "Das Ladegerät hat Feuer gefangen, das ist gefährlich",
    "Le chargeur a pris feu",
    "El cargador empezó a echar humo",
    "充电器冒烟了",
    "Umusok po ang charger",
    "Şarj aleti alev aldı",
]
TIME_PRESSURE = [
    "I need it today, it's urgent",
    "Det haster!",
    "Det haster, vi trenger svar",
    "Det är brådskande",
    "Bitte dringend antworten",
    "C'est urgent",
    "Es urgente",
    "紧急！请回复",
    "Kailangan ko agad",
    "Acil dönüş yapın",
]
LEGAL = [
    "I will contact my lawyer",
    "Jeg kontakter min advokat",
    "Jeg går til Forbrukerrådet",
    "Jag anmäler er till Konsumentverket",
    "Ich schalte meinen Anwalt ein",
    "Je vais contacter mon avocat",
    "Hablaré con mi abogado",
    "我要找律师",
    "Irereklamo ko kayo sa DTI",
    "Avukatıma başvuracağım",
]
NEGATIVE = [
    "This is unacceptable and I am very disappointed",
    "Det er helt uacceptabelt, jeg er skuffet",
    "Dette er uakseptabelt og jeg er misfornøyd",
    "Det är oacceptabelt, jag är besviken",
    "Das ist inakzeptabel, ich bin enttäuscht",
    "C'est inadmissible, je suis déçu",
    "Es inaceptable, estoy decepcionado",
    "太差了，非常失望",
    "Nakakainis, sobrang dismayado ako",
    "Bu kabul edilemez, berbat bir hizmet",
]


@pytest.mark.parametrize("text", SAFETY)
def test_safety_cue_makes_message_urgent(classifier: DefaultClassifier, text: str) -> None:
    result = classifier.classify(text=text)
    assert "safety" in result.urgency_cues
    assert result.urgency == "urgent"


@pytest.mark.parametrize("text", TIME_PRESSURE)
def test_time_pressure_raises_urgency(classifier: DefaultClassifier, text: str) -> None:
    result = classifier.classify(text=text)
    assert "time_pressure" in result.urgency_cues
    assert result.urgency in {"high", "urgent"}


@pytest.mark.parametrize("text", LEGAL)
def test_legal_threat_is_high_urgency(classifier: DefaultClassifier, text: str) -> None:
    result = classifier.classify(text=text)
    assert "legal_threat" in result.urgency_cues
    assert result.urgency in {"high", "urgent"}


@pytest.mark.parametrize("text", NEGATIVE)
def test_angry_message_is_negative(classifier: DefaultClassifier, text: str) -> None:
    result = classifier.classify(text=text)
    assert result.sentiment == "negative"
    assert result.sentiment_score < 0


def test_public_shaming_threat_is_high(classifier: DefaultClassifier) -> None:
    result = classifier.classify(text="Fix it or I'm posting this on Twitter")
    assert "public_threat" in result.urgency_cues
    assert result.urgency == "high"


def test_shouting_with_exclamations_is_high(classifier: DefaultClassifier) -> None:
    result = classifier.classify(text="WHERE IS MY REFUND!!! THIS IS RIDICULOUS")
    assert {"all_caps", "exclamation", "anger"} <= set(result.urgency_cues)
    assert result.urgency == "high"


@pytest.mark.parametrize(
    "text", ["No rush, whenever you have time", "Es ist nicht dringend", "Det haster ikke", "Acil değil", "不着急"]
)
def test_explicitly_not_urgent_is_low(classifier: DefaultClassifier, text: str) -> None:
    result = classifier.classify(text=text)
    assert result.urgency == "low"
    assert "time_pressure" not in result.urgency_cues


def test_plain_question_is_normal_and_neutral(classifier: DefaultClassifier) -> None:
    result = classifier.classify(text="What are the dimensions of the sofa?")
    assert (result.urgency, result.urgency_cues, result.sentiment) == ("normal", (), "neutral")


def test_praise_is_positive(classifier: DefaultClassifier) -> None:
    result = classifier.classify(text="Tusind tak, fantastisk service!")
    assert result.sentiment == "positive"


def test_cues_name_categories_not_message_text(classifier: DefaultClassifier) -> None:
    result = classifier.classify(text="URGENT!!! the heater caught fire, calling my lawyer")
    allowed = {
        "safety",
        "time_pressure",
        "legal_threat",
        "public_threat",
        "cancel_threat",
        "not_urgent",
        "anger",
        "exclamation",
        "all_caps",
    }
    assert set(result.urgency_cues) <= allowed


DEADLINES = [
    "The gift has to be there by Friday",
    "Gaven skal være fremme inden fredag",
    "Det må komme innen fredag",
    "Det måste komma innan fredag",
    "Das Geschenk muss bis Freitag da sein",
    "Le cadeau doit arriver avant vendredi",
    "El regalo tiene que llegar antes del viernes",
    "礼物必须周五前到",
    "Kailangan dumating bago mag-Biyernes",
    "Hediye cumaya kadar yetişmeli",
]


@pytest.mark.parametrize("text", DEADLINES)
def test_a_deadline_day_raises_urgency(classifier: DefaultClassifier, text: str) -> None:
    assert classifier.classify(text=text).urgency == "high"


@pytest.mark.parametrize(
    "text",
    [
        "Det er fire gange nu jeg skriver",
        "Tak for det hurtige svar",
        "Jeg har prøvd fire ganger",
        "Where is your head office? I'm a journalist.",
        "Ist das die richtige Adresse für Presseanfragen?",
        "Rien d'urgent, je voulais juste savoir quand l'étagère arrive.",
    ],
)
def test_words_that_only_look_like_alarms_do_not_raise_urgency(classifier: DefaultClassifier, text: str) -> None:
    assert classifier.classify(text=text).urgency in {"low", "normal"}


def test_a_shouted_now_is_time_pressure(classifier: DefaultClassifier) -> None:
    result = classifier.classify(text="Cancel it NOW before it ships")
    assert "time_pressure" in result.urgency_cues


def test_repeat_contact_and_asking_for_a_manager_are_high_and_negative(classifier: DefaultClassifier) -> None:
    text = "I've emailed five times about this. I want to speak to a manager, not a bot."
    result = classifier.classify(text=text)
    assert (result.urgency, result.sentiment) == ("high", "negative")


def test_polite_words_do_not_make_an_angry_message_positive(classifier: DefaultClassifier) -> None:
    result = classifier.classify(text="Thank you for nothing. Thanks a lot. This is unacceptable.")
    assert result.sentiment == "negative"


def test_a_shop_that_cannot_take_payments_is_urgent_business(classifier: DefaultClassifier) -> None:
    text = "Our card terminal shows offline and we can't take payments in the shop."
    assert classifier.classify(text=text).urgency in {"high", "urgent"}


@pytest.mark.parametrize(
    "text",
    [
        "My account was hacked and someone ordered with my card",
        "Min konto er blevet hacket",
        "Mein Konto wurde gehackt",
        "My insulin still hasn't arrived",
        "I got a letter from a debt collector about an invoice I paid",
        "Der kommer gnister fra stikket",
    ],
)
def test_fraud_medicine_debt_collection_and_sparks_raise_urgency(classifier: DefaultClassifier, text: str) -> None:
    assert classifier.classify(text=text).urgency in {"high", "urgent"}


def test_out_of_office_until_monday_is_not_a_deadline(classifier: DefaultClassifier) -> None:
    assert (
        classifier.classify(text="I am out of the office until Monday with limited access to email.").urgency
        == "normal"
    )


@pytest.mark.parametrize(
    "text",
    [
        "I need the dress for a wedding on Saturday and it still hasn't shipped.",
        "Mangler 790 kr og husleia skal betales fredag",
        "Die Gehälter müssen am Freitag raus und ich komme nicht ins Konto",
        "Mon vol est samedi et le passeport n'est toujours pas arrivé",
        "El vuelo sale el lunes y el pasaporte no ha llegado",
        "Kulang pa ako ng ₱2,400 at sa Friday na ang upa",
        "Düğün cumartesi ve elbise hâlâ gelmedi",
        "婚礼就在周六，裙子还没到",
        "Our card terminal has stopped connecting since this morning",
    ],
)
def test_something_at_stake_on_a_named_day_raises_urgency(classifier: DefaultClassifier, text: str) -> None:
    result = classifier.classify(text=text)
    assert result.urgency in {"high", "urgent"}


@pytest.mark.parametrize(
    "text",
    [
        "Do you sell wedding dresses in ivory?",
        "Can I pay my rent deposit by card?",
        "Haben Sie Geschenkpapier für Geburtstage?",
    ],
)
def test_something_at_stake_without_a_day_or_a_problem_stays_normal(classifier: DefaultClassifier, text: str) -> None:
    result = classifier.classify(text=text)
    assert result.urgency == "normal"
    assert "stake" not in result.urgency_cues
