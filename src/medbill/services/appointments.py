"""Scheduling what billing needs to know ahead: appointments with their visit type and planned services."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from medbill.domain.appointments import Appointment, AppointmentStatus, PlannedService, VisitType
from medbill.domain.audit import AuditAction
from medbill.domain.errors import MedbillError, ValidationError
from medbill.domain.fields import parse_enum
from medbill.domain.users import Actor, Permission
from medbill.services.base import Deps, record_audit
from medbill.services.lookups import must_exist


@dataclass(frozen=True, slots=True, kw_only=True)
class AppointmentDraft:
    patient_id: str
    starts_at: datetime
    provider_id: str
    visit_type: str
    minutes: int = 15
    facility_id: str | None = None
    services: tuple[tuple[str, int, tuple[str, ...]], ...] = ()  # (code, units, modifiers)
    note: str | None = None


def schedule_appointment(deps: Deps, actor: Actor, draft: AppointmentDraft) -> Appointment:
    actor.require(Permission.PATIENT_WRITE)
    services = []
    for i, (code, units, modifiers) in enumerate(draft.services, 1):
        try:
            services.append(PlannedService(procedure_code=code, units=units, modifiers=modifiers))
        except MedbillError as exc:
            raise exc.prefixed(f"services[{i}]") from None
    with deps.uow() as uow:
        pid = actor.practice_id
        must_exist(uow.patients.get, pid, draft.patient_id, "patient_id", "patient")
        must_exist(uow.providers.get, pid, draft.provider_id, "provider_id", "provider")
        if draft.facility_id:
            must_exist(uow.facilities.get, pid, draft.facility_id, "facility_id", "facility")
        appointment = Appointment(
            practice_id=pid,
            patient_id=draft.patient_id,
            starts_at=draft.starts_at,
            minutes=draft.minutes,
            provider_id=draft.provider_id,
            facility_id=draft.facility_id or None,
            visit_type=parse_enum(VisitType, draft.visit_type, "visit_type"),
            services=tuple(services),
            note=draft.note,
        )
        if appointment.starts_at < deps.clock.now():
            raise ValidationError("the appointment time has passed", field="starts_at")
        uow.appointments.add(appointment)
        record_audit(
            uow, deps, actor, AuditAction.CREATE, "appointment", appointment.id, f"patient={appointment.patient_id}"
        )
        uow.commit()
    return appointment


def appointments_on(deps: Deps, actor: Actor, day: date, *, provider_id: str | None = None) -> Sequence[Appointment]:
    """The day list, in time order (the day is the practice's calendar day in UTC for now)."""
    actor.require(Permission.PATIENT_READ)
    with deps.uow() as uow:
        found = uow.appointments.on_day(actor.practice_id, day)
        record_audit(
            uow, deps, actor, AuditAction.SEARCH, "appointment", None, f"day={day.isoformat()} results={len(found)}"
        )
        uow.commit()
    return [a for a in found if provider_id is None or a.provider_id == provider_id]


def get_appointment(deps: Deps, actor: Actor, appointment_id: str) -> Appointment:
    actor.require(Permission.PATIENT_READ)
    with deps.uow() as uow:
        appointment = uow.appointments.get(actor.practice_id, appointment_id)
        record_audit(
            uow, deps, actor, AuditAction.READ, "appointment", appointment.id, f"patient={appointment.patient_id}"
        )
        uow.commit()
    return appointment


def set_appointment_status(deps: Deps, actor: Actor, appointment_id: str, status: str) -> Appointment:
    actor.require(Permission.PATIENT_WRITE)
    wanted = parse_enum(AppointmentStatus, status, "status")
    with deps.uow() as uow:
        current = uow.appointments.get(actor.practice_id, appointment_id)
        updated = replace(current, status=current.moved_to(wanted))
        uow.appointments.update(updated)
        record_audit(uow, deps, actor, AuditAction.UPDATE, "appointment", appointment_id, f"status={wanted.value}")
        uow.commit()
    return updated
