"""Validation of ruleset documents: structure, CEL syntax, names, types, ids and queues."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import cel
from pydantic import ValidationError

from router.rules.analysis import ConditionShape, analyse_condition
from router.rules.checks import STDLIB_BY_NAME, name_problems, type_problems
from router.rules.fields import ROOT_FIELDS
from router.rules.lexer import LexError, position, tokenize
from router.rules.model import RuleError, RulesetDocument, RuleSpec

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


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The parsed document (if it parsed), its compiled rules, and every error found."""

    document: RulesetDocument | None
    rules: list[CheckedRule]
    errors: list[RuleError]


def validate_ruleset(
    doc: RulesetDocument | Mapping[str, object], *, known_queues: Collection[str] | None = None
) -> list[RuleError]:
    """Return every problem in a ruleset document (empty when it can be compiled)."""
    return check_ruleset(doc, known_queues=known_queues).errors


def check_ruleset(
    doc: RulesetDocument | Mapping[str, object], *, known_queues: Collection[str] | None = None
) -> CheckResult:
    """Parse, compile and statically check a ruleset document, collecting all errors."""
    if isinstance(doc, RulesetDocument):
        document = doc
    else:
        try:
            document = RulesetDocument.model_validate(dict(doc))
        except ValidationError as exc:
            return CheckResult(None, [], document_errors(doc, exc))
    errors = _duplicate_ids(document.rules)
    if known_queues is not None:
        errors.extend(_unknown_queues(document, set(known_queues)))
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
    problems = name_problems(tokens, variables, functions) + type_problems(tokens)
    errors = [RuleError(spec.id, p.message, *position(spec.when, p.offset), field) for p in problems]
    stdlib_used = sorted({full for name in functions for full in STDLIB_BY_NAME.get(name, ())})
    facts_used = tuple(sorted(ROOT_FIELDS.intersection(variables)))
    checked = CheckedRule(spec, program, analyse_condition(spec.when), facts_used, tuple(stdlib_used))
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


def _unknown_queues(document: RulesetDocument, known: set[str]) -> list[RuleError]:
    """Report queues referenced by the defaults, the triage setting or any rule that do not exist."""
    used: list[tuple[str | None, str, str]] = [(None, document.defaults.queue, "defaults.queue")]
    if document.triage_queue is not None:
        used.append((None, document.triage_queue, "triage_queue"))
    used.extend((r.id, r.action.queue, f"rules[{i}].action.queue") for i, r in enumerate(document.rules))
    return [
        RuleError(rule_id, f"unknown queue {queue!r}", field=where)
        for rule_id, queue, where in used
        if queue not in known
    ]


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
