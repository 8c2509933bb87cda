"""Word-boundary-aware character n-gram features shared by training and numpy-only inference.

Each token is folded before its n-grams are taken, so that spellings OCR and hurried typing
confuse share features: digits inside words (0/o, 1/l, 5/s, 8/b), "rn"/"m", i/l/ı and accents.
The fold is many-to-one but the same at training and inference, so only a few collisions are lost.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

NGRAM_SIZES: tuple[int, ...] = (1, 2, 3, 4)
MAX_CHARS = 800
_CACHE_LIMIT = 200_000
_TOKEN = re.compile(r"[^\W_]+")
# Digit runs that stand alone (amounts, order numbers, also next to ideographs) become "0";
# digits inside Latin-script words stay for fold() to read as OCR'd letters.
_NUMBER = re.compile(r"(?<![^\W_\u3400-\u9fff])\d+(?![^\W_\u3400-\u9fff])")
_DIGIT = re.compile(r"\d")
_LATIN = "a-z\u00c0-\u024f"
_OCR_DIGIT = re.compile(rf"(?<=[{_LATIN}])[0158]|[0158](?=[{_LATIN}])")
_OCR_LETTER = {"0": "o", "1": "l", "5": "s", "8": "b"}
_REPLY_PREFIX = re.compile(r"^(?:\s*(?:re|fw|fwd|sv|vs|aw|wg|tr|rv|回复|转发)\s*[:：])+", re.I)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens with stand-alone digit runs folded to '0'."""
    lowered = text[:MAX_CHARS].lower()
    if "\u0307" in lowered:  # Turkish "İ" lower-cases to "i" + combining dot, which splits words
        lowered = lowered.replace("i\u0307", "i")
    return _TOKEN.findall(_NUMBER.sub("0", lowered))


def fold(token: str) -> str:
    """One spelling for a lower-cased token's OCR and typing variants (see the module docstring)."""
    if token.isdigit():
        return token
    if not token.isalpha():
        token = _DIGIT.sub("0", _OCR_DIGIT.sub(lambda m: _OCR_LETTER[m.group()], token))
    if not token.isascii():
        decomposed = unicodedata.normalize("NFKD", token)
        token = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("ı", "i")
    return token.replace("rn", "m").replace("i", "l")


def intent_text(text: str, subject: str | None) -> str:
    """Join subject (without Re:/Fwd: prefixes) and body for intent scoring."""
    if not subject:
        return text
    return _REPLY_PREFIX.sub("", subject).strip() + "\n" + text


def token_ngrams(token: str) -> list[str]:
    """Character n-grams of one folded, space-padded token, plus the whole folded word."""
    folded = fold(token)
    padded = f" {folded} "
    size = len(padded)
    grams = [padded[i : i + n] for n in NGRAM_SIZES for i in range(size - n + 1)]
    grams = [g for g in grams if g != " "]
    grams.append("w:" + folded)
    return grams


def text_ngrams(text: str) -> list[str]:
    """All n-grams of a text (for building the vocabulary)."""
    return [g for tok in tokens(text) for g in token_ngrams(tok)]


class FeatureIndexer:
    """Maps text to vocabulary columns, caching each token's columns (tokens repeat a lot)."""

    __slots__ = ("_cache", "_vocabulary")

    def __init__(self, vocabulary: Mapping[str, int]) -> None:
        self._vocabulary = vocabulary
        self._cache: dict[str, tuple[int, ...]] = {}

    def _columns(self, token: str) -> tuple[int, ...]:
        """Columns of one token's known n-grams."""
        get = self._vocabulary.get
        cols = tuple(c for c in map(get, token_ngrams(token)) if c is not None)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[token] = cols
        return cols

    def indices(self, text: str) -> list[int]:
        """Vocabulary columns of every known n-gram occurrence in text."""
        cache = self._cache
        out: list[int] = []
        for tok in tokens(text):
            cols = cache.get(tok)
            out.extend(cols if cols is not None else self._columns(tok))
        return out
