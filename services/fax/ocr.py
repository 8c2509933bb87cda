"""Tesseract, driven as a subprocess: finding it, choosing its languages, reading one page image.

Everything here blocks; ``services.fax.document`` calls it from a worker thread. Without a ``tesseract``
on PATH (or without any language data for it) fax OCR is off: that is logged once per process and faxes
are delivered without extracted text.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import subprocess
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from py3langid.langid import MODEL_FILE, LanguageIdentifier

log = logging.getLogger(__name__)

# Our language codes (ISO 639-1, as in SWITCHBOARD_LANGUAGES) to Tesseract's traineddata names, best first.
# Debian packages Tagalog as Filipino ("fil"); upstream tessdata also has "tgl".
TESSERACT_CODES: dict[str, tuple[str, ...]] = {
    "en": ("eng",),
    "da": ("dan",),
    "nb": ("nor",),
    "no": ("nor",),
    "nn": ("nor",),
    "sv": ("swe",),
    "de": ("deu",),
    "fr": ("fra",),
    "es": ("spa",),
    "zh": ("chi_sim", "chi_tra"),
    "tl": ("tgl", "fil"),
    "tr": ("tur",),
}
# langid's code for Norwegian is "no".
_TO_LANGID = {"nb": "no", "nn": "no"}
_FROM_LANGID = {"no": "nb"}
_MIN_CONFIDENCE = 0.6
_MIN_LETTERS = 40

_lock = threading.Lock()
_found: dict[str, Tesseract | None] = {}
_said_off = False


class OcrError(Exception):
    """Tesseract did not read a page (it failed, or ran out of time)."""


@dataclass(frozen=True)
class Tesseract:
    """An installed Tesseract: its executable and the language data it has."""

    path: str
    installed: frozenset[str]

    def codes(self, language: str) -> tuple[str, ...]:
        """The installed Tesseract data for one of our languages: the first available of its names, or none."""
        for code in TESSERACT_CODES.get(language, ()):
            if code in self.installed:
                return (code,)
        return ()

    def read(self, image: bytes, *, languages: Sequence[str], dpi: int, timeout: float) -> str:
        """The text of one page image (PNG bytes) in ``languages`` (Tesseract codes); raises ``OcrError``."""
        if timeout <= 0:
            raise OcrError("out of time")
        command = [self.path, "stdin", "stdout", "-l", "+".join(languages), "--dpi", str(dpi), "--psm", "3"]
        # One OpenMP thread per Tesseract: faxes are read side by side with the router on few cores, where
        # Tesseract's own threads only contend (its documentation says the same for parallel runs).
        env = os.environ | {"OMP_THREAD_LIMIT": "1"}
        try:
            done = subprocess.run(command, input=image, capture_output=True, timeout=timeout, env=env, check=False)  # noqa: S603
        except subprocess.TimeoutExpired as exc:
            raise OcrError("out of time") from exc
        except OSError as exc:
            raise OcrError(f"tesseract could not run ({type(exc).__name__})") from exc
        if done.returncode != 0:
            raise OcrError(f"tesseract exited with status {done.returncode}")
        return done.stdout.decode("utf-8", "replace")


def find_tesseract() -> Tesseract | None:
    """The Tesseract on PATH with its installed languages, or None (then logs once that fax OCR is off)."""
    global _said_off
    path_env = os.environ.get("PATH", "")
    with _lock:
        if path_env not in _found:
            _found[path_env] = _probe(path_env)
        found = _found[path_env]
        if found is None and not _said_off:
            _said_off = True
            log.warning(
                "fax OCR is off: no tesseract with language data on PATH; faxes arrive without extracted text "
                "(install tesseract-ocr and its language packs, see README)"
            )
    return found


def _probe(path_env: str) -> Tesseract | None:
    path = shutil.which("tesseract", path=path_env)
    if path is None:
        return None
    try:
        done = subprocess.run([path, "--list-langs"], capture_output=True, timeout=30, check=False)  # noqa: S603
    except (OSError, subprocess.TimeoutExpired):
        return None
    names = done.stdout.decode("utf-8", "replace").splitlines()[1:]
    installed = frozenset(name.strip() for name in names if name.strip() and name.strip() != "osd")
    if done.returncode != 0 or not installed:
        return None
    return Tesseract(path=path, installed=installed)


@dataclass(frozen=True)
class LanguagePlan:
    """Which languages Tesseract reads a document in.

    Loading every configured language into Tesseract makes each page about three times slower than one
    (``tests/perf/bench_ocr.py``). So the first page is read in English (plus Chinese when configured: it is
    the one configured language another script), its language is identified, and the document is read in
    that language plus English; a page read in other languages than the final ones is read again.
    """

    tesseract: Tesseract
    languages: tuple[str, ...]

    @property
    def probe(self) -> tuple[str, ...]:
        """The Tesseract languages of the first reading."""
        base = self.tesseract.codes("en") or tuple(sorted(self.tesseract.installed))[:1]
        return base + (self.tesseract.codes("zh") if "zh" in self.languages else ())

    def settle(self, text: str) -> tuple[str, ...]:
        """The Tesseract languages for the whole document, given the probe's reading of its first page."""
        language = identify(text, self.languages)
        if language is None or language == "en":
            return self.tesseract.codes("en") or self.probe
        if language == "zh":
            return self.probe
        return self.tesseract.codes(language) + self.tesseract.codes("en") or self.probe


def identify(text: str, languages: Sequence[str]) -> str | None:
    """The language of ``text`` among ``languages``, when there is enough text to tell confidently."""
    if sum(ch.isalpha() for ch in text[:2000]) < _MIN_LETTERS:
        return None
    codes = tuple(sorted({_TO_LANGID.get(code, code) for code in languages}))
    identifier = _identifier(codes)
    if identifier is None:
        return None
    with _lock:
        language, confidence = identifier.classify(text[:2000])
    if float(confidence) < _MIN_CONFIDENCE:
        return None
    code = str(language)
    return _FROM_LANGID.get(code, code)


@functools.lru_cache(maxsize=4)
def _identifier(codes: tuple[str, ...]) -> LanguageIdentifier | None:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    try:
        identifier.set_languages(list(codes))
    except ValueError:
        return None
    return identifier
