"""The SQL side of getting paid (the work queues live in ``work_items``; ``SqlWorkQueue`` is re-exported here): ledger entries (append-only), imported remittances, PLB rows, work queues, and the
light claim lookups posting needs in bulk (10,000 claim payments in one advice must not mean 10,000 queries)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, case, func, insert, select, text, update

from medbill.adapters.db import tables as t
from medbill.adapters.db.bulk import insert_rows
from medbill.adapters.db.claims import claim_lines_of
from medbill.adapters.db.work_items import SqlWorkQueue
from medbill.domain.claim_records import ClaimLineRecord
from medbill.domain.claim_states import ClaimStatus, ClaimTransition
from medbill.domain.coverage import CoverageOrder
from medbill.domain.errors import NotFound
from medbill.domain.ledger import EntryKind, LedgerEntry, PatientShare
from medbill.domain.posting import PostingTarget
from medbill.domain.remittance import ProviderAdjustment
from medbill.domain.remittance_records import RemittanceRecord, RemittanceStatus

_CHUNK = 500
_L = t.ledger_entries.c
_R = t.remittances.c


def _entry_values(e: LedgerEntry) -> dict[str, Any]:
    return {
        "id": e.id,
        "practice_id": e.practice_id,
        "patient_id": e.patient_id,
        "encounter_id": e.encounter_id,
        "line_number": e.line_number,
        "claim_id": e.claim_id,
        "payer_id": e.payer_id,
        "remittance_id": e.remittance_id,
        "kind": e.kind.value,
        "amount_cents": e.amount_cents,
        "at": e.at,
        "group_code": e.group_code,
        "reason_code": e.reason_code,
        "remark_codes": ",".join(e.remark_codes),
        "patient_share": e.patient_share.value if e.patient_share else None,
        "source": e.source[:200],
        "reverses": e.reverses,
        "payment_id": e.payment_id,
    }


def _entry_of(r: Row[Any]) -> LedgerEntry:
    return LedgerEntry(
        id=r.id,
        practice_id=r.practice_id,
        patient_id=r.patient_id,
        encounter_id=r.encounter_id,
        line_number=r.line_number,
        claim_id=r.claim_id,
        payer_id=r.payer_id,
        remittance_id=r.remittance_id,
        kind=EntryKind(r.kind),
        amount_cents=int(r.amount_cents),
        at=r.at,
        group_code=r.group_code,
        reason_code=r.reason_code,
        remark_codes=tuple(c for c in r.remark_codes.split(",") if c),
        patient_share=PatientShare(r.patient_share) if r.patient_share else None,
        source=r.source,
        reverses=r.reverses,
        payment_id=r.payment_id,
    )


class SqlLedger:
    """Entries go in and never change; every balance is a sum over them."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, entries: Sequence[LedgerEntry]) -> None:
        insert_rows(self._conn, t.ledger_entries, [_entry_values(e) for e in entries])

    def _select(self, practice_id: str, column: Any, values: Iterable[str]) -> list[LedgerEntry]:
        found: list[LedgerEntry] = []
        keys = list(dict.fromkeys(values))
        for start in range(0, len(keys), _CHUNK):
            rows = self._conn.execute(
                select(t.ledger_entries)
                .where(_L.practice_id == practice_id, column.in_(keys[start : start + _CHUNK]))
                .order_by(_L.at, _L.encounter_id, _L.line_number, _L.id)
            ).all()
            found.extend(_entry_of(r) for r in rows)
        return found

    def for_claims(self, practice_id: str, claim_ids: Iterable[str]) -> Sequence[LedgerEntry]:
        return self._select(practice_id, _L.claim_id, claim_ids)

    def for_encounters(self, practice_id: str, encounter_ids: Iterable[str]) -> Sequence[LedgerEntry]:
        return self._select(practice_id, _L.encounter_id, encounter_ids)

    def for_patient(self, practice_id: str, patient_id: str) -> Sequence[LedgerEntry]:
        return self._select(practice_id, _L.patient_id, [patient_id])

    def for_patients(self, practice_id: str, patient_ids: Iterable[str]) -> dict[str, list[LedgerEntry]]:
        """Each patient's entries (in ``for_patient`` order), read by the hundred: a statement run's ledger."""
        found: dict[str, list[LedgerEntry]] = defaultdict(list)
        for entry in self._select(practice_id, _L.patient_id, patient_ids):
            found[entry.patient_id].append(entry)
        return found

    def for_remittance(self, practice_id: str, remittance_id: str) -> Sequence[LedgerEntry]:
        return self._select(practice_id, _L.remittance_id, [remittance_id])

    def patient_balances(self, practice_id: str) -> list[tuple[str, int, datetime]]:
        """Each account that owes: (patient id, patient balance in cents, when it first came to owe), from the
        entries' effects on the patient's bucket (domain.ledger)."""
        signed = case(
            (_L.kind.in_(("transfer_to_patient", "refund")), _L.amount_cents),
            (_L.kind.in_(("transfer_to_insurance", "patient_payment", "patient_write_off")), -_L.amount_cents),
            else_=0,
        )
        first = func.min(case((_L.kind == "transfer_to_patient", _L.at), else_=None))
        rows = self._conn.execute(
            select(_L.patient_id, func.sum(signed), first)
            .where(_L.practice_id == practice_id)
            .group_by(_L.patient_id)
            .having(func.sum(signed) > 0)
        ).all()
        return [(pid, int(cents), at) for pid, cents, at in rows if at is not None]

    def totals_by_kind(self, practice_id: str, *, payer_id: str | None = None) -> dict[str, int]:
        stmt = select(_L.kind, func.sum(_L.amount_cents)).where(_L.practice_id == practice_id).group_by(_L.kind)
        if payer_id is not None:
            stmt = stmt.where(_L.payer_id == payer_id)
        return {kind: int(total or 0) for kind, total in self._conn.execute(stmt)}


