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
