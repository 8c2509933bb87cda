"""Exact candidate pre-selection: per indexed fact, a map from value to a bitmask of rule positions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from router.rules.analysis import INDEXED_FIELDS, ConditionShape


@dataclass(frozen=True, slots=True)
class _FieldIndex:
    """Rules allowed for each value of one fact; ``others`` are the rules that do not pin it."""

    root: str
    member: str | None
    allowed: dict[str, int]
    others: int


class CandidateIndex:
    """Bit ``i`` of a candidate mask is set when rule ``i`` could match; lower bits come first."""

    __slots__ = ("_all", "_fields")

    def __init__(self, shapes: Sequence[ConditionShape]) -> None:
        self._all = (1 << len(shapes)) - 1
        self._fields = tuple(
            index for field in INDEXED_FIELDS if (index := _field_index(field, shapes, self._all)) is not None
        )

    def candidates(self, facts: Mapping[str, object]) -> int:
        """Return the mask of rules whose pinned facts all agree with ``facts``."""
        mask = self._all
        for field in self._fields:
            value = facts.get(field.root)
            if field.member is not None:
                value = value.get(field.member) if isinstance(value, Mapping) else None
            # A non-string fact can never equal a string literal, so only the unpinned rules remain.
            mask &= field.allowed.get(value, field.others) if isinstance(value, str) else field.others
            if not mask:
                break
        return mask


def _field_index(field: str, shapes: Sequence[ConditionShape], everything: int) -> _FieldIndex | None:
    """Build the value -> rules map for one fact, or None when no rule pins it."""
    pinned = 0
    by_value: dict[str, int] = {}
    for position, shape in enumerate(shapes):
        values = shape.pins.get(field)
        if values is None:
            continue
        bit = 1 << position
        pinned |= bit
        for value in values:
            by_value[value] = by_value.get(value, 0) | bit
    if not pinned:
        return None
    others = everything & ~pinned
    root, _, member = field.partition(".")
    allowed = {value: rules | others for value, rules in by_value.items()}
    return _FieldIndex(root, member or None, allowed, others)
