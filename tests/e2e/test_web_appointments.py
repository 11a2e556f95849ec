"""Scheduling a visit in the web UI, the day list, and the estimate page with exact amounts."""

from __future__ import annotations

from datetime import date

from medbill.services import appointments
from tests.e2e.conftest import Web
from tests.support import register_with_coverage


def test_schedule_then_see_the_estimate_and_the_day_list(web: Web) -> None:
    patient_id, _ = register_with_coverage(web.practice)  # Acme: copay 25.00, deductible 1,500.00, 20 %
    answer = web.post(
        f"/patients/{patient_id}/appointments",
        {
            "day": "2026-11-30",
            "time": "15:00",
            "minutes": "20",
            "provider_id": web.practice.provider_id,
            "visit_type": "established",
            "services[1].code": "99213",
        },
        follow=True,
    )
    assert answer.status_code == 200
    assert answer.url.path.endswith("/estimate")
    # 99213: charge 140.00, Acme allows 120.00; copay 25.00, the remaining 95.00 goes to the deductible
    assert 'id="due-today">$25.00<' in answer.text
    assert 'id="patient-total">$120.00<' in answer.text
    assert 'id="insurance">$0.00<' in answer.text
    day = web.client.get("/appointments", params={"date": "2026-11-30"})
    assert "Alder, Ada" in day.text and "99213" in day.text
    [made] = appointments.appointments_on(web.practice.container.deps, web.practice.biller, date(2026, 11, 30))
    assert (made.minutes, [s.procedure_code for s in made.services]) == (20, ["99213"])


def test_a_refused_visit_keeps_the_values_and_names_the_field(web: Web) -> None:
    patient_id, _ = register_with_coverage(web.practice)
    answer = web.post(
        f"/patients/{patient_id}/appointments",
        {
            "day": "2026-11-30",
            "time": "15:00",
            "provider_id": web.practice.provider_id,
            "visit_type": "established",
            "services[1].code": "99213",
            "services[1].units": "two",
        },
    )
    assert answer.status_code == 422
    assert 'aria-invalid="true"' in answer.text and "is a whole number" in answer.text
    assert appointments.appointments_on(web.practice.container.deps, web.practice.biller, date(2026, 11, 30)) == []
