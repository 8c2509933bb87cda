"""Loading ruleset documents from JSON or YAML text."""

from __future__ import annotations

import importlib
import json
from collections.abc import Mapping
from types import ModuleType

from pydantic import ValidationError

from router.rules.model import RuleError, RulesetDocument, RulesetInvalid
from router.rules.validate import document_errors


def _yaml() -> ModuleType | None:
    """PyYAML if installed (it comes with uvicorn[standard]); imported lazily, untyped."""
    try:
        return importlib.import_module("yaml")
    except ImportError:
        return None


def parse_ruleset_text(text: str) -> RulesetDocument:
    """Parse a ruleset from JSON (always) or YAML (when PyYAML is installed) text."""
    raw = _load(text)
    if not isinstance(raw, Mapping) or not all(isinstance(key, str) for key in raw):
        raise RulesetInvalid([RuleError(None, "a ruleset must be a mapping with defaults and rules")])
    try:
        return RulesetDocument.model_validate(dict(raw))
    except ValidationError as exc:
        raise RulesetInvalid(document_errors(raw, exc)) from exc


def _load(text: str) -> object:
    """Decode the text as JSON, falling back to YAML; raise RulesetInvalid with a position."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        json_error = RuleError(None, f"invalid JSON: {exc.msg}", exc.lineno, exc.colno)
    yaml = _yaml()
    if yaml is None or text.lstrip().startswith(("{", "[")):
        raise RulesetInvalid([json_error])
    try:
        loaded: object = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise RulesetInvalid([RuleError(None, f"invalid YAML: {problem}", line, column)]) from exc
    return loaded
