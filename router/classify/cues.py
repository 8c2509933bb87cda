"""Urgency and sentiment from multilingual cues: pure regexes, compiled once."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from router.classify.cue_lexicon import (
    NEGATIVE,
    NEGATIVE_CJK,
    POLITE,
    POLITE_CJK,
    POSITIVE,
    POSITIVE_CJK,
    URGENCY_CJK,
    URGENCY_CUES,
)
from router.classify.ocr import FuzzyWords, repair
from router.classify.situation_lexicon import PROBLEM, PROBLEM_CJK, SITUATION_CJK, SITUATION_CUES

_MIN_CAPS_LETTERS = 12
_CAPS_RATIO = 0.7
SENTIMENT_MARGIN = 0.3
# Cues that say the customer is unhappy even without a negative word.
_FRUSTRATION = frozenset(
    {"legal_threat", "public_threat", "cancel_threat", "escalation", "repeat_contact", "safety"}
    | {"outage", "money", "double_charge", "business", "chasing"}
)
# Situations urgent on their own (situation_lexicon.py), unless the customer says it is not urgent.
_SITUATIONS = ("outage", "money", "business", "chasing")
# Reported cue names; the lexicon's helpers ("need", "today", "before_shipping", "resolved", "auto_reply")
# only qualify other cues.
_CUE_NAMES = (*URGENCY_CUES, *_SITUATIONS, "double_charge")
# Like a stake, a double charge is urgent only with a day, a deadline or an unhappy customer.
_STAKES = ("stake", "double_charge")
_STAKES_SET = frozenset(_STAKES)
_CACHE_LIMIT = 100_000


_MIN_FOLDED = 6
_FOLD = str.maketrans({"ı": "i", "ø": "o", "æ": "ae", "ß": "ss"})


def fold(text: str) -> str:
    """Text as typed without accents: "brådskande" -> "bradskande", "hâlâ" -> "hala" (Chinese unchanged)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


class _CueMatcher:
    """Finds cues in lower-cased text: stems by token prefix, phrases by substring."""

    __slots__ = ("_by_first", "_cache", "_cjk", "_exact", "_lengths", "_phrases", "_stems")

    def __init__(self, cues: Mapping[str, Iterable[str]], cjk: Mapping[str, Iterable[str]]) -> None:
        self._stems: dict[str, set[str]] = {}
        self._exact: dict[str, set[str]] = {}
        self._phrases: list[tuple[str, str]] = []
        for name, listed in cues.items():
            # An SMS typed without accents ("bradskande", "immediatement", "hala gelmedi") matches too.
            # Short words stay as written: folded, "røg" (smoke) would be the start of "rogamos".
            entries = {*listed, *(fold(entry) for entry in listed if len(entry) >= _MIN_FOLDED)}
            for entry in entries:
                if entry.endswith("$") and _WORD.fullmatch(entry[:-1]):
                    self._exact.setdefault(entry[:-1], set()).add(name)
                elif _WORD.fullmatch(entry):
                    self._stems.setdefault(entry, set()).add(name)
                else:
                    self._phrases.append((entry.rstrip("$"), name))
        self._cjk = [(term, name) for name, terms in cjk.items() for term in terms]
        self._by_first: dict[str, list[tuple[str, str]]] = {}
        for phrase, name in self._phrases:
            self._by_first.setdefault(_WORD.findall(phrase)[0], []).append((phrase, name))
        self._lengths = sorted({len(stem) for stem in self._stems})
        self._cache: dict[str, tuple[str, ...]] = {}

    def _word_cues(self, word: str) -> tuple[str, ...]:
        """Cue names one word fires (cached: words repeat across messages)."""
        names = list(self._exact.get(word, ()))
        for size in self._lengths:
            if size > len(word):
                break
            names.extend(self._stems.get(word[:size], ()))
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[word] = found = tuple(names)
        return found

    def counts(self, lowered: str, words: list[str], distinct: set[str], cjk: bool) -> Counter[str]:
        """How often each cue name fires (`distinct` is set(words), `cjk` whether there are ideographs)."""
        fired: list[str] = []
        cache = self._cache
        for word in words:
            names = cache.get(word)
            if names is None:
                names = self._word_cues(word)
            if names:
                fired.extend(names)
        by_first = self._by_first
        candidates = [p for w in distinct.intersection(by_first) for p in by_first[w]]
        if cjk:
            candidates.extend(self._cjk)
        fired.extend(name for phrase, name in candidates if phrase in lowered)
        return Counter(fired)


