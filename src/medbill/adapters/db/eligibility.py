"""The SQL side of eligibility checks: one row per 270 sent, with its 271 and the normalized benefits as JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update

from medbill.adapters.db import tables as t
from medbill.domain.benefits import MemberBenefits
from medbill.domain.eligibility_checks import CheckStatus, EligibilityCheck
from medbill.domain.errors import NotFound

_E = t.eligibility_checks.c
_ANSWERED = [s.value for s in CheckStatus if s.answered]
_CHUNK = 500
# the columns a listing reads: the raw 270 and 271 stay in the table until one is asked for
_LISTED = [c for c in t.eligibility_checks.c if c.name not in ("request", "response")]


def _check_of(r: Row[Any]) -> EligibilityCheck:
    raw = json.loads(r.benefits) if r.benefits else {}
    return EligibilityCheck(
        id=r.id,
        practice_id=r.practice_id,
        patient_id=r.patient_id,
        coverage_id=r.coverage_id,
        payer_id=r.payer_id,
        appointment_id=r.appointment_id,
        status=CheckStatus(r.status),
        service_types=tuple(s for s in r.service_types.split(",") if s),
        member_id=r.member_id,
        trace_number=r.trace_number,
        requested_at=r.requested_at,
        answered_at=r.answered_at,
        benefits=MemberBenefits.from_json(raw) if raw else None,
        problems=tuple(json.loads(r.problems or "[]")),
        created_by=r.created_by,
    )


def _answer_values(check: EligibilityCheck) -> dict[str, Any]:
    return {
        "status": check.status.value,
        "answered_at": check.answered_at,
        "benefits": json.dumps(check.benefits.as_json(), sort_keys=True) if check.benefits else "{}",
        "problems": json.dumps(list(check.problems)),
    }


class SqlEligibilityCheckRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, check: EligibilityCheck, request: bytes | None) -> None:
        self._conn.execute(
            insert(t.eligibility_checks).values(
                id=check.id,
                practice_id=check.practice_id,
                patient_id=check.patient_id,
                coverage_id=check.coverage_id,
                payer_id=check.payer_id,
                appointment_id=check.appointment_id,
                service_types=",".join(check.service_types),
                member_id=check.member_id,
                trace_number=check.trace_number,
                requested_at=check.requested_at,
                request=request,
                response=None,
                created_by=check.created_by,
                **_answer_values(check),
            )
        )

    def answer(self, check: EligibilityCheck, response: bytes | None) -> None:
        self._conn.execute(
            update(t.eligibility_checks)
            .where(_E.practice_id == check.practice_id, _E.id == check.id)
            .values(response=response, **_answer_values(check))
        )

    def get(self, practice_id: str, check_id: str) -> EligibilityCheck:
        row = self._conn.execute(select(*_LISTED).where(_E.practice_id == practice_id, _E.id == check_id)).first()
        if row is None:
            raise NotFound("no eligibility check with that id in this practice")
        return _check_of(row)

    def raw(self, practice_id: str, check_id: str) -> tuple[bytes | None, bytes | None]:
        row = self._conn.execute(
            select(_E.request, _E.response).where(_E.practice_id == practice_id, _E.id == check_id)
        ).first()
        if row is None:
            raise NotFound("no eligibility check with that id in this practice")
        return row.request, row.response

    def for_patient(self, practice_id: str, patient_id: str, *, limit: int = 50) -> Sequence[EligibilityCheck]:
        stmt = (
            select(*_LISTED)
            .where(_E.practice_id == practice_id, _E.patient_id == patient_id)
            .order_by(_E.requested_at.desc(), _E.trace_number.desc())
            .limit(limit)
        )
        return [_check_of(r) for r in self._conn.execute(stmt)]

    def by_status(self, practice_id: str, status: CheckStatus) -> Sequence[EligibilityCheck]:
        stmt = (
            select(*_LISTED)
            .where(_E.practice_id == practice_id, _E.status == status.value)
            .order_by(_E.requested_at.desc(), _E.trace_number.desc())
        )
        return [_check_of(r) for r in self._conn.execute(stmt)]

    def latest(
        self, practice_id: str, coverage_ids: Sequence[str], *, answered_before: datetime | None = None
    ) -> dict[str, EligibilityCheck]:
        found: dict[str, EligibilityCheck] = {}
        keys = list(dict.fromkeys(coverage_ids))
        for start in range(0, len(keys), _CHUNK):
            where = [
                _E.practice_id == practice_id,
                _E.coverage_id.in_(keys[start : start + _CHUNK]),
                _E.status.in_(_ANSWERED),
            ]
            if answered_before is not None:
                where.append(_E.answered_at <= answered_before)
            newest = (
                select(_E.coverage_id, func.max(_E.answered_at).label("at")).where(*where).group_by(_E.coverage_id)
            ).subquery()
            stmt = (
                select(*_LISTED)
                .join(newest, (newest.c.coverage_id == _E.coverage_id) & (newest.c.at == _E.answered_at))
                .where(*where)
                .order_by(_E.requested_at, _E.trace_number)
            )
            for r in self._conn.execute(stmt):
                found[r.coverage_id] = _check_of(r)  # of equal times, the later trace number (a counter) wins
        return found

    def for_appointments(self, practice_id: str, appointment_ids: Sequence[str]) -> Sequence[EligibilityCheck]:
        found: list[EligibilityCheck] = []
        keys = list(dict.fromkeys(appointment_ids))
        for start in range(0, len(keys), _CHUNK):
            stmt = (
                select(*_LISTED)
                .where(_E.practice_id == practice_id, _E.appointment_id.in_(keys[start : start + _CHUNK]))
                .order_by(_E.requested_at.desc(), _E.trace_number.desc())
            )
            found += [_check_of(r) for r in self._conn.execute(stmt)]
        return found
