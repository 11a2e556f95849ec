"""The SQL repository of claims: records, their lines, findings, history (claim events) and snapshots."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, Select, bindparam, delete, func, insert, select, update

from medbill.adapters.db import tables as t
from medbill.adapters.db.bulk import insert_rows
from medbill.domain.claim_json import claim_from_json, claim_to_json
from medbill.domain.claim_records import (
    ClaimLineRecord,
    ClaimRecord,
    ClaimSnapshot,
    FindingsSummary,
)
from medbill.domain.claim_states import ClaimEvent, ClaimStatus, ClaimTransition
from medbill.domain.claims import Claim
from medbill.domain.coverage import CoverageOrder
from medbill.domain.errors import NotFound
from medbill.domain.scrub import Finding, RuleFamily, Severity
from medbill.services.ports import ClaimCount, ClaimQuery, ClaimState

_C = t.claims.c
_SENT = tuple(
    s.value
    for s in ClaimStatus
    if s not in (ClaimStatus.DRAFT, ClaimStatus.SCRUBBED, ClaimStatus.QUEUED, ClaimStatus.REJECTED)
)


def _claim_values(c: ClaimRecord) -> dict[str, Any]:
    return {
        "status": c.status.value,
        "payer_claim_number": c.payer_claim_number,
        "next_coverage_id": c.next_coverage_id,
        "batch_id": c.batch_id,
        "error_count": c.summary.errors,
        "warning_count": c.summary.warnings,
        "scrubbed_at": c.summary.scrubbed_at,
        "updated_at": c.updated_at,
    }


_INSERT_CLAIM = insert(t.claims)
_INSERT_LINES = insert(t.claim_lines)
_INSERT_FINDINGS = insert(t.claim_findings)
_INSERT_EVENT = insert(t.claim_events)
_UPDATE_CLAIM = update(t.claims).where(_C.id == bindparam("k_id"), _C.practice_id == bindparam("k_practice"))
_S = t.claim_snapshots.c
_SNAPSHOT_AS_STORED = insert(t.claim_snapshots).from_select(
    [
        "id",
        "practice_id",
        "claim_id",
        "batch_id",
        "patient_control_number",
        "total_charge_cents",
        "taken_at",
        "document",
    ],
    select(
        bindparam("k_id", type_=_S.id.type),
        _C.practice_id,
        _C.id,
        bindparam("k_batch", type_=_S.batch_id.type),
        bindparam("k_number", type_=_S.patient_control_number.type),
        bindparam("k_total", type_=_S.total_charge_cents.type),
        bindparam("k_at", type_=_S.taken_at.type),
        _C.document,
    ).where(_C.id == bindparam("k_claim"), _C.practice_id == bindparam("k_practice")),
)
_DELETE_FINDINGS = delete(t.claim_findings).where(
    t.claim_findings.c.claim_id == bindparam("k_id"), t.claim_findings.c.practice_id == bindparam("k_practice")
)


def _new_claim_values(claim: ClaimRecord, build_key: str) -> dict[str, Any]:
    return {
        "id": claim.id,
        "practice_id": claim.practice_id,
        "encounter_id": claim.encounter_id,
        "patient_id": claim.patient_id,
        "coverage_id": claim.coverage_id,
        "payer_id": claim.payer_id,
        "coverage_order": claim.order.value,
        "kind": claim.kind.value,
        "patient_control_number": claim.patient_control_number,
        "frequency": claim.frequency.value,
        "build_key": build_key,
        "original_claim_id": claim.original_claim_id,
        "date_of_service": claim.date_of_service,
        "total_charge_cents": claim.total_charge_cents,
        "document": claim_to_json(claim.document),
        "created_at": claim.created_at,
        **_claim_values(claim),
    }


def _line_rows(claim: ClaimRecord) -> list[dict[str, Any]]:
    return [
        {
            "practice_id": claim.practice_id,
            "claim_id": claim.id,
            "line_number": line.line_number,
            "line_control_number": line.line_control_number,
            "procedure_code": line.procedure_code,
            "modifiers": ",".join(line.modifiers),
            "units": line.units,
            "charge_cents": line.charge_cents,
            "service_date": line.service_date,
        }
        for line in claim.lines
    ]


def _finding_rows(claim: ClaimRecord) -> list[dict[str, Any]]:
    return [
        {
            "practice_id": claim.practice_id,
            "claim_id": claim.id,
            "position": i,
            "rule": f.rule,
            "family": f.family.value,
            "severity": f.severity.value,
            "message": f.message,
            "line_number": f.line,
            "field": f.field,
            "location": f.location,
        }
        for i, f in enumerate(claim.findings, 1)
    ]


_STATE_COLUMNS = (_C.id, _C.patient_control_number, _C.status, _C.payer_claim_number)


def _state_of(r: Any) -> ClaimState:  # a row of _STATE_COLUMNS
    return ClaimState(
        claim_id=r.id,
        patient_control_number=r.patient_control_number,
        status=ClaimStatus(r.status),
        payer_claim_number=r.payer_claim_number,
    )


def _found(stmt: Select[Any], practice_id: str, query: ClaimQuery) -> Select[Any]:
    """``stmt`` narrowed to the claims ``query`` asks for, in issue order."""
    stmt = stmt.where(_C.practice_id == practice_id)
    if query.statuses:
        stmt = stmt.where(_C.status.in_([s.value for s in query.statuses]))
    if query.payer_id:
        stmt = stmt.where(_C.payer_id == query.payer_id)
    if query.encounter_id:
        stmt = stmt.where(_C.encounter_id == query.encounter_id)
    if query.batch_id:
        stmt = stmt.where(_C.batch_id == query.batch_id)
    # claim numbers grow a digit after C9999999x: shorter first keeps them in issue order
    stmt = stmt.order_by(func.length(_C.patient_control_number), _C.patient_control_number)
    return stmt.limit(query.limit).offset(query.offset)


def _event_values(practice_id: str, transition: ClaimTransition) -> dict[str, Any]:
    return {
        "practice_id": practice_id,
        "claim_id": transition.claim_id,
        "event": transition.event.value,
        "from_status": transition.from_status.value,
        "to_status": transition.to_status.value,
        "at": transition.at,
        "actor": transition.actor[:60],
        "reason": transition.reason,
    }


def claim_lines_of(conn: Connection, practice_id: str, claim_ids: Sequence[str]) -> list[tuple[str, ClaimLineRecord]]:
    """The stored lines of these claims, in claim and line order, each with its claim's id."""
    lc = t.claim_lines.c
    rows = conn.execute(
        select(t.claim_lines)
        .where(lc.practice_id == practice_id, lc.claim_id.in_(list(claim_ids)))
        .order_by(lc.claim_id, lc.line_number)
    )
    return [
        (
            r.claim_id,
            ClaimLineRecord(
                line_number=r.line_number,
                line_control_number=r.line_control_number,
                procedure_code=r.procedure_code,
                modifiers=tuple(m for m in r.modifiers.split(",") if m),
                units=r.units,
                charge_cents=int(r.charge_cents),
                service_date=r.service_date,
            ),
        )
        for r in rows
    ]


class SqlClaimRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, claim: ClaimRecord, build_key: str) -> None:
        # statements built once and given their values as parameters: a run of claims skips the per-call compile
        self._conn.execute(_INSERT_CLAIM, _new_claim_values(claim, build_key))
        self._write_lines(claim)
        self._write_findings(claim)

    def add_many(self, claims: Sequence[tuple[ClaimRecord, str]]) -> None:
        """New claims (each with its build key), their lines and findings, written in bulk."""
        insert_rows(self._conn, t.claims, [_new_claim_values(claim, key) for claim, key in claims])
        insert_rows(self._conn, t.claim_lines, [row for claim, _ in claims for row in _line_rows(claim)])
        insert_rows(self._conn, t.claim_findings, [row for claim, _ in claims for row in _finding_rows(claim)])

    def _write_lines(self, claim: ClaimRecord) -> None:
        self._conn.execute(_INSERT_LINES, _line_rows(claim))

    def replace_document(self, claim: ClaimRecord) -> None:
        """A draft rebuilt from its encounter as it is now: the 837 document, its total and its lines (same CLM01)."""
        done = self._conn.execute(
            update(t.claims)
            .where(_C.id == claim.id, _C.practice_id == claim.practice_id)
            .values(
                document=claim_to_json(claim.document),
                total_charge_cents=claim.total_charge_cents,
                updated_at=claim.updated_at,
            )
        )
        if done.rowcount != 1:
            raise NotFound("no claim with that id in this practice")
        lc = t.claim_lines.c
        self._conn.execute(delete(t.claim_lines).where(lc.practice_id == claim.practice_id, lc.claim_id == claim.id))
        self._write_lines(claim)

    def _write_findings(self, claim: ClaimRecord) -> None:
        if claim.findings:
            self._conn.execute(_INSERT_FINDINGS, _finding_rows(claim))

    def update(self, claim: ClaimRecord) -> None:
        done = self._conn.execute(
            _UPDATE_CLAIM, {"k_id": claim.id, "k_practice": claim.practice_id, **_claim_values(claim)}
        )
        if done.rowcount != 1:
            raise NotFound("no claim with that id in this practice")
        self._conn.execute(_DELETE_FINDINGS, {"k_id": claim.id, "k_practice": claim.practice_id})
        self._write_findings(claim)

    def update_many(self, claims: Sequence[ClaimRecord], *, findings: bool = True) -> None:
        """Many claims' rows at once (``update`` each); ``findings=False`` when the move left their findings as they
        were (queue, submit, accept …): only a scrub or an edit changes them."""
        if not claims:
            return
        done = self._conn.execute(
            _UPDATE_CLAIM, [{"k_id": c.id, "k_practice": c.practice_id, **_claim_values(c)} for c in claims]
        )
        if self._conn.dialect.supports_sane_multi_rowcount and done.rowcount != len(claims):
            raise NotFound("no claim with that id in this practice")
        if not findings:
            return
        fc = t.claim_findings.c
        by_practice: dict[str, list[str]] = defaultdict(list)
        for claim in claims:
            by_practice[claim.practice_id].append(claim.id)
        for practice_id, ids in by_practice.items():
            for start in range(0, len(ids), 500):
                self._conn.execute(
                    delete(t.claim_findings).where(
                        fc.practice_id == practice_id, fc.claim_id.in_(ids[start : start + 500])
                    )
                )
        insert_rows(self._conn, t.claim_findings, [row for claim in claims for row in _finding_rows(claim)])

    def _load(self, practice_id: str, rows: Sequence[Row[Any]]) -> list[ClaimRecord]:
        if not rows:
            return []
        ids = [r.id for r in rows]
        lines: dict[str, list[ClaimLineRecord]] = defaultdict(list)
        findings: dict[str, list[Finding]] = defaultdict(list)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for claim_id, line in claim_lines_of(self._conn, practice_id, chunk):
                lines[claim_id].append(line)
            fc = t.claim_findings.c
            for r in self._conn.execute(
                select(t.claim_findings)
                .where(fc.practice_id == practice_id, fc.claim_id.in_(chunk))
                .order_by(fc.claim_id, fc.position)
            ):
                findings[r.claim_id].append(
                    Finding(
                        rule=r.rule,
                        family=RuleFamily(r.family),
                        severity=Severity(r.severity),
                        message=r.message,
                        line=r.line_number,
                        field=r.field,
                        location=r.location,
                    )
                )
        return [
            ClaimRecord(
                id=r.id,
                practice_id=r.practice_id,
                encounter_id=r.encounter_id,
                patient_id=r.patient_id,
                coverage_id=r.coverage_id,
                payer_id=r.payer_id,
                order=CoverageOrder(r.coverage_order),
                status=ClaimStatus(r.status),
                document=claim_from_json(r.document),
                date_of_service=r.date_of_service,
                lines=tuple(lines[r.id]),
                original_claim_id=r.original_claim_id,
                payer_claim_number=r.payer_claim_number,
                next_coverage_id=r.next_coverage_id,
                batch_id=r.batch_id,
                findings=tuple(findings[r.id]),
                summary=FindingsSummary(errors=r.error_count, warnings=r.warning_count, scrubbed_at=r.scrubbed_at),
                created_at=r.created_at,
                updated_at=r.updated_at,
            )
            for r in rows
        ]

    def get(self, practice_id: str, claim_id: str) -> ClaimRecord:
        rows = self._conn.execute(select(t.claims).where(_C.id == claim_id, _C.practice_id == practice_id)).all()
        if not rows:
            raise NotFound("no claim with that id in this practice")
        return self._load(practice_id, rows)[0]

    def get_many(self, practice_id: str, claim_ids: Sequence[str]) -> list[ClaimRecord]:
        """The named claims in the order named, read 500 at a time; NotFound names the first missing one."""
        found: dict[str, ClaimRecord] = {}
        wanted = list(dict.fromkeys(claim_ids))
        for start in range(0, len(wanted), 500):
            rows = self._conn.execute(
                select(t.claims).where(_C.practice_id == practice_id, _C.id.in_(wanted[start : start + 500]))
            ).all()
            found.update((claim.id, claim) for claim in self._load(practice_id, rows))
        for index, claim_id in enumerate(claim_ids):
            if claim_id not in found:
                raise NotFound("no claim with that id in this practice", field=f"claim_ids[{index}]")
        return [found[claim_id] for claim_id in claim_ids]

    def by_build_key(self, practice_id: str, build_key: str) -> ClaimRecord | None:
        rows = self._conn.execute(
            select(t.claims).where(_C.practice_id == practice_id, _C.build_key == build_key)
        ).all()
        return self._load(practice_id, rows)[0] if rows else None

    def by_build_keys(self, practice_id: str, build_keys: Sequence[str]) -> dict[str, ClaimRecord]:
        found: dict[str, ClaimRecord] = {}
        keys = list(dict.fromkeys(build_keys))
        for start in range(0, len(keys), 500):
            rows = self._conn.execute(
                select(t.claims).where(_C.practice_id == practice_id, _C.build_key.in_(keys[start : start + 500]))
            ).all()
            loaded = self._load(practice_id, rows)
            found.update((row.build_key, claim) for row, claim in zip(rows, loaded, strict=True))
        return found

    def by_control_numbers(self, practice_id: str, numbers: Sequence[str]) -> dict[str, ClaimRecord]:
        """Claims by CLM01, read by the hundred (those found)."""
        found: dict[str, ClaimRecord] = {}
        keys = list(dict.fromkeys(numbers))
        for start in range(0, len(keys), 500):
            rows = self._conn.execute(
                select(t.claims).where(
                    _C.practice_id == practice_id, _C.patient_control_number.in_(keys[start : start + 500])
                )
            ).all()
            found.update((claim.patient_control_number, claim) for claim in self._load(practice_id, rows))
        return found

    def by_control_number(self, practice_id: str, patient_control_number: str) -> ClaimRecord | None:
        rows = self._conn.execute(
            select(t.claims).where(_C.practice_id == practice_id, _C.patient_control_number == patient_control_number)
        ).all()
        return self._load(practice_id, rows)[0] if rows else None

    def find(self, practice_id: str, query: ClaimQuery) -> Sequence[ClaimRecord]:
        return self._load(practice_id, self._conn.execute(_found(select(t.claims), practice_id, query)).all())

    def states(self, practice_id: str, query: ClaimQuery) -> Sequence[ClaimState]:
        rows = self._conn.execute(_found(select(*_STATE_COLUMNS), practice_id, query))
        return [_state_of(r) for r in rows]

    def states_by_control_numbers(self, practice_id: str, numbers: Sequence[str]) -> dict[str, ClaimState]:
        """``by_control_numbers`` without the documents: what a status move needs (those found)."""
        found: dict[str, ClaimState] = {}
        keys = list(dict.fromkeys(numbers))
        for start in range(0, len(keys), 500):
            rows = self._conn.execute(
                select(*_STATE_COLUMNS).where(
                    _C.practice_id == practice_id, _C.patient_control_number.in_(keys[start : start + 500])
                )
            )
            found.update((r.patient_control_number, _state_of(r)) for r in rows)
        return found

    def counts(self, practice_id: str) -> Sequence[ClaimCount]:
        rows = self._conn.execute(
            select(_C.status, _C.payer_id, func.count(), func.sum(_C.total_charge_cents))
            .where(_C.practice_id == practice_id)
            .group_by(_C.status, _C.payer_id)
            .order_by(_C.status, _C.payer_id)
        )
        return [
            ClaimCount(status=ClaimStatus(status), payer_id=payer_id, count=int(n), total_charge_cents=int(total or 0))
            for status, payer_id, n, total in rows
        ]

    def unbilled_encounter_ids(self, practice_id: str) -> Sequence[str]:
        e = t.encounters.c
        billed = select(_C.encounter_id).where(_C.practice_id == practice_id)
        rows = self._conn.execute(
            select(e.id)
            .where(e.practice_id == practice_id, e.id.not_in(billed))
            .order_by(e.date_of_service, e.created_at, e.id)
        )
        return [r.id for r in rows]

    def sent_documents(self, practice_id: str, patient_ids: Sequence[str]) -> Sequence[Claim]:
        out: list[Claim] = []
        wanted = sorted(set(patient_ids))
        for start in range(0, len(wanted), 500):
            rows = self._conn.execute(
                select(_C.document).where(
                    _C.practice_id == practice_id,
                    _C.patient_id.in_(wanted[start : start + 500]),
                    _C.status.in_(_SENT),
                )
            )
            out.extend(claim_from_json(r.document) for r in rows)
        return out

    def add_transition(self, practice_id: str, transition: ClaimTransition) -> None:
        self._conn.execute(_INSERT_EVENT, _event_values(practice_id, transition))

    def add_transitions(self, practice_id: str, transitions: Sequence[ClaimTransition]) -> None:
        insert_rows(self._conn, t.claim_events, [_event_values(practice_id, tr) for tr in transitions])

    def history(self, practice_id: str, claim_id: str) -> Sequence[ClaimTransition]:
        c = t.claim_events.c
        rows = self._conn.execute(
            select(t.claim_events).where(c.practice_id == practice_id, c.claim_id == claim_id).order_by(c.seq)
        )
        return [
            ClaimTransition(
                claim_id=r.claim_id,
                event=ClaimEvent(r.event),
                from_status=ClaimStatus(r.from_status),
                to_status=ClaimStatus(r.to_status),
                at=r.at,
                actor=r.actor,
                reason=r.reason,
            )
            for r in rows
        ]

    def add_snapshot(self, snapshot: ClaimSnapshot) -> None:
        self._conn.execute(
            insert(t.claim_snapshots).values(
                id=snapshot.id,
                practice_id=snapshot.practice_id,
                claim_id=snapshot.claim_id,
                batch_id=snapshot.batch_id,
                patient_control_number=snapshot.patient_control_number,
                total_charge_cents=snapshot.total_charge_cents,
                taken_at=snapshot.taken_at,
                document=snapshot.document,
            )
        )

    def snapshot_as_sent(self, snapshots: Sequence[ClaimSnapshot]) -> None:
        """Snapshots whose document is the claim's stored document as it is (the one about to be sent), copied in
        the database rather than encoded again; ``document`` of each given snapshot is not read."""
        if not snapshots:
            return
        self._conn.execute(
            _SNAPSHOT_AS_STORED,
            [
                {
                    "k_id": s.id,
                    "k_practice": s.practice_id,
                    "k_claim": s.claim_id,
                    "k_batch": s.batch_id,
                    "k_number": s.patient_control_number,
                    "k_total": s.total_charge_cents,
                    "k_at": s.taken_at,
                }
                for s in snapshots
            ],
        )

    def snapshots(self, practice_id: str, claim_id: str) -> Sequence[ClaimSnapshot]:
        c = t.claim_snapshots.c
        rows = self._conn.execute(
            select(t.claim_snapshots)
            .where(c.practice_id == practice_id, c.claim_id == claim_id)
            .order_by(c.taken_at, c.id)
        )
        return [
            ClaimSnapshot(
                id=r.id,
                practice_id=r.practice_id,
                claim_id=r.claim_id,
                batch_id=r.batch_id,
                patient_control_number=r.patient_control_number,
                total_charge_cents=int(r.total_charge_cents),
                taken_at=r.taken_at,
                document=r.document,
            )
            for r in rows
        ]
