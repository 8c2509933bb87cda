"""Word-boundary-aware character n-gram features shared by training and numpy-only inference."""

from __future__ import annotations

import re
from collections.abc import Mapping

NGRAM_SIZES: tuple[int, ...] = (1, 2, 3, 4)
MAX_CHARS = 800
_CACHE_LIMIT = 200_000
_TOKEN = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"\d+")
_REPLY_PREFIX = re.compile(r"^(?:\s*(?:re|fw|fwd|sv|vs|aw|wg|tr|rv|回复|转发)\s*[:：])+", re.I)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens with digit runs folded to '0'."""
    return _TOKEN.findall(_DIGITS.sub("0", text[:MAX_CHARS].lower()))


def intent_text(text: str, subject: str | None) -> str:
    """Join subject (without Re:/Fwd: prefixes) and body for intent scoring."""
    if not subject:
        return text
    return _REPLY_PREFIX.sub("", subject).strip() + "\n" + text


def token_ngrams(token: str) -> list[str]:
    """Character n-grams of one space-padded token, plus the whole word."""
    padded = f" {token} "
    size = len(padded)
    grams = [padded[i : i + n] for n in NGRAM_SIZES for i in range(size - n + 1)]
    grams = [g for g in grams if g != " "]
    grams.append("w:" + token)
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
