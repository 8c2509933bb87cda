"""The ``switchboard`` command line."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Coroutine
from typing import Annotated, TypeVar

import typer
import uvloop

from shared.logs import configure
from shared.settings import Settings
from switchboard.lock import AlreadyRunning, exclusive
from switchboard.rules_cli import app as rules_app

T = TypeVar("T")
app = typer.Typer(add_completion=False, no_args_is_help=True, help="Switchboard: route every customer message.")
app.add_typer(rules_app, name="rules")


def _run(main: Coroutine[None, None, T]) -> T:
    """Run on uvloop, as uvicorn itself would (asyncio.run alone gives the slower default loop)."""
    return uvloop.run(main)


def _settings() -> Settings:
    try:
        return Settings()
    except ValueError as exc:
        typer.echo(f"configuration error: {exc}", err=True)
        raise typer.Exit(2) from None


@app.command()
def run() -> None:
    """Run embedded Switchboard: gateway and router in one process, SQLite and the durable bus in var/."""
    from switchboard.serve import serve

    settings = _settings()
    configure(settings.log_level)
    try:
        with exclusive(settings):
            _run(serve(settings, with_router=True))
    except AlreadyRunning as exc:
        typer.echo(f"refusing to start: {exc}", err=True)
        raise typer.Exit(1) from None


@app.command()
def gateway() -> None:
    """Run the REST gateway only (distributed mode)."""
    from switchboard.serve import serve

    settings = _settings()
    configure(settings.log_level)
    _run(serve(settings, with_router=False))


@app.command()
def router() -> None:
    """Run one router instance (distributed mode); scale by starting more."""
    from switchboard.serve import serve_router

    settings = _settings()
    configure(settings.log_level)
    status = _run(serve_router(settings))
    if status:
        raise typer.Exit(status)


@app.command()
def adapter(
    kind: Annotated[str, typer.Argument(help="smtp: the SMTP listener; http: the provider webhooks")],
) -> None:
    """Run the channel adapters alone (distributed mode): the SMTP listener or the webhooks' HTTP server."""
    from switchboard.serve import serve_adapters

    if kind not in ("smtp", "http"):
        typer.echo("switchboard adapter: choose smtp or http", err=True)
        raise typer.Exit(2)
    settings = _settings()
    configure(settings.log_level)
    _run(serve_adapters(settings, "smtp" if kind == "smtp" else "http"))


@app.command()
def migrate() -> None:
    """Apply database migrations."""
    from shared.db.migrate import upgrade

    settings = _settings()
    upgrade(settings.database_url)
    typer.echo("database is up to date", err=True)


@app.command()
def seed() -> None:
    """Migrate and create the demo setup (queues, agents, default ruleset) if the database has none."""
    from switchboard.serve import prepare_only

    settings = _settings()
    asyncio.run(prepare_only(settings))


@app.command()
def classify(
    languages: Annotated[str | None, typer.Option(help="comma-separated ISO 639-1 codes to detect")] = None,
) -> None:
    """Classify JSON lines {"text", "subject", "channel"} from stdin; one JSON line out per line in."""
    from router.classify import load_classifier

    langs = tuple(languages.split(",")) if languages else _settings().languages
    classifier = load_classifier(langs)
    for n, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict) or not isinstance(item.get("text", ""), str):
                raise ValueError("each line must be an object with a string 'text'")
            result = classifier.classify(
                text=item.get("text", ""), subject=item.get("subject"), channel=item.get("channel") or "email"
            )
            out: dict[str, object] = result.as_dict()
        except ValueError as exc:
            out = {"error": f"line {n}: {exc}"}
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        sys.stdout.flush()


def main() -> None:
    """Entry point of the console script."""
    app()
