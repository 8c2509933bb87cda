"""clean_text strips quoted history, signatures and closings."""

from __future__ import annotations

import pytest

from router.classify import clean_text
from router.classify.clean import customer_text, strip_letterhead


@pytest.mark.parametrize(
    "quote",
    [
        "On Mon, 3 Jun 2024 at 10:12, Support <support@shop.example> wrote:\n> old text",
        "Den man. 3. jun. 2024 kl. 10.12 skrev Kundeservice <support@shop.example>:\n> old text",
        "Am Mo., 3. Juni 2024 um 10:12 Uhr schrieb Support <s@x.de>:\n> old text",
        "Le lun. 3 juin 2024 à 10:12, Support <s@x.fr> a écrit :\n> old text",
        "El lun, 3 jun 2024 a las 10:12, Soporte <s@x.es> escribió:\n> old text",
        "-----Original Message-----\nFrom: Support\nSent: Monday\n\nold text",
        "-----Ursprungligt meddelande-----\nFrån: Kundtjänst\nold text",
        "From: Support <s@x.com>\nSent: Monday, June 3, 2024\nTo: me\n\nold text",
        "在 2024年6月3日 10:12，客服 <s@x.cn> 写道：\n> old text",
        "> old text\n> more old text",
    ],
)
def test_quoted_history_is_removed(quote: str) -> None:
    assert clean_text(f"Where is my parcel?\n\n{quote}") == "Where is my parcel?"


@pytest.mark.parametrize(
    "signature",
    [
        "Sent from my iPhone",
        "-- \nJohn Smith\nAcme Ltd",
        "Best regards,\nJohn",
        "Med venlig hilsen\nMette Jensen",
        "Vennlig hilsen\nOla",
        "Med vänliga hälsningar\nAnna",
        "Mit freundlichen Grüßen\nThomas Müller",
        "Cordialement,\nMarie",
        "Saludos cordiales,\nMaría",
        "Saygılarımla,\nAhmet",
        "Von meinem iPhone gesendet",
        "发自我的iPhone",
    ],
)
def test_signatures_and_closings_are_removed(signature: str) -> None:
    text = f"Hi,\n\nI want to return the jacket.\n\n{signature}"
    assert clean_text(text) == "Hi,\n\nI want to return the jacket."


def test_message_that_is_only_a_closing_is_kept() -> None:
    assert clean_text("Thanks!\nJohn") == "Thanks!\nJohn"


def test_single_line_text_is_only_trimmed() -> None:
    assert clean_text("  cancel order 123  ") == "cancel order 123"


def test_windows_line_endings_are_normalized() -> None:
    assert clean_text("Hello\r\nplease help\r\n\r\nSent from my iPhone") == "Hello\nplease help"


FAX = (
    "NORDIC SUPPLY\nVestergade 12, 8000 Aarhus\nTlf. 86 12 34 56  Fax 86 12 34 57\nTIL: Kundeservice    Sider: 1\n"
    "03.06.2024\n\nHej,\n\nJeg vil gerne returnere stolen, den er i stykker.\n\nVenlig hilsen\nLars"
)


def test_fax_letterhead_and_cover_sheet_are_dropped() -> None:
    assert customer_text(FAX, "fax") == "Hej,\n\nJeg vil gerne returnere stolen, den er i stykker."


def test_letterhead_is_only_stripped_from_faxes() -> None:
    text = "Tel 0113 496 0000\n\nMy order never arrived."
    assert customer_text(text, "email") == text


def test_a_fax_that_is_all_letterhead_is_kept_whole() -> None:
    assert strip_letterhead("FAX +49 301234  P.01/01\nTo: Service") == "FAX +49 301234  P.01/01\nTo: Service"


def test_a_fax_without_letterhead_keeps_its_first_line() -> None:
    text = "Please cancel my order 88123, I ordered it twice by mistake.\n\nRegards,\nAnna"
    assert customer_text(text, "fax") == "Please cancel my order 88123, I ordered it twice by mistake."
