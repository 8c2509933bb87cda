"""Fax documents made for the tests with real fonts: PDFs with and without a text layer, scanned TIFFs."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

LATIN_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FAX_DPI = (204, 196)
"""A fax's "fine" resolution."""

ENGLISH = [
    "Dear customer service team,",
    "I ordered a winter jacket last week and it has not arrived yet.",
    "My order number is 48213. Please tell me where my parcel is.",
    "I would also like a refund of the shipping costs.",
    "Kind regards, Margaret Wilson",
]
GERMAN = [
    "Sehr geehrte Damen und Herren,",
    "ich habe letzte Woche eine Winterjacke bestellt, sie ist nicht angekommen.",
    "Meine Bestellnummer ist 48213. Bitte teilen Sie mir mit, wo mein Paket ist.",
    "Außerdem möchte ich die Versandkosten zurückerstattet bekommen.",
    "Mit freundlichen Grüßen, Jürgen Müller",
]
CHINESE = [
    "尊敬的客服团队，",
    "我上周订购了一件冬季夹克，但是还没有收到。",
    "我的订单号是48213。请告诉我包裹在哪里。",
    "我还想退还运费。谢谢！",
]


def font_for(lines: Sequence[str]) -> Path:
    """The Noto CJK font for Chinese lines, DejaVu Sans otherwise."""
    return CJK_FONT if any("\u4e00" <= ch <= "\u9fff" for line in lines for ch in line) else LATIN_FONT


def scanned_page(lines: Sequence[str], *, dpi: tuple[int, int] = FAX_DPI, size: int = 34) -> Image.Image:
    """A 1-bit US-letter page image of ``lines`` at a fax resolution, as a fax machine scans it."""
    width, height = round(8.5 * dpi[0]), round(11 * dpi[1])
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(font_for(lines)), size)
    y = 150
    for line in lines:
        draw.text((120, y), line, font=font, fill=0)
        y += round(size * 1.7)
    if dpi[1] < dpi[0]:
        # Normal-mode fax: half the lines, so the text is squashed vertically like a real one.
        page = page.resize((width, round(height * dpi[1] / dpi[0])))
    return page.convert("1")


def scanned_tiff(pages: Sequence[Sequence[str]], *, dpi: tuple[int, int] = FAX_DPI) -> bytes:
    """A multi-page CCITT G4 TIFF, one page per list of lines, as fax services attach them."""
    images = [scanned_page(lines, dpi=dpi) for lines in pages]
    out = io.BytesIO()
    images[0].save(out, format="TIFF", compression="group4", dpi=dpi, save_all=True, append_images=images[1:])
    return out.getvalue()


def text_pdf(pages: Sequence[Sequence[str]], *, header: str | None = None) -> bytes:
    """A PDF whose pages carry ``lines`` as real text (a text layer), in an embedded TrueType font."""
    pdf = FPDF(format="letter")
    pdf.add_font("latin", fname=str(LATIN_FONT))
    pdf.add_font("cjk", fname=str(CJK_FONT))
    for lines in pages:
        pdf.add_page()
        pdf.set_font("cjk" if font_for(lines) == CJK_FONT else "latin", size=13)
        if header:
            pdf.cell(text=header, new_x="LMARGIN", new_y="NEXT")
        for line in lines:
            pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def scanned_pdf(pages: Sequence[Sequence[str]], *, header: str | None = None) -> bytes:
    """A PDF of page images only (no text layer, but for an optional one-line stamped ``header``)."""
    pdf = FPDF(format="letter", unit="in")
    pdf.add_font("stamp", fname=str(LATIN_FONT))
    for lines in pages:
        pdf.add_page()
        picture = scanned_page(lines, dpi=(200, 200)).convert("L")
        pdf.image(picture, x=0, y=0, w=8.5, h=11)
        if header:
            pdf.set_font("stamp", size=8)
            pdf.set_xy(0.3, 0.2)
            pdf.cell(text=header)
    return bytes(pdf.output())
