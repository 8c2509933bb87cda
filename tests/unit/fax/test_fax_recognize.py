"""Recognizing fax-to-email deliveries: the service by sender domain, received-fax subjects, E.164 numbers, pages."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

import services.fax
from services.fax import DEFAULT_FAX_SENDERS, FaxOrigin, recognize

NY = "+12125550143"  # phonenumbers' own notion of a valid New York number
CPH = "+4532123456"


def fax(sender: str, subject: str | None, text: str = "", headers: dict[str, str] | None = None) -> FaxOrigin | None:
    return recognize(sender=sender, subject=subject, headers=headers or {}, text=text, fax_senders=None)


def test_public_api_is_exactly_what_the_email_adapter_uses() -> None:
    assert sorted(services.fax.__all__) == [
        "DEFAULT_FAX_SENDERS",
        "FaxDocument",
        "FaxOrigin",
        "OcrState",
        "fax_message",
        "fax_metadata",
        "find_tesseract",
        "is_fax_document",
        "read_document",
        "recognize",
        "sender_domains",
    ]


@pytest.mark.parametrize(
    ("sender", "subject", "provider", "pages"),
    [
        (
            '"eFax" <message@inbound.efax.com>',
            'eFax message from "Jane Doe" - 2 page(s), Caller-ID: 1-212-555-0143',
            "efax",
            2,
        ),
        ("MyFax <myfax@myfax.com>", 'MyFax message from "2125550143" - 1 page(s)', "myfax", 1),
        ("MetroFax <message@metrofax.com>", "MetroFax message from 212-555-0143 - 3 page(s)", "metrofax", 3),
        (
            "RingCentral <service@ringcentral.com>",
            "New Fax Message from (212) 555-0143 on 12/03/2026 10:02",
            "ringcentral",
            None,
        ),
        ("FAX.PLUS <noreply@fax.plus>", "New fax received from +1 212-555-0143", "faxplus", None),
        ("SRFax <noreply@srfax.com>", "Fax Received - CallerID: 2125550143 - Pages: 4", "srfax", 4),
        ("FAXAGE <faxes@faxage.com>", "Incoming fax from 2125550143 (2 pages)", "faxage", 2),
        ("Dropbox Fax <noreply@hellofax.com>", "You received a fax from +12125550143", "hellofax", None),
        ("InterFAX <securefax@interfax.net>", "Fax received from 212.555.0143", "interfax", None),
        ("Sfax <notifications@sfaxme.com>", "Sfax: New fax received, Caller ID 212-555-0143", "sfax", None),
    ],
)
def test_common_fax_services_are_recognized_with_the_senders_number(
    sender: str, subject: str, provider: str, pages: int | None
) -> None:
    assert fax(sender, subject) == FaxOrigin(provider=provider, number=NY, pages=pages)


@pytest.mark.parametrize(
    "subject",
    [
        "Your fax to 2125550143 was sent successfully",
        "Fax delivery failed: 2125550143",
        "Fax transmission report",
        "New Voice Message from (212) 555-0143",
        "Missed call from 2125550143",
        "Your RingCentral invoice",
    ],
)
def test_reports_and_other_notices_from_a_fax_service_are_ordinary_mail(subject: str) -> None:
    assert fax("RingCentral <service@ringcentral.com>", subject) is None


@pytest.mark.parametrize(
    "sender",
    [
        "someone@example.com",
        "message@efax.com.attacker.example",
        "message@notefax.com",
        "efax.com@example.com",
        "not an address",
        "",
    ],
)
def test_only_the_services_own_domains_count(sender: str) -> None:
    assert fax(sender, "eFax message from 2125550143 - 1 page(s)") is None


def test_our_receiving_number_is_not_taken_for_the_senders() -> None:
    origin = fax("<message@inbound.efax.com>", "Fax to +1 212-555-0143 from +45 32 12 34 56")
    assert origin is not None
    assert origin.number == CPH


def test_number_comes_from_the_body_when_the_subject_has_none() -> None:
    body = "You have received a 2 page fax.\nTo: (646) 555-0100\nCaller ID: +45 32 12 34 56\nReceived: 2026-12-03"
    assert fax("<message@inbound.efax.com>", "eFax message - 2 page(s)", body) == FaxOrigin("efax", CPH, 2)


def test_a_fax_header_number_wins_and_makes_any_subject_a_fax() -> None:
    headers = {"X-Fax-Caller-ID": "0045 32 12 34 56", "X-Fax-Pages": "5"}
    origin = fax("<gw@ringcentral.com>", "Scanned document", "from 2125550143", headers)
    assert origin == FaxOrigin("ringcentral", CPH, 5)


def test_a_fax_without_a_usable_number_is_still_a_fax() -> None:
    assert fax("<message@inbound.efax.com>", 'eFax message from "Anonymous" - 1 page(s)') == FaxOrigin("efax", None, 1)


def test_configured_senders_replace_the_defaults() -> None:
    mine = ["fax.mycorp.dk", "scanner@office.example"]
    got = recognize(
        sender="faxsrv@fax.mycorp.dk", subject="Telefax fra +45 32 12 34 56", headers={}, text="", fax_senders=mine
    )
    assert got == FaxOrigin(provider="fax.mycorp.dk", number=CPH)
    exact = recognize(sender="Scanner <scanner@office.example>", subject="Fax", headers={}, text="", fax_senders=mine)
    assert exact is not None
    assert exact.provider == "office.example"
    other = recognize(sender="someone@office.example", subject="Fax", headers={}, text="", fax_senders=mine)
    assert other is None
    efax = recognize(sender="message@inbound.efax.com", subject="eFax message", headers={}, text="", fax_senders=mine)
    assert efax is None


def test_an_empty_sender_list_turns_fax_recognition_off() -> None:
    got = recognize(sender="message@inbound.efax.com", subject="eFax message", headers={}, text="", fax_senders=[])
    assert got is None


def test_subjects_in_the_customers_languages_are_recognized() -> None:
    for subject in [
        "Neues Fax von +45 32 12 34 56",
        "传真来自 +45 32 12 34 56，共2页",
        "Nouveau fax de +45 32 12 34 56",
    ]:
        origin = fax("<noreply@fax.plus>", subject)
        assert origin == FaxOrigin("faxplus", CPH, 2 if "页" in subject else None), subject


REGIONS = ["US", "GB", "DK", "NO", "SE", "DE", "FR", "ES", "CN", "PH", "TR"]


@st.composite
def written_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """A valid fax number of one of our customers' countries, as fax services write it, and its E.164 form."""
    region = draw(st.sampled_from(REGIONS))
    number = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.FIXED_LINE)
    assert number is not None
    style = draw(
        st.sampled_from(
            ["e164", "international", "idd", "national"] if region == "US" else ["e164", "international", "idd"]
        )
    )
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    written = {
        "e164": e164,
        "international": phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
        "idd": "00" + e164[1:],
        "national": phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL),
    }[style]
    return written, e164


