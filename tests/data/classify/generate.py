"""Regenerate messages.jsonl and messages_more.jsonl, the synthetic multilingual labelled set.

Run: python tests/data/classify/generate.py  (deterministic: fixed seeds).
Each record is composed from one hand-written core sentence (its "group") plus
channel-typical framing: SMS shorthand, emails with greetings, signatures and
quoted history, chat, and OCR-noisy fax.  The training command holds back whole
groups (crc32(group) % 5 == 0), so held-back messages use sentences never seen
in training.

messages.jsonl comes from each lexicon's INTENTS and is byte-identical to the first model's
set, so its held-back part stays comparable across models.  messages_more.jsonl comes from the
MORE_INTENTS phrasings written later (groups "<lang>/<intent>/m<i>", own seed), whose SMS
sometimes drop diacritics as people do when typing fast.
"""

from __future__ import annotations

import importlib
import json
import random
import sys
import unicodedata
import zlib
from pathlib import Path
from types import ModuleType

# (phrases of one intent, group-key prefix, index of the phrase)
Group = tuple[list[str], str, int]

HERE = Path(__file__).parent
LANGS = ("en", "da", "nb", "sv", "de", "fr", "es", "zh", "tl", "tr")
PER_CELL = 48
MORE_PER_PHRASE = 5
SEED = 20240603
MORE_SEED = 20261201
PLAIN_SMS_RATE = 0.3
OCR_SWAPS = {
    "o": "0",
    "O": "0",
    "l": "1",
    "i": "l",
    "e": "c",
    "a": "o",
    "s": "5",
    "m": "rn",
    "n": "ri",
    "B": "8",
    "g": "q",
    "t": "f",
    "I": "l",
}


def is_test_group(group: str) -> bool:
    """Mirror of router.classify.train.is_held_back for a group key."""
    return zlib.crc32(group.encode("utf-8")) % 5 == 0


def load_lexicons() -> dict[str, ModuleType]:
    """Import every language lexicon module."""
    sys.path.insert(0, str(HERE / "lexicon"))
    return {lang: importlib.import_module(lang) for lang in LANGS}


def fill(rng: random.Random, lex: ModuleType, template: str) -> str:
    """Fill {o} {n} {a} {p} placeholders with random realistic values."""
    n = str(rng.choice([rng.randint(1000, 99999), rng.randint(100000, 99999999)]))
    if rng.random() < 0.15:
        n = f"{rng.randint(100, 999)}-{rng.randint(100, 999)}"
    order = rng.choice(lex.ORDER_REF).format(n=n)
    amount = rng.choice(lex.AMOUNT).format(n=rng.randint(9, 2400))
    return template.format(o=order, n=n, a=amount, p=rng.choice(lex.PRODUCTS))


def ocr_noise(rng: random.Random, text: str, lang: str) -> str:
    """Simulate fax OCR errors: swapped glyphs, dropped characters, stray spaces."""
    out: list[str] = []
    for ch in text:
        r = rng.random()
        if r < 0.025:
            continue
        if r < 0.09 and lang != "zh" and ch in OCR_SWAPS:
            out.append(OCR_SWAPS[ch])
        elif r < 0.05 and lang == "zh" and ch != "\n":
            out.append("口")
        elif r < 0.11 and ch == " ":
            out.append("  ")
        else:
            out.append(ch)
    return "".join(out)


def urgency_sentence(rng: random.Random, lex: ModuleType) -> tuple[str, str]:
    """Pick an urgency sentence and its label, or none (normal)."""
    r = rng.random()
    if r < 0.07:
        return fill(rng, lex, rng.choice(lex.URGENT)), "urgent"
    if r < 0.24:
        return rng.choice(lex.HIGH), "high"
    if r < 0.31:
        return rng.choice(lex.LOW), "low"
    return "", "normal"


def core_text(rng: random.Random, lex: ModuleType, intent: str, group: Group, channel: str) -> str:
    """Core sentence(s) for one message: the group sentence, maybe a sibling of the same split."""
    phrases, prefix, idx = group
    parts = [fill(rng, lex, phrases[idx])]
    held = is_test_group(f"{lex.LANG}/{intent}/{prefix}{idx}")
    siblings = [
        i for i in range(len(phrases)) if i != idx and is_test_group(f"{lex.LANG}/{intent}/{prefix}{i}") == held
    ]
    if siblings and channel in ("email", "fax") and rng.random() < 0.3:
        parts.append(fill(rng, lex, phrases[rng.choice(siblings)]))
    if intent == "complaint" and rng.random() < 0.3:
        parts.append(rng.choice(lex.ANGRY))
    return lex.SEP.join(parts)


