"""The SQLite unit of work's transactions: the write lock is held from the start, a commit does not take it again,
and the first statement after a commit begins the next transaction, with the write lock again."""

from __future__ import annotations

import sqlite3

import pytest

from medbill.bootstrap import Container
from medbill.services import setup
from medbill.services.setup import AddressDraft


def _other_writer(container: Container) -> sqlite3.Connection:
    """A second connection that gives up at once instead of waiting for the write lock."""
    url = container.settings.database_url
    conn = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
    conn.execute("PRAGMA busy_timeout=0")
    return conn


def _practice_names(container: Container) -> list[str]:
    return sorted(p.name for p in setup.list_practices(container.deps))


def _add_practice(container: Container, name: str) -> None:
    setup.create_practice(
        container.deps,
        name=name,
        npi="1234567893",
        tin="47-1234567",
        address=AddressDraft(line1="1 Main St", city="Springfield", state="IL", zip="627011234"),
    )


def test_a_unit_of_work_holds_the_write_lock_from_its_start_and_not_after_its_commit(
    sqlite_container: Container,
) -> None:
    other = _other_writer(sqlite_container)
    with sqlite_container.deps.uow() as uow:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        uow.commit()
        # committed: no second write transaction is begun until the unit of work writes again
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    other.close()


def test_the_first_statement_after_a_commit_takes_the_write_lock_again(sqlite_container: Container) -> None:
    _add_practice(sqlite_container, "Kept Practice")
    container = sqlite_container
    other = _other_writer(container)
    with container.deps.uow() as uow:
        uow.practices.get(uow.practices.list()[0].id)
        uow.commit()
        uow.practices.list()  # the next statement begins the next transaction, with the write lock again
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    other.close()
    assert _practice_names(container) == ["Kept Practice"]
