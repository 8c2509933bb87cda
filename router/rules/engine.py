"""Compiled rulesets: index-driven, first-match-wins decisions that never raise."""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

import cel
from cel import stdlib

from router.rules.decision import RuleDecision, RuleOutcome
from router.rules.index import CandidateIndex
from router.rules.model import LANGUAGE_PLACEHOLDER, Action, RulesetDocument, RulesetInvalid
from router.rules.sandbox import Sandbox, describe_failure, shared_sandbox
from router.rules.validate import CheckedRule, check_ruleset

_STDLIB: dict[str, Callable[..., object]] = {
    name: function for library in stdlib.EXTENSIONS.values() for name, function in library.items()
}


@dataclass(frozen=True, slots=True)
class _Rule:
    """An enabled rule ready to evaluate, with its two common outcomes pre-built."""

    rule_id: str
    action: Action
    program: cel.Program
    complete: bool
    light: bool
    facts_used: tuple[str, ...]
    stdlib_used: tuple[str, ...]
    matched: RuleOutcome
    no_match: RuleOutcome

    @classmethod
    def of(cls, checked: CheckedRule) -> _Rule:
        """Prepare a checked rule for evaluation."""
        rule_id = checked.spec.id
        return cls(
            rule_id,
            checked.spec.action,
            checked.program,
            checked.shape.complete,
            checked.light,
            checked.facts_used,
            checked.stdlib_used,
            RuleOutcome(rule_id, "matched"),
            RuleOutcome(rule_id, "no_match"),
        )


class _Evaluation:
    """One message's CEL context, filled lazily with only the facts the tried rules use."""

    __slots__ = ("_added", "_context", "_facts", "_functions", "_sandbox")

    def __init__(
        self, facts: Mapping[str, object], functions: dict[str, Callable[..., object]], sandbox: Sandbox
    ) -> None:
        self._facts = facts
        self._sandbox = sandbox
        self._functions = functions
        self._context: cel.Context | None = None
        self._added: set[str] = set()

    def run(self, rule: _Rule) -> RuleOutcome:
        """Evaluate one rule; errors become an "error" outcome instead of an exception."""
        if rule.complete:
            return rule.matched  # every conjunct is an index pin the candidate already satisfies
        if not rule.light:
            return self._bounded(rule)
        try:
            result = rule.program.execute(self._prepared(rule.facts_used))
        except Exception as exc:  # the library raises TypeError/KeyError/RuntimeError/...
            return RuleOutcome(rule.rule_id, "error", describe_error(exc))
        if result is True:
            return rule.matched
        if result is False:
            return rule.no_match
        return RuleOutcome(rule.rule_id, "error", f"condition gave {type(result).__name__}, not bool")

    def _bounded(self, rule: _Rule) -> RuleOutcome:
        """Evaluate a heavy rule in the sandbox, under its deadline and the time budget."""
        variables = {name: self._facts[name] for name in rule.facts_used if name in self._facts}
        result, error = self._sandbox.evaluate(rule.program.source, variables, rule.stdlib_used)
        if result == "matched":
            return rule.matched
        if result == "no_match":
            return rule.no_match
        return RuleOutcome(rule.rule_id, "error", error)

    def _prepared(self, names: Sequence[str]) -> cel.Context:
        """The context with ``names`` added (missing facts stay undefined and fail in CEL)."""
        if self._context is None:
            self._context = cel.Context(None, self._functions) if self._functions else cel.Context()
        for name in names:
            if name not in self._added and name in self._facts:
                self._context.add_variable(name, self._facts[name])
                self._added.add(name)
        return self._context