def quoted_history(rng: random.Random, lex: ModuleType) -> str:
    """A quoted earlier reply from support, as mail clients add it."""
    head = rng.choice(lex.QUOTE_HEAD)
    body = rng.sample(lex.QUOTE_BODY, 2)
    if head.startswith("-----"):
        return head + "\n\n" + "\n".join(body)
    return head + "\n" + "\n".join("> " + line for line in body)


def email_body(rng: random.Random, lex: ModuleType, core: str, extra: str, quote: bool) -> str:
    """Greeting, core, closing, name and maybe a signature block and quoted history."""
    name = rng.choice(lex.NAMES)
    lines = []
    if rng.random() < 0.85:
        lines.append(rng.choice(lex.GREET) + "\n")
    lines.append(core + (lex.SEP + extra if extra else ""))
    lines.append("\n" + rng.choice(lex.CLOSE) + "\n" + name)
    if rng.random() < 0.5:
        lines.append("\n" + rng.choice(lex.SIGN).format(name=name))
    if quote and rng.random() < 0.35:
        lines.append("\n" + quoted_history(rng, lex))
    return "\n".join(lines)


def without_diacritics(text: str) -> str:
    """Text as typed on a phone without accents: é -> e, ü -> u, ı -> i (Chinese unaffected)."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ı", "i"))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def sms_body(rng: random.Random, lex: ModuleType, core: str, extra: str) -> str:
    """Short-message styling: lower case, missing punctuation, sometimes shouting."""
    text = core + (lex.SEP + extra if extra else "")
    r = rng.random()
    if r < 0.35:
        text = text.lower()
    elif r < 0.40:
        text = text.upper()
    if rng.random() < 0.3:
        text = text.rstrip(".?!。？！")
    return text


def make_record(rng: random.Random, lex: ModuleType, intent: str, group: Group) -> dict[str, str]:
    """Compose one labelled message."""
    _, prefix, idx = group
    channel = rng.choices(["sms", "email", "chat", "fax"], [0.33, 0.37, 0.12, 0.18])[0]
    core = core_text(rng, lex, intent, group, channel)
    extra, urgency = urgency_sentence(rng, lex)
    subject = ""
    if channel in ("sms", "chat"):
        text = sms_body(rng, lex, core, extra)
        if prefix and rng.random() < PLAIN_SMS_RATE:
            text = without_diacritics(text)
    else:
        text = email_body(rng, lex, core, extra, quote=channel == "email")
        if channel == "email" and rng.random() < 0.75:
            subject = fill(rng, lex, rng.choice(lex.SUBJECTS[intent]))
            subject = ("Re: " + subject) if rng.random() < 0.2 else subject
    if channel == "fax":
        header = f"FAX +{rng.randint(10, 99)} {rng.randint(1000000, 9999999)}  P.01/01\n"
        text = ocr_noise(rng, header + text, lex.LANG)
    return {
        "text": text,
        "subject": subject,
        "channel": channel,
        "language": lex.LANG,
        "intent": intent,
        "urgency": urgency,
        "group": f"{lex.LANG}/{intent}/{prefix}{idx}",
    }


def write(name: str, records: list[dict[str, str]]) -> None:
    """Write records as JSON lines next to this script."""
    with (HERE / name).open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"wrote {len(records)} records to {name}")


def main() -> None:
    """Write messages.jsonl and messages_more.jsonl next to this script."""
    lexicons = load_lexicons().values()
    rng = random.Random(SEED)
    records = []
    for lex in lexicons:
        for intent, phrases in lex.INTENTS.items():
            for i in range(PER_CELL):
                records.append(make_record(rng, lex, intent, (phrases, "", i % len(phrases))))
    write("messages.jsonl", records)
    rng = random.Random(MORE_SEED)
    more = []
    for lex in lexicons:
        for intent, phrases in lex.MORE_INTENTS.items():
            for i in range(MORE_PER_PHRASE * len(phrases)):
                more.append(make_record(rng, lex, intent, (phrases, "m", i % len(phrases))))
    write("messages_more.jsonl", more)


if __name__ == "__main__":
    main()
