"""Validation of ruleset documents: structure, CEL syntax, names, types, ids and queues."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import cel
from pydantic import ValidationError

from router.rules.analysis import ConditionShape, analyse_condition
from router.rules.checks import STDLIB_BY_NAME, name_problems, result_problems, type_problems
from router.rules.cost import cost_problems, is_light
from router.rules.fields import ROOT_FIELDS
from router.rules.lexer import LexError, position, tokenize
from router.rules.model import Action, RuleError, RulesetDocument, RuleSpec

_CEL_ERROR = re.compile(r"ERROR: <input>:(\d+):(\d+): (.*)")
_EXPECTING_OPERAND = re.compile(r" expecting \{[^}]*IDENTIFIER\}")


@dataclass(frozen=True, slots=True)
class CheckedRule:
    """A rule whose condition compiled, with what static analysis learnt about it."""

    spec: RuleSpec
    program: cel.Program
    shape: ConditionShape
    facts_used: tuple[str, ...]
    stdlib_used: tuple[str, ...]
    light: bool
    """Linear in its size and the message: evaluated in process; else in the sandbox, under a deadline."""


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The parsed document (if it parsed), its compiled rules, and every error found."""

    document: RulesetDocument | None
    rules: list[CheckedRule]
    errors: list[RuleError]


@dataclass(frozen=True, slots=True)
class KnownNames:
    """What a ruleset may refer to; a ``None`` collection is not checked."""

    queues: Collection[str] | None = None
    sla_policies: Collection[str] | None = None
    skills: Collection[str] | None = None


def validate_ruleset(
    doc: RulesetDocument | Mapping[str, object],
    *,
    known_queues: Collection[str] | None = None,
    known: KnownNames | None = None,
) -> list[RuleError]:
    """Return every problem in a ruleset document (empty when it can be compiled)."""
    return check_ruleset(doc, known_queues=known_queues, known=known).errors


def check_ruleset(
    doc: RulesetDocument | Mapping[str, object],
    *,
    known_queues: Collection[str] | None = None,
    known: KnownNames | None = None,
) -> CheckResult:
    """Parse, compile and statically check a ruleset document, collecting all errors.

    A document that does not parse still has each rule that does parse on its own checked, so one
    answer lists every problem, not only the structural ones.
    """
    names = known or KnownNames(queues=known_queues)
    if isinstance(doc, RulesetDocument):
        document = doc
    else:
        try:
            document = RulesetDocument.model_validate(dict(doc))
        except ValidationError as exc:
            return CheckResult(None, [], document_errors(doc, exc) + salvaged_rule_errors(doc, names))
    errors = _duplicate_ids(document.rules)
    errors.extend(_unknown_names(document.defaults, document.triage_queue, document.rules, names))
    rules: list[CheckedRule] = []
    for index, spec in enumerate(document.rules):
        checked, rule_errors = check_rule(spec, f"rules[{index}].when")
        errors.extend(rule_errors)
        if checked is not None:
            rules.append(checked)
    return CheckResult(document, rules, errors)


def check_rule(spec: RuleSpec, field: str) -> tuple[CheckedRule | None, list[RuleError]]:
    """Compile one rule's condition and run the static checks on it."""
    try:
        program = cel.compile(spec.when)
    except Exception as exc:  # the library reports syntax errors as ValueError; be defensive
        return None, _syntax_errors(spec, str(exc), field)
    try:
        tokens = tokenize(spec.when)
    except LexError:
        tokens = []
    variables, functions = program.variables(), program.functions()
    problems = name_problems(tokens, variables, functions) + type_problems(tokens) + cost_problems(tokens)
    problems += result_problems(tokens)
    errors = [RuleError(spec.id, p.message, *position(spec.when, p.offset), field) for p in problems]
    stdlib_used = sorted({full for name in functions for full in STDLIB_BY_NAME.get(name, ())})
    facts_used = tuple(sorted(ROOT_FIELDS.intersection(variables)))
    light = is_light(tokens, functions) if tokens else False
    shape = analyse_condition(spec.when)
    checked = CheckedRule(spec, program, shape, facts_used, tuple(stdlib_used), light)
    return (None if errors else checked), errors