class CompiledRuleset:
    """A validated ruleset with compiled conditions and a candidate index.

    Precedence: the first enabled rule (in document order) whose condition holds wins, even
    when the intent confidence is low, so ops can write rules that deliberately handle
    low-confidence messages (``intent_confidence < 0.3 && channel == "sms"``). Only when no
    rule matched does the triage queue apply, if set and ``intent_confidence`` is below
    ``min_intent_confidence`` (a missing or non-numeric confidence counts as low); otherwise
    the defaults apply. Triage keeps the defaults' priority, skills and SLA, with the triage
    queue. ``$language`` in ``required_languages`` is replaced by the message's language.
    """

    def __init__(
        self, document: RulesetDocument, rules: Sequence[CheckedRule], *, version: int, sandbox: Sandbox | None = None
    ) -> None:
        self.version = version
        self._sandbox = sandbox or shared_sandbox()
        self.document = document
        enabled = [rule for rule in rules if rule.spec.enabled]
        self._rules = tuple(_Rule.of(rule) for rule in enabled)
        self._index = CandidateIndex([rule.shape for rule in enabled])
        used = {name for rule in enabled for name in rule.stdlib_used}
        self._functions = {name: function for name, function in _STDLIB.items() if name in used}
        self._triage = (
            document.defaults.model_copy(update={"queue": document.triage_queue})
            if document.triage_queue is not None
            else None
        )
        fallbacks = (document.defaults,) if self._triage is None else (self._triage, document.defaults)
        self.actions: tuple[Action, ...] = tuple(rule.action for rule in self._rules) + fallbacks
        """Every action a decision can give (enabled rules', triage's, the defaults'), before ``$language``."""

    def decide(self, facts: Mapping[str, object]) -> RuleDecision:
        """Route one message's facts: first matching candidate rule, else triage, else defaults."""
        try:
            return self._decide(facts)
        except Exception as exc:  # a decision must never crash the consumer
            reason = f"defaults: internal error while deciding ({describe_error(exc)})"
            return RuleDecision(self.document.defaults, None, self.version, (), 0, reason)

    def _decide(self, facts: Mapping[str, object]) -> RuleDecision:
        """Evaluate the index's candidates in rule order and stop at the first match."""
        mask = self._index.candidates(facts)
        considered = mask.bit_count()
        evaluation = _Evaluation(facts, self._functions, self._sandbox)
        tried: list[RuleOutcome] = []
        while mask:
            lowest = mask & -mask
            mask ^= lowest
            rule = self._rules[lowest.bit_length() - 1]
            outcome = evaluation.run(rule)
            tried.append(outcome)
            if outcome is rule.matched:
                action = resolve_language(rule.action, facts)
                reason = f"rule {rule.rule_id!r} matched"
                return RuleDecision(action, rule.rule_id, self.version, tuple(tried), considered, reason)
        return self._fallback(facts, tuple(tried), considered)

    def _fallback(self, facts: Mapping[str, object], tried: tuple[RuleOutcome, ...], considered: int) -> RuleDecision:
        """No rule matched: the triage queue for low-confidence intents, else the defaults."""
        minimum = self.document.min_intent_confidence
        confidence = intent_confidence(facts)
        if self._triage is not None and (confidence is None or confidence < minimum):
            shown = "unknown" if confidence is None else f"{confidence:.2f}"
            reason = f"no rule matched; intent confidence {shown} < {minimum}: triage"
            action = resolve_language(self._triage, facts)
            return RuleDecision(action, None, self.version, tried, considered, reason)
        action = resolve_language(self.document.defaults, facts)
        return RuleDecision(action, None, self.version, tried, considered, "no rule matched: defaults")


def intent_confidence(facts: Mapping[str, object]) -> float | None:
    """The message's intent confidence, or None when it is missing or not a number."""
    value = facts.get("intent_confidence")
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        return None
    return float(value)


def resolve_language(action: Action, facts: Mapping[str, object]) -> Action:
    """Replace ``$language`` in the required languages with the message's detected language."""
    if LANGUAGE_PLACEHOLDER not in action.required_languages:
        return action
    detected = facts.get("language")
    languages: list[str] = []
    for language in action.required_languages:
        value = detected if language == LANGUAGE_PLACEHOLDER else language
        if isinstance(value, str) and value and value not in languages:
            languages.append(value)
    return action.model_copy(update={"required_languages": languages})


def describe_error(exc: Exception) -> str:
    """A short, single-line description of an evaluation error."""
    if isinstance(exc, KeyError):
        return describe_failure("KeyError", "", missing_key=repr(exc.args[0]) if exc.args else None)
    return describe_failure(type(exc).__name__, str(exc))


def compile_ruleset(
    doc: RulesetDocument | Mapping[str, object],
    *,
    version: int,
    known_queues: Collection[str] | None = None,
    sandbox: Sandbox | None = None,
) -> CompiledRuleset:
    """Validate and compile a ruleset (each condition once); raise RulesetInvalid on any error.

    Heavy conditions run in ``sandbox`` (default: the process's shared one).
    """
    result = check_ruleset(doc, known_queues=known_queues)
    if result.errors or result.document is None:
        raise RulesetInvalid(result.errors)
    return CompiledRuleset(result.document, result.rules, version=version, sandbox=sandbox)
