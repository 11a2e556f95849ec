"""The hot read paths use indexes on PostgreSQL with claims in the tens of thousands: each path runs through its
service, every SELECT it sends is captured and EXPLAINed as sent, and the plan must read the expected index and never
scan claims, ledger entries or work items whole (bench/hot_paths.py times the same paths at 100,000 claims)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.integration.hot_path_data import BIG_TABLES, Loaded, explain, hot_paths, load_claims, run_captured, scans
from tests.support import FixedClock, create_pg_database, drop_pg_database, make_container, seed_practice

pytestmark = pytest.mark.postgres

CLAIMS = 12_000

# each path: the indexes of which at least one must be read (a path is a list of statements)
EXPECTED = {
    "work queue (denials, open, oldest)": {"ix_work_items_queue"},
    "work queue (owner, open)": {"ix_work_items_owner"},
    "work queue (payer, open)": {"ix_work_items_payer"},
    "work queue (rendering provider, open)": {"ix_work_items_status"},
    "work queue (denials, unassigned)": {"ix_work_items_queue", "ix_work_items_owner"},
    "patient account": {"ix_ledger_entries_patient"},
    "claim lookup by CLM01": {"uq_claims_practice_pcn"},
}
INDEX_SCANS = ("Index Scan", "Index Only Scan", "Bitmap Index Scan")


@pytest.fixture(scope="module")
def loaded() -> Iterator[Loaded]:
    url, name = create_pg_database()
    container = make_container(url, FixedClock(datetime(2026, 11, 26, 15, 30, tzinfo=UTC)))
    try:
        yield load_claims(seed_practice(container), CLAIMS)
    finally:
        container.close()
        drop_pg_database(name)


def _plans(loaded: Loaded, path: str, *, practice_id: str | None = None) -> list[list[tuple[str, str, str]]]:
    engine = loaded.practice.container.engine
    captured = run_captured(engine, path, hot_paths(loaded)[path])
    assert captured.statements, path
    out = []
    for statement, parameters in captured.statements:
        if practice_id is not None:
            parameters = _with_practice(parameters, loaded.practice.biller.practice_id, practice_id)
        out.append(scans(explain(engine, statement, parameters, analyze=False)))
    return out


def _with_practice(parameters: Any, old: str, new: str) -> Any:
    if isinstance(parameters, dict):
        return {k: new if v == old else v for k, v in parameters.items()}
    return type(parameters)(new if v == old else v for v in parameters)


def _whole_scans(plans: list[list[tuple[str, str, str]]]) -> list[str]:
    return [relation for plan in plans for kind, relation, _ in plan if "Seq Scan" in kind and relation in BIG_TABLES]


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_a_hot_path_reads_its_index_and_never_scans_a_big_table_whole(loaded: Loaded, path: str) -> None:
    plans = _plans(loaded, path)
    used = {index for plan in plans for kind, _, index in plan if kind in INDEX_SCANS}
    assert used & EXPECTED[path], (path, plans)
    assert _whole_scans(plans) == [], (path, plans)


def test_a_practices_aging_reads_its_own_rows_through_the_practice_indexes(loaded: Loaded) -> None:
    """A/R aging reads every claim and visit of its practice (balances are derived): for a database holding one
    practice that is rightly a sequential read; for any other practice of the same database it must reach its
    rows through the indexes that lead with practice_id, never by scanning the others' claims and entries."""
    plans = _plans(loaded, "A/R aging by payer", practice_id="another-practice")
    used = {index for plan in plans for kind, _, index in plan if kind in INDEX_SCANS}
    assert _whole_scans(plans) == [], plans
    assert any(index.startswith("ix_claims_practice") for index in used), used
    assert any(index.startswith("ix_ledger_entries") for index in used), used
