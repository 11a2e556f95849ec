"""The SQL repository of appointments and their planned services."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update

from medbill.adapters.db import tables as t
from medbill.domain.appointments import Appointment, AppointmentStatus, PlannedService, VisitType
from medbill.domain.errors import NotFound


class SqlAppointmentRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def _values(self, a: Appointment) -> dict[str, Any]:
        return {
            "id": a.id,
            "practice_id": a.practice_id,
            "patient_id": a.patient_id,
            "starts_at": a.starts_at,
            "minutes": a.minutes,
            "provider_id": a.provider_id,
            "facility_id": a.facility_id,
            "visit_type": a.visit_type.value,
            "status": a.status.value,
            "note": a.note,
        }

    def _write_services(self, a: Appointment) -> None:
        if a.services:
            self._conn.execute(
                insert(t.appointment_services),
                [
                    {
                        "practice_id": a.practice_id,
                        "appointment_id": a.id,
                        "position": i,
                        "procedure_code": s.procedure_code,
                        "units": s.units,
                        "modifiers": ",".join(s.modifiers),
                    }
                    for i, s in enumerate(a.services, 1)
                ],
            )

    def add(self, appointment: Appointment) -> None:
        self._conn.execute(insert(t.appointments).values(self._values(appointment)))
        self._write_services(appointment)

    def update(self, appointment: Appointment) -> None:
        c = t.appointments.c
        done = self._conn.execute(
            update(t.appointments)
            .where(c.id == appointment.id, c.practice_id == appointment.practice_id)
            .values(self._values(appointment))
        )
        if done.rowcount != 1:
            raise NotFound("no appointment with that id in this practice")
        s = t.appointment_services.c
        self._conn.execute(
            delete(t.appointment_services).where(
                s.appointment_id == appointment.id, s.practice_id == appointment.practice_id
            )
        )
        self._write_services(appointment)

    def _load(self, practice_id: str, rows: Sequence[Row[Any]]) -> list[Appointment]:
        planned: dict[str, list[PlannedService]] = defaultdict(list)
        if rows:
            s = t.appointment_services.c
            for r in self._conn.execute(
                select(t.appointment_services)
                .where(s.practice_id == practice_id, s.appointment_id.in_([r.id for r in rows]))
                .order_by(s.appointment_id, s.position)
            ):
                planned[r.appointment_id].append(
                    PlannedService(
                        procedure_code=r.procedure_code,
                        units=r.units,
                        modifiers=tuple(m for m in r.modifiers.split(",") if m),
                    )
                )
        return [
            Appointment(
                id=r.id,
                practice_id=r.practice_id,
                patient_id=r.patient_id,
                starts_at=r.starts_at,
                minutes=r.minutes,
                provider_id=r.provider_id,
                facility_id=r.facility_id,
                visit_type=VisitType(r.visit_type),
                status=AppointmentStatus(r.status),
                note=r.note,
                services=tuple(planned[r.id]),
            )
            for r in rows
        ]

    def get(self, practice_id: str, appointment_id: str) -> Appointment:
        c = t.appointments.c
        rows = self._conn.execute(
            select(t.appointments).where(c.id == appointment_id, c.practice_id == practice_id)
        ).all()
        if not rows:
            raise NotFound("no appointment with that id in this practice")
        return self._load(practice_id, rows)[0]

    def on_day(self, practice_id: str, day: date) -> Sequence[Appointment]:
        c = t.appointments.c
        start = datetime.combine(day, time.min, tzinfo=UTC)
        rows = self._conn.execute(
            select(t.appointments)
            .where(c.practice_id == practice_id, c.starts_at >= start, c.starts_at < start + timedelta(days=1))
            .order_by(c.starts_at, c.id)
        ).all()
        return self._load(practice_id, rows)
