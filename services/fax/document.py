"""Read a fax document (PDF, multi-page TIFF or another image): its text layer, or Tesseract OCR of its pages.

``read_document`` never raises and never blocks the event loop: the work runs in a worker thread, within a
page limit and a deadline. PDFium is not thread-safe, so every call into it holds one process-wide lock;
Tesseract runs as a subprocess, at most one per CPU at a time, and is killed when the deadline passes.
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal

import pypdfium2
from PIL import Image, ImageSequence

from services.fax.ocr import LanguagePlan, OcrError, find_tesseract
from shared.schema import MAX_TEXT

log = logging.getLogger(__name__)

Method = Literal["text_layer", "ocr", "none"]
OcrState = Literal["not_needed", "done", "partial", "failed", "off"]

RENDER_DPI = 200
"""Fax resolution ("fine" is 204 x 196 dpi): what PDF pages are rendered at for OCR."""
MAX_PIXELS = 30_000_000
"""A page image larger than this (about A0 at 200 dpi) is scaled down, or refused when it is an image file."""
TEXT_LAYER_MIN_LETTERS = 64
"""A PDF page whose text layer has fewer letters is OCR'd: fax services stamp a one-line header as text."""
_GRACE_SECONDS = 5.0

_pdfium = threading.Lock()
_tesseract_slots = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))
_BLANKS = re.compile(r"[ \t\r\f\v]+\n")
_GAPS = re.compile(r"\n{3,}")
# Tesseract separates Chinese characters by spaces, as if each were a word.
_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}\d])")


@dataclass(frozen=True)
class FaxDocument:
    """What was read from a fax document."""

    text: str
    """The document's text, pages separated by blank lines (empty when none could be read)."""
    pages: int
    """How many pages the document has (0 when it could not be opened)."""
    method: Method
    """``ocr`` when any page was OCR'd, ``text_layer`` when all text came from the PDF, else ``none``."""
    error: str | None
    """Why reading stopped short (no document content in it); None when every page in the limit was read."""
    pages_read: int = 0
    """How many pages were read (the page limit caps it)."""
    ocr_off: bool = False
    """Pages needed OCR but this machine has no Tesseract."""

    @property
    def ocr_state(self) -> OcrState:
        """One word for the message's metadata: not_needed, done, partial, failed or off."""
        if self.ocr_off:
            return "off"
        if self.error is not None:
            return "partial" if self.text else "failed"
        if self.pages_read < self.pages:
            return "partial"
        return "done" if self.method == "ocr" else "not_needed"


async def read_document(
    data: bytes, content_type: str, *, max_pages: int, timeout: float, languages: Sequence[str]
) -> FaxDocument:
    """Read a fax document off the event loop, within ``max_pages`` and ``timeout`` seconds; never raises."""
    deadline = time.monotonic() + timeout
    job = asyncio.to_thread(_read, data, content_type, max(1, max_pages), deadline, tuple(languages))
    try:
        # The worker keeps to the deadline itself; the grace only covers a pathological PDF page that
        # PDFium takes long to render (that thread then finishes in the background).
        return await asyncio.wait_for(job, timeout + _GRACE_SECONDS)
    except TimeoutError:
        return FaxDocument(text="", pages=0, method="none", error="reading the document ran out of time")
    except Exception as exc:
        log.warning("fax document could not be read", extra={"error": type(exc).__name__})
        return FaxDocument(text="", pages=0, method="none", error="the document could not be read")


@dataclass
class _Reading:
    """The pages read so far."""

    pages: int
    texts: list[str] = field(default_factory=list)
    ocr_pages: int = 0
    layer_pages: int = 0
    error: str | None = None
    ocr_off: bool = False

    def result(self) -> FaxDocument:
        text = "\n\n".join(t for t in self.texts if t)[:MAX_TEXT]
        method: Method = "ocr" if self.ocr_pages else "text_layer" if self.layer_pages and text else "none"
        return FaxDocument(text, self.pages, method, self.error, len(self.texts), self.ocr_off)


@dataclass(frozen=True)
class _Page:
    """One page: its text layer (PDF) and how to get its image for OCR (PNG bytes and dpi)."""

    text_layer: str
    image: Callable[[], tuple[bytes, int]]


def _read(data: bytes, content_type: str, max_pages: int, deadline: float, languages: tuple[str, ...]) -> FaxDocument:
    try:
        with _pdf_pages(data, max_pages) if _is_pdf(data, content_type) else _image_pages(data, max_pages) as opened:
            return _read_pages(*opened, deadline, languages)
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombWarning, Image.DecompressionBombError):
        return FaxDocument(text="", pages=0, method="none", error="not a readable PDF or image")


def _is_pdf(data: bytes, content_type: str) -> bool:
    """PDF by its signature (fax services label attachments application/octet-stream too)."""
    return data.startswith(b"%PDF-") or (content_type.lower().startswith("application/pdf") and b"%PDF-" in data[:1024])


