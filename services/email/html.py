"""HTML mail bodies to plain text in one linear pass: block elements become line breaks, scripts and styles go.

Not ``html.parser``: it rescans unterminated tags, so a body of "<a <a <a ..." costs quadratic time (minutes
for a megabyte), which on the SMTP listener's event loop would stall every other mail. Here a tag is at
most 4 KiB without a '<' inside, so every character is looked at a bounded number of times.
"""

from __future__ import annotations

import html
import re

MAX_HTML = 2 * 1024 * 1024
_SKIP = frozenset({"script", "style", "head", "title", "template"})
_BLOCK = frozenset(
    {"p", "div", "br", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "blockquote"}
)
_TOKEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]{0,30})\b[^<>]{0,4096}>|<!--|<!\[CDATA\[|<[!?][^<>]{0,4096}>")
_SPACES = re.compile(r"[ \t\u00a0\r\f\v]+")
_BLANKS = re.compile(r"\n{3,}")


def html_to_text(source: str) -> str:
    """Readable text of an HTML body (scripts, styles, the head and comments dropped); never raises."""
    text = source[:MAX_HTML]
    out: list[str] = []
    pos, skipping = 0, ""
    while pos < len(text):
        m = _TOKEN.search(text, pos)
        start = m.start() if m else len(text)
        if not skipping:
            out.append(text[pos:start])
        if m is None:
            break
        pos = m.end()
        tag = m.group(0)
        if tag in ("<!--", "<![CDATA["):
            end = text.find("-->" if tag == "<!--" else "]]>", pos)
            if tag == "<![CDATA[" and not skipping:
                out.append(text[pos : len(text) if end < 0 else end])
            pos = len(text) if end < 0 else end + 3
            continue
        name, closing = m.group(2).lower() if m.group(2) else "", m.group(1) == "/"
        if skipping:
            skipping = "" if closing and name == skipping else skipping
        elif name in _SKIP and not closing and not tag.endswith("/>"):
            skipping = name
        elif name in _BLOCK:
            out.append("\n")
    lines = (_SPACES.sub(" ", line).strip() for line in html.unescape("".join(out)).split("\n"))
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()
