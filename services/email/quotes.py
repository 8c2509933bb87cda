"""A reply's new text, apart from the quoted history and the signature below it, in the design's ten languages.

Our own patterns, not a library's: mail-parser-reply (PyPI, maintained) knows seven of the ten languages,
misses Norwegian, Tagalog, Turkish, Chinese with full-width punctuation, Spanish with a bracketed address
and the RFC 3676 "-- " delimiter, and its patterns take quadratic time on hostile text (20,000 times "On "
kept it busy for four minutes), which on the SMTP listener's event loop would stall every other mail.
Every pattern here is anchored at a line start with bounded repetition, so the scan stays linear.
"""

from __future__ import annotations

import re

MAX_SCAN = 64 * 1024
"""Only this much text is searched for a boundary; the rest of a longer body is history or attachments."""

_SPAN = r"(?:[^\n]|\n(?!\n)){1,400}?"
"""Up to 400 characters on at most a few lines (clients wrap long attribution lines), matched lazily."""
_ATTRIBUTION = re.compile(
    rf"""^[ \t>]*+(?:
        On\s{_SPAN}\swrote\s?:                                   # en
      | (?:Den|På)\s{_SPAN}\sskrev\b[^\n]{{0,200}}?:              # da nb sv
      | Am\s{_SPAN}\sschrieb\b[^\n]{{0,200}}?:                    # de
      | [^\n@]{{0,200}}@[^\n]{{0,200}}?\sschrieb\s?:               # de, "Name <address> schrieb:"
      | Le\s{_SPAN}\sa\sécrit\s?:                                # fr
      | El\s{_SPAN}\sescribió\s?:                                 # es
      | [在於][^\n]{{1,200}}?[写寫]道\s?[:：]                         # zh
      | Noong\s{_SPAN}\s(?:sumulat|isinulat|nagsulat)\b[^\n]{{0,200}}?:   # tl
      | [^\n]{{1,300}}?\starihinde\s[^\n]{{0,200}}?yazdı\s?:         # tr
    )[ \t]*$""",
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)
_ORIGINAL = re.compile(
    r"""^[ \t>]*+-{2,}\s*(?:
        Original\sMessage | Forwarded\smessage | Oprindelig\smeddelelse | Opprinnelig\smelding
      | Ursprungligt\smeddelande | Ursprüngliche\sNachricht | Message\sd'origine | Mensaje\soriginal
      | Orijinal\sMesaj | Orihinal\sna\smensahe | 原始邮件 | 原始郵件
    )\s*-{2,}[ \t]*$""",
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)
_FROM = r"(?:From|Fra|Från|Von|De|Kimden|Mula\ssa|发件人|寄件者)"
_SENT = (
    r"(?:Sent|Date|Sendt|Skickat|Gesendet|Datum|Envoyé|Enviado|Fecha|Gönderildi|Tarih|Ipinadala"
    r"|发送时间|日期|寄件日期)"
)
_OUTLOOK = re.compile(
    rf"^[ \t>*]*+{_FROM}\s?[:：].*\n(?:.*\n){{0,2}}?[ \t>*]*+{_SENT}\s?[:：]", re.IGNORECASE | re.MULTILINE
)
_SIGNATURE = re.compile(r"^-- ?$", re.MULTILINE)
_RULE = re.compile(r"^[ \t]*+_{32,}[ \t]*$", re.MULTILINE)
"""The underscore rule Outlook puts above a quoted message."""
_MOBILE = re.compile(
    r"^(?:Sent from my \w+|Envoyé de mon \w+|Von meinem \w+ gesendet|Sendt fra min \w+|Skickat från min \w+"
    r"|Enviado desde mi \w+|iPhone'umdan gönderildi)\b.*$",
    re.IGNORECASE | re.MULTILINE,
)
_QUOTED_LINE = re.compile(r"^[ \t]*+>.*\n?", re.MULTILINE)


def new_text(text: str) -> str:
    """The reply's own text: cut at the first quote header or signature, quoted lines dropped.

    Falls back to the whole text when nothing would be left (a message that is all quotation is still read).
    """
    head = text[:MAX_SCAN]
    cut = min(
        (
            m.start()
            for m in (p.search(head) for p in (_ATTRIBUTION, _ORIGINAL, _OUTLOOK, _RULE, _SIGNATURE, _MOBILE))
            if m
        ),
        default=len(head),
    )
    own = _QUOTED_LINE.sub("", head[:cut]).strip()
    return own if own else text.strip()
