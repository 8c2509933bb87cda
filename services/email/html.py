"""HTML mail bodies to plain text with the standard library's parser: block elements become line breaks."""

from __future__ import annotations

import re
from html.parser import HTMLParser

MAX_HTML = 2 * 1024 * 1024
_SKIP = frozenset({"script", "style", "head", "title", "template"})
_BLOCK = frozenset(
    {"p", "div", "br", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "blockquote"}
)
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANKS = re.compile(r"\n{3,}")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCK:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(data)


def html_to_text(html: str) -> str:
    """Readable text of an HTML body (scripts, styles and the head dropped); never raises."""
    parser = _Text()
    try:
        parser.feed(html[:MAX_HTML])
        parser.close()
    except Exception:  # the parser is lenient, but a truncated declaration can still trip it
        parser.out.append("")
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parser.out).splitlines())
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()
