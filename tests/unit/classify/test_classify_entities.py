"""Entity extraction: order numbers, amounts, emails and phones."""

from __future__ import annotations

import pytest

from router.classify import extract_entities


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
    assert extract_entities("hello") == {"order_numbers": (), "amounts": (), "emails": (), "phones": ()}
