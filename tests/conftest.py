"""Fixtures shared by every layer of tests: a fixed clock, databases on SQLite and PostgreSQL, a seeded practice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from medbill.bootstrap import Container
from tests.support import FixedClock, Practice, create_pg_database, drop_pg_database, make_container, seed_practice


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each test that asks for a database runs twice: on a SQLite file and on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'medbill.db'}"  # no file yet: make_container copies the migrated template
        return
    url, name = create_pg_database(migrated=request.node.get_closest_marker("empty_database") is None)
    try:
        yield url
    finally:
        drop_pg_database(name)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'medbill.db'}"


@pytest.fixture
def container(database_url: str, clock: FixedClock) -> Iterator[Container]:
    built = make_container(database_url, clock)
    yield built
    built.close()


@pytest.fixture
def sqlite_container(sqlite_url: str, clock: FixedClock) -> Iterator[Container]:
    built = make_container(sqlite_url, clock)
    yield built
    built.close()


@pytest.fixture
def practice(container: Container) -> Practice:
    return seed_practice(container)
