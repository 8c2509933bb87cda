"""Situations that are urgent without an urgency word, their look-alikes, and cue words read through OCR."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from router.classify import DefaultClassifier
from router.classify.cues import analyze
from router.classify.ocr import FuzzyWords, one_edit, repair
from router.classify.situation_lexicon import SITUATION_CUES

URGENT = {"high", "urgent"}

OUTAGE = [
    "Our internet has been down since yesterday and I work from home.",
    "Vores internet har været nede siden i går.",
    "Vi har ikke internett, det har vært nede hele helgen.",
    "Vårt internet har legat nere sedan i fredags.",
    "Wir haben seit gestern kein Internet.",
    "Notre internet est coupé depuis hier soir.",
    "Estamos sin internet desde ayer.",
    "Wala kaming internet mula kahapon.",
    "Dünden beri internetimiz yok.",
    "我们家从昨天开始就断网了。",
]
OVERDRAFT = [
    "You took the money and now my account is overdrawn.",
    "I har trukket pengene, og nu er min konto i minus.",
    "Dere trakk beløpet og nå er kontoen overtrukket.",
    "Ni drog beloppet och nu är kontot övertrasserat.",
    "Sie haben abgebucht und jetzt ist mein Konto im Minus.",
    "Vous avez prélevé le montant et mon compte est à découvert.",
    "Me cobraron y ahora tengo la cuenta en números rojos.",
    "Kinaltasan ako at ngayon overdrawn na ang account ko.",
    "Parayı çektiniz ve hesabım eksiye düştü.",
    "你们扣了款，现在我的卡透支了。",
]
BUSINESS = [
    "The card machine is dead and customers are walking out.",
    "Terminalen virker ikke og kunderne går uden at betale.",
    "Terminalen er død og kundene går uten å betale.",
    "Terminalen fungerar inte och kunderna går utan att betala.",
    "Das Terminal geht nicht und die Kunden gehen ohne zu bezahlen.",
    "Le terminal ne marche plus et les clients repartent sans payer.",
    "El datáfono no va y los clientes se van sin pagar.",
    "Sira ang terminal at umaalis ang mga customer.",
    "Kart makinesi çalışmıyor, müşteriler ödeme yapmadan gidiyor.",
    "刷卡机坏了，顾客没付钱就走了。",
]
CHASING = [
    "This is the third time I am writing about this.",
    "Det er tredje gang jeg skriver om det.",
    "Jeg har skrevet flere ganger om dette.",
    "Det är tredje gången jag skriver om det här.",
    "Ich schreibe jetzt zum dritten Mal.",
    "C'est la troisième fois que j'écris.",
    "Es la tercera vez que escribo por esto.",
    "Pangatlong beses ko na pong sinusulat ito.",
    "Bu konuda üçüncü kez yazıyorum.",
    "这件事我已经是第三次写信了。",
]


@pytest.mark.parametrize(
    ("cue", "text"),
    [("outage", t) for t in OUTAGE]
    + [("money", t) for t in OVERDRAFT]
    + [("business", t) for t in BUSINESS]
    + [("chasing", t) for t in CHASING],
)
def test_a_situation_that_cannot_wait_is_urgent_and_negative(
    classifier: DefaultClassifier, cue: str, text: str
) -> None:
    result = classifier.classify(text=text)
    assert cue in result.urgency_cues
    assert result.urgency in URGENT
    assert result.sentiment == "negative"


@pytest.mark.parametrize(
    "text",
    [
        "I was charged twice for the same order and nobody answers. Unacceptable.",
        "Mir wurde zweimal abgebucht, die Miete ist am Freitag fällig.",
        "On m'a prélevé deux fois et je suis furieux.",
    ],
)
def test_a_double_charge_with_a_day_or_an_unhappy_customer_is_urgent(classifier: DefaultClassifier, text: str) -> None:
    result = classifier.classify(text=text)
    assert "double_charge" in result.urgency_cues
    assert result.urgency in URGENT


@pytest.mark.parametrize(
    "text",
    [
        "I was charged twice for the same order, could you refund one of them?",
        "Jeg er blevet trukket to gange for samme ordre.",
        "我同一个订单被扣了两次款，请退一笔。",
    ],
)
def test_a_calm_double_charge_is_normal_but_negative(classifier: DefaultClassifier, text: str) -> None:
    result = classifier.classify(text=text)
    assert result.urgency == "normal"
    assert result.sentiment == "negative"


@pytest.mark.parametrize(
    "text",
    [
        "No rush, but our internet was down for an hour yesterday.",
        "Not urgent: I was charged twice last month, please refund one when you can.",
        "The internet was down this morning but it works again now.",
        "Das Internet war gestern weg, aber jetzt funktioniert es wieder.",
        "Dün internet gitti ama şimdi yine çalışıyor.",
        "Can I move my delivery to next month?",
        "If I order the desk today, when would it arrive?",
        "I see a charge of £4.99 from you today, what is it for?",
        "Si pido el escritorio hoy, ¿cuándo llegaría?",
        "I am out of the office until Monday. For urgent matters please contact reception.",
        "URGENT: your mailbox will be suspended. Verify your password here.",
        "Please cancel the order before it ships, I no longer need it.",
        "Do you sell hearing aid batteries?",
        "Happy holidays to the whole team! Are you open on Sunday?",
    ],
)
def test_look_alikes_and_negated_situations_stay_normal(classifier: DefaultClassifier, text: str) -> None:
    assert classifier.classify(text=text).urgency in {"low", "normal"}


@pytest.mark.parametrize(
    "text",
    [
        "Please fix this today!",
        "I need it sorted today.",
        "Jeg er så sur, I skal ringe mig op i dag!",
        "Cancel it before it ships!",
    ],
)
def test_today_or_before_shipping_counts_when_the_customer_insists(classifier: DefaultClassifier, text: str) -> None:
    result = classifier.classify(text=text)
    assert "time_pressure" in result.urgency_cues
    assert result.urgency in URGENT


@pytest.mark.parametrize(
    "text",
    [
        "The heater smells of burning plastic and the plug has melted.",
        "The washing machine leaked and there is water everywhere.",
        "Der Akku ist aufgebläht und es gab einen Kurzschluss.",
        "取暖器有烧焦味，插头都熔化了。",
    ],
)
def test_burning_melting_and_flooding_are_urgent(classifier: DefaultClassifier, text: str) -> None:
    assert classifier.classify(text=text).urgency == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "If the money isn't back this week I'll raise a chargeback with my bank.",
        "Sinon je fais opposition auprès de ma banque.",
        "如果这周还不退款，我就让银行拒付。",
    ],
)
def test_a_chargeback_is_a_legal_threat(classifier: DefaultClassifier, text: str) -> None:
    assert "legal_threat" in classifier.classify(text=text).urgency_cues


@pytest.mark.parametrize(
    "text",
    [
        "I must say I expected better. The app keeps crashing every time I open it.",
        "The price on the receipt is higher than what the website showed.",
        "Die App stürzt jedes Mal ab.",
        "L'appareil ne s'allume plus depuis la mise à jour.",
        "每次打开APP都闪退。",
    ],
)
def test_a_problem_told_calmly_is_negative(classifier: DefaultClassifier, text: str) -> None:
    assert classifier.classify(text=text).sentiment == "negative"


def test_ok_thanks_is_neutral(classifier: DefaultClassifier) -> None:
    assert classifier.classify(text="ok thanks").sentiment == "neutral"


_SITUATION_PHRASES = [p for name in ("outage", "money", "business") for p in SITUATION_CUES[name] if " " in p]
_NOT_URGENT = [
    "No rush at all, but",
    "Not urgent:",
    "Es ist nicht dringend, aber",
    "Acil değil ama",
    "Det haster ikke, men",
]


@given(st.sampled_from(_NOT_URGENT), st.sampled_from(_SITUATION_PHRASES))
def test_a_customer_who_says_it_is_not_urgent_is_believed(opening: str, phrase: str) -> None:
    cues, level, _, _ = analyze(f"{opening} {phrase} last week.")
    assert level in {"low", "normal"}
    assert not {"outage", "money", "business", "time_pressure"} & set(cues)


@given(
    st.sampled_from(["If I order the desk today", "Wenn ich heute bestelle", "Si je commande aujourd'hui"]),
    st.sampled_from(["when will it come?", "wann kommt es?", "quand arrivera-t-il ?", "how long does it take?"]),
)
def test_a_plain_today_in_a_question_is_not_a_deadline(opening: str, question: str) -> None:
    cues, level, _, _ = analyze(f"{opening}, {question}")
    assert "time_pressure" not in cues
    assert level == "normal"


@pytest.mark.parametrize(
    ("damaged", "repaired"), [("t0day", "today"), ("imrnediately", "immediately"), ("acc0unt 5", "account 5")]
)
def test_ocr_repair_reads_look_alike_glyphs_back(damaged: str, repaired: str) -> None:
    assert repair(damaged) == repaired


@given(st.sampled_from(["immediately", "brådskande", "dringend", "urgente", "emergency"]), st.data())
def test_a_cue_word_one_ocr_error_away_is_still_found(word: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(min_value=1, max_value=len(word) - 1))
    letter = data.draw(st.sampled_from("cqfbrnxz"))
    damaged = word[:position] + letter + word[position + 1 :]
    assert "time_pressure" in FuzzyWords({"time_pressure": (word,)}).names(damaged) or damaged == word


@pytest.mark.parametrize(("a", "b"), [("urgent", "argent"), ("hurting", "hurtigt"), ("manager", "mangler")])
def test_words_further_than_one_edit_or_with_another_first_letter_are_not_cue_words(a: str, b: str) -> None:
    assert FuzzyWords({"cue": (a,)}).names(b) == set()


@given(st.text(alphabet="abcdefgh", min_size=1, max_size=8), st.text(alphabet="abcdefgh", min_size=1, max_size=8))
def test_one_edit_agrees_with_a_naive_edit_distance(a: str, b: str) -> None:
    assert one_edit(a, b) == (_levenshtein(a, b) == 1)


def _levenshtein(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def test_a_faxed_urgency_word_with_an_ocr_error_still_counts(classifier: DefaultClassifier) -> None:
    text = "Sehr geehrte Damen und Herren,\n\nbitte dringcnd zurückrufen, unser Terminal geht nicht."
    assert classifier.classify(text=text, channel="fax").urgency in URGENT


def test_a_faxed_negated_urgency_word_does_not_count(classifier: DefaultClassifier) -> None:
    text = "Guten Tag,\n\nich habe überwiesen, aber die Bestellung steht auf unbezahlt. Es ist nicht dringcnd."
    assert classifier.classify(text=text, channel="fax").urgency in {"low", "normal"}
