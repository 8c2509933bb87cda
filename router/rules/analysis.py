"""Static analysis of a condition's top-level ``&&`` chain: which facts it pins to which values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from router.rules.lexer import LexError, Token, matching_bracket, tokenize

INDEXED_FIELDS: tuple[str, ...] = (
    "channel",
    "intent",
    "language",
    "urgency",
    "customer.tier",
    "recipient",
    "sentiment",
)
"""String facts whose equality/membership constraints are indexed."""

_LOWER_THAN_AND = frozenset({"||", "?", ":"})


@dataclass(frozen=True, slots=True)
class ConditionShape:
    """What a condition pins: field -> allowed values; ``complete`` if the pins are all of it."""

    pins: dict[str, frozenset[str]]
    complete: bool


def analyse_condition(source: str) -> ConditionShape:
    """Find the equality/membership pins in the top-level conjunction of ``source``."""
    try:
        tokens = tokenize(source)
    except LexError:
        return ConditionShape({}, complete=False)
    pins: dict[str, frozenset[str]] = {}
    complete = bool(tokens)
    for conjunct in conjuncts(tokens):
        pin = _pin(conjunct)
        if pin is None:
            complete = False
            continue
        field, values = pin
        pins[field] = pins[field] & values if field in pins else values
    return ConditionShape(pins, complete)


def conjuncts(tokens: Sequence[Token]) -> list[Sequence[Token]]:
    """Split an expression into its top-level ``&&`` operands (flattening parentheses)."""
    tokens = _strip_parens(tokens)
    parts: list[Sequence[Token]] = []
    depth, start = 0, 0
    for i, token in enumerate(tokens):
        if token.kind != "op":
            continue
        if token.text in "([{":
            depth += 1
        elif token.text in ")]}":
            depth -= 1
        elif depth == 0 and token.text in _LOWER_THAN_AND:
            return [tokens]  # `||` or a ternary binds looser than `&&`: no conjunction here
        elif depth == 0 and token.text == "&&":
            parts.append(tokens[start:i])
            start = i + 1
    if not parts:
        return [tokens]
    parts.append(tokens[start:])
    return [piece for part in parts for piece in conjuncts(part)]


def _strip_parens(tokens: Sequence[Token]) -> Sequence[Token]:
    """Remove parentheses that enclose the whole token sequence."""
    while len(tokens) >= 2 and tokens[0].text == "(" and matching_bracket(tokens, 0) == len(tokens) - 1:
        tokens = tokens[1:-1]
    return tokens


def _pin(conjunct: Sequence[Token]) -> tuple[str, frozenset[str]] | None:
    """Match ``f == "v"``, ``"v" == f`` or ``f in ["v", ...]`` for an indexed field ``f``."""
    texts = [token.text for token in conjunct]
    if "==" in texts:
        at = texts.index("==")
        left, right = conjunct[:at], conjunct[at + 1 :]
        for path_part, literal_part in ((left, right), (right, left)):
            field = field_path(path_part)
            if field in INDEXED_FIELDS and len(literal_part) == 1:
                value = _plain_string(literal_part[0])
                if value is not None:
                    return field, frozenset({value})
        return None
    if "in" in texts:
        at = texts.index("in")
        field = field_path(conjunct[:at])
        values = _string_list(conjunct[at + 1 :])
        if field in INDEXED_FIELDS and values is not None:
            return field, values
    return None


def field_path(tokens: Sequence[Token]) -> str | None:
    """Return ``name`` or ``name.member`` if the tokens are exactly such a selection."""
    if len(tokens) == 1 and tokens[0].kind == "ident":
        return tokens[0].text
    if len(tokens) == 3 and tokens[0].kind == "ident" and tokens[1].text == "." and tokens[2].kind == "ident":
        return f"{tokens[0].text}.{tokens[2].text}"
    return None


def _plain_string(token: Token) -> str | None:
    """The value of a string literal without escapes (others are treated as opaque)."""
    return token.value if token.kind == "string" else None


def _string_list(tokens: Sequence[Token]) -> frozenset[str] | None:
    """The values of a list literal made only of plain string literals."""
    if len(tokens) < 2 or tokens[0].text != "[" or tokens[-1].text != "]":
        return None
    values: set[str] = set()
    expect_value = True
    for token in tokens[1:-1]:
        if expect_value:
            value = _plain_string(token)
            if value is None:
                return None
            values.add(value)
        elif token.text != ",":
            return None
        expect_value = not expect_value
    return frozenset(values)
