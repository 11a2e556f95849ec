"""SQL repositories behind the services' ports; every query is scoped by practice."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cache
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Insert, Row, Select, Table, Update, bindparam, func, insert, select, update

from medbill.adapters.db import mapping as m
from medbill.adapters.db import tables as t
from medbill.adapters.db.bulk import insert_rows
from medbill.domain.audit import AuditAction, AuditEvent
from medbill.domain.coverage import Coverage
from medbill.domain.encounters import Encounter, ServiceLine
from medbill.domain.errors import NotFound
from medbill.domain.fees import FeeSchedule, FeeScheduleKind
from medbill.domain.parties import Patient, Practice
from medbill.domain.users import ApiToken, User
from medbill.services.ports import PatientQuery

T = TypeVar("T")
_CHUNK = 500


# Statements built once per table and given their values as parameters: a service called ten thousand times in a
# row (registering patients, recording encounters) then skips building and cache-keying a statement per call.
@cache
def _insert(table: Table) -> Insert:
    return insert(table)


@cache
def _by_id(table: Table) -> Select[Any]:
    c = table.c
    return select(table).where(c.id == bindparam("k_id"), c.practice_id == bindparam("k_practice"))


@cache
def _update_by_id(table: Table) -> Update:
    c = table.c
    return update(table).where(c.id == bindparam("k_id"), c.practice_id == bindparam("k_practice"))


@cache
def _of_practice(table: Table, column: str) -> Select[Any]:
    """Rows of a practice with ``column`` equal to the parameter ``k_value``."""
    c = table.c
    return select(table).where(c.practice_id == bindparam("k_practice"), c[column] == bindparam("k_value"))


class _Rows(Generic[T]):
    """Add, update, get and list for a table whose rows map one-to-one onto a domain object with an ``id``."""

    def __init__(
        self, conn: Connection, table: Table, values: Callable[[T], m.Values], build: Callable[[Row[Any]], T], what: str
    ) -> None:
        self._conn, self._table, self._values, self._build, self._what = conn, table, values, build, what

    def add(self, item: T) -> None:
        self._conn.execute(_insert(self._table), self._values(item))

    def add_many(self, items: Sequence[T]) -> None:
        """Many new rows in one go (a bulk registration)."""
        insert_rows(self._conn, self._table, [self._values(item) for item in items])

    def update(self, item: T) -> None:
        values = self._values(item)
        done = self._conn.execute(
            _update_by_id(self._table), {"k_id": values["id"], "k_practice": values["practice_id"], **values}
        )
        if done.rowcount != 1:
            raise NotFound(f"no {self._what} with that id in this practice")

    def get(self, practice_id: str, item_id: str) -> T:
        row = self._conn.execute(_by_id(self._table), {"k_id": item_id, "k_practice": practice_id}).first()
        if row is None:
            raise NotFound(f"no {self._what} with that id in this practice")
        return self._build(row)

    def list(self, practice_id: str) -> Sequence[T]:
        c = self._table.c
        order = c.name if "name" in c else c.last_name
        rows = self._conn.execute(select(self._table).where(c.practice_id == practice_id).order_by(order, c.id))
        return [self._build(r) for r in rows]


class SqlPracticeRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, practice: Practice) -> None:
        self._conn.execute(insert(t.practices).values(m.practice_values(practice)))

    def get(self, practice_id: str) -> Practice:
        row = self._conn.execute(select(t.practices).where(t.practices.c.id == practice_id)).first()
        if row is None:
            raise NotFound("no such practice", field="practice_id")
        return m.practice_of(row)

    def list(self) -> Sequence[Practice]:
        return [m.practice_of(r) for r in self._conn.execute(select(t.practices).order_by(t.practices.c.name))]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class SqlPatientRepository(_Rows[Patient]):
    def __init__(self, conn: Connection) -> None:
        super().__init__(conn, t.patients, m.patient_values, m.patient_of, "patient")

    def get_many(self, practice_id: str, patient_ids: Sequence[str]) -> dict[str, Patient]:
        c = t.patients.c
        keys = list(dict.fromkeys(patient_ids))
        found: dict[str, Patient] = {}
        for start in range(0, len(keys), _CHUNK):
            rows = self._conn.execute(
                select(t.patients).where(c.practice_id == practice_id, c.id.in_(keys[start : start + _CHUNK]))
            )
            found.update((r.id, m.patient_of(r)) for r in rows)
        return found

    def by_account(self, practice_id: str, account_number: str) -> Patient | None:
        row = self._conn.execute(
            _of_practice(t.patients, "account_number"), {"k_practice": practice_id, "k_value": account_number.upper()}
        ).first()
        return m.patient_of(row) if row else None

    def search(self, practice_id: str, query: PatientQuery) -> Sequence[Patient]:
        c = t.patients.c
        stmt = select(t.patients).where(c.practice_id == practice_id)
        if query.name:
            last, _, first = query.name.partition(",")
            prefix = _escape_like(last.strip().lower())
            if first.strip():
                prefix += "," + _escape_like(first.strip().lower())
            stmt = stmt.where(c.search_name.like(prefix + "%", escape="\\"))
        if query.birth_date:
            stmt = stmt.where(c.birth_date == query.birth_date)
        if query.account_number:
            stmt = stmt.where(c.account_number == query.account_number.strip().upper())
        stmt = stmt.order_by(c.search_name, c.birth_date, c.id).limit(query.limit).offset(query.offset)
        return [m.patient_of(r) for r in self._conn.execute(stmt)]

    def count(self, practice_id: str) -> int:
        stmt = select(func.count()).select_from(t.patients).where(t.patients.c.practice_id == practice_id)
        return int(self._conn.execute(stmt).scalar_one())

    def accounts_in_use(self, practice_id: str, account_numbers: Sequence[str]) -> set[str]:
        """Which of these (normalized) account numbers a patient of the practice already has."""
        c = t.patients.c
        keys = list(dict.fromkeys(account_numbers))
        found: set[str] = set()
        for start in range(0, len(keys), _CHUNK):
            rows = self._conn.execute(
                select(c.account_number).where(
                    c.practice_id == practice_id, c.account_number.in_(keys[start : start + _CHUNK])
                )
            )
            found.update(r.account_number for r in rows)
        return found


_COVERAGES_OF = _of_practice(t.coverages, "patient_id").order_by(t.coverages.c.effective_from, t.coverages.c.id)


class SqlCoverageRepository(_Rows[Coverage]):
    def __init__(self, conn: Connection) -> None:
        super().__init__(conn, t.coverages, m.coverage_values, m.coverage_of, "coverage")

    def for_patient(self, practice_id: str, patient_id: str) -> Sequence[Coverage]:
        rows = self._conn.execute(_COVERAGES_OF, {"k_practice": practice_id, "k_value": patient_id})
        return [m.coverage_of(r) for r in rows]

    def for_patients(self, practice_id: str, patient_ids: Sequence[str]) -> dict[str, list[Coverage]]:
        """The coverages of many patients at once (each patient's in ``for_patient`` order)."""
        c = t.coverages.c
        found: dict[str, list[Coverage]] = defaultdict(list)
        keys = list(dict.fromkeys(patient_ids))
        for start in range(0, len(keys), _CHUNK):
            rows = self._conn.execute(
                select(t.coverages)
                .where(c.practice_id == practice_id, c.patient_id.in_(keys[start : start + _CHUNK]))
                .order_by(c.patient_id, c.effective_from, c.id)
            )
            for r in rows:
                found[r.patient_id].append(m.coverage_of(r))
        return found


def _encounter_values(e: Encounter) -> dict[str, Any]:
    return {
        "id": e.id,
        "practice_id": e.practice_id,
        "patient_id": e.patient_id,
        "date_of_service": e.date_of_service,
        "place_of_service": e.place_of_service,
        "rendering_provider_id": e.rendering_provider_id,
        "referring_provider_id": e.referring_provider_id,
        "facility_id": e.facility_id,
        "total_charge_cents": e.total_charge_cents,
        "created_at": e.created_at,
        "kind": e.kind.value,
        "institutional": m.institutional_json(e.institutional),
    }


def _diagnosis_rows(e: Encounter) -> list[dict[str, Any]]:
    return [
        {"practice_id": e.practice_id, "encounter_id": e.id, "position": i, "code": code}
        for i, code in enumerate(e.diagnoses, 1)
    ]


def _encounter_line_rows(e: Encounter) -> list[dict[str, Any]]:
    return [
        {
            "practice_id": e.practice_id,
            "encounter_id": e.id,
            "line_number": line.line_number,
            "procedure_code": line.procedure_code,
            "modifiers": ",".join(line.modifiers),
            "units": line.units,
            "charge_cents": line.charge_cents,
            "diagnosis_pointers": ",".join(str(p) for p in line.diagnosis_pointers),
            "note": line.note,
            "revenue_code": line.revenue_code,
        }
        for line in e.lines
    ]


class SqlEncounterRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, e: Encounter) -> None:
        self._conn.execute(_insert(t.encounters), _encounter_values(e))
        self._conn.execute(_insert(t.encounter_diagnoses), _diagnosis_rows(e))
        self._conn.execute(_insert(t.encounter_lines), _encounter_line_rows(e))

    def add_many(self, encounters: Sequence[Encounter]) -> None:
        """Many new encounters with their diagnoses and lines, each table written in one go."""
        insert_rows(self._conn, t.encounters, [_encounter_values(e) for e in encounters])
        insert_rows(self._conn, t.encounter_diagnoses, [row for e in encounters for row in _diagnosis_rows(e)])
        insert_rows(self._conn, t.encounter_lines, [row for e in encounters for row in _encounter_line_rows(e)])

    def _load(self, practice_id: str, rows: Sequence[Row[Any]]) -> list[Encounter]:
        if not rows:
            return []
        ids = [r.id for r in rows]
        dx: dict[str, list[str]] = defaultdict(list)
        for r in self._conn.execute(
            select(t.encounter_diagnoses)
            .where(t.encounter_diagnoses.c.practice_id == practice_id, t.encounter_diagnoses.c.encounter_id.in_(ids))
            .order_by(t.encounter_diagnoses.c.encounter_id, t.encounter_diagnoses.c.position)
        ):
            dx[r.encounter_id].append(r.code)
        lines: dict[str, list[ServiceLine]] = defaultdict(list)
        for r in self._conn.execute(
            select(t.encounter_lines)
            .where(t.encounter_lines.c.practice_id == practice_id, t.encounter_lines.c.encounter_id.in_(ids))
            .order_by(t.encounter_lines.c.encounter_id, t.encounter_lines.c.line_number)
        ):
            lines[r.encounter_id].append(
                ServiceLine(
                    line_number=r.line_number,
                    procedure_code=r.procedure_code,
                    modifiers=tuple(x for x in r.modifiers.split(",") if x),
                    units=r.units,
                    charge_cents=r.charge_cents,
                    diagnosis_pointers=tuple(int(p) for p in r.diagnosis_pointers.split(",")),
                    note=r.note,
                    revenue_code=r.revenue_code,
                )
            )
        return [
            Encounter(
                id=r.id,
                practice_id=r.practice_id,
                patient_id=r.patient_id,
                date_of_service=r.date_of_service,
                place_of_service=r.place_of_service,
                rendering_provider_id=r.rendering_provider_id,
                referring_provider_id=r.referring_provider_id,
                facility_id=r.facility_id,
                diagnoses=tuple(dx[r.id]),
                lines=tuple(lines[r.id]),
                created_at=r.created_at,
                institutional=m.institutional_of(r.institutional) if r.kind == "I" else None,
            )
            for r in rows
        ]

    def get(self, practice_id: str, encounter_id: str) -> Encounter:
        c = t.encounters.c
        rows = self._conn.execute(select(t.encounters).where(c.id == encounter_id, c.practice_id == practice_id)).all()
        if not rows:
            raise NotFound("no encounter with that id in this practice")
        return self._load(practice_id, rows)[0]

    def for_patient(self, practice_id: str, patient_id: str) -> Sequence[Encounter]:
        c = t.encounters.c
        rows = self._conn.execute(
            select(t.encounters)
            .where(c.practice_id == practice_id, c.patient_id == patient_id)
            .order_by(c.date_of_service.desc(), c.created_at.desc())
        ).all()
        return self._load(practice_id, rows)

    def get_many(self, practice_id: str, encounter_ids: Sequence[str]) -> dict[str, Encounter]:
        c = t.encounters.c
        keys = list(dict.fromkeys(encounter_ids))
        found: dict[str, Encounter] = {}
        for start in range(0, len(keys), _CHUNK):
            rows = self._conn.execute(
                select(t.encounters).where(c.practice_id == practice_id, c.id.in_(keys[start : start + _CHUNK]))
            ).all()
            found.update((e.id, e) for e in self._load(practice_id, rows))
        return found

    def for_patients(self, practice_id: str, patient_ids: Sequence[str]) -> dict[str, list[Encounter]]:
        """The encounters of many patients (each patient's in ``for_patient`` order), read by the hundred."""
        c = t.encounters.c
        found: dict[str, list[Encounter]] = defaultdict(list)
        keys = list(dict.fromkeys(patient_ids))
        for start in range(0, len(keys), _CHUNK):
            rows = self._conn.execute(
                select(t.encounters)
                .where(c.practice_id == practice_id, c.patient_id.in_(keys[start : start + _CHUNK]))
                .order_by(c.date_of_service.desc(), c.created_at.desc())
            ).all()
            for encounter in self._load(practice_id, rows):
                found[encounter.patient_id].append(encounter)
        return found

    def recent(self, practice_id: str, limit: int) -> Sequence[Encounter]:
        c = t.encounters.c
        rows = self._conn.execute(
            select(t.encounters).where(c.practice_id == practice_id).order_by(c.created_at.desc(), c.id).limit(limit)
        ).all()
        return self._load(practice_id, rows)

    def totals_since(self, practice_id: str, since: datetime) -> tuple[int, int]:
        c = t.encounters.c
        stmt = select(func.count(), func.coalesce(func.sum(c.total_charge_cents), 0)).where(
            c.practice_id == practice_id, c.created_at >= since
        )
        count, cents = self._conn.execute(stmt).one()
        return int(count), int(cents)

    def count(self, practice_id: str) -> int:
        stmt = select(func.count()).select_from(t.encounters).where(t.encounters.c.practice_id == practice_id)
        return int(self._conn.execute(stmt).scalar_one())


