"""Strip quoted history and signatures from message text (pure, reused by the mail adapter)."""

from __future__ import annotations

import re

_ORIGINAL_MESSAGE = re.compile(
    r"^[ \t]*-{2,}\s*(?:original message|forwarded message|oprindelig meddelelse|"
    r"videresendt meddelelse|opprinnelig melding|ursprungligt meddelande|"
    r"ursprüngliche nachricht|weitergeleitete nachricht|message d'origine|message transféré|"
    r"mensaje original|mensaje reenviado|原始邮件|转发的邮件|özgün ileti|orijinal mesaj)"
    r"\s*-{2,}",
    re.IGNORECASE | re.MULTILINE,
)
_REPLY_HEADER = re.compile(
    r"^(?![ \t]*>)[^\n]{0,200}?(?:\b(?:wrote|skrev|schrieb|a écrit|escribió|escreveu|yazdı|sumulat|"
    r"kirjoitti|schreef|ha scritto|napisał)\b|写道|寫道)[^\n]{0,120}[:：]?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_OUTLOOK_HEADER = re.compile(
    r"^[ \t]*\*?(?:from|fra|från|von|de|da|van|od|发件人|kimden|mula kay)\*?[ \t]*[:：][^\n]*\n"
    r"(?:[^\n]*\n){0,2}?[ \t]*\*?(?:sent|sendt|skickat|gesendet|envoyé|enviado(?: el)?|date|"
    r"dato|datum|发送时间|tarih|to|til|till|an|à|para|收件人|kime)\*?[ \t]*[:：]",
    re.IGNORECASE | re.MULTILINE,
)
_SIGNATURE = re.compile(
    r"^[ \t]*(?:--|—|__+|sent from my [^\n]*|sent from [^\n]*(?:iphone|ipad|android|mobile|"
    r"outlook|galaxy)[^\n]*|get outlook for [^\n]*|sendt fra min [^\n]*|skickat från min [^\n]*|"
    r"von meinem [^\n]*gesendet|gesendet von [^\n]*|envoyé de mon [^\n]*|"
    r"enviado desde mi [^\n]*|发自我的[^\n]*|[^\n]*'(?:u|ü)mdan gönderildi|"
    r"ipinadala mula sa [^\n]*)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_CLOSING = re.compile(
    r"^[ \t]*(?:best regards|kind regards|warm regards|regards|best wishes|best|cheers|"
    r"thanks(?: in advance)?|thank you|many thanks|yours sincerely|sincerely|"
    r"med venlig hilsen|venlig hilsen|de bedste hilsner|med vennlig hilsen|vennlig hilsen|"
    r"med vänliga hälsningar|vänliga hälsningar|hälsningar|mvh|hilsen|"
    r"mit freundlichen grüßen|freundliche grüße|viele grüße|beste grüße|liebe grüße|lg|mfg|"
    r"cordialement|bien à vous|bien cordialement|salutations distinguées|"
    r"saludos cordiales|un saludo|saludos|atentamente|"
    r"此致敬礼|此致|祝好|顺祝商祺|"
    r"saygılarımla|saygılar|iyi çalışmalar|"
    r"lubos na gumagalang|maraming salamat po|salamat po|salamat po sa tulong|"
    r"tak for hjælpen|på forhånd tak|takk for hjelpen|takk på forhånd|tack för hjälpen|"
    r"tack på förhand|vielen dank im voraus|danke für ihre hilfe|merci d'avance|"
    r"merci de votre aide|gracias de antemano|gracias por su ayuda|先谢谢了|谢谢|"
    r"teşekkür ederim|şimdiden teşekkürler|kolay gelsin)[ \t]*[,.!。！]?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_HEADER_FIELD = re.compile(
    r"^\W*(?:fax|faks|telefax|tel|tlf|phone|telefon|téléphone|tél|teléfono|to|til|till|an|à|para|kime|from|fra|"
    r"från|von|de|date|dato|datum|fecha|tarih|pages?|sider|sidor|seiten|páginas|sayfa|ref|attn|att|"
    r"p\.?\s*\d+)\b[^\n]{0,80}?(?:[:：]|\d)|^\W*(?:致|传真|电话|页数|日期|发件人|收件人)|"
    r"^\W*(?:fax|telefax)\s*(?:transmission|message|cover|mitteilung|nachricht|meddelelse|melding|meddelande)?\W*$",
    re.IGNORECASE,
)
_FAX_WORD = re.compile(r"\b(?:fax|faks|telefax|tel|tlf|tél)\b|传真", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_LETTERHEAD_LINES = 10
_QUOTED_LINE = re.compile(r"^[ \t]*>[^\n]*\n?", re.MULTILINE)
_BLANK_RUNS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_MIN_KEPT_CHARS = 2
_MIN_BODY_CHARS = 12


def _cut_at(text: str, pattern: re.Pattern[str], keep: int = _MIN_KEPT_CHARS) -> str:
    """Cut text at the first match of pattern, unless less than `keep` characters would remain."""
    match = pattern.search(text)
    if match is None:
        return text
    head = text[: match.start()]
    return head if len(head.strip()) >= keep else text


def clean_text(text: str) -> str:
    """Return the customer's own words: quoted history, signatures and closings removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\n" not in text:
        return text.strip()
    if "--" in text:
        text = _cut_at(text, _ORIGINAL_MESSAGE)
    if ":" in text or "：" in text:
        text = _cut_at(_cut_at(text, _OUTLOOK_HEADER), _REPLY_HEADER)
    stripped = _QUOTED_LINE.sub("", text)
    if len(stripped.strip()) >= _MIN_KEPT_CHARS:
        text = stripped
    text = _cut_at(text, _SIGNATURE, _MIN_BODY_CHARS)
    text = _cut_at(text, _CLOSING, _MIN_BODY_CHARS)
    return _BLANK_RUNS.sub("\n\n", text).strip()


def _is_letterhead(line: str, before_blank: bool) -> bool:
    """Whether a line at the top of a fax is letterhead: fields, numbers and addresses, or a short name."""
    words = line.split()
    digits = len(_DIGIT.findall(line))
    if _HEADER_FIELD.search(line) or (_FAX_WORD.search(line) and digits >= 4):
        return True
    if digits >= 4 and len(words) <= 6:
        return True
    return before_blank and len(words) <= 3 and not line.rstrip().endswith(("?", "!", "？", "！"))


def strip_letterhead(text: str) -> str:
    """Drop a fax's letterhead and cover-sheet lines (sender, numbers, addresses, date, pages) from the top.

    The first block (up to the first blank line) goes whole when at least half its lines look like
    letterhead; then single letterhead lines go, up to the first line of prose.
    """
    lines = text.replace("\r\n", "\n").split("\n")
    first_end = next((i for i, line in enumerate(lines) if not line.strip()), len(lines))
    first = lines[:first_end]
    start = 0
    if first_end < len(lines) and 2 * sum(_is_letterhead(line, True) for line in first) >= len(first) >= 2:
        start = first_end
    for line in lines[start : start + _LETTERHEAD_LINES]:
        if line.strip() and not _is_letterhead(line, start == 0):
            break
        start += 1
    body = "\n".join(lines[start:]).strip()
    return body if len(body) >= _MIN_BODY_CHARS else text.strip()


def customer_text(text: str, channel: str) -> str:
    """The words a classifier should read: a fax without its letterhead, any message without quotes and signature."""
    return clean_text(strip_letterhead(text) if channel == "fax" else text)
