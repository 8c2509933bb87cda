"""Entity extraction (order numbers, amounts, emails, phones, dates): pure regexes, compiled once."""

from __future__ import annotations

import re
from collections.abc import Iterable

_ORDER_WORDS = (
    r"order(?:\s*(?:number|no\.?|nr\.?|id|#))?|ordre(?:\s*nr\.?)?|ordrenummer|ordrenr\.?|"
    r"bestilling(?:snummer|snr\.?)?|beställning(?:snummer|snr\.?)?|ordernummer|ordernr\.?|"
    r"bestellung(?:\s*nr\.?)?|bestellnummer|bestell-nr\.?|auftrag(?:snummer|s-nr\.?)?|"
    r"commande(?:\s*(?:n[°o]\.?|numéro))?|numéro de commande|n[°o] de commande|"
    r"pedido(?:\s*(?:n[ºo°]\.?|número))?|número de pedido|"
    r"sipariş(?:\s*(?:no|numarası|numaram|numaramız))?|numero ng order|order ko|order number ko"
)
# Chinese order words need no word boundary: ideographs run into each other ("我的订单12345").
_ORDER_WORDS_CJK = r"订单(?:号码?|编号)?|單號|单号|訂單(?:號碼?|編號)?"
# A candidate is an id-like token; its left context decides whether it is an order number.
_ORDER_ID = re.compile(r"(?<![0-9A-Za-z-])[A-Z]{0,3}\d[\d-]{1,14}\d(?![0-9A-Za-z-])", re.IGNORECASE)
_ORDER_BEFORE = re.compile(
    rf"(?:(?:(?<!\w)(?:{_ORDER_WORDS})|{_ORDER_WORDS_CJK})\s*(?:[#:：]|n[°oº]\.?|(?:ay|is|er|är|ist|est|es)\b|是)?"
    rf"\s*[#:：]?\s*|(?<![\w#])#\s?)$",
    re.IGNORECASE,
)
_ORDER_AFTER = re.compile(r"\s*(?:numaralı|nolu|no'?lu)\s+sipariş", re.IGNORECASE)
# Amounts: 1.234,50 / 1,234.50 / 1 234,50 (also with no-break spaces) / 1234 / 1234,5 and "583,-".
_NUMBER = re.compile(
    r"(?<![0-9A-Za-z.,])(?:\d{1,3}(?:[.,\s\u00a0\u202f']\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)(?:,-)?(?!\d)"
)
_CURRENCY = (
    r"[€$£¥₱₺]|US\$|USD|EUR|GBP|DKK|NOK|SEK|CNY|RMB|PHP|TRY|TL|CHF|kr\.?|kronor|kroner|kronen|"
    r"euros?|dollars?|pesos?|piso|lira|yuan|元|块钱?|人民币"
)
_CURRENCY_BEFORE = re.compile(rf"(?:(?<![\w])(?:{_CURRENCY})|[€$£¥₱₺元]|人民币)\s?$", re.IGNORECASE)
_CURRENCY_AFTER = re.compile(rf"[\s\u00a0\u202f]?(?:[€$£¥₱₺](?!\s?\d)|元|块钱?|(?:{_CURRENCY})(?!\w))", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,6}(?!\w)")
# A national number (no country code) counts only after a phone word: "tlf. 20 30 40 50", "手机13812345678".
_PHONE_WORDS = (
    r"phone|tel\.?|tlf\.?|telefon(?:nummer|nr\.?)?|téléphone|tél\.?|teléfono|telefono|mobil(?:e|nummer)?|"
    r"cell(?:phone)?|cp|numara(?:m|sı)?|handy|portable|móvil|celular|ring|call|ringe|numero ko|"
    r"llámame|llame|llamar|appelez|rufen|anrufen|ara(?:yın)?|tawagan|text|sms"
)
_NATIONAL_PHONE = re.compile(
    rf"(?:(?<!\w)(?:{_PHONE_WORDS})|电话|手机|電話|手機)(?:\s*(?:number|no\.?|nr\.?|号码?|me|mig|meg|mich|moi|on|at|på|ko|ay|al|au|unter|sa|a|mo|ako)\b|\s*[:：])*"
    r"\s*[:：]?\s*(0?\d(?:[\s.-]?\d){6,12})(?![\d])",
    re.IGNORECASE,
)
_MONTHS = (
    r"jan(?:uary|uar|vier|uari|eiro)?|feb(?:ruary|ruar|ruari)?|févr(?:ier)?|mar(?:ch|s|ts)?|märz|apr(?:il|il)?|avr(?:il)?|"
    r"maj|mai|may(?:o)?|jun(?:e|i|io)?|juin|jul(?:y|i|io)?|juil(?:let)?|aug(?:ust|usti)?|août|sep(?:t|tember|tembre)?|"
    r"okt(?:ober)?|oct(?:ober|obre)?|nov(?:ember|embre)?|dec(?:ember)?|des(?:ember)?|dez(?:ember)?|déc(?:embre)?|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|"
    r"ocak|şubat|mart|nisan|mayıs|haziran|temmuz|ağustos|eylül|ekim|kasım|aralık|"
    r"enero|pebrero|marso|abril|hunyo|hulyo|agosto|setyembre|oktubre|nobyembre|disyembre"
)
_DATE = re.compile(
    r"(?<![\d.\-/])(?:"
    r"\d{4}-\d{1,2}-\d{1,2}"  # 2024-06-03
    r"|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})"  # 03.06.2024, 3/6/24
    r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]|\d{1,2}\s*月\s*\d{1,2}\s*[日号]"  # 2024年6月3日, 6月3日
    rf"|\d{{1,2}}\.?\s*(?:de\s+)?(?:{_MONTHS})\.?(?:\s+(?:de\s+)?\d{{4}})?"  # 3. juni 2024, 3 de junio de 2024
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"  # June 3, 2024; Hunyo 3
    r")(?!\d)(?![^\W\d_\u3400-\u9fff])",
    re.IGNORECASE,
)
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


def _national_phones(text: str) -> Iterable[str]:
    """Numbers without a country code that follow a phone word: their digits as written."""
    for m in _NATIONAL_PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group(1))
        if 7 <= len(digits) <= 13:
            yield digits


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
    """Order numbers, amounts, emails, phone numbers and dates mentioned in text."""
    has_digit = _DIGIT.search(text) is not None
    orders = _unique(_order_numbers(text)) if has_digit else ()
    amounts = _unique(_amounts(text)) if has_digit else ()
    emails = _unique(m.group(0) for m in _EMAIL.finditer(text)) if "@" in text else ()
    phones = _unique(_phones(text)) if has_digit else ()
    dates = _unique(m.group(0) for m in _DATE.finditer(text)) if has_digit else ()
    return {"order_numbers": orders, "amounts": amounts, "emails": emails, "phones": phones, "dates": dates}


def _phones(text: str) -> Iterable[str]:
    """International numbers in E.164 form, then national ones after a phone word, as digits."""
    international = [p for m in _PHONE.finditer(text) if (p := _phone_value(m.group(0)))]
    yield from international
    for digits in _national_phones(text):
        if not any(p.endswith(digits.lstrip("0")) for p in international):
            yield digits