def _read_pages(count: int, pages: Iterator[_Page], deadline: float, languages: tuple[str, ...]) -> FaxDocument:
    reading = _Reading(pages=count)
    plan: LanguagePlan | None = None
    ocr_languages: tuple[str, ...] | None = None
    while True:
        try:
            page = next(pages, None)
        except Exception as exc:  # a damaged page: keep the pages before it
            reading.error = f"page {len(reading.texts) + 1} of {count} could not be opened ({type(exc).__name__})"
            break
        if page is None:
            break
        if _letters(page.text_layer) >= TEXT_LAYER_MIN_LETTERS:
            reading.texts.append(_tidy(page.text_layer))
            reading.layer_pages += 1
            continue
        if plan is None:
            tesseract = find_tesseract()
            if tesseract is None:
                reading.ocr_off = True
                reading.texts.append(_tidy(page.text_layer))
                continue
            plan = LanguagePlan(tesseract, languages)
        try:
            if ocr_languages is None:
                ocr_languages, text = _first_ocr(plan, page, deadline)
            else:
                text = _ocr(plan, page, ocr_languages, deadline)
        except OcrError as exc:
            reading.error = f"OCR stopped at page {len(reading.texts) + 1} of {count}: {exc}"
            break
        reading.texts.append(_tidy(text))
        reading.ocr_pages += 1
    return reading.result()


def _first_ocr(plan: LanguagePlan, page: _Page, deadline: float) -> tuple[tuple[str, ...], str]:
    """Read the first page to OCR with the probe languages, settle the document's languages, re-read if needed."""
    text = _ocr(plan, page, plan.probe, deadline)
    languages = plan.settle(text)
    if set(languages) <= set(plan.probe):
        return languages, text
    try:
        return languages, _ocr(plan, page, languages, deadline)
    except OcrError:
        return languages, text


def _ocr(plan: LanguagePlan, page: _Page, languages: tuple[str, ...], deadline: float) -> str:
    remaining = deadline - time.monotonic()
    if remaining <= 0 or not _tesseract_slots.acquire(timeout=remaining):
        raise OcrError("out of time")
    try:
        try:
            image, dpi = page.image()
        except Exception as exc:
            raise OcrError(f"the page could not be rendered ({type(exc).__name__})") from exc
        return plan.tesseract.read(image, languages=languages, dpi=dpi, timeout=deadline - time.monotonic())
    finally:
        _tesseract_slots.release()


@contextmanager
def _pdf_pages(data: bytes, max_pages: int) -> Iterator[tuple[int, Iterator[_Page]]]:
    """The PDF's page count and its first ``max_pages`` pages; every PDFium call holds the PDFium lock."""
    with _pdfium:
        try:
            pdf = pypdfium2.PdfDocument(data)
        except pypdfium2.PdfiumError as exc:
            raise ValueError("not a readable PDF") from exc
        count = len(pdf)
    try:
        yield count, (_pdf_page(pdf, i) for i in range(min(count, max_pages)))
    finally:
        with _pdfium:
            pdf.close()


def _pdf_page(pdf: pypdfium2.PdfDocument, index: int) -> _Page:
    with _pdfium:
        page = pdf[index]
        textpage = page.get_textpage()
        text = str(textpage.get_text_bounded())
        textpage.close()
        width, height = (float(v) for v in page.get_size())

    def image() -> tuple[bytes, int]:
        scale = RENDER_DPI / 72
        pixels = width * height * scale * scale
        if pixels > MAX_PIXELS:
            scale *= (MAX_PIXELS / pixels) ** 0.5
        with _pdfium:
            bitmap = page.render(scale=scale, grayscale=True)
            picture: Image.Image = bitmap.to_pil()
            bitmap.close()
        return _png(picture), round(scale * 72)

    return _Page(text_layer=text, image=image)


@contextmanager
def _image_pages(data: bytes, max_pages: int) -> Iterator[tuple[int, Iterator[_Page]]]:
    """A TIFF's (or other image's) frame count and its first ``max_pages`` frames, at square pixels."""
    picture = Image.open(io.BytesIO(data))
    try:
        if picture.width * picture.height > MAX_PIXELS:
            raise ValueError("page image too large")
        count = int(getattr(picture, "n_frames", 1))
        frames = zip(range(max_pages), ImageSequence.Iterator(picture), strict=False)
        yield count, (_image_page(frame) for _, frame in frames)
    finally:
        picture.close()


def _image_page(frame: Image.Image) -> _Page:
    """One frame; a fax in normal mode has half the vertical resolution (204 x 98 dpi): stretch it square."""
    if frame.width * frame.height > MAX_PIXELS:
        raise ValueError("page image too large")
    dpi = frame.info.get("dpi", (RENDER_DPI, RENDER_DPI))
    x_dpi, y_dpi = (float(dpi[0]) or RENDER_DPI), (float(dpi[1]) or RENDER_DPI)
    picture = frame.copy()
    if abs(x_dpi - y_dpi) / x_dpi > 0.2 and picture.height * x_dpi / y_dpi * picture.width <= MAX_PIXELS:
        picture = picture.resize((picture.width, round(picture.height * x_dpi / y_dpi)))
    if picture.mode not in ("1", "L", "RGB"):
        picture = picture.convert("RGB")
    return _Page(text_layer="", image=lambda: (_png(picture), round(x_dpi)))


def _png(picture: Image.Image) -> bytes:
    out = io.BytesIO()
    picture.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def _tidy(text: str) -> str:
    """Page text without trailing blanks, runs of empty lines or form feeds."""
    text = text.replace("\x0c", "\n").replace("\r\n", "\n")
    return _CJK_SPACE.sub("", _GAPS.sub("\n\n", _BLANKS.sub("\n", text))).strip()
