"""Language identification: py3langid restricted to the configured languages, plus a
Danish/Norwegian/Swedish tie-breaker on distinctive words."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from router.classify.labels import UNDETERMINED

# langid's code for Norwegian is "no"; we report bokmål "nb" (ISO 639-1).
_TO_LANGID = {"nb": "no"}
_FROM_LANGID = {"no": "nb"}
_MAX_CHARS = 200
_MIN_LETTERS = 3
_MIN_CONFIDENCE = 0.3
_CUE_WEIGHT = 1.2
_EMAIL = re.compile(r"\S+@\S+")
_LETTER = re.compile(r"[^\W\d_]")
_ENOUGH_LETTERS = re.compile(rf"[^\W\d_](?:[\W\d_]*[^\W\d_]){{{_MIN_LETTERS - 1}}}")
_WORDS = re.compile(r"\w+")
# Norwegian puts the possessive after the definite noun ("pakken min"); Danish rarely does.
_NB_POSSESSIVE = re.compile(r"\w{2,}(?:en|et|a|ene|ne) (?:min|mi|mitt|mine|din|ditt|dine)\b")
_NORDIC_CUES: dict[str, frozenset[str]] = {
    "da": frozenset(
        [
            "tilbage",
            "uge",
            "ugen",
            "dage",
            "købe",
            "tjekke",
            "meget",
            "ud",
            "nej",
            "mellem",
            "end",
            "gange",
            "lige",
            "fejl",
            "rigtig",
            "nogle",
            "sådan",
            "jeres",
            "annullere",
            "annuller",
            "fortrudt",
            "hvordan",
            "hedder",
            "synes",
            "rødt",
            "spørge",
            "sige",
            "bliver",
            "hej",
            "mig",
            "dig",
            "sig",
            "hvad",
            "nogen",
            "noget",
            "endnu",
            "efter",
            "fået",
            "købt",
            "venlig",
            "tak",
            "hjælp",
            "penge",
            "af",
            "blev",
            "fik",
            "kunne",
            "ikke",
            "stadig",
            "gerne",
            "måske",
            "spørgsmål",
            "jer",
            "forhånd",
            "nu",
            "også",
            "være",
            "hvornår",
            "hvorfor",
            "mit",
            "min",
            "mine",
            "hilsen",
            "kære",
            "leveret",
            "modtaget",
        ]
    ),
    "nb": frozenset(
        [
            "tilbake",
            "uke",
            "uka",
            "dager",
            "kjøpe",
            "kjøpte",
            "sjekke",
            "sjekk",
            "veldig",
            "ut",
            "ute",
            "nei",
            "mye",
            "enn",
            "mellom",
            "ganger",
            "feil",
            "riktig",
            "slik",
            "kansellere",
            "kanseller",
            "avbestille",
            "funker",
            "lenger",
            "gjennom",
            "skoa",
            "hvordan",
            "heter",
            "synes",
            "rødt",
            "spørre",
            "si",
            "blir",
            "meg",
            "jobb",
            "hei",
            "meg",
            "deg",
            "seg",
            "hva",
            "noen",
            "noe",
            "ennå",
            "etter",
            "fått",
            "kjøpt",
            "vennlig",
            "takk",
            "hjelp",
            "penger",
            "av",
            "ble",
            "fikk",
            "kunne",
            "ikke",
            "fortsatt",
            "gjerne",
            "kanskje",
            "spørsmål",
            "dere",
            "forhånd",
            "nå",
            "også",
            "være",
            "hvorfor",
            "mitt",
            "min",
            "mine",
            "hilsen",
            "kjære",
            "levert",
            "mottatt",
            "ikkje",
        ]
    ),
    "sv": frozenset(
        [
            "nej",
            "tillbaka",
            "vecka",
            "dagar",
            "köpa",
            "kolla",
            "mycket",
            "ut",
            "hej",
            "jag",
            "mig",
            "dig",
            "sig",
            "vad",
            "någon",
            "något",
            "ännu",
            "efter",
            "fått",
            "köpt",
            "vänlig",
            "tack",
            "hjälp",
            "pengar",
            "av",
            "blev",
            "fick",
            "kunde",
            "inte",
            "fortfarande",
            "gärna",
            "kanske",
            "fråga",
            "ni",
            "förhand",
            "nu",
            "också",
            "vara",
            "varför",
            "mitt",
            "min",
            "mina",
            "hälsningar",
            "bästa",
            "levererad",
            "och",
            "är",
            "det",
        ]
    ),
}

_EXCLUSIVE: dict[str, frozenset[str]] = {
    lang: words.difference(*(w for other, w in _NORDIC_CUES.items() if other != lang))
    for lang, words in _NORDIC_CUES.items()
}


class PyLangidDetector:
    """Detects the language of a text among a fixed set of ISO 639-1 codes."""

    __slots__ = ("_identifier", "_nordic")

    def __init__(self, languages: Sequence[str]) -> None:
        codes = sorted({_TO_LANGID.get(lang, lang) for lang in languages})
        self._identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        self._identifier.set_languages(codes)
        # The restricted table is small (features x languages); float32 scores faster than float16.
        self._identifier.nb_ptc = self._identifier.nb_ptc.astype(np.float32)
        self._nordic = frozenset(_NORDIC_CUES) & {_FROM_LANGID.get(c, c) for c in codes}

    def detect(self, text: str) -> tuple[str, float]:
        """Return (ISO 639-1 code or "und", confidence)."""
        sample = text[:_MAX_CHARS]
        words = sample if "@" not in sample else _EMAIL.sub("", sample)
        if not _ENOUGH_LETTERS.search(words) and not _has_cjk(sample, len(_LETTER.findall(words))):
            return UNDETERMINED, 0.0
        ranked = self._identifier.rank(sample)
        probs = {_FROM_LANGID.get(code, code): float(p) for code, p in ranked}
        if len(self._nordic) > 1 and max(probs, key=probs.__getitem__) in self._nordic:
            probs = _nordic_tiebreak(sample, probs, self._nordic)
        best = max(probs, key=probs.__getitem__)
        confidence = probs[best]
        if confidence < _MIN_CONFIDENCE:
            return UNDETERMINED, confidence
        return best, confidence


def _has_cjk(text: str, letters: int) -> bool:
    """True when a short text is made of CJK ideographs (one or two carry meaning)."""
    return letters >= 1 and any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _nordic_tiebreak(text: str, probs: dict[str, float], nordic: frozenset[str]) -> dict[str, float]:
    """Reweight da/nb/sv by how many distinctive words of each the text uses."""
    words = set(_WORDS.findall(text.lower()))
    adjusted = dict(probs)
    for lang in nordic:
        hits = len(words & _EXCLUSIVE[lang])
        if lang == "nb":
            hits += len(_NB_POSSESSIVE.findall(text.lower()))
        adjusted[lang] = probs.get(lang, 0.0) * math.exp(_CUE_WEIGHT * hits)
    total = sum(adjusted.values()) or 1.0
    return {lang: p / total for lang, p in adjusted.items()}
