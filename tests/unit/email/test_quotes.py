"""New text apart from quoted history and signatures, in the ten languages."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.email.quotes import new_text

CASES = {
    "en": "Thanks, that works.\n\nOn Mon, 3 Dec 2026 at 10:00, Shop <help@shop.com> wrote:\n> Hello\n> there\n",
    "en_wrapped": "Thanks.\n\nOn Mon, 3 Dec 2026 at 10:00, Shop Customer Service <help@\nshop.com> wrote:\n> Hi\n",
    "da": "Tak for hjælpen\n\nDen 3. dec. 2026 kl. 10.00 skrev Shop <help@shop.com>:\n> Hej\n",
    "nb": "Takk for svaret\n\nDen 3. des. 2026 kl. 10:00 skrev Shop <help@shop.com>:\n> Hei\n",
    "sv": "Tack så mycket\n\nDen 3 dec. 2026 kl. 10:00 skrev Shop <help@shop.com>:\n> Hej\n",
    "de": "Danke schön\n\nAm 03.12.2026 um 10:00 schrieb Shop <help@shop.com>:\n> Hallo\n",
    "fr": "Merci beaucoup\n\nLe lun. 3 déc. 2026 à 10:00, Shop <help@shop.com> a écrit :\n> Bonjour\n",
    "es": "Muchas gracias\n\nEl lun, 3 dic 2026 a las 10:00, Shop (<help@shop.com>) escribió:\n> Hola\n",
    "zh": "谢谢你的帮助\n\n在 2026年12月3日 10:00，Shop <help@shop.com> 写道：\n> 你好\n",
    "tl": "Salamat po\n\nNoong Lun, Dis 3, 2026 nang 10:00, sumulat si Shop <help@shop.com>:\n> Kumusta\n",
    "tr": "Teşekkürler\n\n3 Ara 2026 Pzt, 10:00 tarihinde Shop <help@shop.com> şunu yazdı:\n> Merhaba\n",
}
EXPECTED = {
    "en": "Thanks, that works.", "en_wrapped": "Thanks.", "da": "Tak for hjælpen", "nb": "Takk for svaret",
    "sv": "Tack så mycket", "de": "Danke schön", "fr": "Merci beaucoup", "es": "Muchas gracias",
    "zh": "谢谢你的帮助", "tl": "Salamat po", "tr": "Teşekkürler",
}  # fmt: skip


@pytest.mark.parametrize("language", sorted(CASES))
def test_attribution_line_and_quote_are_cut(language: str) -> None:
    assert new_text(CASES[language]) == EXPECTED[language]


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ("Fine.\n\nFrom: Shop <help@shop.com>\nSent: Monday, December 3, 2026 10:00\nTo: a@x.com\n\nHello", "Fine."),
        ("Fint.\n\nFra: Shop <help@shop.com>\nSendt: 3. december 2026 10:00\nTil: a@x.com\n\nHej", "Fint."),
        ("Bra.\n\nFrån: Shop <help@shop.com>\nSkickat: den 3 december 2026\nTill: a@x.com\n\nHej", "Bra."),
        ("Gut.\n\nVon: Shop <help@shop.com>\nGesendet: Montag, 3. Dezember 2026\nAn: a@x.com\n\nHallo", "Gut."),
        ("Bien.\n\nDe : Shop <help@shop.com>\nEnvoyé : lundi 3 décembre 2026\nÀ : a@x.com\n\nSalut", "Bien."),
        ("Bueno.\n\nDe: Shop <help@shop.com>\nEnviado: lunes, 3 de diciembre\nPara: a@x.com\n\nHola", "Bueno."),
        ("Tamam.\n\nKimden: Shop <help@shop.com>\nGönderildi: 3 Aralık 2026\nKime: a@x.com\n\nSelam", "Tamam."),
        ("好的\n\n发件人: Shop <help@shop.com>\n发送时间: 2026年12月3日\n收件人: a@x.com\n\n你好", "好的"),
        ("OK\n\n-----Original Message-----\nFrom: Shop\nhello", "OK"),
        ("OK\n\n-----Ursprüngliche Nachricht-----\nVon: Shop\nhallo", "OK"),
    ],
)
def test_outlook_header_blocks_are_cut(block: str, expected: str) -> None:
    assert new_text(block) == expected


def test_signature_after_the_rfc_3676_delimiter_is_cut() -> None:
    assert new_text("Please cancel order 123.\n\n-- \nJohn Doe\nACME Inc.\n") == "Please cancel order 123."


def test_mobile_signature_is_cut() -> None:
    assert new_text("Where is my parcel?\n\nSent from my iPhone\n") == "Where is my parcel?"


def test_inline_quoted_lines_are_dropped_and_the_answers_kept() -> None:
    assert new_text("> Which size?\nLarge, please.\n> Colour?\nBlue.") == "Large, please.\nBlue."


def test_prose_that_mentions_writing_is_not_a_quote_header() -> None:
    text = "Jeg skrev til jer i går om følgende:\nmin jakke er for lille\n"
    assert new_text(text) == text.strip()


def test_a_message_that_is_all_quotation_keeps_its_text() -> None:
    assert new_text("> only quoted\n> text\n") == "> only quoted\n> text"


def test_lists_with_hyphens_are_not_taken_for_signatures() -> None:
    assert new_text("My order:\n- item one\n- item two\nplease") == "My order:\n- item one\n- item two\nplease"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=3000))
def test_any_text_gives_text_without_raising(text: str) -> None:
    assert isinstance(new_text(text), str)


HOSTILE = {
    "attribution starts": "On " * 20_000,
    "attribution lines": "On a\n" * 13_000,
    "skrev lines": "Den skrev skrev skrev\n" * 3_000,
    "at signs": ("@" * 200 + "\n") * 320,
    "tarihinde": ("x tarihinde " * 25 + "\n") * 200,
    "indent": " " * 65_000,
    "quote marks": "> " * 30_000,
    "header blocks": "From: a\nx\nx\n" * 5_000,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_is_scanned_without_backtracking_blowup(name: str) -> None:
    """Each of these took minutes with mail-parser-reply's patterns; a regression here hits the timeout."""
    assert isinstance(new_text(HOSTILE[name]), str)
