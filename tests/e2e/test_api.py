"""The REST API end to end, every answer checked against the API's own OpenAPI document."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from medbill.bootstrap import Container
from medbill.server import create_app
from medbill.services import users
from tests.openapi_client import SchemaCheckedClient
from tests.support import Practice, seed_practice


@pytest.fixture
def api(container: Container) -> Iterator[tuple[SchemaCheckedClient, Practice]]:
    practice = seed_practice(container)
    _, secret = users.create_token(container.deps, practice.biller, name="tests")
    client = SchemaCheckedClient(create_app(container), token=secret)
    yield client, practice
    client.close()


PATIENT = {
    "last_name": "Alder",
    "first_name": "Ada",
    "birth_date": "1950-03-14",
    "sex": "F",
    "address": {"line1": "12 Maple St", "city": "Springfield", "state": "IL", "zip": "62701-1234"},
    "phone": "(217) 555-0142",
}


def test_register_cover_and_record_an_encounter_through_the_api(api: tuple[SchemaCheckedClient, Practice]) -> None:
    client, practice = api
    created = client.call("POST", "/patients", json=PATIENT)
    assert created.status_code == 201
    patient = created.json()
    assert (patient["account_number"], patient["address"]["zip"], patient["phone"]) == (
        "A000001",
        "627011234",
        "2175550142",
    )
    coverage = client.call(
        "POST",
        "/patients/{patient_id}/coverages",
        path={"patient_id": patient["id"]},
        json={
            "payer_id": practice.commercial_id,
            "order": "primary",
            "member_id": "ACM123456789",
            "effective_from": "2026-01-01",
            "copay": "25.00",
            "deductible": "1500",
            "coinsurance_percent": "20",
        },
    )
    assert coverage.status_code == 201
    assert (coverage.json()["copay"], coverage.json()["deductible"]) == ("25.00", "1500.00")
    encounter = client.call(
        "POST",
        "/encounters",
        json={
            "patient_id": patient["id"],
            "date_of_service": "2026-11-20",
            "rendering_provider_id": practice.provider_id,
            "facility_id": practice.facility_id,
            "diagnoses": ["E11.9", "I10"],
            "lines": [
                {"procedure_code": "99213", "diagnosis_pointers": [1, 2]},
                {"procedure_code": "36415", "units": 2, "charge": "31.50"},
            ],
        },
    )
    assert encounter.status_code == 201, encounter.text
    body = encounter.json()
    assert body["total_charge"] == "151.50"
    assert [ln["charge"] for ln in body["lines"]] == ["120.00", "31.50"]
    assert body["diagnoses"] == ["E11.9", "I10"]
    found = client.call("GET", "/patients", params={"name": "ald", "birth_date": "1950-03-14"})
    assert [p["id"] for p in found.json()] == [patient["id"]]
    listed = client.call("GET", "/encounters", params={"patient_id": patient["id"]})
    assert [e["total_charge"] for e in listed.json()] == ["151.50"]
    client.call("GET", "/patients/{patient_id}", path={"patient_id": patient["id"]})
    audit = users.audit_trail(practice.container.deps, practice.admin, entity_type="patient", entity_id=patient["id"])
    assert [(e.action.value, e.source) for e in audit] == [("read", "api testclient"), ("create", "api testclient")]


@pytest.mark.parametrize(
    ("template", "body", "status", "code", "field"),
    [
        (
            "/providers",
            {"kind": "individual", "last_name": "X", "first_name": "Y", "npi": "1234567890"},
            422,
            "invalid_identifier",
            "npi",
        ),
        (
            "/patients",
            {**PATIENT, "address": {**PATIENT["address"], "zip": "1234"}},
            422,
            "invalid_identifier",
            "address.zip",
        ),
        ("/patients", {**PATIENT, "birth_date": "not-a-date"}, 422, "invalid_input", "birth_date"),
        ("/patients", {**PATIENT, "shoe_size": 9}, 422, "invalid_input", "shoe_size"),
        (
            "/payers",
            {"name": "P", "payer_id": "P1", "claim_filing_indicator": "QQ"},
            422,
            "invalid_input",
            "claim_filing_indicator",
        ),
    ],
)
def test_refused_input_comes_back_as_problem_json_naming_the_field(
    api: tuple[SchemaCheckedClient, Practice],
    template: str,
    body: dict[str, object],
    status: int,
    code: str,
    field: str,
) -> None:
    client, _ = api
    before = client.call("GET", template).json()
    response = client.call("POST", template, json=body)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert (response.json()["code"], response.json()["field"]) == (code, field)
    assert client.call("GET", template).json() == before


def test_encounter_refusals_name_line_fields(api: tuple[SchemaCheckedClient, Practice]) -> None:
    client, practice = api
    patient = client.call("POST", "/patients", json=PATIENT).json()
    base = {
        "patient_id": patient["id"],
        "date_of_service": "2026-11-20",
        "rendering_provider_id": practice.provider_id,
        "diagnoses": ["E11.9"],
    }
    cases = [
        ([{"procedure_code": "99213", "diagnosis_pointers": [2]}], "lines[1].diagnosis_pointers"),
        ([{"procedure_code": "99213", "modifiers": ["25", "59", "76", "77", "XS"]}], "lines[1].modifiers"),
        ([{"procedure_code": "99213"}, {"procedure_code": "36415", "units": -1}], "lines[2].units"),
        ([{"procedure_code": "99213", "charge": "12.345"}], "lines[0].charge"),
    ]
    for lines, field in cases:
        response = client.call("POST", "/encounters", json={**base, "lines": lines})
        assert response.status_code == 422
        assert response.json()["field"] == field
    assert client.call("GET", "/encounters").json() == []


def test_unknown_payer_on_coverage_is_refused_by_field(api: tuple[SchemaCheckedClient, Practice]) -> None:
    client, _ = api
    patient = client.call("POST", "/patients", json=PATIENT).json()
    response = client.call(
        "POST",
        "/patients/{patient_id}/coverages",
        path={"patient_id": patient["id"]},
        json={"payer_id": "nope", "order": "primary", "member_id": "M1", "effective_from": "2026-01-01"},
    )
    assert (response.status_code, response.json()["code"], response.json()["field"]) == (422, "not_found", "payer_id")
    reversed_dates = client.call(
        "POST",
        "/patients/{patient_id}/coverages",
        path={"patient_id": patient["id"]},
        json={
            "payer_id": "nope",
            "order": "primary",
            "member_id": "M1",
            "effective_from": "2026-01-01",
            "effective_to": "2025-01-01",
        },
    )
    assert reversed_dates.status_code == 422
    assert client.call("GET", "/patients/{patient_id}/coverages", path={"patient_id": patient["id"]}).json() == []


def test_tokens_authenticate_and_can_be_revoked(api: tuple[SchemaCheckedClient, Practice]) -> None:
    client, _ = api
    assert client.call("GET", "/me", token=None).status_code == 401
    assert client.call("GET", "/me", token="mbt_not-a-token").status_code == 401
    assert client.call("GET", "/me").json()["role"] == "biller"
    created = client.call("POST", "/tokens", json={"name": "second"})
    assert created.status_code == 201
    second = created.json()
    assert client.call("GET", "/me", token=second["token"]).json()["username"] == "biller"
    assert client.call("DELETE", "/tokens/{token_id}", path={"token_id": second["id"]}).status_code == 204
    refused = client.call("GET", "/me", token=second["token"])
    assert (refused.status_code, refused.json()["detail"]) == (401, "this API token was revoked")


def test_roles_are_enforced_and_practices_isolated(api: tuple[SchemaCheckedClient, Practice]) -> None:
    client, practice = api
    assert client.call("GET", "/audit").status_code == 403
    missing = client.call("GET", "/patients/{patient_id}", path={"patient_id": "0" * 32})
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert client.call("GET", "/practice").json()["id"] == practice.admin.practice_id


def test_setup_resources_round_trip(api: tuple[SchemaCheckedClient, Practice]) -> None:
    client, practice = api
    provider = client.call(
        "POST",
        "/providers",
        json={
            "kind": "individual",
            "last_name": "Lind",
            "first_name": "Tom",
            "npi": "1003000126",
            "roles": ["rendering"],
        },
    )
    assert provider.status_code == 201
    assert client.call("GET", "/providers/{provider_id}", path={"provider_id": provider.json()["id"]}).json() == (
        provider.json()
    )
    facility = client.call(
        "POST",
        "/facilities",
        json={
            "name": "East",
            "place_of_service": "22",
            "address": {"line1": "9 Elm St", "city": "Salem", "state": "OR", "zip": "97301"},
        },
    )
    assert facility.json()["place_of_service"] == "22"
    payer = client.call(
        "POST",
        "/payers",
        json={"name": "State Medicaid", "payer_id": "SMCD1", "claim_filing_indicator": "MC", "timely_filing_days": 365},
    )
    assert payer.json()["claim_filing_indicator"] == "MC"
    schedule = client.call(
        "POST",
        "/fee-schedules",
        json={
            "name": "Medicaid",
            "payer_id": payer.json()["id"],
            "effective_from": "2026-01-01",
            "entries": [{"procedure_code": "99213", "charge": "80"}],
        },
    )
    assert schedule.json()["entries"] == [{"procedure_code": "99213", "modifier": "", "charge": "80.00"}]
    names = [p["name"] for p in client.call("GET", "/payers").json()]
    assert names == ["Acme Health", "Medicare B", "State Medicaid"]
    assert len(client.call("GET", "/fee-schedules").json()) == 3
    assert practice.provider_id in [p["id"] for p in client.call("GET", "/providers").json()]


def test_openapi_document_declares_every_route_with_problem_errors(api: tuple[SchemaCheckedClient, Practice]) -> None:
    client, _ = api
    paths = client.doc["paths"]
    for resource in (
        "/api/v1/patients",
        "/api/v1/providers",
        "/api/v1/facilities",
        "/api/v1/payers",
        "/api/v1/fee-schedules",
        "/api/v1/encounters",
        "/api/v1/practice",
    ):
        assert resource in paths
    for path in paths.values():
        for operation in path.values():
            assert "application/problem+json" in operation["responses"]["422"]["content"]


def test_appointments_through_the_api(api: tuple[SchemaCheckedClient, Practice]) -> None:
    client, practice = api
    patient = client.call("POST", "/patients", json=PATIENT).json()
    made = client.call(
        "POST",
        "/appointments",
        json={
            "patient_id": patient["id"],
            "starts_at": "2026-11-27T09:30:00-05:00",
            "provider_id": practice.provider_id,
            "visit_type": "new_patient",
            "services": [{"procedure_code": "99203"}, {"procedure_code": "36415"}],
        },
    )
    assert made.status_code == 201, made.text
    day = client.call("GET", "/appointments", params={"date": "2026-11-27"}).json()
    assert [(a["id"], a["starts_at"], [s["procedure_code"] for s in a["services"]]) for a in day] == [
        (made.json()["id"], "2026-11-27T14:30:00Z", ["99203", "36415"])
    ]
    moved = client.call(
        "POST",
        "/appointments/{appointment_id}/status",
        path={"appointment_id": made.json()["id"]},
        json={"status": "no_show"},
    )
    assert moved.json()["status"] == "no_show"
    refused = client.call(
        "POST",
        "/appointments/{appointment_id}/status",
        path={"appointment_id": made.json()["id"]},
        json={"status": "checked_in"},
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "invalid_transition")


def test_code_lookups_need_a_token_and_match_the_schema(api: tuple[SchemaCheckedClient, Practice]) -> None:
    client, _ = api
    assert client.call("GET", "/codes/search", params={"q": "type 2 diabetes"}, token=None).status_code == 401
    found = client.call("GET", "/codes/search", params={"q": "type 2 diabetes mellitus without complications"})
    assert found.status_code == 200, found.text
    assert "E11.9" in [r["code"] for r in found.json()["results"][:5]]
    shown = client.call("GET", "/codes/{code}", path={"code": "E119"}, params={"date": "2026-11-20"})
    assert (shown.json()["code"], shown.json()["billable"], shown.json()["valid_on_date"]) == ("E11.9", True, True)
    header = client.call("GET", "/codes/{code}", path={"code": "E11"}, params={"date": "2026-11-20"})
    assert header.json()["billable"] is False


def test_an_uploaded_x12_file_comes_back_as_a_document(api: tuple[SchemaCheckedClient, Practice]) -> None:
    from pathlib import Path

    client, _ = api
    sample = (Path(__file__).parents[1] / "fixtures" / "x12" / "835" / "botsedi__835-denial.dat").read_bytes()
    shown = client.call("POST", "/x12/view", files={"file": ("remit.835", sample, "application/edi-x12")})
    assert shown.status_code == 200, shown.text
    body = shown.json()
    assert body["transaction_types"] == ["835"]
    transaction = body["interchanges"][0]["children"][0]["children"][0]
    assert [c["id"] for c in transaction["children"]] == ["1000A", "1000B", "2000"]
    refused = client.call("POST", "/x12/view", files={"file": ("x.txt", b"not x12 at all", "text/plain")})
    assert (refused.status_code, refused.json()["code"]) == (422, "x12_not_x12")


def test_an_appointment_estimate_through_the_api(api: tuple[SchemaCheckedClient, Practice]) -> None:
    client, practice = api
    patient = client.call("POST", "/patients", json=PATIENT).json()
    client.call(
        "POST",
        "/patients/{patient_id}/coverages",
        path={"patient_id": patient["id"]},
        json={
            "payer_id": practice.commercial_id,
            "order": "primary",
            "member_id": "ACM9",
            "effective_from": "2026-01-01",
            "copay": "25.00",
            "coinsurance_percent": "20",
        },
    )
    made = client.call(
        "POST",
        "/appointments",
        json={
            "patient_id": patient["id"],
            "starts_at": "2026-11-30T15:00:00Z",
            "provider_id": practice.provider_id,
            "visit_type": "established",
            "services": [{"procedure_code": "99213"}],
        },
    ).json()
    answer = client.call("GET", "/appointments/{appointment_id}/estimate", path={"appointment_id": made["id"]})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["charges"], body["insurance"], body["due_today"], body["patient_total"]) == (
        "140.00",
        "76.00",
        "25.00",
        "44.00",
    )
    assert body["lines"][0]["allowed_source"] == "Acme contract (contract)"
