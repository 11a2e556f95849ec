"""Alembic migrations: they build exactly the tables the code declares, on SQLite and PostgreSQL, and are idempotent."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from medbill.adapters.db import tables
from medbill.adapters.db.engine import make_engine
from medbill.adapters.db.migrate import current_revision, upgrade


@pytest.mark.empty_database
def test_migrations_build_exactly_the_declared_schema(database_url: str) -> None:
    upgrade(database_url)
    upgrade(database_url)  # a second upgrade is a no-op
    assert current_revision(database_url) == "0011"
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), tables.metadata)
            names = set(inspect(conn).get_table_names())
    finally:
        engine.dispose()
    assert diff == []
    assert names - {"alembic_version"} == set(tables.metadata.tables)


def test_every_table_carries_practice_id_and_amounts_are_bigint_cents() -> None:
    for table in tables.metadata.tables.values():
        assert "practice_id" in table.c, table.name
        for column in table.c:
            if column.name.endswith("_cents"):
                assert column.type.__class__.__name__ == "BigInteger", f"{table.name}.{column.name}"
