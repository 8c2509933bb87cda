"""A reply's new text, apart from the quoted history and the signature below it, in the design's ten languages.

mail-parser-reply knows the attribution lines and Outlook header blocks of en, da, de, es, fr, sv and zh (and
legal disclaimers). What it misses is added here and applied first: Norwegian, Tagalog and Turkish
attributions, Chinese ones with full-width punctuation, Spanish with a bracketed address, localized
"Original Message" rules, and the RFC 3676 "-- " signature delimiter.
"""

from __future__ import annotations

import re

from mailparser_reply import EmailReplyParser

MAX_SCAN = 64 * 1024
"""Only this much text is searched for a boundary; the rest of a longer body is history or attachments."""

_ATTRIBUTION = re.compile(
    r"""^[ \t>]*(?:
        On\s[^\n]{1,200}?\n?[^\n]{0,200}?\swrote\s?:            # en (Gmail may wrap it)
      | (?:Den|På)\s[^\n]{1,200}?\n?[^\n]{0,200}?\sskrev\s?[^\n]{0,200}?:   # da nb sv
      | Am\s[^\n]{1,200}?\n?[^\n]{0,200}?\sschrieb\s?[^\n]{0,200}?:        # de
      | [^\n]{0,200}?@[^\n]{0,200}?\sschrieb\s?:              # de, "Name <address> schrieb:"
      | Le\s[^\n]{1,200}?\n?[^\n]{0,200}?\sa\sécrit\s?:        # fr
      | El\s[^\n]{1,200}?\n?[^\n]{0,200}?\sescribió\s?:        # es
      | [在於][^\n]{1,200}?[写寫]道\s?[:：]                      # zh
      | Noong\s[^\n]{1,200}?\s(?:sumulat|isinulat|nagsulat)[^\n]{0,200}?:   # tl
      | [^\n]{1,300}?\starihinde\s[^\n]{0,200}?yazdı\s?:       # tr
    )[ \t]*$""",
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)
_ORIGINAL = re.compile(
    r"""^[ \t>]*-{2,}\s*(?:
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
    rf"^[ \t>*]*{_FROM}\s?[:：].*\n(?:.*\n){{0,2}}?[ \t>*]*{_SENT}\s?[:：]", re.IGNORECASE | re.MULTILINE
)
_SIGNATURE = re.compile(r"^-- ?$", re.MULTILINE)
_MOBILE = re.compile(
    r"^(?:Sent from my \w+|Envoyé de mon \w+|Von meinem \w+ gesendet|Sendt fra min \w+|Skickat från min \w+"
    r"|Enviado desde mi \w+|iPhone'umdan gönderildi)\b.*$",
    re.IGNORECASE | re.MULTILINE,
)
_QUOTED_LINE = re.compile(r"^[ \t]*>.*\n?", re.MULTILINE)
_LIBRARY = EmailReplyParser(languages=["en", "da", "de", "es", "fr", "sv", "zh"])


def new_text(text: str) -> str:
    """The reply's own text: cut at the first quote header or signature, quoted lines dropped.

    Falls back to the whole text when nothing would be left (a message that is all quotation is still read).
    """
    head = text[:MAX_SCAN]
    cut = min(
        (m.start() for m in (p.search(head) for p in (_ATTRIBUTION, _ORIGINAL, _OUTLOOK, _SIGNATURE, _MOBILE)) if m),
        default=len(head),
    )
    own = _QUOTED_LINE.sub("", head[:cut]).strip()
    try:
        reduced = (_LIBRARY.parse_reply(own) or "").strip() if own else ""
    except Exception:  # a third-party parser must not cost us the message
        reduced = own
    result = reduced or own
    return result if result else text.strip()