def _syntax_errors(spec: RuleSpec, text: str, field: str) -> list[RuleError]:
    """Turn the library's parse error text into positioned errors (deriving one if absent)."""
    found = [
        RuleError(spec.id, f"syntax error: {_tidy(m[3])}", int(m[1]), int(m[2]), field)
        for m in _CEL_ERROR.finditer(text)
    ]
    if found:
        return found
    try:
        tokenize(spec.when)
        offset = len(spec.when)
    except LexError as exc:
        offset = exc.offset
    message = text.splitlines()[0] if text else "condition does not parse"
    return [RuleError(spec.id, f"syntax error: {message}", *position(spec.when, offset), field)]


def _tidy(message: str) -> str:
    """Shorten the parser's message: no prefix, no list of every token it could have accepted."""
    message = message.removeprefix("Syntax error: ").replace("'<EOF>'", "end of condition")
    return _EXPECTING_OPERAND.sub(", expected an operand", message)


def _duplicate_ids(rules: Sequence[RuleSpec]) -> list[RuleError]:
    """Report every rule whose id was already used by an earlier rule."""
    first_seen: dict[str, int] = {}
    errors = []
    for index, rule in enumerate(rules):
        if rule.id in first_seen:
            message = f"duplicate rule id {rule.id!r} (first used by rules[{first_seen[rule.id]}])"
            errors.append(RuleError(rule.id, message, field=f"rules[{index}].id"))
        first_seen.setdefault(rule.id, index)
    return errors


def _unknown_names(
    defaults: Action | None, triage_queue: str | None, rules: Sequence[RuleSpec], known: KnownNames, *, first: int = 0
) -> list[RuleError]:
    """Report queues, SLA policies and skills referred to by the defaults, triage or any rule that do not exist."""
    actions: list[tuple[str | None, Action, str]] = [] if defaults is None else [(None, defaults, "defaults")]
    actions.extend((r.id, r.action, f"rules[{first + i}].action") for i, r in enumerate(rules))
    errors: list[RuleError] = []
    if known.queues is not None and triage_queue is not None and triage_queue not in known.queues:
        errors.append(RuleError(None, f"unknown queue {triage_queue!r}", field="triage_queue"))
    for rule_id, action, where in actions:
        if known.queues is not None and action.queue not in known.queues:
            errors.append(RuleError(rule_id, f"unknown queue {action.queue!r}", field=f"{where}.queue"))
        policy = action.sla_policy
        if known.sla_policies is not None and policy is not None and policy not in known.sla_policies:
            errors.append(RuleError(rule_id, f"unknown SLA policy {policy!r}", field=f"{where}.sla_policy"))
        if known.skills is not None:
            for skill in sorted(set(action.required_skills) - set(known.skills)):
                message = f"unknown skill {skill!r}: no agent has it"
                errors.append(RuleError(rule_id, message, field=f"{where}.required_skills.{skill}"))
    errors.sort(key=lambda e: _order(e.field))
    return errors


def _order(field: str | None) -> tuple[int, str]:
    """Defaults first, triage next, then rules in document order."""
    if field is None or field.startswith("defaults"):
        return (-2, field or "")
    if field == "triage_queue":
        return (-1, field)
    index = field[len("rules[") : field.index("]")] if field.startswith("rules[") else "0"
    return (int(index) if index.isdigit() else 0, field)


def salvaged_rule_errors(raw: Mapping[str, object], known: KnownNames) -> list[RuleError]:
    """Check each rule of an unparseable document that parses on its own (its condition and references)."""
    items = raw.get("rules")
    if not isinstance(items, list):
        return []
    errors: list[RuleError] = []
    for index, item in enumerate(items):
        try:
            spec = RuleSpec.model_validate(item)
        except ValidationError:
            continue  # reported among the document's errors
        errors.extend(check_rule(spec, f"rules[{index}].when")[1])
        errors.extend(_unknown_names(None, None, [spec], known, first=index))
    return errors


def document_errors(raw: Mapping[str, object], exc: ValidationError) -> list[RuleError]:
    """Translate pydantic's structural errors into rule errors with document paths."""
    rules = raw.get("rules")
    errors = []
    for detail in exc.errors():
        loc = detail["loc"]
        path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".")
        rule_id = None
        if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int) and isinstance(rules, list):
            item = rules[loc[1]] if loc[1] < len(rules) else None
            candidate = item.get("id") if isinstance(item, Mapping) else None
            rule_id = candidate if isinstance(candidate, str) else None
        errors.append(RuleError(rule_id, f"{path or 'document'}: {detail['msg']}", field=path or None))
    return errors
