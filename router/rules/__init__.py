"""Routing rules: versioned rulesets of CEL conditions, validated, compiled and indexed."""

from router.rules.decision import RuleDecision, RuleOutcome
from router.rules.defaults import DEFAULT_QUEUES, default_ruleset
from router.rules.engine import CompiledRuleset, compile_ruleset
from router.rules.fields import FIELDS, facts_from
from router.rules.loading import parse_ruleset_text
from router.rules.model import Action, RuleError, RulesetDocument, RulesetInvalid, RuleSpec
from router.rules.validate import validate_ruleset

__all__ = [
    "DEFAULT_QUEUES",
    "FIELDS",
    "Action",
    "CompiledRuleset",
    "RuleDecision",
    "RuleError",
    "RuleOutcome",
    "RuleSpec",
    "RulesetDocument",
    "RulesetInvalid",
    "compile_ruleset",
    "default_ruleset",
    "facts_from",
    "parse_ruleset_text",
    "validate_ruleset",
]
