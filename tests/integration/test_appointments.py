"""Appointments on real databases: scheduling with planned services, the day list, status moves, refusals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from medbill.domain.errors import InvalidTransition, MedbillError
from medbill.services import appointments
from medbill.services.appointments import AppointmentDraft
from tests.support import Practice, register_with_coverage

EST = timezone(timedelta(hours=-5))


def _draft(p: Practice, patient_id: str, **overrides: object) -> AppointmentDraft:
    values: dict[str, object] = {
        "patient_id": patient_id,
        "starts_at": datetime(2026, 11, 27, 9, 30, tzinfo=EST),
        "provider_id": p.provider_id,
        "facility_id": p.facility_id,
        "visit_type": "established",
        "minutes": 20,
        "services": (("99213", 1, ()), ("97110", 2, ("GP",))),
    }
    values.update(overrides)
    return AppointmentDraft(**values)  # type: ignore[arg-type]


def test_a_scheduled_appointment_appears_on_its_day_in_time_order(practice: Practice) -> None:
    deps = practice.container.deps
    patient_id, _ = register_with_coverage(practice)
    late = appointments.schedule_appointment(
        deps, practice.biller, _draft(practice, patient_id, starts_at=datetime(2026, 11, 27, 16, 0, tzinfo=UTC))
    )
    early = appointments.schedule_appointment(deps, practice.biller, _draft(practice, patient_id))
    day = appointments.appointments_on(deps, practice.biller, date(2026, 11, 27))
    assert [a.id for a in day] == [early.id, late.id]
    assert day[0].starts_at == datetime(2026, 11, 27, 14, 30, tzinfo=UTC)
    assert [(s.procedure_code, s.units, s.modifiers) for s in day[0].services] == [
        ("99213", 1, ()),
        ("97110", 2, ("GP",)),
    ]
    assert appointments.appointments_on(deps, practice.biller, date(2026, 11, 28)) == []


def test_status_moves_and_refusals(practice: Practice) -> None:
    deps = practice.container.deps
    patient_id, _ = register_with_coverage(practice)
    made = appointments.schedule_appointment(deps, practice.biller, _draft(practice, patient_id))
    assert appointments.set_appointment_status(deps, practice.biller, made.id, "checked_in").status.value == (
        "checked_in"
    )
    done = appointments.set_appointment_status(deps, practice.biller, made.id, "completed")
    assert appointments.get_appointment(deps, practice.biller, made.id) == done
    with pytest.raises(InvalidTransition, match="appointment that is completed"):
        appointments.set_appointment_status(deps, practice.biller, made.id, "cancelled")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"starts_at": datetime(2026, 11, 1, 9, 0, tzinfo=UTC)}, "starts_at"),
        ({"provider_id": "nobody"}, "provider_id"),
        ({"visit_type": "haircut"}, "visit_type"),
        ({"services": (("99213", 0, ()),)}, "services[1].units"),
        ({"services": (("ABC", 1, ()),)}, "services[1].procedure_code"),
        ({"minutes": 2}, "minutes"),
    ],
)
def test_refused_appointments_name_the_field_and_store_nothing(
    practice: Practice, overrides: dict[str, object], field: str
) -> None:
    deps = practice.container.deps
    patient_id, _ = register_with_coverage(practice)
    with pytest.raises(MedbillError) as caught:
        appointments.schedule_appointment(deps, practice.biller, _draft(practice, patient_id, **overrides))
    assert caught.value.field == field
    assert appointments.appointments_on(deps, practice.biller, date(2026, 11, 27)) == []
