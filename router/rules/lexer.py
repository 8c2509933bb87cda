"""A small CEL tokeniser: enough lexical structure to locate names and analyse conjunctions."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

TokenKind = Literal["ident", "string", "bytes", "int", "uint", "double", "op"]

_OPERATORS = (
    "&&", "||", "==", "!=", "<=", ">=", "<", ">", "!", "?", ":",
    "+", "-", "*", "/", "%", ".", ",", "(", ")", "[", "]", "{", "}",
)  # fmt: skip
_IDENT = re.compile(r"[_a-zA-Z][_a-zA-Z0-9]*")
_NUMBER = re.compile(
    r"0[xX][0-9a-fA-F]+[uU]?"
    r"|(?P<float>\d*\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+)"
    r"|\d+[uU]?"
)
_STRING_START = re.compile(r"(?P<prefix>[rRbB]{0,2})(?P<quote>\"\"\"|'''|\"|')")


class LexError(ValueError):
    """The text is not lexically valid CEL; ``offset`` is where lexing stopped."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


@dataclass(frozen=True, slots=True)
class Token:
    """One lexical token; ``value`` is the decoded literal for plain strings, else the text."""

    kind: TokenKind
    text: str
    offset: int
    value: str | None = None


def matching_bracket(tokens: Sequence[Token], at: int) -> int:
    """Index of the bracket matching the one at ``at``: forward from an opening one, back from a closing one
    (-1 when unbalanced)."""
    step, deeper = (1, "([{") if tokens[at].text in "([{" else (-1, ")]}")
    depth, i = 0, at
    while 0 <= i < len(tokens):
        token = tokens[i]
        if token.kind == "op" and token.text in "()[]{}":
            depth += 1 if token.text in deeper else -1
            if depth == 0:
                return i
        i += step
    return -1


def position(source: str, offset: int) -> tuple[int, int]:
    """Return the 1-based (line, column) of a character offset, counting characters."""
    line = source.count("\n", 0, offset) + 1
    line_start = source.rfind("\n", 0, offset) + 1
    return line, offset - line_start + 1


def tokenize(source: str) -> list[Token]:
    """Split CEL source into tokens, skipping whitespace and ``//`` comments."""
    tokens: list[Token] = []
    i, end = 0, len(source)
    while i < end:
        ch = source[i]
        if ch in " \t\r\n\f":
            i += 1
        elif source.startswith("//", i):
            newline = source.find("\n", i)
            i = end if newline < 0 else newline
        else:
            token = _next_token(source, i)
            tokens.append(token)
            i += len(token.text)
    return tokens


def _next_token(source: str, i: int) -> Token:
    """Read the token starting at offset ``i``."""
    string_start = _STRING_START.match(source, i)
    if string_start is not None:
        return _string_token(source, i, string_start)
    ident = _IDENT.match(source, i)
    if ident is not None:
        return Token("ident", ident.group(), i)
    number = _NUMBER.match(source, i)
    if number is not None:
        text = number.group()
        kind: TokenKind = "double" if number.group("float") else "int"
        if text[-1] in "uU":
            kind = "uint"
        return Token(kind, text, i)
    for op in _OPERATORS:
        if source.startswith(op, i):
            return Token("op", op, i)
    raise LexError(f"unexpected character {source[i]!r}", i)


def _string_token(source: str, i: int, start: re.Match[str]) -> Token:
    """Read a string or bytes literal whose prefix and opening quote matched at ``i``."""
    prefix, quote = start.group("prefix").lower(), start.group("quote")
    raw = "r" in prefix
    j = start.end()
    while True:
        if j >= len(source) or (len(quote) == 1 and source[j] == "\n"):
            raise LexError("unterminated string literal", i)
        if not raw and source[j] == "\\":
            j += 2
        elif source.startswith(quote, j):
            break
        else:
            j += 1
    text = source[i : j + len(quote)]
    body = source[start.end() : j]
    if "b" in prefix:
        return Token("bytes", text, i)
    # Only escape-free bodies are decoded: callers treat undecoded strings as opaque.
    return Token("string", text, i, None if "\\" in body else body)
