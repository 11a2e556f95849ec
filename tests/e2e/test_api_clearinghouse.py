"""Batches with their acknowledgements and the file archive through the API, every answer checked against the
OpenAPI document."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from medbill.bootstrap import Container
from medbill.server import create_app
from medbill.services import submission, users
from tests.integration.claims_support import covered_encounter
from tests.integration.test_acknowledgements import sandbox_for, sent_batch
from tests.openapi_client import SchemaCheckedClient
from tests.support import Practice, seed_practice


@pytest.fixture
def api(container: Container) -> Iterator[tuple[SchemaCheckedClient, Practice]]:
    practice = seed_practice(container)
    _, biller = users.create_token(container.deps, practice.biller, name="tests")
    client = SchemaCheckedClient(create_app(container), token=biller)
    yield client, practice
    client.close()


def test_a_batch_shows_its_999_and_each_claims_277ca_and_every_file_downloads_again(
    api: tuple[SchemaCheckedClient, Practice], tmp_path: Path
) -> None:
    client, practice = api
    sandbox = sandbox_for(practice, tmp_path / "sbx", members=())  # the payer knows no member: A7:33
    sent_batch(practice, sandbox, covered_encounter(practice))
    submission.ingest_answers(practice.container.deps, practice.biller, sandbox)

    [batch] = client.call("GET", "/batches").json()
    detail = client.call("GET", "/batches/{batch_id}", path={"batch_id": batch["id"]}).json()
    assert detail["batch"] == batch
    assert [(a["kind"], a["code"], a["text"]) for a in detail["acknowledgements"]] == [("999", "A", "999 A accepted")]
    [claim] = detail["claims"]
    assert {k: claim[k] for k in ("claim_id", "status", "total", "acknowledged_by", "rejection_open")} == {
        "claim_id": "C00000018",
        "status": "rejected",
        "total": "151.50",
        "acknowledged_by": "277CA",
        "rejection_open": True,
    }
    assert claim["acknowledgement"].startswith("reject: 277CA A7:33 — Acknowledgement/Rejected for Invalid Information")

    files = client.call("GET", "/files").json()
    assert sorted((f["direction"], f["kind"], f["name"]) for f in files) == [
        ("inbound", "277CA", "837P_ACME1_000000001.277CA.x12"),
        ("inbound", "999", "837P_ACME1_000000001.999.x12"),
        ("outbound", "837P", "837P_ACME1_000000001.x12"),
    ]
    assert [f["name"] for f in client.call("GET", "/files", params={"direction": "outbound"}).json()] == [
        "837P_ACME1_000000001.x12"
    ]
    sent = next(f for f in files if f["direction"] == "outbound")
    doc = client.doc["paths"]["/api/v1/files/{file_id}/content"]["get"]["responses"]["200"]["content"]
    assert "application/edi-x12" in doc  # binary: fetched directly, its documented media type checked here
    headers = {"Authorization": f"Bearer {client.token}"}
    content = client.http.get(f"/api/v1/files/{sent['id']}/content", headers=headers)
    assert content.headers["content-type"].startswith("application/edi-x12")
    assert content.headers["content-disposition"] == 'attachment; filename="837P_ACME1_000000001.x12"'
    built = client.http.get(f"/api/v1/batches/{batch['id']}/file", headers=headers)
    assert content.content == built.content and len(content.content) == sent["size_bytes"]
    missing = client.call("GET", "/batches/{batch_id}", path={"batch_id": "nope"})
    assert missing.status_code == 404
