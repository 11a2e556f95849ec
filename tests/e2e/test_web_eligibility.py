"""Eligibility in the web UI: checking a coverage from the patient page (latest answer and its age shown), the day
list's eligibility column, and the printable estimate (a good-faith estimate for a self-pay patient)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from medbill import bootstrap
from medbill.services import appointments, eligibility, patients
from medbill.services.appointments import AppointmentDraft
from tests.e2e.conftest import Web
from tests.support import patient_draft, register_with_coverage


@pytest.fixture(autouse=True)
def _sandbox_in_tmp(web: Web, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(web.practice.container.settings, "sandbox_dir", tmp_path / "sandbox")


def _visit(web: Web, patient_id: str) -> str:
    from datetime import UTC, datetime

    made = appointments.schedule_appointment(
        web.practice.container.deps,
        web.practice.biller,
        AppointmentDraft(
            patient_id=patient_id,
            starts_at=datetime(2026, 11, 30, 15, 0, tzinfo=UTC),
            provider_id=web.practice.provider_id,
            visit_type="established",
            services=(("99213", 1, ()),),
        ),
    )
    return made.id


def test_checking_a_coverage_from_the_patient_page_shows_the_answer_and_its_age(web: Web) -> None:
    patient_id, coverage_id = register_with_coverage(web.practice)
    before = web.client.get(f"/patients/{patient_id}")
    assert "never checked" in before.text and "Check now" in before.text
    answer = web.post(f"/patients/{patient_id}/eligibility", {"coverage_id": coverage_id}, follow=True)
    assert answer.status_code == 200 and answer.url.path == f"/patients/{patient_id}"
    # the sandbox payer does not play Acme: its 271 refuses the inquiry, and the reason is on the page
    assert 'class="status-rejected">rejected<' in answer.text
    assert "11/26/2026, 0 days ago" in answer.text
    assert "Invalid participant identification (AAA 79)" in answer.text
    refused = web.post(f"/patients/{patient_id}/eligibility", {"coverage_id": "nope"})
    assert refused.status_code == 422 and "the patient has no coverage with that id" in refused.text


def test_the_day_list_shows_eligibility_and_the_estimate_links_its_pdf(web: Web) -> None:
    insured, coverage_id = register_with_coverage(web.practice)
    cash = patients.register_patient(web.practice.container.deps, web.practice.biller, patient_draft(first_name="Cash"))
    checked = _visit(web, insured)
    self_pay = _visit(web, cash.id)
    web.post(f"/patients/{insured}/eligibility", {"coverage_id": coverage_id})
    day = web.client.get("/appointments", params={"date": "2026-11-30"})
    assert day.text.count("not checked") == 2  # checked from the patient page, the check names no appointment
    deps = web.practice.container.deps
    box = bootstrap.clearinghouse(web.practice.container)
    eligibility.run_eligibility(deps, web.practice.biller, box, date(2026, 11, 30))
    day = web.client.get("/appointments", params={"date": "2026-11-30"})
    assert day.text.count("not checked") == 1 and 'class="status-rejected">rejected<' in day.text
    assert "1 to act on" in day.text
    page = web.client.get(f"/appointments/{self_pay}/estimate")
    assert "Good-faith estimate (PDF)" in page.text
    pdf = web.client.get(f"/appointments/{self_pay}/estimate.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    assert "Printable estimate (PDF)" in web.client.get(f"/appointments/{checked}/estimate").text
