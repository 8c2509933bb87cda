"""What a routing decision says: the action, which rule gave it, and what was tried on the way."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from router.rules.model import Action

OutcomeResult = Literal["matched", "no_match", "error"]


@dataclass(frozen=True, slots=True)
class RuleOutcome:
    """The result of evaluating one candidate rule against one message."""

    rule_id: str
    result: OutcomeResult
    error: str | None = None

    def trace(self) -> dict[str, object]:
        """Return the outcome as a JSON-ready dict."""
        return {"rule_id": self.rule_id, "result": self.result, "error": self.error}


@dataclass(frozen=True, slots=True)
class RuleDecision:
    """The chosen action (``rule_id`` None = defaults/triage), the candidates tried, and why."""

    # `tried` holds the pre-selected candidates evaluated in rule order up to the first match;
    # `candidates_considered` counts every rule the index pre-selected for this message.

    action: Action
    rule_id: str | None
    version: int
    tried: tuple[RuleOutcome, ...]
    candidates_considered: int
    reason: str

    def trace(self) -> dict[str, object]:
        """Return the decision as a JSON-ready dict for the audit trail."""
        return {
            "version": self.version,
            "rule_id": self.rule_id,
            "action": self.action.model_dump(mode="json"),
            "reason": self.reason,
            "candidates_considered": self.candidates_considered,
            "tried": [outcome.trace() for outcome in self.tried],
        }
