"""The eligibility API over HTTP, every answer checked against the OpenAPI document: a check through the sandbox
payer, the patient's checks, the raw 271, the printable estimate and the estimate accuracy report."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from medbill.bootstrap import Container
from medbill.server import create_app
from medbill.services import users
from tests.openapi_client import SchemaCheckedClient
from tests.support import Practice, register_with_coverage, seed_practice


@pytest.fixture
def api(
    sqlite_container: Container, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[SchemaCheckedClient, Practice]]:
    monkeypatch.setattr(sqlite_container.settings, "sandbox_dir", tmp_path / "sandbox")
    practice = seed_practice(sqlite_container)
    _, secret = users.create_token(sqlite_container.deps, practice.biller, name="tests")
    client = SchemaCheckedClient(create_app(sqlite_container), token=secret)
    yield client, practice
    client.close()


def test_a_check_the_payer_refuses_is_kept_with_its_reason_and_its_raw_271(
    api: tuple[SchemaCheckedClient, Practice],
) -> None:
    client, practice = api
    patient_id, coverage_id = register_with_coverage(practice)
    made = client.call("POST", "/patients/{patient_id}/eligibility", path={"patient_id": patient_id}, json={})
    assert made.status_code == 201, made.text
    body = made.json()
    # the sandbox payer does not play Acme (ACME1): it refuses the whole inquiry at the payer (2100A), which is
    # matched to the check by the 270's BHT03
    assert (body["status"], body["coverage_id"], body["member_id"]) == ("rejected", coverage_id, "ACM123456789")
    assert body["benefits"]["rejections"] == [
        {
            "loop": "2100A",
            "code": "79",
            "reason": "Invalid participant identification",
            "follow_up": "Please correct and resubmit",
        }
    ]
    listed = client.call("GET", "/patients/{patient_id}/eligibility", path={"patient_id": patient_id})
    assert [c["id"] for c in listed.json()] == [body["id"]]
    headers = {"Authorization": f"Bearer {client.token}"}
    raw = client.http.get(f"/api/v1/eligibility-checks/{body['id']}/271", headers=headers)
    assert raw.status_code == 200 and raw.content.startswith(b"ISA") and b"ST*271*" in raw.content
    refused = client.call(
        "POST",
        "/patients/{patient_id}/eligibility",
        path={"patient_id": patient_id},
        json={"service_types": ["not a code"]},
    )
    assert (refused.status_code, refused.json()["field"]) == (422, "service_types")
    missing = client.call("GET", "/eligibility-checks/{check_id}/271", path={"check_id": "nope"})
    assert missing.status_code == 404


def test_the_printable_estimate_and_the_accuracy_report(api: tuple[SchemaCheckedClient, Practice]) -> None:
    client, practice = api
    patient = client.call(
        "POST",
        "/patients",
        json={
            "last_name": "Cash",
            "first_name": "Casey",
            "birth_date": "1980-01-02",
            "sex": "F",
            "address": {"line1": "1 Elm St", "city": "Springfield", "state": "IL", "zip": "62701"},
        },
    ).json()
    made = client.call(
        "POST",
        "/appointments",
        json={
            "patient_id": patient["id"],
            "starts_at": "2026-11-30T15:00:00Z",
            "provider_id": practice.provider_id,
            "visit_type": "established",
            "services": [{"procedure_code": "99213", "units": 1}],
        },
    )
    assert made.status_code == 201, made.text
    headers = {"Authorization": f"Bearer {client.token}"}
    pdf = client.http.get(f"/api/v1/appointments/{made.json()['id']}/estimate.pdf", headers=headers)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "good-faith-estimate" in pdf.headers["content-disposition"]
    estimate = client.call("GET", "/appointments/{appointment_id}/estimate", path={"appointment_id": made.json()["id"]})
    assert (estimate.json()["prior_balance"], estimate.json()["credits"], estimate.json()["benefits_source"]) == (
        "0.00",
        "0.00",
        "coverage",
    )
    report = client.call("GET", "/reports/estimate-accuracy", params={"from": date(2026, 11, 30).isoformat()})
    assert report.status_code == 200, report.text
    assert report.json()["payers"] == [] and len(report.json()["not_compared"]) == 1
