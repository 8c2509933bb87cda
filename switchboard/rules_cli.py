"""``switchboard rules validate|simulate|publish FILE``: the ruleset ops API from the command line."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer

from router.rules import RulesetInvalid, parse_ruleset_text, validate_ruleset

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Validate, simulate and publish rulesets.")
UrlOpt = Annotated[str, typer.Option(envvar="SWITCHBOARD_URL", help="gateway base URL")]
KeyOpt = Annotated[str, typer.Option(envvar=["SWITCHBOARD_API_KEY", "SWITCHBOARD_ADMIN_KEY"], help="admin key")]
DEFAULT_URL = f"http://127.0.0.1:{os.environ.get('SWITCHBOARD_PORT', '8000')}"


def _document(path: Path) -> dict[str, Any]:
    """Read a JSON or YAML ruleset file; exit 2 with the problem when it is not a ruleset."""
    try:
        return parse_ruleset_text(path.read_text()).model_dump(mode="json")
    except RulesetInvalid as exc:
        _print_errors([e.to_dict() for e in exc.rule_errors])
        raise typer.Exit(2) from None
    except OSError as exc:
        typer.echo(f"cannot read {path}: {exc}", err=True)
        raise typer.Exit(2) from None


def _print_errors(errors: list[dict[str, Any]]) -> None:
    for e in errors:
        where = f"{e.get('rule_id') or '-'}"
        if e.get("line") is not None:
            where += f":{e['line']}:{e.get('column')}"
        typer.echo(f"{where}: {e.get('message')}", err=True)


def _client(url: str, key: str) -> httpx.Client:
    return httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=30)


def _call(response: httpx.Response) -> dict[str, Any]:
    body: dict[str, Any] = response.json() if response.content else {}
    if response.status_code >= 400:
        typer.echo(f"{response.status_code} {body.get('title', '')}: {body.get('detail', '')}", err=True)
        _print_errors(body.get("errors") or [])
        raise typer.Exit(1)
    return body


@app.command()
def validate(
    file: Path,
    offline: Annotated[bool, typer.Option(help="check locally, without the server's queues")] = False,
    url: UrlOpt = DEFAULT_URL,
    key: KeyOpt = "",
) -> None:
    """Check a ruleset file: compile errors with positions, unknown fields and (online) unknown queues."""
    document = _document(file)
    if offline:
        errors = [e.to_dict() for e in validate_ruleset(document)]
    else:
        with _client(url, key) as c:
            errors = _call(c.post("/v1/rulesets/validate", json={"document": document}))["errors"]
    _print_errors(errors)
    typer.echo("valid" if not errors else f"{len(errors)} error(s)")
    raise typer.Exit(1 if errors else 0)


@app.command()
def simulate(
    file: Path,
    message: Annotated[Path, typer.Option(help="JSON file with a message as POST /v1/messages takes it")],
    url: UrlOpt = DEFAULT_URL,
    key: KeyOpt = "",
) -> None:
    """Save FILE as a draft and route MESSAGE under it on paper; prints the decision trace."""
    document = _document(file)
    with _client(url, key) as c:
        version = _call(c.post("/v1/rulesets", json={"document": document, "note": f"simulate {file.name}"}))["version"]
        result = _call(c.post(f"/v1/rulesets/{version}/simulate", json={"message": json.loads(message.read_text())}))
    typer.echo(json.dumps(result, indent=2, ensure_ascii=False))


@app.command()
def publish(
    file: Path,
    note: Annotated[str, typer.Option(help="what changed")] = "",
    url: UrlOpt = DEFAULT_URL,
    key: KeyOpt = "",
) -> None:
    """Save FILE as a new version and make it active on every router."""
    document = _document(file)
    with _client(url, key) as c:
        draft = _call(c.post("/v1/rulesets", json={"document": document, "note": note or f"published {file.name}"}))
        _call(c.post(f"/v1/rulesets/{draft['version']}/publish"))
    typer.echo(f"version {draft['version']} is active")