_FEE_SCHEDULES = (
    select(t.fee_schedules)
    .where(t.fee_schedules.c.practice_id == bindparam("k_practice"))
    .order_by(t.fee_schedules.c.effective_from, t.fee_schedules.c.name)
)
_FEE_ENTRIES = select(t.fee_schedule_entries).where(
    t.fee_schedule_entries.c.practice_id == bindparam("k_practice"),
    t.fee_schedule_entries.c.fee_schedule_id.in_(bindparam("k_ids", expanding=True)),
)


class SqlFeeScheduleRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, s: FeeSchedule) -> None:
        self._conn.execute(
            insert(t.fee_schedules).values(
                id=s.id,
                practice_id=s.practice_id,
                name=s.name,
                payer_id=s.payer_id,
                kind=s.kind.value,
                effective_from=s.effective_from,
                effective_to=s.effective_to,
            )
        )
        if s.entries:
            self._conn.execute(
                insert(t.fee_schedule_entries),
                [
                    {
                        "practice_id": s.practice_id,
                        "fee_schedule_id": s.id,
                        "procedure_code": code,
                        "modifier": mod,
                        "charge_cents": cents,
                    }
                    for (code, mod), cents in s.entries.items()
                ],
            )

    def _load(self, practice_id: str, rows: Sequence[Row[Any]]) -> list[FeeSchedule]:
        entries: dict[str, dict[tuple[str, str], int]] = defaultdict(dict)
        ids = [r.id for r in rows]
        if ids:
            for r in self._conn.execute(_FEE_ENTRIES, {"k_practice": practice_id, "k_ids": ids}):
                entries[r.fee_schedule_id][(r.procedure_code, r.modifier)] = r.charge_cents
        return [
            FeeSchedule(
                id=r.id,
                practice_id=r.practice_id,
                name=r.name,
                payer_id=r.payer_id,
                kind=FeeScheduleKind(r.kind),
                effective_from=r.effective_from,
                effective_to=r.effective_to,
                entries=entries[r.id],
            )
            for r in rows
        ]

    def get(self, practice_id: str, schedule_id: str) -> FeeSchedule:
        c = t.fee_schedules.c
        rows = self._conn.execute(
            select(t.fee_schedules).where(c.id == schedule_id, c.practice_id == practice_id)
        ).all()
        if not rows:
            raise NotFound("no fee schedule with that id in this practice")
        return self._load(practice_id, rows)[0]

    def list(self, practice_id: str) -> Sequence[FeeSchedule]:
        rows = self._conn.execute(_FEE_SCHEDULES, {"k_practice": practice_id}).all()
        return self._load(practice_id, rows)


class SqlUserRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, user: User) -> None:
        self._conn.execute(insert(t.users).values(m.user_values(user)))

    def update(self, user: User) -> None:
        self._conn.execute(update(t.users).where(t.users.c.id == user.id).values(m.user_values(user)))

    def get(self, user_id: str) -> User:
        row = self._conn.execute(select(t.users).where(t.users.c.id == user_id)).first()
        if row is None:
            raise NotFound("no such user", field="user_id")
        return m.user_of(row)

    def by_username(self, username: str) -> User | None:
        row = self._conn.execute(select(t.users).where(t.users.c.username == username)).first()
        return m.user_of(row) if row else None

    def list(self, practice_id: str) -> Sequence[User]:
        rows = self._conn.execute(
            select(t.users).where(t.users.c.practice_id == practice_id).order_by(t.users.c.username)
        )
        return [m.user_of(r) for r in rows]


class SqlTokenRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, token: ApiToken) -> None:
        self._conn.execute(insert(t.api_tokens).values(m.token_values(token)))

    def by_hash(self, token_hash: str) -> ApiToken | None:
        row = self._conn.execute(select(t.api_tokens).where(t.api_tokens.c.token_hash == token_hash)).first()
        return m.token_of(row) if row else None

    def get(self, practice_id: str, token_id: str) -> ApiToken:
        c = t.api_tokens.c
        row = self._conn.execute(select(t.api_tokens).where(c.id == token_id, c.practice_id == practice_id)).first()
        if row is None:
            raise NotFound("no API token with that id in this practice", field="token_id")
        return m.token_of(row)

    def for_user(self, user_id: str) -> Sequence[ApiToken]:
        c = t.api_tokens.c
        rows = self._conn.execute(select(t.api_tokens).where(c.user_id == user_id).order_by(c.created_at))
        return [m.token_of(r) for r in rows]

    def revoke(self, token_id: str, at: datetime) -> None:
        c = t.api_tokens.c
        self._conn.execute(update(t.api_tokens).where(c.id == token_id, c.revoked_at.is_(None)).values(revoked_at=at))