class SqlPostingLookups:
    """Claims as posting sees them: read by the hundred without their documents, moved by the thousand."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def targets(self, practice_id: str, control_numbers: Iterable[str]) -> dict[str, PostingTarget]:
        return _posting_targets(self._conn, practice_id, control_numbers)

    def move(self, practice_id: str, transitions: Sequence[tuple[ClaimTransition, str | None]]) -> None:
        _move_claims(self._conn, practice_id, transitions)


def _posting_targets(conn: Connection, practice_id: str, control_numbers: Iterable[str]) -> dict[str, PostingTarget]:
    """Our claims by CLM01, with their lines, read without their documents (what posting needs, fast)."""
    c = t.claims.c
    numbers = list(dict.fromkeys(control_numbers))
    found: dict[str, PostingTarget] = {}
    for start in range(0, len(numbers), _CHUNK):
        chunk = numbers[start : start + _CHUNK]
        rows = conn.execute(
            select(
                c.id,
                c.patient_control_number,
                c.patient_id,
                c.encounter_id,
                c.payer_id,
                c.coverage_order,
                c.status,
                c.date_of_service,
                c.payer_claim_number,
                c.next_coverage_id,
            ).where(c.practice_id == practice_id, c.patient_control_number.in_(chunk))
        ).all()
        if not rows:
            continue
        lines: dict[str, list[ClaimLineRecord]] = defaultdict(list)
        for claim_id, line in claim_lines_of(conn, practice_id, [row.id for row in rows]):
            lines[claim_id].append(line)
        for row in rows:
            found[row.patient_control_number] = PostingTarget(
                claim_id=row.id,
                patient_control_number=row.patient_control_number,
                patient_id=row.patient_id,
                encounter_id=row.encounter_id,
                payer_id=row.payer_id,
                order=CoverageOrder(row.coverage_order),
                status=ClaimStatus(row.status),
                date_of_service=row.date_of_service,
                lines=tuple(lines[row.id]),
                payer_claim_number=row.payer_claim_number,
                next_coverage_id=row.next_coverage_id,
            )
    return found


def _move_claims(conn: Connection, practice_id: str, transitions: Sequence[tuple[ClaimTransition, str | None]]) -> None:
    """Many claims' status moves at once: each (transition, payer claim number); history rows with them. Each claim
    is updated once, to where its last move left it (on PostgreSQL by one UPDATE … FROM unnest(arrays))."""
    if not transitions:
        return
    final: dict[str, tuple[str, str | None, datetime]] = {}
    for tr, number in transitions:
        final[tr.claim_id] = (tr.to_status.value, number, tr.at)
    rows = [(claim_id, status, number, at) for claim_id, (status, number, at) in final.items()]
    c = t.claims.c
    if conn.dialect.name != "postgresql":  # in process: executemany is fast, and SQLite cannot alias VALUES columns
        conn.execute(
            update(t.claims)
            .where(c.id == bindparam("k_id"), c.practice_id == practice_id)
            .values(
                status=bindparam("k_status"), payer_claim_number=bindparam("k_number"), updated_at=bindparam("k_at")
            ),
            [{"k_id": i, "k_status": st, "k_number": n, "k_at": at} for i, st, n, at in rows],
        )
        rows = []
    if rows:
        # one statement whatever the count: the values travel as four arrays, unnested into rows on the server
        ids, statuses, numbers, moments = (list(column) for column in zip(*rows, strict=True))
        conn.execute(
            text(
                "UPDATE claims SET status = m.status, payer_claim_number = m.number, updated_at = m.at "
                "FROM unnest(CAST(:ids AS varchar[]), CAST(:statuses AS varchar[]), CAST(:numbers AS varchar[]), "
                "CAST(:moments AS timestamptz[])) AS m(id, status, number, at) "
                "WHERE claims.id = m.id AND claims.practice_id = :practice"
            ),
            {"ids": ids, "statuses": statuses, "numbers": numbers, "moments": moments, "practice": practice_id},
        )
    insert_rows(
        conn,
        t.claim_events,
        [
            {
                "practice_id": practice_id,
                "claim_id": tr.claim_id,
                "event": tr.event.value,
                "from_status": tr.from_status.value,
                "to_status": tr.to_status.value,
                "at": tr.at,
                "actor": tr.actor[:60],
                "reason": tr.reason,
            }
            for tr, _ in transitions
        ],
    )


def _remittance_values(r: RemittanceRecord) -> dict[str, Any]:
    return {
        "id": r.id,
        "practice_id": r.practice_id,
        "import_key": r.import_key,
        "status": r.status.value,
        "file_name": r.file_name[:255],
        "transaction_index": r.transaction_index,
        "control_number": r.control_number,
        "payer_name": r.payer_name[:60],
        "payer_identifier": r.payer_identifier[:80],
        "trace_number": r.trace_number[:50],
        "method": r.method[:3],
        "amount_cents": r.amount_cents,
        "paid_on": r.paid_on,
        "claim_count": r.claim_count,
        "posted_count": r.posted_count,
        "unmatched_count": r.unmatched_count,
        "denied_count": r.denied_count,
        "provider_adjustment_cents": r.provider_adjustment_cents,
        "difference_cents": r.difference_cents,
        "problems": "\n".join(r.problems),
        "sha256": r.sha256,
        "imported_at": r.imported_at,
        "imported_by": r.imported_by[:60],
        "posted_at": r.posted_at,
    }


def _remittance_of(r: Row[Any]) -> RemittanceRecord:
    return RemittanceRecord(
        id=r.id,
        practice_id=r.practice_id,
        import_key=r.import_key,
        status=RemittanceStatus(r.status),
        file_name=r.file_name,
        transaction_index=r.transaction_index,
        control_number=r.control_number,
        payer_name=r.payer_name,
        payer_identifier=r.payer_identifier,
        trace_number=r.trace_number,
        method=r.method,
        amount_cents=int(r.amount_cents),
        paid_on=r.paid_on,
        claim_count=r.claim_count,
        posted_count=r.posted_count,
        unmatched_count=r.unmatched_count,
        denied_count=r.denied_count,
        provider_adjustment_cents=int(r.provider_adjustment_cents),
        difference_cents=int(r.difference_cents),
        problems=tuple(p for p in r.problems.split("\n") if p),
        sha256=r.sha256,
        imported_at=r.imported_at,
        imported_by=r.imported_by,
        posted_at=r.posted_at,
    )


class SqlRemittanceRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, record: RemittanceRecord, content: bytes, adjustments: Sequence[ProviderAdjustment]) -> None:
        self._conn.execute(insert(t.remittances).values(_remittance_values(record)))
        self._conn.execute(
            insert(t.remittance_contents).values(
                remittance_id=record.id, practice_id=record.practice_id, content=content
            )
        )
        if adjustments:
            self._conn.execute(
                insert(t.provider_adjustments),
                [
                    {
                        "practice_id": record.practice_id,
                        "remittance_id": record.id,
                        "position": i,
                        "provider_identifier": a.provider_id[:50],
                        "fiscal_period_end": a.fiscal_period_end,
                        "reason": a.reason[:2],
                        "reference": (a.reference or None) and a.reference[:50],
                        "amount_cents": a.amount_cents,
                    }
                    for i, a in enumerate(adjustments, start=1)
                ],
            )

    def update(self, record: RemittanceRecord) -> None:
        values = _remittance_values(record)
        del values["id"], values["practice_id"]
        done = self._conn.execute(
            update(t.remittances).where(_R.id == record.id, _R.practice_id == record.practice_id).values(**values)
        )
        if done.rowcount != 1:
            raise NotFound("no remittance with that id in this practice")

    def by_key(self, practice_id: str, key: str) -> RemittanceRecord | None:
        row = self._conn.execute(
            select(t.remittances).where(_R.practice_id == practice_id, _R.import_key == key)
        ).first()
        return _remittance_of(row) if row else None

    def get(self, practice_id: str, remittance_id: str) -> RemittanceRecord:
        row = self._conn.execute(
            select(t.remittances).where(_R.practice_id == practice_id, _R.id == remittance_id)
        ).first()
        if row is None:
            raise NotFound("no remittance with that id in this practice")
        return _remittance_of(row)

    def content(self, practice_id: str, remittance_id: str) -> bytes:
        c = t.remittance_contents.c
        row = self._conn.execute(
            select(c.content).where(c.practice_id == practice_id, c.remittance_id == remittance_id)
        ).first()
        if row is None:
            raise NotFound("no remittance with that id in this practice")
        return bytes(row.content)

    def list(self, practice_id: str, *, limit: int = 100, offset: int = 0) -> Sequence[RemittanceRecord]:
        rows = self._conn.execute(
            select(t.remittances)
            .where(_R.practice_id == practice_id)
            .order_by(_R.imported_at.desc(), _R.id)
            .limit(limit)
            .offset(offset)
        ).all()
        return [_remittance_of(r) for r in rows]

    def provider_adjustments(self, practice_id: str, remittance_id: str) -> Sequence[ProviderAdjustment]:
        c = t.provider_adjustments.c
        rows = self._conn.execute(
            select(t.provider_adjustments)
            .where(c.practice_id == practice_id, c.remittance_id == remittance_id)
            .order_by(c.position)
        ).all()
        return [
            ProviderAdjustment(
                provider_id=r.provider_identifier,
                fiscal_period_end=r.fiscal_period_end,
                reason=r.reason,
                reference=r.reference,
                amount_cents=int(r.amount_cents),
            )
            for r in rows
        ]


__all__ = ["SqlLedger", "SqlPostingLookups", "SqlRemittanceRepository", "SqlWorkQueue", "insert_rows"]
