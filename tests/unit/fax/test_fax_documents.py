"""Reading faxed documents with the real Tesseract: text layers, scanned PDFs and TIFFs, limits, bad input.

Tesseract and its language packs come from ``.ci/install-deps.sh`` (Debian's tesseract-ocr packages).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.fax import FaxDocument, FaxOrigin, fax_metadata, find_tesseract, read_document
from tests.unit.fax.faxdocs import CHINESE, ENGLISH, GERMAN, scanned_pdf, scanned_tiff, text_pdf

LANGUAGES = ("en", "da", "nb", "sv", "de", "fr", "es", "zh", "tl", "tr")
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True, scope="module")
def tesseract_is_installed() -> None:
    if find_tesseract() is None:
        pytest.fail("tesseract with language data is missing: run .ci/install-deps.sh")


async def read(data: bytes, content_type: str = "application/octet-stream", **limits: float) -> FaxDocument:
    return await read_document(
        data,
        content_type,
        max_pages=int(limits.get("max_pages", 20)),
        timeout=limits.get("timeout", 120.0),
        languages=LANGUAGES,
    )


def words_found(text: str, lines: Sequence[str], *, at_least: float = 0.8) -> bool:
    """Whether most of the longer words of ``lines`` are in ``text`` (OCR may garble a few)."""
    wanted = {w.strip(".,!?") for line in lines for w in line.split() if len(w.strip(".,!?")) >= 5}
    found = {w for w in wanted if w in text}
    return len(found) >= at_least * len(wanted)


async def test_a_pdf_with_a_text_layer_is_read_without_ocr() -> None:
    document = await read(text_pdf([ENGLISH, GERMAN]), "application/pdf")
    assert (document.method, document.pages, document.pages_read, document.error) == ("text_layer", 2, 2, None)
    assert all(line in document.text for line in ENGLISH + GERMAN)
    assert document.ocr_state == "not_needed"


async def test_a_scanned_pdf_is_ocrd_even_with_a_stamped_header_line() -> None:
    document = await read(scanned_pdf([ENGLISH], header="Received 12/03/2026 10:02 from +1 212 555 0143 p.1/1"))
    assert (document.method, document.pages, document.error) == ("ocr", 1, None)
    assert words_found(document.text, ENGLISH)
    assert document.ocr_state == "done"


async def test_a_scanned_multipage_tiff_is_ocrd_page_by_page() -> None:
    pages = [ENGLISH, ENGLISH[::-1], ENGLISH[1:]]
    document = await read(scanned_tiff(pages), "image/tiff")
    assert (document.method, document.pages, document.pages_read, document.error) == ("ocr", 3, 3, None)
    chunks = document.text.split("\n\n")
    assert words_found(document.text, ENGLISH)
    assert "48213" in document.text
    assert chunks[0].startswith("Dear")
    assert "Wilson" in chunks[-1]


async def test_a_german_fax_is_read_in_german() -> None:
    document = await read(scanned_tiff([GERMAN]))
    assert words_found(document.text, GERMAN)
    assert "Grüßen" in document.text
    assert "Müller" in document.text


async def test_a_chinese_fax_is_read_in_chinese() -> None:
    document = await read(scanned_tiff([CHINESE]))
    assert document.method == "ocr"
    assert sum(phrase in document.text for phrase in ["客服团队", "冬季夹克", "订单号", "运费"]) >= 3


async def test_a_normal_resolution_fax_is_stretched_to_square_pixels_and_read() -> None:
    document = await read(scanned_tiff([ENGLISH], dpi=(204, 98)))
    assert words_found(document.text, ENGLISH)


async def test_only_the_first_pages_are_read_past_the_page_limit() -> None:
    first, second = ENGLISH[:2], ["Completely different words: umbrella, lighthouse, saxophone."]
    document = await read(scanned_tiff([first, second, second]), max_pages=1)
    assert (document.pages, document.pages_read) == (3, 1)
    assert words_found(document.text, first)
    assert "lighthouse" not in document.text
    assert document.ocr_state == "partial"
    assert fax_metadata(FaxOrigin("efax", None), document)["fax_pages_read"] == "1"


async def test_ocr_stops_at_the_time_limit_and_says_so() -> None:
    document = await read(scanned_tiff([ENGLISH] * 4), timeout=0.05)
    assert document.pages == 4
    assert document.pages_read < 4
    assert document.error is not None
    assert "out of time" in document.error
    assert document.ocr_state in ("failed", "partial")


async def test_the_event_loop_keeps_turning_while_a_fax_is_ocrd() -> None:
    ticks = 0
    reading = asyncio.ensure_future(read(scanned_tiff([ENGLISH, GERMAN])))
    while not reading.done():
        ticks += 1
        await asyncio.sleep(0.005)
    assert (await reading).method == "ocr"
    assert ticks > 10


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"hello",
        b"%PDF-1.7\n%%EOF",
        b"II*\x00" + b"\x00" * 64,
        text_pdf([ENGLISH])[:300],
        scanned_tiff([ENGLISH])[:900],
    ],
)
async def test_unreadable_documents_are_flagged_not_raised(data: bytes) -> None:
    document = await read(data, "application/pdf", timeout=20)
    assert document.error is not None or document.text == ""
    metadata = fax_metadata(FaxOrigin("efax", "+12125550143"), document)
    assert metadata["ocr"] in ("failed", "partial", "done", "not_needed")


@settings(max_examples=12, deadline=None)
@given(
    st.sampled_from(["pdf", "tiff"]),
    st.lists(st.tuples(st.integers(0, 2**20), st.integers(1, 255)), min_size=1, max_size=40),
    st.integers(0, 2**20),
)
def test_mangled_documents_never_raise(kind: str, flips: list[tuple[int, int]], cut: int) -> None:
    original = bytearray(text_pdf([ENGLISH[:1]]) if kind == "pdf" else scanned_tiff([ENGLISH[:1]]))
    for at, bits in flips:
        original[at % len(original)] ^= bits
    mangled = bytes(original[: max(1, len(original) - cut % len(original))])
    document = asyncio.run(read_document(mangled, "application/pdf", max_pages=1, timeout=5, languages=["en"]))
    assert document.method in ("text_layer", "ocr", "none")
    assert document.pages >= document.pages_read >= 0


NO_TESSERACT = """
import asyncio, json, logging, sys
sys.path[:0] = [{repo!r}]
from services.fax import read_document
from tests.unit.fax.faxdocs import ENGLISH, scanned_tiff, text_pdf
logging.basicConfig(level=logging.INFO, format="%(name)s %(message)s")
async def main():
    out = []
    for data in (scanned_tiff([ENGLISH]), scanned_tiff([ENGLISH, ENGLISH]), text_pdf([ENGLISH])):
        d = await read_document(data, "image/tiff", max_pages=5, timeout=30, languages=["en", "de"])
        out.append([d.method, d.pages, d.ocr_state, d.text[:40]])
    print(json.dumps(out))
asyncio.run(main())
"""


def test_without_tesseract_faxes_still_arrive_and_ocr_off_is_logged_once(tmp_path: Path) -> None:
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)} | {"PATH": str(empty_bin)}
    done = subprocess.run(
        [sys.executable, "-c", NO_TESSERACT.format(repo=str(REPO))],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    results = json.loads(done.stdout)
    assert results[0][:3] == ["none", 1, "off"]
    assert results[1][:3] == ["none", 2, "off"]
    assert results[2][:3] == ["text_layer", 1, "not_needed"]
    assert results[2][3].startswith("Dear customer service team")
    assert done.stderr.count("fax OCR is off") == 1
