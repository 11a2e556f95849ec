"""The SQL behind the reports: claim histories and visit ledgers aggregated in the database (one row per claim, one
per visit), the same statements on SQLite and PostgreSQL; dates are compared as bound UTC timestamps, never with
dialect date functions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, case, func, select, type_coerce

from medbill.adapters.db import tables as t
from medbill.domain.claim_states import ClaimEvent, ClaimStatus
from medbill.domain.ledger import ADJUSTMENTS, EntryKind, LedgerEntry, PatientShare, balance
from medbill.domain.report_facts import ClaimFacts, VisitMoney, sent_with_findings

_C = t.claims.c
_E = t.claim_events.c
_L = t.ledger_entries.c
_N = t.encounters.c
_CHUNK = 500
_ADJUDICATIONS = (ClaimEvent.PAY.value, ClaimEvent.PAY_PARTIALLY.value, ClaimEvent.DENY.value)
_DENIAL_KINDS = (
    EntryKind.DENIAL.value,
    EntryKind.CONTRACTUAL_ADJUSTMENT.value,
    EntryKind.OTHER_ADJUSTMENT.value,
    EntryKind.TRANSFER_TO_PATIENT.value,
)

_DEDUCTIONS = tuple(sorted(kind.value for kind in ADJUSTMENTS))  # the deductions from revenue (net revenue)


def _effects() -> dict[str, tuple[int, int]]:
    """Each entry kind's effect on the insurance and patient balances, taken from the domain's ``balance`` so the
    SQL sums can never disagree with it."""
    out: dict[str, tuple[int, int]] = {}
    for kind in EntryKind:
        one = LedgerEntry(
            practice_id="",
            patient_id="",
            encounter_id="",
            line_number=1,
            kind=kind,
            amount_cents=1,
            at=datetime(2000, 1, 1, tzinfo=UTC),
            patient_share=PatientShare.OTHER if kind is EntryKind.TRANSFER_TO_PATIENT else None,
        )
        b = balance([one])
        out[kind.value] = (b.insurance_cents, b.patient_cents)
    return out


_EFFECTS = _effects()


def _first(event: str | tuple[str, ...]) -> Any:
    events = (event,) if isinstance(event, str) else event
    return type_coerce(func.min(case((_E.event.in_(events), _E.at))), t.UtcDateTime)


def _first_seq(event: str | tuple[str, ...]) -> Any:
    events = (event,) if isinstance(event, str) else event
    return func.min(case((_E.event.in_(events), _E.seq)))


def _sum(condition: Any, amount: Any = None) -> Any:
    return func.coalesce(func.sum(case((condition, _L.amount_cents if amount is None else amount), else_=0)), 0)


class SqlReportQueries:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def claim_facts(self, practice_id: str, until: datetime) -> Sequence[ClaimFacts]:
        """Every claim created before ``until`` with the moments of its history before then. "Before" inside one
        claim's history is by the events' sequence, so moves made in the same instant keep their order."""
        history = (
            select(
                _E.claim_id.label("claim_id"),
                _first_seq(ClaimEvent.SUBMIT.value).label("first_submit_seq"),
                type_coerce(func.max(case((_E.event == ClaimEvent.SUBMIT.value, _E.at))), t.UtcDateTime).label(
                    "last_submit"
                ),
                _first_seq(_ADJUDICATIONS).label("first_adjudication_seq"),
                _first_seq(ClaimEvent.EDIT.value).label("first_edit_seq"),
                _first(ClaimEvent.REJECT.value).label("first_reject"),
                _first(ClaimEvent.REVERSE.value).label("first_reverse"),
            )
            .where(_E.practice_id == practice_id, _E.at < until)
            .group_by(_E.claim_id)
            .subquery()
        )
        h = history.c
        submit = t.claim_events.alias("first_submit")
        adjudication = t.claim_events.alias("first_adjudication")
        rows = self._conn.execute(
            select(
                _C.id,
                _C.patient_control_number,
                _C.encounter_id,
                _C.patient_id,
                _C.payer_id,
                _N.rendering_provider_id,
                _C.coverage_order,
                _C.frequency,
                _C.status,
                _C.date_of_service,
                _C.total_charge_cents,
                _C.created_at,
                _C.error_count,
                _C.warning_count,
                h.first_submit_seq,
                submit.c.at.label("first_submit"),
                h.last_submit,
                adjudication.c.at.label("first_adjudicated"),
                adjudication.c.event.label("first_adjudication"),
                h.first_edit_seq,
                h.first_reject,
                h.first_reverse,
            )
            .join(t.encounters, and_(_N.id == _C.encounter_id, _N.practice_id == _C.practice_id))
            .outerjoin(history, h.claim_id == _C.id)
            .outerjoin(submit, submit.c.seq == h.first_submit_seq)
            .outerjoin(adjudication, adjudication.c.seq == h.first_adjudication_seq)
            .where(_C.practice_id == practice_id, _C.created_at < until)
            .order_by(_C.patient_control_number)
        ).all()
        scrubs = self._scrub_seqs(practice_id)
        return [_facts(r, scrubs.get(r.id, ())) for r in rows]

    def _scrub_seqs(self, practice_id: str) -> dict[str, list[int]]:
        """The sequence numbers of each claim's SCRUB events, all of them (the claim row's error and warning counts
        are those of the latest one, whenever it ran)."""
        out: dict[str, list[int]] = {}
        rows = self._conn.execute(
            select(_E.claim_id, _E.seq)
            .where(_E.practice_id == practice_id, _E.event == ClaimEvent.SCRUB.value)
            .order_by(_E.claim_id, _E.seq)
        )
        for claim_id, seq in rows:
            out.setdefault(claim_id, []).append(int(seq))
        return out

    def visit_money(
        self, practice_id: str, *, since: datetime, until: datetime, window_since: datetime
    ) -> Sequence[VisitMoney]:
        """Each visit with a ledger entry before ``until``: its balances then, and what was posted in
        [since, until) (charges and deductions from revenue also over [window_since, until))."""
        insurance = case({k: v[0] for k, v in _EFFECTS.items()}, value=_L.kind, else_=0) * _L.amount_cents
        patient = case({k: v[1] for k, v in _EFFECTS.items()}, value=_L.kind, else_=0) * _L.amount_cents
        in_period = and_(_L.at >= since, _L.at < until)
        paid = (EntryKind.PAYER_PAYMENT.value, EntryKind.PATIENT_PAYMENT.value)
        rows = self._conn.execute(
            select(
                _N.id,
                _N.patient_id,
                _N.rendering_provider_id,
                _N.date_of_service,
                _N.created_at,
                func.coalesce(func.sum(insurance), 0).label("insurance"),
                func.coalesce(func.sum(patient), 0).label("patient"),
                _sum(and_(in_period, _L.kind == EntryKind.CHARGE.value)).label("charges"),
                _sum(and_(_L.at >= window_since, _L.kind == EntryKind.CHARGE.value)).label("window_charges"),
                _sum(and_(_L.at >= window_since, _L.kind.in_(_DEDUCTIONS))).label("window_deductions"),
                (
                    _sum(and_(in_period, _L.kind.in_(paid))) - _sum(and_(in_period, _L.kind == EntryKind.REFUND.value))
                ).label("payments"),
                _sum(and_(in_period, _L.kind == EntryKind.CONTRACTUAL_ADJUSTMENT.value)).label("contractual"),
            )
            .join(t.ledger_entries, and_(_L.encounter_id == _N.id, _L.practice_id == _N.practice_id))
            .where(_N.practice_id == practice_id, _L.at < until)
            .group_by(_N.id, _N.patient_id, _N.rendering_provider_id, _N.date_of_service, _N.created_at)
            .order_by(_N.date_of_service, _N.id)
        )
        return [
            VisitMoney(
                encounter_id=r.id,
                patient_id=r.patient_id,
                provider_id=r.rendering_provider_id,
                date_of_service=r.date_of_service,
                created_at=r.created_at,
                insurance_cents=int(r.insurance),
                patient_cents=int(r.patient),
                charges_cents=int(r.charges),
                window_charges_cents=int(r.window_charges),
                window_deductions_cents=int(r.window_deductions),
                payments_cents=int(r.payments),
                contractual_cents=int(r.contractual),
            )
            for r in rows
        ]

    def entered_visits(self, practice_id: str, *, since: datetime, until: datetime) -> Sequence[tuple[str, Any, Any]]:
        """(encounter id, date of service, entered at) of the visits entered in [since, until)."""
        rows = self._conn.execute(
            select(_N.id, _N.date_of_service, _N.created_at)
            .where(_N.practice_id == practice_id, _N.created_at >= since, _N.created_at < until)
            .order_by(_N.created_at, _N.id)
        )
        return [(r.id, r.date_of_service, r.created_at) for r in rows]

    def denial_adjustments(
        self, practice_id: str, claim_ids: Iterable[str]
    ) -> Sequence[tuple[str, str, str, int, datetime]]:
        """(claim id, group code, CARC, cents, at) of the adjustments payers posted on the claims, reversals left
        out, oldest first: the reasons behind a denial."""
        wanted = sorted(set(claim_ids))
        out: list[tuple[str, str, str, int, datetime]] = []
        for start in range(0, len(wanted), _CHUNK):
            rows = self._conn.execute(
                select(_L.claim_id, _L.group_code, _L.reason_code, func.sum(_L.amount_cents), _L.at)
                .where(
                    _L.practice_id == practice_id,
                    _L.claim_id.in_(wanted[start : start + _CHUNK]),
                    _L.kind.in_(_DENIAL_KINDS),
                    _L.remittance_id.is_not(None),
                    _L.reverses.is_(None),
                    _L.amount_cents > 0,
                )
                .group_by(_L.claim_id, _L.group_code, _L.reason_code, _L.at)
                .order_by(_L.claim_id, _L.at, _L.group_code, _L.reason_code)
            )
            out.extend((c, g or "", r or "", int(n), at) for c, g, r, n, at in rows)
        return out

    def patient_labels(self, practice_id: str, patient_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        """Patient id → (name as "Last, First", account number)."""
        p = t.patients.c
        wanted = sorted(set(patient_ids))
        out: dict[str, tuple[str, str]] = {}
        for start in range(0, len(wanted), _CHUNK):
            rows = self._conn.execute(
                select(p.id, p.last_name, p.first_name, p.account_number).where(
                    p.practice_id == practice_id, p.id.in_(wanted[start : start + _CHUNK])
                )
            )
            out.update({r.id: (f"{r.last_name}, {r.first_name}", r.account_number) for r in rows})
        return out


def _before(seq: int | None, other: int | None) -> bool:
    return seq is not None and (other is None or seq < other)


def _facts(r: Any, scrub_seqs: Sequence[int]) -> ClaimFacts:
    sent = r.first_submit_seq
    findings, rescrubbed = sent_with_findings(
        scrub_seqs, sent, errors=int(r.error_count), warnings=int(r.warning_count)
    )
    return ClaimFacts(
        claim_id=r.id,
        patient_control_number=r.patient_control_number,
        encounter_id=r.encounter_id,
        patient_id=r.patient_id,
        payer_id=r.payer_id,
        provider_id=r.rendering_provider_id,
        order=r.coverage_order,
        frequency=r.frequency,
        status=ClaimStatus(r.status),
        date_of_service=r.date_of_service,
        total_charge_cents=int(r.total_charge_cents),
        created_at=r.created_at,
        first_submitted_at=r.first_submit,
        last_submitted_at=r.last_submit,
        first_adjudicated_at=r.first_adjudicated,
        first_adjudication=ClaimEvent(r.first_adjudication) if r.first_adjudication else None,
        edited_before_submission=_before(r.first_edit_seq, sent),
        findings_before_submission=findings,
        rescrubbed_before_submission=rescrubbed,
        first_rejected_at=r.first_reject,
        first_reversed_at=r.first_reverse,
    )
