"""Entity extraction (order numbers, amounts, emails, phones): pure regexes, compiled once."""

from __future__ import annotations

import re
from collections.abc import Iterable

_ORDER_WORDS = (
    r"order(?:\s*(?:number|no\.?|nr\.?|id))?|ordre(?:\s*nr\.?)?|ordrenummer|ordrenr\.?|"
    r"bestilling(?:snummer)?|beställning(?:snummer|snr)?|ordernummer|"
    r"bestellung(?:\s*nr\.?)?|bestellnummer|auftrag(?:snummer)?|"
    r"commande(?:\s*n[°o]\.?)?|numéro de commande|pedido(?:\s*n[ºo°]\.?)?|número de pedido|"
    r"sipariş(?:\s*(?:no|numarası|numaram))?|numero ng order|订单号?|订单编号"
)
# A candidate is an id-like token; its left context decides whether it is an order number.
_ORDER_ID = re.compile(r"(?<![0-9A-Za-z-])[A-Z]{0,3}\d[\d-]{1,14}\d(?![0-9A-Za-z-])", re.IGNORECASE)
_ORDER_BEFORE = re.compile(rf"(?:(?<!\w)(?:{_ORDER_WORDS})\s*(?:[#:：]|n[°oº]\.?)?\s*|(?<![\w#])#\s?)$", re.IGNORECASE)
_ORDER_AFTER = re.compile(r"\s+numaralı sipariş", re.IGNORECASE)
_NUMBER = re.compile(r"(?<![0-9A-Za-z.,])(?:\d{1,3}(?:[.,\s]\d{3})*(?:[.,]\d{1,2})?(?:,-)?|\d+(?:[.,]\d{1,2})?)(?!\d)")
_CURRENCY = r"[€$£¥₱₺]|US\$|USD|EUR|GBP|DKK|NOK|SEK|CNY|RMB|PHP|TRY|TL|kr\.?|Euro|euros?|pesos?|piso|lira|元|人民币"
_CURRENCY_BEFORE = re.compile(rf"(?:(?<![\w])(?:{_CURRENCY})|[€$£¥₱₺])\s?$", re.IGNORECASE)
_CURRENCY_AFTER = re.compile(rf"\s?(?:[€$£¥₱₺](?!\s?\d)|元|(?:{_CURRENCY})(?!\w))", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,6}(?!\w)")
_DIGIT = re.compile(r"\d")
_CONTEXT = 32


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    """Distinct non-empty values in first-seen order."""
    return tuple(dict.fromkeys(v.strip() for v in values if v and v.strip()))


def _phone_value(raw: str) -> str | None:
    """E.164-ish normalization: '+' and 8 to 15 digits, else None."""
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("00"):
        digits = digits[2:]
    return "+" + digits if 8 <= len(digits) <= 15 else None


def _order_numbers(text: str) -> Iterable[str]:
    """Id-like tokens preceded by an order word or '#', or followed by 'numaralı sipariş'."""
    for m in _ORDER_ID.finditer(text):
        start, end = m.span()
        if _ORDER_BEFORE.search(text, max(0, start - _CONTEXT), start) or _ORDER_AFTER.match(text, end):
            yield m.group(0)


def _amounts(text: str) -> Iterable[str]:
    """Numbers with a currency symbol or code right before or after them."""
    for m in _NUMBER.finditer(text):
        start, end = m.span()
        before = _CURRENCY_BEFORE.search(text, max(0, start - 8), start)
        if before:
            yield text[before.start() : end]
            continue
        after = _CURRENCY_AFTER.match(text, end)
        if after:
            yield text[start : after.end()]


def extract_entities(text: str) -> dict[str, tuple[str, ...]]:
    """Order numbers, amounts, emails and phone numbers mentioned in text."""
    has_digit = _DIGIT.search(text) is not None
    orders = _unique(_order_numbers(text)) if has_digit else ()
    amounts = _unique(_amounts(text)) if has_digit else ()
    emails = _unique(m.group(0) for m in _EMAIL.finditer(text)) if "@" in text else ()
    phones = _unique(p for m in _PHONE.finditer(text) if (p := _phone_value(m.group(0)))) if has_digit else ()
    return {"order_numbers": orders, "amounts": amounts, "emails": emails, "phones": phones}
