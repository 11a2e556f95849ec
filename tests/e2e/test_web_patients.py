"""Patients in the web UI: search, registration, the patient page (audited) and adding coverage, refusals by field."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from medbill.server import create_app
from medbill.services import patients, users
from medbill.services.ports import PatientQuery
from tests.e2e.conftest import Web, sign_in
from tests.support import PASSWORD, Practice, patient_draft

GOOD_PATIENT = {
    "last_name": "Quill",
    "first_name": "Nora",
    "birth_date": "1984-07-09",
    "sex": "F",
    "phone": "614-555-0188",
    "address.line1": "40 Birch Ave",
    "address.city": "Columbus",
    "address.state": "OH",
    "address.zip": "43004-1234",
    "guarantor.same_address": "yes",
}


def _count(p: Practice) -> int:
    return len(patients.search_patients(p.container.deps, p.admin, PatientQuery(name="q", limit=500)))


def _error_at(html: str, field_id: str) -> str:
    """The refusal shown right under the input with that id (empty when there is none)."""
    match = re.search(rf'id="err-{re.escape(field_id)}" role="alert">([^<]*)<', html)
    return match.group(1) if match else ""


def test_registering_a_patient_goes_to_their_page_and_reading_it_is_audited(web: Web) -> None:
    done = web.post("/patients", GOOD_PATIENT)
    assert done.status_code == 303
    patient_id = done.headers["location"].removeprefix("/patients/")
    page = web.client.get(done.headers["location"])
    assert page.status_code == 200
    assert '<h1 id="patient-name">Quill, Nora</h1>' in page.text
    assert '<dd id="birth-date">07/09/1984</dd>' in page.text
    assert '<dd id="address">40 Birch Ave, Columbus, OH 43004-1234</dd>' in page.text
    stored = patients.get_patient(web.practice.container.deps, web.practice.admin, patient_id)
    assert (stored.account_number, stored.address.zip, stored.phone) == ("A000001", "430041234", "6145550188")
    trail = users.audit_trail(
        web.practice.container.deps, web.practice.admin, entity_type="patient", entity_id=patient_id
    )
    reads = [e for e in trail if e.action.value == "read" and e.username == "biller"]
    assert len(reads) == 1 and reads[0].source == "web testclient"


def test_a_guarantor_at_the_patients_address_is_stored(web: Web) -> None:
    done = web.post(
        "/patients",
        {
            **GOOD_PATIENT,
            "guarantor.last_name": "Quill",
            "guarantor.first_name": "Sam",
            "guarantor.relationship": "parent",
        },
    )
    assert done.status_code == 303
    stored = patients.get_patient(
        web.practice.container.deps, web.practice.admin, done.headers["location"].removeprefix("/patients/")
    )
    assert stored.guarantor is not None
    assert (stored.guarantor.name.first, stored.guarantor.relationship.value, stored.guarantor.address.zip) == (
        "Sam",
        "parent",
        "430041234",
    )


@pytest.mark.parametrize(
    ("change", "field_id", "message"),
    [
        ({"address.zip": "4300"}, "f-address-zip", "a ZIP code is 5 digits or ZIP+4 (12345-6789)"),
        ({"address.state": "XX"}, "f-address-state", "'XX' is not a US state or territory code"),
        ({"last_name": " "}, "f-last_name", "is required"),
        ({"birth_date": "2027-01-01"}, "f-birth_date", "date of birth is in the future"),
        ({"birth_date": "13/45/1990"}, "f-birth_date", "is not a date; use the date picker or write it as MM/DD/YYYY"),
        ({"sex": ""}, "f-sex", "is required; choose one"),
        ({"phone": "555-0188"}, "f-phone", "a phone number has 10 digits (area code and number)"),
        (
            {"guarantor.last_name": "Quill", "guarantor.first_name": "Sam", "guarantor.same_address": ""},
            "f-guarantor-relationship",
            "is required; choose one",
        ),
    ],
)
def test_a_refused_registration_shows_the_reason_at_the_field_keeps_the_values_and_stores_nothing(
    web: Web, change: dict[str, str], field_id: str, message: str
) -> None:
    refused = web.post("/patients", {**GOOD_PATIENT, **change})
    assert refused.status_code == 422
    assert _error_at(refused.text, field_id) == message.replace("'", "&#39;")
    assert f'aria-describedby="err-{field_id}"' in refused.text
    assert 'value="40 Birch Ave"' in refused.text and 'value="Columbus"' in refused.text
    assert _count(web.practice) == 0


def test_an_empty_registration_marks_every_required_field_at_once(web: Web) -> None:
    refused = web.post("/patients", {})
    assert refused.status_code == 422
    required = [
        "f-last_name",
        "f-first_name",
        "f-birth_date",
        "f-address-line1",
        "f-address-city",
        "f-address-state",
        "f-address-zip",
    ]
    assert [_error_at(refused.text, f) for f in required] == ["is required"] * len(required)
    assert _error_at(refused.text, "f-sex") == "is required; choose one"
    assert _count(web.practice) == 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("name=smi", ["Smith, Jordan", "Smith, Joan", "Smithers, Ann"]),
        ("name=smith%2C+jo", ["Smith, Jordan", "Smith, Joan"]),
        ("name=SMITH%2C+JOR", ["Smith, Jordan"]),
        ("birth_date=1990-05-06", ["Smithers, Ann"]),
        ("account_number=A000002", ["Smith, Joan"]),
        ("name=zzz", []),
    ],
)
def test_patient_search_by_name_prefix_birth_date_or_account(web: Web, query: str, expected: list[str]) -> None:
    deps, biller = web.practice.container.deps, web.practice.biller
    for last, first, born in [
        ("Smith", "Jordan", date(1980, 1, 2)),
        ("Smith", "Joan", date(1975, 3, 4)),
        ("Smithers", "Ann", date(1990, 5, 6)),
        ("Jones", "Bo", date(1960, 7, 8)),
    ]:
        patients.register_patient(deps, biller, patient_draft(last_name=last, first_name=first, birth_date=born))
    page = web.client.get(f"/patients?{query}")
    assert page.status_code == 200
    found = re.findall(r'<td><a href="/patients/[0-9a-f]+">([^<]+)</a></td>', page.text)
    assert sorted(found) == sorted(expected)
    if not expected:
        assert "No patient matches" in page.text


def test_a_search_by_an_unreadable_birth_date_says_so_at_the_field(web: Web) -> None:
    page = web.client.get("/patients?birth_date=31.12.1990")
    assert page.status_code == 422
    assert _error_at(page.text, "f-birth_date") == "is not a date; use the date picker or write it as MM/DD/YYYY"


COVERAGE = {
    "order": "primary",
    "member_id": "ACM555000111",
    "group_number": "GRP-77",
    "plan_name": "Acme Gold PPO",
    "effective_from": "2026-01-01",
    "effective_to": "2026-12-31",
    "copay": "25",
    "deductible": "$1,500.50",
    "coinsurance_percent": "20",
    "relationship": "18",
}


def _new_patient(web: Web) -> str:
    return patients.register_patient(web.practice.container.deps, web.practice.biller, patient_draft()).id


def test_adding_coverage_shows_the_row_with_payer_order_member_id_dates_and_benefits(web: Web) -> None:
    patient_id = _new_patient(web)
    done = web.post(f"/patients/{patient_id}/coverages", {**COVERAGE, "payer_id": web.practice.commercial_id})
    assert done.status_code == 303
    page = web.client.get(f"/patients/{patient_id}")
    row = re.search(r'<table class="grid" id="coverage-table">.*?<tbody>\s*<tr>(.*?)</tr>', page.text, re.S)
    assert row
    cells = [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]
    eligibility = cells.pop()  # the latest 271, with a button to check now
    assert eligibility.startswith('<span class="muted">never checked</span>') and "Check now" in eligibility
    assert cells == [
        "primary",
        "Acme Health",
        "ACM555000111",
        "GRP-77",
        "Acme Gold PPO",
        "self",
        "01/01/2026",
        "12/31/2026",
        "$25.00",
        "$1,500.50",
        "20%",
    ]
    (stored,) = patients.list_coverages(web.practice.container.deps, web.practice.admin, patient_id)
    assert (stored.copay_cents, stored.deductible_cents, str(stored.coinsurance_percent)) == (2500, 150050, "20")


def test_a_child_covered_by_a_parents_plan_records_the_subscriber(web: Web) -> None:
    patient_id = _new_patient(web)
    done = web.post(
        f"/patients/{patient_id}/coverages",
        {
            **COVERAGE,
            "payer_id": web.practice.commercial_id,
            "relationship": "19",
            "subscriber.last_name": "Alder",
            "subscriber.first_name": "Abe",
            "subscriber.birth_date": "1948-02-01",
            "subscriber.sex": "M",
        },
    )
    assert done.status_code == 303
    (stored,) = patients.list_coverages(web.practice.container.deps, web.practice.admin, patient_id)
    assert stored.subscriber is not None
    assert (stored.relationship.value, stored.subscriber.name.first, stored.subscriber.birth_date) == (
        "19",
        "Abe",
        date(1948, 2, 1),
    )


@pytest.mark.parametrize(
    ("change", "field_id", "message"),
    [
        (
            {"effective_to": "2025-12-31"},
            "f-effective_to",
            "coverage ends before it starts: termination date is before effective date",
        ),
        ({"payer_id": ""}, "f-payer_id", "is required; choose one"),
        ({"payer_id": "0" * 32}, "f-payer_id", "no payer with that id in this practice"),
        ({"member_id": "AB 12"}, "f-member_id", "a member ID is 2 to 80 letters, digits or hyphens, without spaces"),
        ({"copay": "25.001"}, "f-copay", "'25.001' has a fraction of a cent"),
        ({"relationship": "19"}, "f-subscriber-birth_date", "is required"),
        (
            {"relationship": "19", "subscriber.birth_date": "1948-02-01", "subscriber.sex": "M"},
            "f-subscriber-last_name",
            "is required",
        ),
        (
            {"coinsurance_percent": "120"},
            "f-coinsurance_percent",
            "coinsurance is a percent from 0 to 100 with at most two decimals",
        ),
    ],
)
def test_a_refused_coverage_shows_the_reason_at_the_field_and_stores_nothing(
    web: Web, change: dict[str, str], field_id: str, message: str
) -> None:
    patient_id = _new_patient(web)
    refused = web.post(
        f"/patients/{patient_id}/coverages", {**COVERAGE, "payer_id": web.practice.commercial_id, **change}
    )
    assert refused.status_code == 422
    assert _error_at(refused.text, field_id) == message.replace("'", "&#39;")
    assert 'value="ACM555000111"' in refused.text or change.get("member_id")
    assert patients.list_coverages(web.practice.container.deps, web.practice.admin, patient_id) == []


def test_a_patient_of_another_practice_or_no_patient_is_not_found(web: Web) -> None:
    page = web.client.get("/patients/" + "0" * 32)
    assert page.status_code == 404
    assert "no patient" in page.text.lower() or "not found" in page.text.lower()


def test_a_viewer_may_read_but_not_register_and_is_told_so(web_practice: Practice) -> None:
    users.bootstrap_user(
        web_practice.container.deps,
        practice_id=web_practice.admin.practice_id,
        username="vera",
        display_name="Vera Viewer",
        role="viewer",
        password=PASSWORD,
    )
    with TestClient(create_app(web_practice.container)) as client:
        csrf = sign_in(client, "vera")
        assert "Register a patient" not in client.get("/").text
        refused = client.post("/patients", data={**GOOD_PATIENT, "csrf_token": csrf})
    assert refused.status_code == 403
    assert "the viewer role may not do this (needs patient.write)" in refused.text
    assert _count(web_practice) == 0