_WORD = re.compile(r"[^\W_]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
_URGENCY = _CueMatcher({**URGENCY_CUES, **SITUATION_CUES}, {**URGENCY_CJK, **SITUATION_CJK})
_SENTIMENT = _CueMatcher(
    {"negative": NEGATIVE, "problem": PROBLEM, "positive": POSITIVE, "polite": POLITE},
    {"negative": NEGATIVE_CJK, "problem": PROBLEM_CJK, "positive": POSITIVE_CJK, "polite": POLITE_CJK},
)
# A word read through OCR errors counts unless a negation is next to it ("ist nicht dringnd", "acil değil").
_NEGATORS = frozenset({"not", "no", "isn", "ikke", "inte", "nicht", "kein", "keine", "pas", "hindi", "değil", "degil"})
_URGENCY_FUZZY = FuzzyWords({**URGENCY_CUES, **SITUATION_CUES})
_SENTIMENT_FUZZY = FuzzyWords({"negative": NEGATIVE, "problem": PROBLEM})
_EXCLAIM = re.compile(r"[!！]{2,}|(?:[!！][^!！]*){3,}")
# "Cancel it NOW": one shouted word that means right away, in an otherwise ordinary sentence.
_SHOUTED_NOW = re.compile(r"\b(?:NOW|ASAP|NU|NÅ|SOFORT|JETZT|YA|AHORA|HEMEN|NGAYON|TOUT DE SUITE|IMMÉDIATEMENT)\b")
_WEEKDAYS = (
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag|"
    r"måndag|tisdag|lördag|söndag|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|"
    r"jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo|lunes|martes|miyerkules|"
    r"huwebes|biyernes|sabado|linggo|pazartesi|salı|çarşamba|perşembe|cuma|cumartesi|pazar|tomorrow|morgen|i morgen|"
    r"imorgon|demain|mañana|bukas|yarın"
)
# A delivery or fix needed by a given day: "by Friday", "inden fredag", "bis Freitag", "周五前", "cumaya kadar".
_DEADLINE = re.compile(
    r"\b(?:by|before|inden|innen|innan|senest|senast|vor|avant|antes del?|para el|(?:muss|müssen) bis|"
    rf"bis spätestens)\s+(?:(?:next|the|på|am|le|el)\s+)?(?:{_WEEKDAYS})\b|(?:{_WEEKDAYS})'?(?:ya|e|a) kadar|"
    rf"bago\s+mag-?\s*(?:{_WEEKDAYS})\b|"
    r"(?:周|星期)[一二三四五六日天](?:之?前|以前)|明天(?:之?前|必须|一定)",
    re.IGNORECASE,
)


# A day named without "by" or "before": enough to make something at stake ("stake" cues) urgent.
_DAY = re.compile(
    rf"\b(?:{_WEEKDAYS}|this weekend|next week)\b|(?:周|星期)[一二三四五六日天]|明天|今晚|后天", re.IGNORECASE
)


def _is_shouting(text: str) -> bool:
    """True when most letters of a long enough text are capitals."""
    upper = sum(map(str.isupper, text))  # map over str methods: C speed, no per-char frames
    if upper < _CAPS_RATIO * _MIN_CAPS_LETTERS:
        return False
    cased = upper + sum(map(str.islower, text))
    return cased >= _MIN_CAPS_LETTERS and upper / cased >= _CAPS_RATIO


@dataclass(frozen=True, slots=True)
class _Reading:
    """One way of reading a text: lower-cased, its words, whether it has ideographs."""

    lowered: str
    words: list[str]
    distinct: set[str]
    cjk: bool

    @classmethod
    def of(cls, lowered: str, cjk: bool) -> _Reading:
        """Split lowered text into words once, for every matcher."""
        words = _WORD.findall(lowered)
        return cls(lowered, words, set(words), cjk)


def _fired(
    readings: tuple[_Reading, ...], matcher: _CueMatcher, fuzzy: FuzzyWords, near_miss: set[str]
) -> Counter[str]:
    """Cue names fired in any reading, and (OCR'd text) by the `near_miss` words one edit from a cue word."""
    counts = Counter[str]()
    for r in readings:
        counts |= matcher.counts(r.lowered, r.words, r.distinct, r.cjk)
    if near_miss:
        counts |= Counter(name for word in near_miss for name in fuzzy.names(word))
    return counts


def _unnegated(words: list[str]) -> set[str]:
    """The words with no negation next to them ("nicht dringcnd" is no near miss of "dringend")."""
    return {word for i, word in enumerate(words) if not _NEGATORS.intersection(words[max(i - 2, 0) : i + 2])}


def analyze(text: str, *, noisy: bool = False) -> tuple[tuple[str, ...], str, str, float]:
    """Return (urgency cues, urgency, sentiment, sentiment score) for text (`noisy`: OCR'd, as a fax)."""
    lowered = text.lower()
    plain = _Reading.of(lowered, _CJK.search(lowered) is not None)
    readings: tuple[_Reading, ...] = (plain,)
    near_miss: set[str] = set()
    if noisy:
        # A fax is also read repaired, and a word one edit from a cue word counts unless negated.
        repaired = repair(lowered)
        if repaired != lowered:
            readings = (plain, _Reading.of(repaired, plain.cjk))
        near_miss = set().union(*(_unnegated(r.words) for r in readings))
    mood_counts = _fired(readings, _SENTIMENT, _SENTIMENT_FUZZY, near_miss)
    fired = _fired(readings, _URGENCY, _URGENCY_FUZZY, near_miss)
    cues = _urgency_cues(text, fired, mood_counts["negative"] > 0)
    level = urgency_level(cues)
    # A double charge not urgent enough to keep among the cues still upsets the customer.
    mood, score = _sentiment(mood_counts, (*cues, "double_charge") if fired["double_charge"] else cues)
    if level in ("high", "urgent") and mood == "neutral" and mood_counts["positive"] == 0:
        mood, score = "negative", min(score, -SENTIMENT_MARGIN)
    return cues, level, mood, score


def _urgency_cues(text: str, fired: Counter[str], angry: bool) -> tuple[str, ...]:
    """Names of the urgency cues present in text (never the text itself)."""
    found = [name for name in _CUE_NAMES if fired[name]]
    insists = angry or "!" in text or "！" in text
    soon = (fired["today"] and (insists or fired["need"])) or (fired["before_shipping"] and insists)
    if "time_pressure" not in found and (_SHOUTED_NOW.search(text) or _DEADLINE.search(text) or soon):
        found.append("time_pressure")
    if fired["resolved"] and "outage" in found:
        found.remove("outage")
    if _STAKES_SET.intersection(found) and not (angry or "time_pressure" in found or _DAY.search(text)):
        found = [name for name in found if name not in _STAKES]
    if "not_urgent" in found or fired["auto_reply"]:
        found = [name for name in found if name not in _SITUATIONS and name not in ("time_pressure", *_STAKES)]
    if angry:
        found.append("anger")
    if _EXCLAIM.search(text):
        found.append("exclamation")
    if _is_shouting(text):
        found.append("all_caps")
    return tuple(found)


def urgency_level(cues: tuple[str, ...]) -> str:
    """Map fired cues to low|normal|high|urgent."""
    fired = set(cues)
    # Account fraud, medicine that has not come and debt collection cannot wait either.
    threat = bool(fired & {"legal_threat", "public_threat", "security"})
    if "safety" in fired:
        return "urgent"
    if "time_pressure" in fired and (threat or "anger" in fired):
        return "urgent"
    if "time_pressure" in fired or threat or fired.intersection(_SITUATIONS + _STAKES):
        return "high"
    if len(fired & {"anger", "exclamation", "all_caps", "cancel_threat", "escalation"}) >= 2:
        return "high"
    if "not_urgent" in fired:
        return "low"
    return "normal"


def _sentiment(counts: Counter[str], cues: tuple[str, ...]) -> tuple[str, float]:
    """Return ("negative"|"neutral"|"positive", score in -1..1)."""
    negative = counts["negative"] + counts["problem"] + 0.5 * ("exclamation" in cues and "anger" in cues)
    negative += 0.5 * len(_FRUSTRATION & set(cues))
    # Politeness softens nothing: "thank you for your 'quick' reply" from an angry customer is still angry.
    positive = counts["positive"] + (0.4 * min(counts["polite"], 2) if negative == 0 else 0.0)
    score = math.tanh(0.7 * (positive - negative))
    if score <= -SENTIMENT_MARGIN:
        return "negative", score
    if score >= SENTIMENT_MARGIN:
        return "positive", score
    return "neutral", score
