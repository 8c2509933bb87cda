"""The OpenAPI document as a complete contract: every problem an operation can answer, as problem+json.

FastAPI documents each operation's success model, its parameters and the bearer scheme with the roles it
admits (as the scheme's scopes, which OpenAPI 3.1 allows for role names). What it cannot see is the one
place errors are answered (``gateway.problems``): these rules add, per operation, the problems that
place can give it, so a client (or schemathesis) meets no undocumented status or content type.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from gateway.problems import PROBLEM

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Problem",
    "description": "RFC 9457 problem details.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object"}},
    },
}
DESCRIPTIONS = {
    400: "The body is not valid JSON.",
    401: "No API key, or one that is not valid.",
    403: "The key's role may not do this.",
    404: "No such resource (or one the caller may not know of).",
    409: "The request conflicts with the current state.",
    413: "The body is over the size limit.",
    422: "Some fields are missing or wrong.",
    429: "Too many requests from this key, or failed logins from this address; see Retry-After.",
    431: "Too many or too large request headers.",
    503: "The database or the bus did not answer, or the channel adapter has no secret configured yet; retry after"
    " Retry-After seconds.",
}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer", "minimum": 1}}}
MUTATING = frozenset({"post", "put", "patch", "delete"})
ALSO_NOT_FOUND = frozenset(
    {("get", "/v1/rulesets/active"), ("get", "/v1/agents/me"), ("put", "/v1/agents/me/presence")}
)
"""Operations without path parameters that can still answer 404."""
WITHOUT_STORAGE = frozenset({("get", "/healthz")})
"""Operations that touch neither database nor bus, so never answer 503."""
ADAPTER_PROBLEMS = {"/v1/webhooks/": {400, 401, 403, 413, 422}, "/v1/chat/": {400, 401, 403, 404, 413, 422, 429}}
"""The channel adapters' routes authenticate without a bearer key: a provider's signature (403 when it is
wrong) or basic-auth credentials (401), a chat page's origin (403) and its session's resume token (401);
chat sessions are rate limited (429). An adapter without its secret answers 503, so providers retry."""


def problems_for(method: str, path: str, operation: dict[str, Any]) -> list[int]:
    """The problem statuses ``gateway.problems`` can give this operation."""
    statuses = {431}
    if (method, path) not in WITHOUT_STORAGE:
        statuses.add(503)
    if operation.get("security"):
        statuses |= {401, 403, 429}
        if method in MUTATING:
            statuses.add(409)
    parameters = operation.get("parameters", [])
    if "requestBody" in operation:
        statuses |= {400, 413, 422}
    if parameters:
        statuses.add(422)
    if any(p.get("in") == "path" for p in parameters) or (method, path) in ALSO_NOT_FOUND:
        statuses.add(404)
    if not operation.get("security"):
        for prefix, adapter in ADAPTER_PROBLEMS.items():
            if path.startswith(prefix) and path != "/v1/chat/widget.js":
                statuses |= adapter
    return sorted(statuses)


def complete(document: dict[str, Any]) -> dict[str, Any]:
    """Add the problem responses, the problem schema and Retry-After headers to a generated document."""
    document.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    reference = {"$ref": "#/components/schemas/Problem"}
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status in problems_for(method, path, operation):
                existing = responses.get(str(status), {})
                # An operation's own 503 body (readiness) stays beside the problem; FastAPI's 422 does not.
                content = dict(existing.get("content", {})) if status == 503 else {}
                content[PROBLEM] = {"schema": reference}
                entry: dict[str, Any] = {"description": DESCRIPTIONS[status], "content": content}
                if status in (429, 503):
                    entry["headers"] = RETRY_AFTER
                responses[str(status)] = entry
    document["components"]["schemas"].pop("HTTPValidationError", None)
    document["components"]["schemas"].pop("ValidationError", None)
    return document


def install(app: FastAPI) -> None:
    """Serve the completed document at /openapi.json (built once, on first request)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                description=app.description,
                routes=app.routes,
            )
            app.openapi_schema = complete(document)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
