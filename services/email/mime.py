"""MIME bytes to plain data with the standard library's ``email`` package; never raises, whatever the bytes.

The policy is ``email.policy.default`` with one change: headers come back as their raw strings, decoded here
(RFC 2047 words, 8-bit bytes in any charset), not as the policy's header objects, whose parser can raise on
malformed input long after parsing and costs half a millisecond per Content-Type read. Every part is walked iteratively,
with bounds on depth and count, so a hostile message costs linear time and constant stack.
"""

from __future__ import annotations

import codecs
import email.header
import email.utils
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email import policy
from email.message import Message
from email.parser import BytesParser
from email.policy import EmailPolicy
from typing import TypeVar

from charset_normalizer import from_bytes

from services.email.html import html_to_text

T = TypeVar("T")

MAX_PARTS = 500
MAX_DEPTH = 32
DETECT_BYTES = 64 * 1024
SHORT = 48
MAX_HEADER = 16 * 1024
_CJK = frozenset({"gb18030", "gb2312", "gbk", "big5", "big5hkscs", "cp950", "shift_jis", "cp932", "euc_jp", "euc_kr",
                  "cp949", "iso2022_jp", "hz"})  # fmt: skip
_FOLD = re.compile(r"\r?\n[ \t]*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ESCAPED = re.compile("[\udc80-\udcff]")
"""What the parser's surrogateescape makes of an 8-bit byte in a header."""
# Labels that mail clients use for a wider charset than they name (WHATWG's encoding standard does the same).
_WIDER = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-cn": "gb18030",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "big5": "big5hkscs",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "shift_jis": "cp932",
    "x-sjis": "cp932",
    "iso-2022-jp": "iso2022_jp_ext",
}


class _RawHeaders(EmailPolicy):
    """``policy.default``, except that a header is fetched as its unfolded raw string."""

    def header_fetch_parse(self, name: str, value: str) -> str:
        """The raw value, unfolded (``Message`` parses content types and parameters from it itself)."""
        return _FOLD.sub(" ", str(value)).strip()


POLICY = _RawHeaders()


@dataclass(frozen=True, slots=True)
class Part:
    """An attachment as the message carried it."""

    name: str
    content_type: str
    data: bytes


@dataclass(slots=True)
class ParsedMail:
    """What a mail says, decoded: first value of each header (raw), body text, attachments, report markers."""

    headers: dict[str, str] = field(default_factory=dict)
    text: str = ""
    from_html: bool = False
    attachments: list[Part] = field(default_factory=list)
    content_type: str = "text/plain"
    report_type: str | None = None
    delivery_status: bool = False
    _decoded: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False, compare=False)

    def header(self, name: str) -> str | None:
        """The first ``name`` header, decoded and unfolded, or None.

        Decoded once per value: threading, flags, the sender and fax recognition ask for the same few headers
        about a dozen times a mail. A value replaced in ``headers`` since is decoded again.
        """
        key = name.lower()
        raw = self.headers.get(key)
        if raw is None:
            return None
        cached = self._decoded.get(key)
        if cached is None or cached[0] is not raw:
            cached = self._decoded[key] = (raw, decode_header_value(raw))
        return cached[1]


def safe(call: Callable[[], T], default: T) -> T:
    """``call()``, or ``default`` when the email package trips over malformed input (it raises many kinds)."""
    try:
        return call()
    except Exception:
        return default


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Text from ``data`` in its declared charset; a wrong or missing label falls back to detection.

    UTF-8 labelled as ASCII or Latin-1 (a common mislabel) is read as UTF-8: valid UTF-8 is almost never an
    accident. Detection needs text to work on: a short unlabelled value that is not UTF-8 and not clearly
    CJK is read as Windows-1252, the most common legacy charset of the design's languages.
    """
    label = (charset or "").strip().strip('"').lower()
    codec = _WIDER.get(label, label)
    attempts = ["utf-8", codec] if codec == "cp1252" else [codec, "utf-8"]
    for name in attempts:
        text = _decode(data, name, "strict")
        if text is not None:
            return text
    guess = safe(lambda: from_bytes(data[:DETECT_BYTES]).best(), None)
    if guess is not None and (len(data) >= SHORT or guess.encoding in _CJK):
        text = _decode(data, guess.encoding, "replace")
        if text is not None:
            return text
    return _decode(data, codec, "replace") or data.decode("cp1252", "replace")


def _decode(data: bytes, codec: str, errors: str) -> str | None:
    """``data`` decoded, or None when the codec is unknown, not a text codec, or fails (some, like idna,
    raise on any error handler)."""
    if not codec:
        return None
    try:
        if not codecs.lookup(codec)._is_text_encoding:
            return None
        return data.decode(codec, errors)
    except Exception:
        return None


def decode_header_value(raw: str) -> str:
    """A header value with RFC 2047 words and raw 8-bit bytes decoded, unfolded, without control characters.

    Only the first 16 KiB are decoded: no header we read is longer when honest, and decoding is superlinear.
    """
    value = _unescape(raw[:MAX_HEADER])
    if "=?" in value:
        empty: list[tuple[bytes | str, str | None]] = []
        chunks = safe(lambda: email.header.decode_header(value), empty)
        if chunks:
            value = "".join(c if isinstance(c, str) else decode_bytes(c, cs) for c, cs in chunks)
    return _CONTROL.sub("", _FOLD.sub(" ", value)).strip()


def _unescape(value: str) -> str:
    """Turn the parser's surrogate-escaped 8-bit header bytes back into text."""
    if _ESCAPED.search(value) is None:
        return value
    try:
        raw = value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return value.encode("utf-8", "replace").decode("utf-8")
    return decode_bytes(raw, None)


