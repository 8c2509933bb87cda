"""The migrations build exactly the schema the models describe, on SQLite and on real PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection

from shared.db.migrate import upgrade_async
from shared.db.models import Base
from shared.db.session import create_engine
from tests.harness import Database


def differences(connection: Connection) -> list[Any]:
    return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))


async def migrated_differences(url: str) -> list[Any]:
    await upgrade_async(url)
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(differences)
    finally:
        await engine.dispose()


async def test_sqlite_schema_matches_the_models(tmp_path: Path) -> None:
    assert await migrated_differences(f"sqlite+aiosqlite:///{tmp_path / 'schema.db'}") == []


@pytest.mark.integration
async def test_postgresql_schema_matches_the_models(fresh_database: Database) -> None:
    assert await migrated_differences(fresh_database.url) == []
