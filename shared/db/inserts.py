"""``INSERT ... ON CONFLICT DO NOTHING`` for whichever backend a connection uses."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase


def insert_ignoring_duplicates(model: type[DeclarativeBase], dialect: str) -> postgresql.Insert | sqlite.Insert:
    """An insert of ``model`` rows that skips rows whose unique key is already taken (idempotent writes)."""
    if dialect == "postgresql":
        return postgresql.insert(model).on_conflict_do_nothing()
    return sqlite.insert(model).on_conflict_do_nothing()


__all__ = ["insert_ignoring_duplicates"]