class SqlAuditLog:
    """Inserts only; the migration also installs triggers that refuse UPDATE and DELETE on the table."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def append(self, event: AuditEvent) -> None:
        self._conn.execute(_insert(t.audit_events), m.audit_values(event))

    def append_many(self, events: Sequence[AuditEvent]) -> None:
        """Many rows in one go (a step that moves thousands of claims writes an audit row for each)."""
        insert_rows(self._conn, t.audit_events, [m.audit_values(e) for e in events])

    def count(self, practice_id: str, *, entity_type: str, entity_id: str, action: AuditAction, since: datetime) -> int:
        c = t.audit_events.c
        stmt = select(func.count()).where(
            c.practice_id == practice_id,
            c.entity_type == entity_type,
            c.entity_id == entity_id,
            c.action == action.value,
            c.at >= since,
        )
        return int(self._conn.execute(stmt).scalar_one())

    def list(
        self, practice_id: str, *, entity_type: str | None = None, entity_id: str | None = None, limit: int = 100
    ) -> Sequence[AuditEvent]:
        c = t.audit_events.c
        stmt = select(t.audit_events).where(c.practice_id == practice_id)
        if entity_type:
            stmt = stmt.where(c.entity_type == entity_type)
        if entity_id:
            stmt = stmt.where(c.entity_id == entity_id)
        rows = self._conn.execute(stmt.order_by(c.seq.desc()).limit(limit))
        return [m.audit_of(r) for r in rows]


__all__ = [
    "SqlAuditLog",
    "SqlCoverageRepository",
    "SqlEncounterRepository",
    "SqlFeeScheduleRepository",
    "SqlPatientRepository",
    "SqlPracticeRepository",
    "SqlTokenRepository",
    "SqlUserRepository",
]
