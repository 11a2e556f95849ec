"""The same 835 imported at the same moment by two workers (two connections to PostgreSQL) is posted once: the
database's unique key on the practice and the import key decides, not only the check in code."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import text

from medbill.domain.errors import Conflict
from medbill.services import posting
from medbill.services.posting import ImportReport
from tests.integration.test_posting import era, submitted, typical
from tests.support import Practice


def _at_once(*calls: Callable[[], ImportReport]) -> list[ImportReport | BaseException]:
    barrier = threading.Barrier(len(calls))
    out: list[ImportReport | BaseException] = [RuntimeError("not run")] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        try:
            out[index] = calls[index]()
        except BaseException as exc:  # reported to the test
            out[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return out


def _totals(p: Practice) -> dict[str, int]:
    with p.container.engine.connect() as conn:
        rows = conn.execute(text("SELECT kind, sum(amount_cents) FROM ledger_entries GROUP BY kind")).all()
    return {kind: int(total) for kind, total in rows}


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_the_same_835_imported_by_two_workers_at_once_is_posted_once(practice: Practice) -> None:
    claims = [submitted(practice, last_name=name) for name in ("Alder", "Birch", "Cedar")]
    data = era(*(typical(c) for c in claims))

    def importer() -> ImportReport:
        return posting.import_remittance(practice.container.deps, practice.biller, data, file_name="acme.835")

    first, second = _at_once(importer, importer)
    assert isinstance(first, ImportReport) and isinstance(second, ImportReport), (first, second)
    outcomes = sorted((r.transactions[0].already_imported, r.posted) for r in (first, second))
    assert outcomes == [(False, 3), (True, 0)]
    with practice.container.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM remittances")).scalar_one() == 1
    assert _totals(practice)["payer_payment"] == 3 * (6500 + 2000)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_the_database_refuses_a_second_posting_even_when_the_check_in_code_is_skipped(
    practice: Practice, monkeypatch: pytest.MonkeyPatch
) -> None:
    claim = submitted(practice)
    data = era(typical(claim))
    posting.import_remittance(practice.container.deps, practice.biller, data, file_name="acme.835")
    before = _totals(practice)
    from medbill.adapters.db.ledger import SqlRemittanceRepository

    monkeypatch.setattr(SqlRemittanceRepository, "by_key", lambda self, practice_id, key: None)  # the check, gone
    with pytest.raises(Conflict):
        posting.import_remittance(practice.container.deps, practice.biller, data, file_name="acme.835")
    assert _totals(practice) == before  # nothing of the second posting was kept
