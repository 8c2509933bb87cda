"""Static checks the CEL library does not do: unknown names and obvious literal type mismatches."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from cel import stdlib

from router.rules.analysis import field_path
from router.rules.fields import FIELDS, MAP_FIELDS, ROOT_FIELDS
from router.rules.lexer import Token

MACROS = frozenset({"all", "exists", "exists_one", "map", "filter"})
_NATIVE_FUNCTIONS = frozenset(
    {
        "has", "size", "contains", "startsWith", "endsWith", "matches", "int", "uint", "double",
        "string", "bytes", "bool", "dyn", "type", "timestamp", "duration", "getFullYear",
        "getMonth", "getDayOfYear", "getDayOfMonth", "getDate", "getDayOfWeek", "getHours",
        "getMinutes", "getSeconds", "getMilliseconds",
    } | MACROS
)  # fmt: skip
STDLIB_BY_NAME: dict[str, list[str]] = {}
"""Last name segment (``greatest``) -> registered stdlib names (``math.greatest``)."""
for _full_name in stdlib.STDLIB_FUNCTIONS:
    STDLIB_BY_NAME.setdefault(_full_name.rsplit(".", 1)[-1], []).append(_full_name)
_NAMESPACES = frozenset(name.split(".", 1)[0] for name in stdlib.STDLIB_FUNCTIONS if "." in name)
_TYPE_NAMES = frozenset({"int", "uint", "double", "string", "bytes", "bool", "list", "map", "null_type", "type"})
_KEYWORDS = frozenset({"true", "false", "null", "in"})
_COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">="})
_BEFORE_OPERAND = frozenset({"(", "[", "{", ",", "&&", "||", "?", ":"})
_AFTER_OPERAND = frozenset({")", "]", "}", ",", "&&", "||", "?", ":"})
_LITERAL_TYPES = {"string": "string", "bytes": "bytes", "int": "int", "uint": "uint", "double": "double"}
_NUMERIC = frozenset({"int", "uint", "double"})


@dataclass(frozen=True, slots=True)
class Problem:
    """A static finding at a character offset in the condition."""

    message: str
    offset: int


def name_problems(tokens: Sequence[Token], variables: Sequence[str], functions: Sequence[str]) -> list[Problem]:
    """Report identifiers and functions that are neither facts nor CEL built-ins."""
    bound = _bound_variables(tokens)
    problems: list[Problem] = []
    allowed = ROOT_FIELDS | bound | _TYPE_NAMES | _NAMESPACES
    for name in sorted(set(variables) - allowed):
        problems.append(Problem(f"unknown field {name!r}", _first_offset(tokens, name, call=False)))
    for name in sorted(set(functions) - _NATIVE_FUNCTIONS - set(STDLIB_BY_NAME)):
        if not name.startswith(("_", "@", "!")):
            problems.append(Problem(f"unknown function {name!r}", _first_offset(tokens, name, call=True)))
    problems.extend(_member_problems(tokens, bound))
    return problems


def _bound_variables(tokens: Sequence[Token]) -> frozenset[str]:
    """Names bound by comprehension macros (the ``x`` in ``tags.exists(x, x == "a")``)."""
    bound = set()
    for i in range(len(tokens) - 3):
        window = tokens[i : i + 4]
        opens_macro = window[0].text == "." and window[1].text in MACROS and window[2].text == "("
        if opens_macro and window[3].kind == "ident":
            bound.add(window[3].text)
    return frozenset(bound)


def _root_identifiers(tokens: Sequence[Token]) -> Iterator[int]:
    """Indexes of identifiers that start a selection (not after a dot)."""
    for i, token in enumerate(tokens):
        if token.kind == "ident" and token.text not in _KEYWORDS and (i == 0 or tokens[i - 1].text != "."):
            yield i


def _first_offset(tokens: Sequence[Token], name: str, *, call: bool) -> int:
    """Offset of the first use of ``name`` as a variable (or as a function when ``call``)."""
    for i, token in enumerate(tokens):
        is_call = i + 1 < len(tokens) and tokens[i + 1].text == "("
        if token.kind == "ident" and token.text == name and is_call == call:
            return token.offset
    return 0


def _member_problems(tokens: Sequence[Token], bound: frozenset[str]) -> Iterator[Problem]:
    """Report ``customer.x`` / ``entities.x`` members that the facts do not have."""
    for i in _root_identifiers(tokens):
        root = tokens[i].text
        if root not in MAP_FIELDS or root in bound or i + 2 >= len(tokens) or tokens[i + 1].text != ".":
            continue
        member = tokens[i + 2]
        is_call = i + 3 < len(tokens) and tokens[i + 3].text == "("
        if member.kind == "ident" and not is_call and member.text not in MAP_FIELDS[root]:
            yield Problem(f"unknown field '{root}.{member.text}'", member.offset)


def type_problems(tokens: Sequence[Token]) -> list[Problem]:
    """Report a fact compared with a literal of a type it can never equal or be ordered with."""
    problems: list[Problem] = []
    for i in _root_identifiers(tokens):
        if i > 0 and tokens[i - 1].text not in _BEFORE_OPERAND:
            continue
        for width in (3, 1):
            field = field_path(tokens[i : i + width])
            if field is None or field not in FIELDS:
                continue
            rest = tokens[i + width :]
            if len(rest) >= 2 and rest[0].text in _COMPARISONS | {"in"}:
                problems.extend(_operand_problems(field, rest[0].text, rest[1:]))
            break
    return problems


def _operand_problems(field: str, operator: str, rest: Sequence[Token]) -> Iterator[Problem]:
    """Check the literal (or list of literals for ``in``) right of a comparison."""
    operands = rest[:1]
    if operator == "in" and rest[0].text == "[":
        operands = [token for token in rest[1:] if token.text != ","]
        end = next((k for k, token in enumerate(operands) if token.text == "]"), None)
        closing = next((k for k, token in enumerate(rest) if token.text == "]"), len(rest))
        if end is None or (closing + 1 < len(rest) and rest[closing + 1].text not in _AFTER_OPERAND):
            return
        operands = operands[:end]
    elif len(rest) > 1 and rest[1].text not in _AFTER_OPERAND:
        return  # the literal is part of a larger operand, e.g. `"a" + x`
    expected = FIELDS[field]
    for token in operands:
        actual = _literal_type(token)
        if actual is not None and not _compatible(expected, actual):
            yield Problem(f"{field} is {expected} but is compared with {actual} {token.text}", token.offset)


def _literal_type(token: Token) -> str | None:
    """The CEL type of a literal token, or None for anything else."""
    if token.kind in _LITERAL_TYPES:
        return _LITERAL_TYPES[token.kind]
    if token.text in ("true", "false"):
        return "bool"
    return None


def _compatible(expected: str, actual: str) -> bool:
    """Whether a fact of type ``expected`` can meaningfully meet a literal of type ``actual``."""
    if expected in _NUMERIC:
        return actual in _NUMERIC
    return expected == actual


_BOOLEAN_OPERATORS = frozenset({"&&", "||", "!", "==", "!=", "<", "<=", ">", ">=", "in", "?"})
_ARITHMETIC = frozenset({"+", "-", "*", "/", "%"})
_RETURNS: dict[str, str] = {
    "size": "int", "int": "int", "uint": "uint", "double": "double", "string": "string", "bytes": "bytes",
    "timestamp": "timestamp", "duration": "duration", "lowerAscii": "string", "upperAscii": "string",
    "trim": "string", "replace": "string", "substring": "string", "charAt": "string", "join": "string",
    "map": "list", "filter": "list", "split": "list", "range": "list", "getHours": "int", "getDayOfWeek": "int",
}  # fmt: skip


def result_problems(tokens: Sequence[Token]) -> list[Problem]:
    """Report a condition whose value is plainly not a bool (``language``, ``size(text)``, ``"x"``)."""
    tokens = _strip_parens(tokens)
    if not tokens or any(token.text in _BOOLEAN_OPERATORS for token in _top_level(tokens) if token.kind == "op"):
        return []
    kind = _result_type(tokens)
    if kind is None or kind == "bool":
        return []
    return [Problem(f"the condition gives {kind}, not bool: compare it with something", tokens[0].offset)]


def _result_type(tokens: Sequence[Token]) -> str | None:
    """The type an expression with no top-level boolean operator plainly has (None when unsure)."""
    top = _top_level(tokens)
    if any(token.kind == "op" and token.text in _ARITHMETIC for token in top):
        return "string" if any(token.kind == "string" for token in top) else "a number"
    if len(tokens) == 1:
        literal = _literal_type(tokens[0])
        if literal is not None or tokens[0].text == "null":
            return literal or "null"
    field = field_path(tokens)
    if field is not None:
        return FIELDS.get(field)
    if tokens[0].text == "[":
        return "list"
    if tokens[0].text == "{":
        return "map"
    if tokens[-1].text == ")":
        opening = _matching_open(tokens, len(tokens) - 1)
        if opening > 0 and tokens[opening - 1].kind == "ident":
            return _RETURNS.get(tokens[opening - 1].text)
    return None


def _top_level(tokens: Sequence[Token]) -> list[Token]:
    """The tokens outside any brackets."""
    depth, out = 0, []
    for token in tokens:
        if token.kind == "op" and token.text in ")]}":
            depth -= 1
        if depth == 0:
            out.append(token)
        if token.kind == "op" and token.text in "([{":
            depth += 1
    return out


def _matching_open(tokens: Sequence[Token], closing: int) -> int:
    """Index of the bracket opening the one at ``closing`` (-1 when unbalanced)."""
    balance = 0
    for i in range(closing, -1, -1):
        if tokens[i].kind != "op":
            continue
        if tokens[i].text in ")]}":
            balance += 1
        elif tokens[i].text in "([{":
            balance -= 1
            if balance == 0:
                return i
    return -1


def _strip_parens(tokens: Sequence[Token]) -> Sequence[Token]:
    """Remove parentheses that enclose the whole expression."""
    while len(tokens) >= 2 and tokens[0].text == "(" and _matching_open(tokens, len(tokens) - 1) == 0:
        tokens = tokens[1:-1]
    return tokens
