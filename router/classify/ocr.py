"""Reading cue words through OCR errors: a faxed "urgent" arrives as "urg3nt", "urgcnt" or "urgnt".

Two cheap repairs, used only on faxes: glyphs that OCR confuses inside a word are mapped back ("t0day",
"imrnediately", "srnoking"), and a word one edit away from a cue word of seven or more letters, with the same first
letter, counts as that word ("imediately", "dringcnd"). Short words are left alone: "argent" is not
"urgent".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

_MIN_FUZZY = 7
_CACHE_LIMIT = 50_000
_MIXED = re.compile(r"\b(?=[^\W_]*\d)(?=[^\W_]*[^\W\d_])[^\W_]+\b")
_DIGIT_GLYPHS = str.maketrans({"0": "o", "1": "l", "3": "e", "5": "s", "8": "b"})
_LETTER_PAIRS = (("rn", "m"), ("ri", "n"), ("cl", "d"))


def repair(lowered: str) -> str:
    """Lower-cased text with digits inside words read as the letters OCR mistook them for, "rn" as "m", "ri"
    as "n", "cl" as "d" (a second reading of a fax, beside the text as it came)."""
    text = _MIXED.sub(lambda m: m.group().translate(_DIGIT_GLYPHS), lowered)
    for wrong, right in _LETTER_PAIRS:
        text = text.replace(wrong, right)
    return text


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def one_edit(a: str, b: str) -> bool:
    """Whether a and b differ by exactly one substituted, inserted or deleted character."""
    if len(a) > len(b):
        a, b = b, a
    if len(b) - len(a) > 1 or a == b:
        return False
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


class FuzzyWords:
    """Cue words found one edit (substitution, insertion or deletion) away, first letter kept."""

    __slots__ = ("_cache", "_index")

    def __init__(self, cues: Mapping[str, Iterable[str]]) -> None:
        self._index: dict[str, set[tuple[str, str]]] = {}
        self._cache: dict[str, frozenset[str]] = {}
        for name, entries in cues.items():
            for entry in entries:
                word = entry.rstrip("$")
                if len(word) >= _MIN_FUZZY and word.isalpha():
                    for key in {word} | _deletions(word):
                        self._index.setdefault(key, set()).add((word, name))

    def names(self, word: str) -> frozenset[str]:
        """Names of the cue words `word` is one edit away from (empty for short words; cached)."""
        if len(word) < _MIN_FUZZY - 1:
            return frozenset()
        found = self._cache.get(word)
        if found is None:
            index = self._index
            found = frozenset(
                name
                for key in {word} | _deletions(word)
                for cue, name in index.get(key, ())
                if cue[0] == word[0] and one_edit(cue, word)
            )
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[word] = found
        return found
