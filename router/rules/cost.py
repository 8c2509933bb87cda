"""Rule cost: what validation refuses statically, and which conditions need a bounded evaluator.

A condition whose evaluation is linear in its own size and in the message (comparisons, ``in``,
``contains``, ``matches``: CEL's regular expressions run in linear time) is *light* and runs in process.
Anything that can multiply work — a comprehension macro, a ``+`` (string and list concatenation), a
standard-library function — is *heavy* and runs in the sandbox process with a deadline
(``router.rules.sandbox``). Validation refuses what is known to be unbounded before it is ever run.
"""

from __future__ import annotations

from collections.abc import Sequence

from router.rules.checks import MACROS, Problem
from router.rules.lexer import Token, matching_bracket

MAX_TOKENS = 1_000
"""Expression size: tokens in one condition (a realistic rule has under 100)."""
MAX_MACRO_DEPTH = 2
"""Comprehension macros (``all``, ``exists``, ``exists_one``, ``map``, ``filter``) nested in one another."""
MAX_MACROS = 4
"""Comprehension macros in one condition."""
MAX_RANGE = 1_000
"""Largest ``lists.range(n)``; ``n`` must be an integer literal."""
LIGHT_FUNCTIONS = frozenset(
    {
        "!_", "-_", "@in", "@not_strictly_false", "_%_", "_&&_", "_*_", "_-_", "_/_", "_<_", "_<=_", "_==_",
        "_!=_", "_>_", "_>=_", "_?_:_", "_[_]", "_||_", "contains", "startsWith", "endsWith", "matches", "size",
        "has", "int", "uint", "double", "string", "bool", "dyn", "type", "timestamp", "duration", "getFullYear",
        "getMonth", "getDayOfYear", "getDayOfMonth", "getDate", "getDayOfWeek", "getHours", "getMinutes",
        "getSeconds", "getMilliseconds",
    }
)  # fmt: skip
"""Functions and operators whose cost is linear in their operands (no ``_+_``: it concatenates)."""


def cost_problems(tokens: Sequence[Token]) -> list[Problem]:
    """Refuse conditions too large, too deeply nested or with a comprehension range too wide to bound."""
    problems: list[Problem] = []
    if len(tokens) > MAX_TOKENS:
        problems.append(Problem(f"condition too large: {len(tokens)} tokens (at most {MAX_TOKENS})", 0))
    depth, macros = _macro_nesting(tokens)
    if depth > MAX_MACRO_DEPTH:
        at = depth_offset(tokens, MAX_MACRO_DEPTH + 1)
        problems.append(Problem(f"macros nested {depth} deep (at most {MAX_MACRO_DEPTH})", at))
    if macros > MAX_MACROS:
        problems.append(Problem(f"{macros} comprehension macros (at most {MAX_MACROS})", 0))
    problems.extend(_range_problems(tokens))
    return problems


def is_light(tokens: Sequence[Token], functions: Sequence[str]) -> bool:
    """Whether a condition's cost is linear (no macro, no concatenation, no library function)."""
    if any(_opens_macro(tokens, i) for i in range(len(tokens))):
        return False
    return all(name in LIGHT_FUNCTIONS for name in functions)


def _opens_macro(tokens: Sequence[Token], i: int) -> bool:
    """Whether ``tokens[i]`` is the name of a macro call: ``.all(``, ``.map(``..."""
    return (
        tokens[i].text in MACROS
        and tokens[i].kind == "ident"
        and i > 0
        and tokens[i - 1].text == "."
        and i + 1 < len(tokens)
        and tokens[i + 1].text == "("
    )


def _macro_nesting(tokens: Sequence[Token]) -> tuple[int, int]:
    """The deepest nesting of macros (a macro's receiver counts as nested in it) and how many there are."""
    depths = [_depth_at(tokens, i) for i in range(len(tokens)) if _opens_macro(tokens, i)]
    return max(depths, default=0), len(depths)


def depth_offset(tokens: Sequence[Token], depth: int) -> int:
    """Offset of the first macro at ``depth`` (0 when none)."""
    deep = (t.offset for i, t in enumerate(tokens) if _opens_macro(tokens, i) and _depth_at(tokens, i) >= depth)
    return next(deep, 0)


def _depth_at(tokens: Sequence[Token], at: int) -> int:
    """How many macros enclose the one at ``at``, itself included, or run over its receiver.

    ``a.map(x, x).all(y, y.all(z, true))``: the last ``all`` is inside one macro's arguments (depth 2),
    the first runs over the result of ``map`` (depth 2 as well).
    """
    depth = 1
    # Enclosing macros: walk left, tracking bracket balance; each unclosed "(" opened by a macro counts.
    balance = 0
    for i in range(at - 1, -1, -1):
        text = tokens[i].text
        if tokens[i].kind != "op":
            continue
        if text in ")]}":
            balance += 1
        elif text in "([{":
            if balance == 0:
                if text == "(" and i > 0 and _opens_macro(tokens, i - 1):
                    depth += 1
            else:
                balance -= 1
    return depth + _receiver_macros(tokens, at)


def _receiver_macros(tokens: Sequence[Token], at: int) -> int:
    """Macros chained directly before the one at ``at`` (``a.map(...).filter(...).all(...)``)."""
    count = 0
    i = at - 2  # the token before the "." that precedes the macro name
    while i >= 0 and tokens[i].text == ")":
        opening = matching_bracket(tokens, i)
        if opening <= 0 or not _opens_macro(tokens, opening - 1):
            break
        count += 1
        i = opening - 3
    return count


def _range_problems(tokens: Sequence[Token]) -> list[Problem]:
    """``lists.range(n)`` only with an integer literal up to ``MAX_RANGE``."""
    problems = []
    for i, token in enumerate(tokens):
        if token.text != "range" or i + 1 >= len(tokens) or tokens[i + 1].text != "(":
            continue
        argument = tokens[i + 2 : i + 4]
        literal = len(argument) == 2 and argument[0].kind == "int" and argument[1].text == ")"
        if not literal:
            problems.append(Problem("lists.range needs an integer literal argument", token.offset))
        elif _int(argument[0].text) > MAX_RANGE:
            problems.append(Problem(f"lists.range({argument[0].text}) is too wide (at most {MAX_RANGE})", token.offset))
    return problems


def _int(text: str) -> int:
    """The value of a CEL integer literal (decimal or hexadecimal)."""
    return int(text, 16) if text[:2].lower() == "0x" else int(text)
