"""Bracket matching over CEL tokens, used by the conjunction analysis and the cost check."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from router.rules.lexer import matching_bracket, tokenize

PAIRS = {"(": ")", "[": "]", "{": "}"}


@st.composite
def balanced(draw: st.DrawFn, depth: int = 3) -> str:
    """A balanced nesting of brackets with names between them."""
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        if depth and draw(st.booleans()):
            opening = draw(st.sampled_from(sorted(PAIRS)))
            parts.append(opening + draw(balanced(depth - 1)) + PAIRS[opening])
        else:
            parts.append(draw(st.sampled_from(["a", "b.c", "1", "&&", '"x)"'])))
    return " ".join(parts)


@given(balanced())
def test_every_bracket_matches_its_partner_both_ways(source: str) -> None:
    tokens = tokenize(source)
    for i, token in enumerate(tokens):
        if token.kind == "op" and token.text in PAIRS:
            partner = matching_bracket(tokens, i)
            assert tokens[partner].text == PAIRS[token.text]
            assert matching_bracket(tokens, partner) == i


def test_an_unbalanced_bracket_has_no_partner() -> None:
    assert matching_bracket(tokenize("(a && (b)"), 0) == -1
    assert matching_bracket(tokenize("a) && b)"), 1) == -1
