"""Appointments as billing needs them: who comes when, to whom, for what kind of visit, and the services planned."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from medbill.domain.encounters import MAX_MODIFIERS, normalize_procedure_code
from medbill.domain.errors import InvalidTransition, ValidationError
from medbill.domain.fields import new_id, optional_text
from medbill.domain.fields import set_field as _set


class VisitType(StrEnum):
    NEW_PATIENT = "new_patient"
    ESTABLISHED = "established"
    ANNUAL_WELLNESS = "annual_wellness"
    PREVENTIVE = "preventive"
    PROCEDURE = "procedure"
    TELEHEALTH = "telehealth"
    FOLLOW_UP = "follow_up"


class AppointmentStatus(StrEnum):
    SCHEDULED = "scheduled"
    CHECKED_IN = "checked_in"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


_MOVES: dict[AppointmentStatus, tuple[AppointmentStatus, ...]] = {
    AppointmentStatus.SCHEDULED: (AppointmentStatus.CHECKED_IN, AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW),
    AppointmentStatus.CHECKED_IN: (AppointmentStatus.COMPLETED, AppointmentStatus.CANCELLED),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class PlannedService:
    procedure_code: str
    units: int = 1
    modifiers: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _set(self, "procedure_code", normalize_procedure_code(self.procedure_code))
        if isinstance(self.units, bool) or not isinstance(self.units, int) or self.units < 1:
            raise ValidationError("units must be at least 1", field="units")
        modifiers = tuple(m.strip().upper() for m in self.modifiers if m.strip())
        if len(modifiers) > MAX_MODIFIERS:
            raise ValidationError(f"at most {MAX_MODIFIERS} modifiers", field="modifiers")
        _set(self, "modifiers", modifiers)


@dataclass(frozen=True, slots=True, kw_only=True)
class Appointment:
    id: str = field(default_factory=new_id)
    practice_id: str
    patient_id: str
    starts_at: datetime  # timezone-aware
    minutes: int = 15
    provider_id: str
    facility_id: str | None = None
    visit_type: VisitType
    services: tuple[PlannedService, ...] = ()
    status: AppointmentStatus = AppointmentStatus.SCHEDULED
    note: str | None = None

    def __post_init__(self) -> None:
        if self.starts_at.tzinfo is None:
            raise ValidationError("give the time with its time zone", field="starts_at")
        if not 5 <= self.minutes <= 600:
            raise ValidationError("an appointment lasts 5 to 600 minutes", field="minutes")
        if len(self.services) > 20:
            raise ValidationError("at most 20 planned services", field="services")
        _set(self, "note", optional_text(self.note, "note", max_length=200))

    def moved_to(self, status: AppointmentStatus) -> AppointmentStatus:
        if status not in _MOVES.get(self.status, ()):
            raise InvalidTransition(
                f"cannot mark an appointment that is {self.status.value.replace('_', ' ')} as "
                f"{status.value.replace('_', ' ')}",
                field="status",
            )
        return status
