"""Address normalization and conversation keys."""

from __future__ import annotations

import re

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.normalize import (
    AddressInvalid,
    conversation_id,
    conversation_key,
    normalize_address,
    normalize_email,
    normalize_phone,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("+45 20 12 34 56", "+4520123456"), ("0045-20123456", "+4520123456"), ("+1 (415) 555-0100", "+14155550100")],
)
def test_phone_numbers_become_e164(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["20123456", "hello", "+0123456789", "+1", ""])
def test_numbers_without_country_code_are_refused(raw: str) -> None:
    with pytest.raises(AddressInvalid):
        normalize_phone(raw)


def test_email_is_lowercased_addr_spec() -> None:
    assert normalize_email("Kirsten Jensen <Kirsten.J@Example.DK>") == "kirsten.j@example.dk"


@pytest.mark.parametrize("raw", ["no-at-sign", "a@b", "two@@example.com", "spaces in@example.com"])
def test_invalid_email_is_refused(raw: str) -> None:
    with pytest.raises(AddressInvalid):
        normalize_email(raw)


def test_fax_accepts_a_number_or_an_email() -> None:
    assert normalize_address("fax", "+4570707070") == ("phone", "+4570707070")
    assert normalize_address("fax", "Fax@Example.com") == ("email", "fax@example.com")


def test_sms_conversation_is_the_sender_recipient_pair() -> None:
    a = conversation_key("sms", "+4520123456", "+4570000000")
    assert a == conversation_key("sms", "+4520123456", "+4570000000")
    assert a != conversation_key("sms", "+4520123456", "+4570000001")


def test_email_thread_root_defines_the_conversation() -> None:
    one = conversation_key("email", "a@example.com", "support@shop.dk", "<Root@mail>")
    assert one == conversation_key("email", "b@example.com", "support@shop.dk", "<root@mail>")


@given(st.text(max_size=40), st.text(max_size=40))
def test_conversation_id_is_stable_and_uuid_shaped(sender: str, recipient: str) -> None:
    key = conversation_key("chat", sender or "s", recipient)
    assert conversation_id(key) == conversation_id(key)
    assert len(conversation_id(key)) == 36


@given(st.text(max_size=60))
def test_normalize_address_either_normalizes_or_says_why(raw: str) -> None:
    for channel in ("email", "sms", "chat", "fax"):
        try:
            kind, value = normalize_address(channel, raw)  # type: ignore[arg-type]
        except AddressInvalid:
            continue
        assert value
        assert kind in ("email", "phone", "chat_session")


def _example_numbers() -> list[str]:
    """One real example number (E.164) per region phonenumbers knows."""
    found = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        example = phonenumbers.example_number(region)
        if example is not None:
            found.append(phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164))
    return found


EXAMPLES = _example_numbers()


def _spelled(e164: str, style: int, separators: list[str]) -> str:
    """``e164`` as a person or a provider might write it: 00 or + or tel:, digits split by separators."""
    digits = e164[1:]
    prefix = ("+", "00", "tel:+", " +")[style]
    out = []
    for i, d in enumerate(digits):
        out.append(d)
        if i < len(separators) and i < len(digits) - 1:
            out.append(separators[i])
    return prefix + "".join(out)


@given(
    st.sampled_from(EXAMPLES),
    st.integers(0, 3),
    st.lists(st.sampled_from(["", "", " ", "-", ".", "/"]), max_size=15),
)
def test_any_spelling_of_a_number_gives_the_same_e164(e164: str, style: int, separators: list[str]) -> None:
    assert normalize_phone(_spelled(e164, style, separators)) == e164


@given(st.text(max_size=40))
def test_phone_normalization_gives_e164_or_refuses(raw: str) -> None:
    try:
        value = normalize_phone(raw)
    except AddressInvalid:
        return
    assert re.fullmatch(r"\+[1-9]\d{6,14}", value)
    assert normalize_phone(value) == value


@given(st.sampled_from(EXAMPLES))
def test_a_number_without_its_country_code_is_refused(e164: str) -> None:
    with pytest.raises(AddressInvalid):
        normalize_phone(e164[1:])


@given(st.emails())
def test_email_normalization_is_lowercase_and_idempotent(raw: str) -> None:
    value = normalize_email(f"Someone <{raw}>")
    assert value == raw.lower()
    assert normalize_email(value) == value
