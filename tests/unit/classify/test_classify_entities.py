"""Entity extraction: order numbers, amounts, emails and phones."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from router.classify import extract_entities
from router.classify.labels import ENTITY_KINDS


@pytest.mark.parametrize(
    ("text", "order"),
    [
        ("Where is #12345?", "12345"),
        ("order 123-456 is late", "123-456"),
        ("ordre nr. 4711 er ikke kommet", "4711"),
        ("订单号 20231234 还没到", "20231234"),
        ("Bestellung Nr. 98765", "98765"),
        ("commande n° 55321", "55321"),
        ("pedido nº 778899", "778899"),
        ("12345 numaralı sipariş", "12345"),
        ("beställning 334455", "334455"),
        ("我的订单12345", "12345"),
        ("订单号是 778899，还没发货", "778899"),
        ("Sipariş numaram 556677 hâlâ gelmedi", "556677"),
        ("12345 nolu sipariş", "12345"),
        ("yung order ko ay 445566 po", "445566"),
        ("Bestell-Nr. 77812 vom Montag", "77812"),
        ("pedido número 4455", "4455"),
        ("ordernr. 99881 är fel", "99881"),
    ],
)
def test_order_numbers_are_found(text: str, order: str) -> None:
    assert extract_entities(text)["order_numbers"] == (order,)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("it cost €12.50", "€12.50"),
        ("I paid 199 kr", "199 kr"),
        ("USD 20 extra", "USD 20"),
        ("12,50 € zu viel", "12,50 €"),
        ("退款¥300", "¥300"),
        ("100 TL iade", "100 TL"),
        ("kr 583,- mangler", "kr 583,-"),
        ("₱1,250 po", "₱1,250"),
        ("Beløbet var 1.234,50 kr. i alt", "1.234,50 kr."),
        ("total 1 234,50 € TTC", "1 234,50 €"),
        ("montant 1\u202f234,50\u00a0€", "1\u202f234,50\u00a0€"),
        ("一共¥1,234", "¥1,234"),
        ("退了1234元", "1234元"),
        ("1.234,50 TL ödedim", "1.234,50 TL"),
        ("I paid $1,234.56 twice", "$1,234.56"),
    ],
)
def test_amounts_with_currency_are_found(text: str, amount: str) -> None:
    assert extract_entities(text)["amounts"] == (amount,)


def test_bare_numbers_are_not_amounts_or_orders() -> None:
    entities = extract_entities("I am 180 cm tall and bought 2 lamps")
    assert entities["amounts"] == ()
    assert entities["order_numbers"] == ()


def test_emails_and_phones_are_found_and_phones_normalized() -> None:
    entities = extract_entities("Mail anna.b+shop@example.co.uk or call +45 21 43 65 87 / 0046 70 123 45 67")
    assert entities["emails"] == ("anna.b+shop@example.co.uk",)
    assert entities["phones"] == ("+4521436587", "+46701234567")


def test_every_kind_is_present_even_when_empty() -> None:
    assert extract_entities("hello") == dict.fromkeys(ENTITY_KINDS, ())


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("delivered on 2024-06-03 at noon", "2024-06-03"),
        ("Bestellt am 03.06.2024", "03.06.2024"),
        ("ordered 3/6/24", "3/6/24"),
        ("senest 3. juni", "3. juni"),
        ("le 3 juin 2024", "3 juin 2024"),
        ("el 3 de junio de 2024", "3 de junio de 2024"),
        ("3 Haziran 2024 tarihinde", "3 Haziran 2024"),
        ("noong Hunyo 3, 2024 po", "Hunyo 3, 2024"),
        ("on June 3, 2024", "June 3, 2024"),
        ("2024年6月3日下单", "2024年6月3日"),
        ("6月3日到货", "6月3日"),
    ],
)
def test_dates_are_found_as_written(text: str, date: str) -> None:
    assert extract_entities(text)["dates"] == (date,)


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("ring mig på 20 30 40 50", "20304050"),
        ("Tel. 0171 1234567", "01711234567"),
        ("手机13812345678", "13812345678"),
        ("Llámame al 612 345 678", "612345678"),
        ("tawagan mo ako sa 0917 123 4567", "09171234567"),
        ("telefon numaram: 0532 123 45 67", "05321234567"),
    ],
)
def test_national_phone_numbers_after_a_phone_word_are_found_as_digits(text: str, phone: str) -> None:
    assert extract_entities(text)["phones"] == (phone,)


def test_a_number_without_a_phone_word_is_not_a_phone() -> None:
    assert extract_entities("I bought 20 30 40 50 screws")["phones"] == ()


ORDER_FRAMES = [
    "我的订单{n}还没到",
    "订单号：{n}",
    "where is order #{n}?",
    "ordre nr. {n} er ikke kommet",
    "Bestellung Nr. {n}",
    "commande n° {n}",
    "pedido {n} por favor",
    "sipariş numaram {n}",
    "{n} numaralı sipariş",
    "order ko ay {n} po",
    "beställning {n}",
]


@given(st.integers(1000, 99_999_999), st.sampled_from(ORDER_FRAMES))
def test_order_number_is_found_in_every_language_frame(number: int, frame: str) -> None:
    assert extract_entities(frame.format(n=number))["order_numbers"] == (str(number),)


def _grouped(whole: int, separator: str) -> str:
    """Thousands grouped with ``separator`` (1234567 -> 1.234.567)."""
    return f"{whole:,}".replace(",", separator)


@given(
    st.integers(0, 9_999_999),
    st.integers(0, 99),
    st.sampled_from(
        [(".", ",", "{} kr."), ("\u00a0", ",", "{} €"), (",", ".", "${}"), (".", ",", "{} TL"), (",", ".", "¥{}")]
    ),
)
def test_local_amount_formats_are_found_whole(whole: int, cents: int, style: tuple[str, str, str]) -> None:
    group, decimal, frame = style
    amount = frame.format(f"{_grouped(whole, group)}{decimal}{cents:02d}")
    assert extract_entities(f"I was charged {amount} twice")["amounts"] == (amount,)


@given(
    st.dates(date(1990, 1, 1), date(2099, 12, 31)),
    st.sampled_from(["{d:%Y-%m-%d}", "{d:%d.%m.%Y}", "{d.year}年{d.month}月{d.day}日"]),
)
def test_numeric_dates_are_found(day: date, frame: str) -> None:
    written = frame.format(d=day)
    assert extract_entities(f"bestilt {written} men ikke leveret")["dates"] == (written,)
