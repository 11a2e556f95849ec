"""The claims API end to end (build, scrub, batch, read, CMS-1500, the 837 file), every answer checked against the
OpenAPI document."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi import FastAPI

from medbill.bootstrap import Container
from medbill.formats import x12
from medbill.server import create_app
from medbill.services import users
from tests.integration.claims_support import covered_encounter
from tests.openapi_client import SchemaCheckedClient
from tests.support import Practice, seed_practice


def app_with_claims(container: Container) -> FastAPI:
    return create_app(container)


@pytest.fixture
def api(container: Container) -> Iterator[tuple[SchemaCheckedClient, Practice, str]]:
    practice = seed_practice(container)
    _, biller = users.create_token(container.deps, practice.biller, name="tests")
    _, admin = users.create_token(container.deps, practice.admin, name="tests")
    client = SchemaCheckedClient(app_with_claims(container), token=biller)
    yield client, practice, admin
    client.close()


def test_build_scrub_batch_and_read_claims_through_the_api(api: tuple[SchemaCheckedClient, Practice, str]) -> None:
    client, practice, admin = api
    clean = covered_encounter(practice)
    late = covered_encounter(practice, last_name="Ash", on=date(2026, 4, 10))  # past Acme's 180 days

    built = client.call("POST", "/claims/build", json={"encounter_ids": [clean, late]})
    assert built.status_code == 200, built.text
    assert [(c["claim_id"], c["status"], c["total"]) for c in built.json()["created"]] == [
        ("C00000018", "draft", "151.50"),
        ("C00000026", "draft", "151.50"),
    ]
    again = client.call("POST", "/claims/build", json={})
    assert (again.json()["created"], again.json()["existing"]) == ([], [])

    scrubbed = client.call("POST", "/claims/scrub", json={}).json()["claims"]
    assert {c["claim_id"]: [f["rule"] for f in c["findings"] if f["severity"] == "error"] for c in scrubbed} == {
        "C00000018": [],
        "C00000026": ["coverage.timely_filing"],
    }

    no_phone = client.call("POST", "/batches", json={})
    assert (no_phone.status_code, no_phone.json()["field"]) == (422, "contact_phone")
    forced_by_biller = client.call(
        "POST", "/batches", json={"contact_phone": "2175550100", "force": [scrubbed[1]["id"]]}
    )
    assert (forced_by_biller.status_code, forced_by_biller.json()["code"]) == (403, "permission_denied")
    result = client.call("POST", "/batches", json={"contact_phone": "2175550100"}).json()
    (batch,) = result["batches"]
    assert (batch["file_name"], batch["claim_count"], batch["total"], batch["interchange_control_number"]) == (
        "837P_ACME1_000000001.x12",
        1,
        "151.50",
        1,
    )
    assert [c["claim_id"] for c in result["held"]] == ["C00000026"]
    forced = client.call(
        "POST", "/batches", token=admin, json={"contact_phone": "2175550100", "force": [scrubbed[1]["id"]]}
    )
    assert [b["interchange_control_number"] for b in forced.json()["batches"]] == [2]

    assert [c["claim_id"] for c in client.call("GET", "/claims", params={"status": "queued"}).json()] == [
        "C00000018",
        "C00000026",
    ]
    bad_status = client.call("GET", "/claims", params={"status": "lost"})
    assert (bad_status.status_code, bad_status.json()["field"]) == (422, "status")
    detail = client.call("GET", "/claims/{claim_id}", path={"claim_id": "C00000018"}).json()
    assert [ln["line_control_number"] for ln in detail["lines"]] == ["C00000018-1", "C00000018-2"]
    assert [(h["event"], h["from_status"], h["to_status"]) for h in detail["history"]] == [
        ("scrub", "draft", "scrubbed"),
        ("queue", "scrubbed", "queued"),
    ]
    assert [s["batch_id"] for s in detail["snapshots"]] == [batch["id"]]
    missing = client.call("GET", "/claims/{claim_id}", path={"claim_id": "nope"})
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")

    counts = client.call("GET", "/claims/counts").json()
    assert counts == [
        {"status": "queued", "payer_id": practice.commercial_id, "count": 2, "total": "303.00"},
    ]
    listed = client.call("GET", "/batches").json()
    assert sorted(b["interchange_control_number"] for b in listed) == [1, 2]
    doc = client.doc["paths"]
    assert "application/edi-x12" in doc["/api/v1/batches/{batch_id}/file"]["get"]["responses"]["200"]["content"]
    assert "application/pdf" in doc["/api/v1/claims/{claim_id}/cms1500.pdf"]["get"]["responses"]["200"]["content"]
    headers = {"Authorization": f"Bearer {client.token}"}
    file = client.http.get(f"/api/v1/batches/{batch['id']}/file", headers=headers)
    assert (file.status_code, file.headers["content-type"]) == (200, "application/edi-x12")
    (transaction,) = x12.read(file.content)
    assert [c.patient_control_number for c in transaction.document.claims] == ["C00000018"]  # type: ignore[union-attr]
    pdf = client.http.get(f"/api/v1/claims/{detail['id']}/cms1500.pdf", headers=headers, params={"mode": "data_only"})
    assert (pdf.status_code, pdf.headers["content-type"], pdf.content[:4]) == (200, "application/pdf", b"%PDF")
