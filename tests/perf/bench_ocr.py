"""Fax OCR benchmark: python tests/perf/bench_ocr.py [--pages N] [--repeat N].

Prints seconds per page for reading scanned faxes (multi-page CCITT G4 TIFFs at 204 x 196 dpi, drawn with
real fonts) in English, German and Chinese, three ways: how ``read_document`` does it (first page probed
in English (+Chinese), then the document read in its own language plus English), with all ten configured
languages loaded at once, and with English alone; each with the share of the page's words found. Then a
scanned PDF (rendered by PDFium, then OCR'd) and a PDF with a text layer (no OCR). One Tesseract thread
per page (OMP_THREAD_LIMIT=1), as the adapter runs it. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from services.fax import find_tesseract, read_document  # noqa: E402
from services.fax.ocr import Tesseract  # noqa: E402
from tests.unit.fax.faxdocs import CHINESE, ENGLISH, GERMAN, scanned_page, scanned_pdf, scanned_tiff, text_pdf  # noqa: E402

LANGUAGES = ("en", "da", "nb", "sv", "de", "fr", "es", "zh", "tl", "tr")
ALL_TEN = ("eng", "dan", "nor", "swe", "deu", "fra", "spa", "chi_sim", "fil", "tur")
SAMPLES = {"en": ENGLISH * 3, "de": GERMAN * 3, "zh": CHINESE * 3}


def recall(text: str, lines: Sequence[str]) -> float:
    """The share of the page's words (Chinese: two-character pieces) found in the OCR text."""
    if any("\u4e00" <= ch <= "\u9fff" for line in lines for ch in line):
        joined = "".join(lines)
        wanted = {joined[i : i + 2] for i in range(0, len(joined) - 1, 2) if joined[i : i + 2].strip("，。！")}
    else:
        wanted = {w.strip(".,!?") for line in lines for w in line.split() if len(w.strip(".,!?")) >= 4}
    compact = text.replace(" ", "") if wanted and all(len(w) == 2 for w in wanted) else text
    return sum(w in compact for w in wanted) / max(1, len(wanted))


def adaptive(data: bytes, pages: int) -> tuple[float, str]:
    """Seconds per page through read_document (all ten languages configured), and the text."""
    started = time.perf_counter()
    document = asyncio.run(read_document(data, "image/tiff", max_pages=pages, timeout=600, languages=LANGUAGES))
    assert document.pages_read == pages, document.error
    return (time.perf_counter() - started) / pages, document.text


def direct(tesseract: Tesseract, lines: Sequence[str], languages: Sequence[str], pages: int) -> tuple[float, str]:
    """Seconds per page with Tesseract given ``languages`` for every page, and the last page's text."""
    out = io.BytesIO()
    scanned_page(lines).save(out, format="PNG")
    image, text = out.getvalue(), ""
    started = time.perf_counter()
    for _ in range(pages):
        text = tesseract.read(image, languages=languages, dpi=204, timeout=600)
    return (time.perf_counter() - started) / pages, text


def main() -> None:
    """Time each way over each language's scanned fax ``repeat`` times; print the medians."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    tesseract = find_tesseract()
    if tesseract is None:
        raise SystemExit("bench_ocr: no tesseract on PATH (see .ci/install-deps.sh)")
    asyncio.run(read_document(scanned_tiff([ENGLISH]), "image/tiff", max_pages=1, timeout=600, languages=LANGUAGES))
    print(f"fax OCR, {args.pages}-page faxes, median of {args.repeat} runs, one Tesseract thread")
    for language, lines in SAMPLES.items():
        tiff = scanned_tiff([lines] * args.pages)
        ways = {
            "read_document": lambda tiff=tiff: adaptive(tiff, args.pages),
            "all ten languages": lambda lines=lines: direct(tesseract, lines, ALL_TEN, args.pages),
            "English only": lambda lines=lines: direct(tesseract, lines, ("eng",), args.pages),
        }
        for way, run in ways.items():
            runs = [run() for _ in range(args.repeat)]
            seconds = statistics.median(r[0] for r in runs)
            print(f"  {language} {way:<18} {seconds:6.2f} s/page   words found {recall(runs[-1][1], lines):6.1%}")
    pdf = scanned_pdf([ENGLISH * 3] * args.pages)
    started = time.perf_counter()
    document = asyncio.run(read_document(pdf, "application/pdf", max_pages=99, timeout=600, languages=LANGUAGES))
    print(f"  en scanned PDF (render + OCR) {(time.perf_counter() - started) / document.pages:6.2f} s/page")
    layered = text_pdf([ENGLISH * 3] * 20)
    started = time.perf_counter()
    document = asyncio.run(read_document(layered, "application/pdf", max_pages=99, timeout=600, languages=LANGUAGES))
    per_page_ms = (time.perf_counter() - started) * 1000 / document.pages
    print(f"  PDF with a text layer (no OCR) {per_page_ms:6.2f} ms/page, method {document.method}")


if __name__ == "__main__":
    main()