@given(
    written_numbers(),
    st.sampled_from(
        [
            'eFax message from "{n}" - 2 page(s)',
            "eFax message - 1 page(s), Caller-ID: {n}",
            "New Fax Message from {n} on 12/03/2026",
            "Fax received from: {n}",
            "Fax (CSID {n})",
        ]
    ),
    st.sampled_from(sorted(DEFAULT_FAX_SENDERS)),
    st.sampled_from(["", "mail.", "inbound."]),
)
def test_any_valid_number_in_a_service_subject_becomes_e164(
    number: tuple[str, str], template: str, domain: str, sub: str
) -> None:
    written, e164 = number
    origin = fax(f"Fax <notify@{sub}{domain}>", template.format(n=written))
    assert origin is not None
    assert origin.provider == DEFAULT_FAX_SENDERS[domain]
    assert origin.number == e164


@given(
    st.emails().filter(lambda a: not any(a.lower().endswith(d) for d in DEFAULT_FAX_SENDERS)),
    st.text(max_size=200),
    st.text(max_size=500),
    st.dictionaries(st.sampled_from(["X-Fax-Caller-ID", "Subject", "X-Fax-Pages"]), st.text(max_size=40)),
)
def test_mail_from_anyone_else_is_never_a_fax(sender: str, subject: str, text: str, headers: dict[str, str]) -> None:
    assert fax(sender, subject, text, headers) is None


@given(
    st.text(max_size=300),
    st.one_of(st.none(), st.text(max_size=300)),
    st.text(max_size=3000),
    st.dictionaries(st.text(max_size=30), st.text(max_size=80), max_size=8),
    st.one_of(st.none(), st.lists(st.text(max_size=40), max_size=4)),
)
def test_recognition_never_raises_and_numbers_are_e164(
    sender: str, subject: str | None, text: str, headers: dict[str, str], senders: list[str] | None
) -> None:
    for who in (sender, f"x@{sender}.efax.com"):
        origin = recognize(sender=who, subject=subject, headers=headers, text=text, fax_senders=senders)
        if origin is not None and origin.number is not None:
            parsed = phonenumbers.parse(origin.number)
            assert phonenumbers.is_valid_number(parsed)
            assert origin.number == phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        if origin is not None and origin.pages is not None:
            assert origin.pages > 0
