"""The statements API end to end: preview a run, run it, list, fetch a PDF, hold and release a patient, every JSON
answer checked against the OpenAPI document."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pdfplumber
import pytest

from medbill.bootstrap import Container
from medbill.server import create_app
from medbill.services import users
from tests.integration.test_posting import era, run, submitted, typical
from tests.integration.test_statements_service import dependant
from tests.openapi_client import SchemaCheckedClient
from tests.support import Practice, seed_practice


@pytest.fixture
def api(container: Container) -> Iterator[tuple[SchemaCheckedClient, Practice]]:
    practice = seed_practice(container)
    _, biller = users.create_token(container.deps, practice.biller, name="tests")
    client = SchemaCheckedClient(create_app(container), token=biller)
    yield client, practice
    client.close()


def test_preview_run_list_pdf_hold_and_release(api: tuple[SchemaCheckedClient, Practice]) -> None:
    client, practice = api
    alder = submitted(practice)
    cora = dependant(practice, "Cora", alder.date_of_service.replace(year=2015))
    run(practice, era(typical(alder), typical(cora)))

    preview = client.call("POST", "/statement-runs", json={"dry_run": True})
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert (body["run_id"], body["sent"], body["total_due"]) == (None, 2, "70.00")
    assert [s["id"] for s in body["statements"]] == [None, None]
    assert client.call("GET", "/statements").json() == []

    held = client.call(
        "POST",
        "/patients/{patient_id}/statement-hold",
        path={"patient_id": cora.patient_id},
        json={"reason": "dispute"},
    )
    assert (held.status_code, held.json()["reason"], held.json()["created_by"]) == (200, "dispute", "biller")

    done = client.call("POST", "/statement-runs", json={"min_balance": "5.00", "cycle_days": 28, "due_days": 30})
    assert done.status_code == 200, done.text
    result = done.json()
    assert (result["sent"], result["total_due"]) == (1, "35.00")
    assert result["skipped"] == {"on_hold": 1, "nothing_due": 0, "below_minimum": 0, "in_cycle": 0, "cannot_build": 0}
    assert [(s["guarantor"], s["code"]) for s in result["skipped_guarantors"]] == [("Clara Cedar", "on_hold")]
    [sent] = result["statements"]
    assert (sent["guarantor"], sent["amount_due"], sent["statement_number"]) == ("Ada Alder", "35.00", "S00000001")

    [listed] = client.call("GET", "/statements", params={"patient_id": alder.patient_id}).json()
    assert (listed["id"], listed["amount_due"], listed["due_date"]) == (sent["id"], "35.00", "2026-12-26")
    assert listed["run_id"] == result["run_id"]
    assert client.call("GET", "/statements", params={"patient_id": cora.patient_id}).json() == []

    headers = {"Authorization": f"Bearer {client.token}"}
    pdf = client.http.get(f"/api/v1/statements/{sent['id']}/pdf", headers=headers)
    assert (pdf.status_code, pdf.headers["content-type"], pdf.content[:4]) == (200, "application/pdf", b"%PDF")
    with pdfplumber.open(io.BytesIO(pdf.content)) as doc:
        text = doc.pages[0].extract_text() or ""
    assert "Amount due $35.00" in text
    doc_paths = client.doc["paths"]
    assert "application/pdf" in doc_paths["/api/v1/statements/{statement_id}/pdf"]["get"]["responses"]["200"]["content"]

    released = client.call("DELETE", "/patients/{patient_id}/statement-hold", path={"patient_id": cora.patient_id})
    assert released.status_code == 204
    again = client.call("DELETE", "/patients/{patient_id}/statement-hold", path={"patient_id": cora.patient_id})
    assert (again.status_code, again.json()["code"]) == (404, "not_found")
    after = client.call("POST", "/statement-runs", json={}).json()
    assert [(s["guarantor"], s["amount_due"]) for s in after["statements"]] == [("Clara Cedar", "35.00")]
    assert after["skipped"]["in_cycle"] == 1


def test_refusals(api: tuple[SchemaCheckedClient, Practice]) -> None:
    client, practice = api
    bad = client.call("POST", "/statement-runs", json={"min_balance": "5.001"})
    assert bad.status_code == 422
    blank = client.call(
        "POST", "/patients/{patient_id}/statement-hold", path={"patient_id": "0" * 32}, json={"reason": "x"}
    )
    assert blank.status_code == 404
    missing = client.call("GET", "/statements/{statement_id}/pdf", path={"statement_id": "0" * 32})
    assert missing.status_code == 404
    _, coder_token = users.create_token(
        practice.container.deps,
        users.authenticate(
            practice.container.deps,
            username=users.bootstrap_user(
                practice.container.deps,
                practice_id=practice.admin.practice_id,
                username="cody",
                display_name="Cody Coder",
                role="coder",
                password="correct horse battery",
            ).username,
            password="correct horse battery",
            source="test",
        ),
        name="coder",
    )
    refused = client.call("POST", "/statement-runs", json={}, token=coder_token)
    assert refused.status_code == 403
    assert client.call("GET", "/statements").json() == []
