"""The ruleset document (what ops edit) and the errors that describe what is wrong with one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from shared.errors import InvalidRequest

LANGUAGE_PLACEHOLDER = "$language"
"""In ``required_languages``: the message's detected language, substituted at decision time."""

QueueName = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
Level = Annotated[int, Field(ge=1, le=5)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^(\$language|[a-z]{2,3}(-[A-Za-z0-9]{2,8})?)$")]


class Action(BaseModel, frozen=True, extra="forbid"):
    """Where a message goes and what the agent who takes it needs."""

    queue: QueueName
    priority: Level = 3
    required_skills: dict[str, Level] = {}
    required_languages: list[LanguageCode] = []
    sla_policy: str | None = None
    tags: list[str] = []


class RuleSpec(BaseModel, frozen=True, extra="forbid"):
    """One ordered rule: when the CEL condition holds, the action applies."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_-]+$", max_length=100)]
    description: str = ""
    when: Annotated[str, StringConstraints(max_length=10_000)]
    action: Action
    enabled: bool = True


class RulesetDocument(BaseModel, frozen=True, extra="forbid"):
    """A whole ruleset: defaults, ordered rules, and the low-confidence triage queue."""

    defaults: Action
    rules: list[RuleSpec] = []
    triage_queue: QueueName | None = None
    min_intent_confidence: Annotated[float, Field(ge=0.0, le=1.0)] = 0.45


@dataclass(frozen=True, slots=True)
class RuleError:
    """One problem in a ruleset; line/column are 1-based within that rule's condition."""

    rule_id: str | None
    message: str
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def to_dict(self) -> dict[str, object]:
        """Return the error as a JSON-ready dict."""
        return {
            "rule_id": self.rule_id,
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "field": self.field,
        }


class RulesetInvalid(InvalidRequest):
    """A ruleset that cannot be loaded or compiled: ``rule_errors`` typed, ``errors`` JSON-ready."""

    code = "ruleset-invalid"

    def __init__(self, errors: list[RuleError]) -> None:
        first = errors[0].message if errors else "unknown problem"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"ruleset invalid: {first}{more}", errors=[error.to_dict() for error in errors])
        self.rule_errors = errors