def clean_text(text: str) -> str:
    """Newlines as ``\\n`` and no control characters (some databases refuse NUL in JSON)."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def parse_mime(raw: bytes) -> ParsedMail:
    """Parse a whole RFC 5322 message; malformed input gives what could be read, never an exception."""
    msg = safe(lambda: BytesParser(policy=POLICY).parsebytes(raw), None)
    if msg is None:
        return ParsedMail(text=clean_text(decode_bytes(raw[: 256 * 1024], None)))
    mail = ParsedMail(headers=_first_headers(msg))
    mail.content_type = safe(msg.get_content_type, "text/plain")
    _walk(msg, mail)
    return mail


def _first_headers(msg: Message) -> dict[str, str]:
    headers: dict[str, str] = {}
    items: list[tuple[str, object]] = safe(lambda: list(msg.raw_items()), [])
    for name, value in items:
        headers.setdefault(str(name).lower(), str(value))
    return headers


def _walk(root: Message, mail: ParsedMail) -> None:
    plains: list[str] = []
    htmls: list[str] = []
    stack: list[tuple[Message, int]] = [(root, 0)]
    seen = 0
    while stack and seen < MAX_PARTS:
        part, depth = stack.pop()
        seen += 1
        ctype = safe(part.get_content_type, "application/octet-stream")
        maintype = ctype.partition("/")[0]
        if maintype == "multipart":
            if ctype == "multipart/report":
                mail.report_type = _param(part, "report-type")
            children = _payload(part)
            if isinstance(children, list) and depth < MAX_DEPTH:
                stack.extend((c, depth + 1) for c in reversed(children) if isinstance(c, Message))
            continue
        if ctype == "message/delivery-status":
            mail.delivery_status = True
        disposition = safe(part.get_content_disposition, None)
        filename = safe(part.get_filename, None)
        if maintype == "text" and disposition != "attachment" and not filename and ctype in ("text/plain", "text/html"):
            text = _part_text(part)
            (plains if ctype == "text/plain" else htmls).append(text)
            continue
        data = _part_bytes(part, maintype)
        name = decode_header_value(filename) if filename else f"part-{seen}{_extension(ctype)}"
        mail.attachments.append(Part(name=name[:255] or f"part-{seen}", content_type=ctype[:127], data=data))
    if plains:
        mail.text = clean_text("\n\n".join(p for p in plains if p.strip())).strip()
    elif htmls:
        mail.text, mail.from_html = clean_text(html_to_text("\n".join(htmls))), True


def _part_text(part: Message) -> str:
    data = safe(lambda: part.get_payload(decode=True), None)
    if not isinstance(data, bytes):
        payload = _payload(part)
        return payload if isinstance(payload, str) else ""
    return decode_bytes(data, safe(part.get_content_charset, None))


def _payload(part: Message) -> object:
    payload: object = safe(lambda: part.get_payload(), None)
    return payload


def _param(part: Message, name: str) -> str | None:
    value: object = safe(lambda: part.get_param(name), None)
    return value.lower() if isinstance(value, str) and value else None


def _part_bytes(part: Message, maintype: str) -> bytes:
    if maintype == "message":
        inner = safe(part.get_payload, None)
        source = inner[0] if isinstance(inner, list) and inner and isinstance(inner[0], Message) else part
        return safe(lambda: source.as_bytes(policy=policy.compat32), b"")
    data = safe(lambda: part.get_payload(decode=True), None)
    return data if isinstance(data, bytes) else b""


def _extension(content_type: str) -> str:
    known = {"text/plain": ".txt", "text/html": ".html", "application/pdf": ".pdf", "image/tiff": ".tif"}
    if content_type.startswith("message/"):
        return ".eml"
    return known.get(content_type, ".bin")


def parse_address(value: str | None) -> tuple[str | None, str | None]:
    """(display name, addr-spec) of the first address in a header value; Nones when there is none."""
    if not value:
        return None, None
    name, addr = safe(lambda: email.utils.parseaddr(value), ("", ""))
    return (name.strip() or None), (addr.strip() or None)
