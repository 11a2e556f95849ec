"""The web UI in a real browser (Debian's Chromium driven by Playwright): sign in, register, cover, enter an encounter."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from medbill.services import encounters, patients
from medbill.services.ports import PatientQuery
from medbill.web.rendering import STATIC
from tests.e2e.conftest import LiveServer
from tests.support import PASSWORD, Practice

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HTMX_PRESENT = (STATIC / "vendor" / "htmx.min.js").exists()


@pytest.fixture
def page(live_server: LiveServer, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A browser tab on the live server; ``parametrize("page", [False], indirect=True)`` turns scripts off."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    scripts = bool(getattr(request, "param", True))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=live_server.url, java_script_enabled=scripts)
        context.set_default_timeout(15_000)
        tab = context.new_page()
        try:
            yield tab
        finally:
            context.close()
            browser.close()


def _sign_in(page: Page) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login"))
    page.get_by_label("Username").fill("biller")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Work queue")).to_be_visible()


def _register(page: Page, zip_code: str = "43004-1234") -> None:
    page.get_by_role("link", name="Register a patient").click()
    page.fill("#f-last_name", "Quill")
    page.fill("#f-first_name", "Nora")
    page.fill("#f-birth_date", "1984-07-09")
    page.select_option("#f-sex", "F")
    page.fill("#f-phone", "614-555-0188")
    page.fill("#f-address-line1", "40 Birch Ave")
    page.fill("#f-address-city", "Columbus")
    page.fill("#f-address-state", "OH")
    page.fill("#f-address-zip", zip_code)
    page.get_by_role("button", name="Register patient").click()


def _patient_ids(p: Practice) -> list[str]:
    return [x.id for x in patients.search_patients(p.container.deps, p.admin, PatientQuery(name="quill"))]


@pytest.mark.parametrize("page", [True, False], indirect=True, ids=["scripts-on", "scripts-off"])
def test_a_biller_signs_in_registers_a_patient_with_coverage_and_enters_an_encounter(
    page: Page, live_server: LiveServer
) -> None:
    practice = live_server.practice
    _sign_in(page)
    _register(page)
    expect(page.locator("#patient-name")).to_have_text("Quill, Nora")
    expect(page.locator("#address")).to_have_text("40 Birch Ave, Columbus, OH 43004-1234")

    page.select_option("#f-payer_id", label="Acme Health")
    page.fill("#f-member_id", "ACM555000111")
    page.fill("#f-group_number", "GRP-77")
    page.fill("#f-effective_from", "2026-01-01")
    page.fill("#f-copay", "25")
    page.fill("#f-deductible", "1,500.50")
    page.fill("#f-coinsurance_percent", "20")
    page.get_by_role("button", name="Add coverage").click()
    row = page.locator("#coverage-table tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td")).to_have_text(
        [
            "primary",
            "Acme Health",
            "ACM555000111",
            "GRP-77",
            "",
            "self",
            "01/01/2026",
            "open",
            "$25.00",
            "$1,500.50",
            "20%",
            re.compile(r"^\s*never checked\s+Check now\s*$"),  # the latest 271, and a button to check now
        ]
    )

    page.get_by_role("link", name="Enter an encounter").click()
    page.fill("#f-date_of_service", "2026-11-20")
    page.select_option("#f-rendering_provider_id", label="Okafor, Ruth")
    page.fill("#f-diagnoses-1", "E11.9")
    page.fill("#f-diagnoses-2", "I10")
    page.fill("#f-lines-1--procedure_code", "99213")
    page.fill("#f-lines-1--modifier1", "25")
    page.fill("#f-lines-1--diagnosis_pointers", "A,B")
    page.fill("#f-lines-2--procedure_code", "36415")
    page.fill("#f-lines-2--units", "2")
    page.fill("#f-lines-2--charge", "31.50")
    page.fill("#f-lines-2--note", "two draws")
    page.get_by_role("button", name="+ Add a line").click()
    expect(page.locator("#line-rows tr.line")).to_have_count(4)
    expect(page.locator("#f-lines-1--procedure_code")).to_have_value("99213")  # values kept (scripts off: re-posted)
    page.get_by_role("button", name="Record encounter").click()

    expect(page.locator("#saved")).to_have_text("Encounter recorded.")
    expect(page.locator("#total")).to_have_text("$151.50")
    lines = page.locator("#line-table tbody tr")
    expect(lines.nth(0).locator("td")).to_have_text(["1", "99213", "25", "1", "A,B", "", "$120.00"])
    expect(lines.nth(1).locator("td")).to_have_text(["2", "36415", "", "2", "A", "two draws", "$31.50"])
    expect(page.locator("#diagnosis-table tbody tr").nth(0).locator("td")).to_have_text(
        ["A", "E11.9", "Type 2 diabetes mellitus without complications"]
    )

    (patient_id,) = _patient_ids(practice)
    deps, admin = practice.container.deps, practice.admin
    patient = patients.get_patient(deps, admin, patient_id)
    assert (patient.name.last, patient.birth_date, patient.address.zip) == ("Quill", date(1984, 7, 9), "430041234")
    (coverage,) = patients.list_coverages(deps, admin, patient_id)
    assert (coverage.payer_id, coverage.member_id, coverage.copay_cents, coverage.deductible_cents) == (
        practice.commercial_id,
        "ACM555000111",
        2500,
        150050,
    )
    (encounter,) = encounters.list_encounters(deps, admin, patient_id=patient_id)
    assert encounter.total_charge_cents == 15150
    assert encounter.diagnoses == ("E119", "I10")
    assert [
        (ln.procedure_code, ln.modifiers, ln.units, ln.charge_cents, ln.diagnosis_pointers) for ln in encounter.lines
    ] == [
        ("99213", ("25",), 1, 12000, (1, 2)),
        ("36415", (), 2, 3150, (1,)),
    ]


def test_refused_input_shows_the_reason_next_to_the_field_and_stores_nothing(
    page: Page, live_server: LiveServer
) -> None:
    practice = live_server.practice
    _sign_in(page)
    _register(page, zip_code="4300")
    zip_field = page.locator(".field", has=page.locator("#f-address-zip"))
    expect(zip_field.locator(".error")).to_have_text("a ZIP code is 5 digits or ZIP+4 (12345-6789)")
    expect(page.locator("#f-address-zip")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-address-zip")).to_have_value("4300")
    expect(page.locator("#f-last_name")).to_have_value("Quill")
    assert _patient_ids(practice) == []

    page.fill("#f-address-zip", "43004")
    page.get_by_role("button", name="Register patient").click()
    expect(page.locator("#patient-name")).to_have_text("Quill, Nora")
    (patient_id,) = _patient_ids(practice)

    page.get_by_role("link", name="Enter an encounter").click()
    page.fill("#f-date_of_service", "2026-11-20")
    page.select_option("#f-rendering_provider_id", label="Okafor, Ruth")
    page.fill("#f-diagnoses-1", "I10")
    page.fill("#f-lines-1--procedure_code", "99213")
    page.fill("#f-lines-1--diagnosis_pointers", "B")
    page.get_by_role("button", name="Record encounter").click()
    pointer_cell = page.locator("td", has=page.locator("#f-lines-1--diagnosis_pointers"))
    expect(pointer_cell.locator(".error")).to_have_text("pointer 2 names no diagnosis: this encounter has 1")
    expect(page.locator("#f-lines-1--diagnosis_pointers")).to_have_value("B")
    expect(page.locator("#form-errors")).to_contain_text("Nothing was saved.")
    assert list(encounters.list_encounters(practice.container.deps, practice.admin, patient_id=patient_id)) == []


@pytest.mark.skipif(not HTMX_PRESENT, reason="htmx is fetched by `make install`; without it the type-ahead is off")
def test_typing_in_a_diagnosis_box_suggests_icd10_codes(page: Page, live_server: LiveServer) -> None:
    _sign_in(page)
    _register(page)
    page.get_by_role("link", name="Enter an encounter").click()
    page.locator("#f-diagnoses-1").press_sequentially("type 2 diabetes without compl", delay=20)
    expect(page.locator('#icd10-options option[value="E11.9"]')).to_have_count(1)
