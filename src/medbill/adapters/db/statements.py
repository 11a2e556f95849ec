"""The SQL repository of patient statements: runs, statements (their PDF bytes apart), holds, the last statement per
guarantor, and the small reads a run needs (who has a ledger, unapplied patient credits)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, Row, delete, func, insert, select, union, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from medbill.adapters.db import tables as t
from medbill.adapters.db.bulk import insert_rows
from medbill.domain.errors import NotFound
from medbill.services.ports import StatementHold, StatementRecord, StatementRunRecord

_RUN = t.statement_runs.c
_ST = t.statements.c
_DOC = t.statement_documents.c
_HOLD = t.statement_holds.c
_PAY = t.patient_payments.c
_L = t.ledger_entries.c
_CHUNK = 500


def _run_of(r: Row[Any]) -> StatementRunRecord:
    return StatementRunRecord(
        id=r.id,
        practice_id=r.practice_id,
        run_on=r.run_on,
        created_at=r.created_at,
        created_by=r.created_by,
        sent_count=int(r.sent_count),
        skipped_count=int(r.skipped_count),
        total_due_cents=int(r.total_due_cents),
    )


def _statement_of(r: Row[Any]) -> StatementRecord:
    return StatementRecord(
        id=r.id,
        practice_id=r.practice_id,
        run_id=r.run_id,
        guarantor_key=r.guarantor_key,
        patient_ids=tuple(p for p in r.patient_ids.split(",") if p),
        statement_number=r.statement_number,
        statement_date=r.statement_date,
        due_date=r.due_date,
        amount_due_cents=int(r.amount_due_cents),
        message=r.message,
    )


def _statement_values(statement: StatementRecord) -> dict[str, Any]:
    return {
        "id": statement.id,
        "practice_id": statement.practice_id,
        "run_id": statement.run_id,
        "guarantor_key": statement.guarantor_key,
        "patient_ids": ",".join(statement.patient_ids),
        "statement_number": statement.statement_number,
        "statement_date": statement.statement_date,
        "due_date": statement.due_date,
        "amount_due_cents": statement.amount_due_cents,
        "message": statement.message,
    }


class SqlStatementRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add_run(self, run: StatementRunRecord) -> None:
        self._conn.execute(
            insert(t.statement_runs).values(
                id=run.id,
                practice_id=run.practice_id,
                run_on=run.run_on,
                created_at=run.created_at,
                created_by=run.created_by,
                sent_count=run.sent_count,
                skipped_count=run.skipped_count,
                total_due_cents=run.total_due_cents,
            )
        )

    def finish_run(self, run: StatementRunRecord) -> None:
        self._conn.execute(
            update(t.statement_runs)
            .where(_RUN.practice_id == run.practice_id, _RUN.id == run.id)
            .values(sent_count=run.sent_count, skipped_count=run.skipped_count, total_due_cents=run.total_due_cents)
        )

    def get_run(self, practice_id: str, run_id: str) -> StatementRunRecord:
        row = self._conn.execute(
            select(t.statement_runs).where(_RUN.practice_id == practice_id, _RUN.id == run_id)
        ).first()
        if row is None:
            raise NotFound("no statement run with that id in this practice")
        return _run_of(row)

    def add(self, statement: StatementRecord, pdf: bytes | None) -> None:
        self.add_many([(statement, pdf)])

    def add_many(self, statements: Sequence[tuple[StatementRecord, bytes | None]]) -> None:
        """A run's statements (and the PDFs rendered with them) in one go."""
        insert_rows(self._conn, t.statements, [_statement_values(statement) for statement, _ in statements])
        insert_rows(
            self._conn,
            t.statement_documents,
            [
                {"statement_id": statement.id, "practice_id": statement.practice_id, "pdf": pdf}
                for statement, pdf in statements
                if pdf is not None
            ],
        )

    def keep_pdf(self, practice_id: str, statement_id: str, pdf: bytes) -> bytes:
        """Keep the statement's PDF unless one is kept already (two first reads at once): the kept one."""
        values = {"statement_id": statement_id, "practice_id": practice_id, "pdf": pdf}
        if self._conn.dialect.name == "postgresql":
            self._conn.execute(pg_insert(t.statement_documents).values(values).on_conflict_do_nothing())
        else:
            self._conn.execute(sqlite_insert(t.statement_documents).values(values).on_conflict_do_nothing())
        kept = self.pdf(practice_id, statement_id)
        assert kept is not None
        return kept

    def runs(self, practice_id: str, *, limit: int = 50) -> Sequence[StatementRunRecord]:
        rows = self._conn.execute(
            select(t.statement_runs)
            .where(_RUN.practice_id == practice_id)
            .order_by(_RUN.created_at.desc(), _RUN.id.desc())
            .limit(limit)
        )
        return [_run_of(r) for r in rows]

    def get(self, practice_id: str, statement_id: str) -> StatementRecord:
        row = self._conn.execute(
            select(t.statements).where(_ST.practice_id == practice_id, _ST.id == statement_id)
        ).first()
        if row is None:
            raise NotFound("no statement with that id in this practice")
        return _statement_of(row)

    def pdf(self, practice_id: str, statement_id: str) -> bytes | None:
        value = self._conn.execute(
            select(_DOC.pdf).where(_DOC.practice_id == practice_id, _DOC.statement_id == statement_id)
        ).scalar_one_or_none()
        return None if value is None else bytes(value)

    def list(
        self, practice_id: str, *, patient_id: str | None = None, run_id: str | None = None, limit: int = 200
    ) -> Sequence[StatementRecord]:
        stmt = select(t.statements).where(_ST.practice_id == practice_id)
        if run_id is not None:
            stmt = stmt.where(_ST.run_id == run_id)
        if patient_id is not None:
            # ids are hex (no LIKE wildcards); the commas keep one id from matching inside another
            stmt = stmt.where(("," + _ST.patient_ids + ",").like(f"%,{patient_id},%"))
        stmt = stmt.order_by(_ST.statement_date.desc(), _ST.statement_number.desc()).limit(limit)
        return [_statement_of(r) for r in self._conn.execute(stmt)]

    def last_dates(self, practice_id: str) -> dict[str, date]:
        rows = self._conn.execute(
            select(_ST.guarantor_key, func.max(_ST.statement_date))
            .where(_ST.practice_id == practice_id)
            .group_by(_ST.guarantor_key)
        )
        return {key: last for key, last in rows}

    def billable_patient_ids(self, practice_id: str) -> Sequence[str]:
        with_entries = select(_L.patient_id.label("patient_id")).where(_L.practice_id == practice_id)
        with_credit = select(_PAY.patient_id.label("patient_id")).where(
            _PAY.practice_id == practice_id, _PAY.unapplied_cents != 0
        )
        found = union(with_entries, with_credit).subquery()
        return sorted(self._conn.execute(select(found.c.patient_id)).scalars())

    def credits(self, practice_id: str, patient_ids: Sequence[str]) -> int:
        total = 0
        keys = list(dict.fromkeys(patient_ids))
        for start in range(0, len(keys), _CHUNK):
            total += int(
                self._conn.execute(
                    select(func.coalesce(func.sum(_PAY.unapplied_cents), 0)).where(
                        _PAY.practice_id == practice_id,
                        _PAY.patient_id.in_(keys[start : start + _CHUNK]),
                        _PAY.kind == "payment",
                    )
                ).scalar_one()
            )
        return total

    def credits_by_patient(self, practice_id: str, patient_ids: Sequence[str]) -> dict[str, int]:
        """Unapplied patient payments of each patient that has any."""
        found: dict[str, int] = {}
        keys = list(dict.fromkeys(patient_ids))
        for start in range(0, len(keys), _CHUNK):
            rows = self._conn.execute(
                select(_PAY.patient_id, func.sum(_PAY.unapplied_cents))
                .where(
                    _PAY.practice_id == practice_id,
                    _PAY.patient_id.in_(keys[start : start + _CHUNK]),
                    _PAY.kind == "payment",
                )
                .group_by(_PAY.patient_id)
            )
            found.update({patient_id: int(cents or 0) for patient_id, cents in rows})
        return found

    def holds(self, practice_id: str) -> dict[str, StatementHold]:
        rows = self._conn.execute(select(t.statement_holds).where(_HOLD.practice_id == practice_id))
        return {
            r.patient_id: StatementHold(
                practice_id=r.practice_id,
                patient_id=r.patient_id,
                reason=r.reason,
                created_at=r.created_at,
                created_by=r.created_by,
            )
            for r in rows
        }

    def put_hold(self, hold: StatementHold) -> None:
        """Hold a patient's statements, or change the reason of the hold already there."""
        values = {"reason": hold.reason, "created_at": hold.created_at, "created_by": hold.created_by}
        done = self._conn.execute(
            update(t.statement_holds)
            .where(_HOLD.practice_id == hold.practice_id, _HOLD.patient_id == hold.patient_id)
            .values(**values)
        )
        if not done.rowcount:
            self._conn.execute(
                insert(t.statement_holds).values(practice_id=hold.practice_id, patient_id=hold.patient_id, **values)
            )

    def remove_hold(self, practice_id: str, patient_id: str) -> bool:
        done = self._conn.execute(
            delete(t.statement_holds).where(_HOLD.practice_id == practice_id, _HOLD.patient_id == patient_id)
        )
        return bool(done.rowcount)
