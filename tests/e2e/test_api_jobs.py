"""The background-jobs API end to end (in-process dispatcher): start, follow, list, resume and the refusals, every
answer checked against the OpenAPI document."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from medbill.bootstrap import Container
from medbill.server import create_app
from medbill.services import users
from tests.integration.claims_support import covered_encounter, uncovered_encounter
from tests.openapi_client import SchemaCheckedClient
from tests.support import PASSWORD, Practice, seed_practice


@pytest.fixture
def api(container: Container) -> Iterator[tuple[SchemaCheckedClient, Practice]]:
    practice = seed_practice(container)
    _, token = users.create_token(container.deps, practice.biller, name="tests")
    client = SchemaCheckedClient(create_app(container), token=token)
    yield client, practice
    client.close()


def test_a_job_is_started_followed_chunk_by_chunk_and_listed(api: tuple[SchemaCheckedClient, Practice]) -> None:
    client, practice = api
    for name in ("Alder", "Cedar", "Dogwood"):
        covered_encounter(practice, last_name=name)
    uncovered_encounter(practice)  # self-pay: the build skips it and says so

    started = client.call("POST", "/jobs", json={"kind": "build_claims", "params": {"chunk_size": 3}})
    assert started.status_code == 202, started.text
    job = started.json()
    assert {k: job[k] for k in ("kind", "status", "params", "chunks_total", "chunks_done", "chunks_failed")} == {
        "kind": "build_claims",
        "status": "succeeded",
        "params": {"chunk_size": 3},
        "chunks_total": 2,
        "chunks_done": 2,
        "chunks_failed": 0,
    }
    assert (job["percent"], job["created_by"], job["finished_at"]) == (100, "biller", "2026-11-26T15:30:00Z")

    detail = client.call("GET", "/jobs/{job_id}", path={"job_id": job["id"]}).json()
    assert (detail["percent"], detail["items_done"], detail["items_total"]) == (100, 4, 4)
    assert detail["totals"] == {"created": 3, "existing": 0, "skipped": 1}
    assert [(c["seq"], c["status"], c["attempts"], c["size"], c["error"]) for c in detail["chunks"]] == [
        (0, "done", 1, 3, ""),
        (1, "done", 1, 1, ""),
    ]
    assert sum(c["result"]["created"] for c in detail["chunks"]) == 3

    scrubbed = client.call("POST", "/jobs", json={"kind": "scrub_claims"}).json()
    assert (scrubbed["status"], scrubbed["params"]) == ("succeeded", {"chunk_size": 500})
    listed = client.call("GET", "/jobs").json()
    assert sorted(j["kind"] for j in listed) == ["build_claims", "scrub_claims"]
    only = client.call("GET", "/jobs", params={"kind": "scrub_claims"}).json()
    assert [j["id"] for j in only] == [scrubbed["id"]]
    assert len(client.call("GET", "/jobs", params={"limit": 1}).json()) == 1


def test_a_failed_chunk_says_why_and_resuming_runs_it_again(api: tuple[SchemaCheckedClient, Practice]) -> None:
    client, practice = api
    covered_encounter(practice)
    client.call("POST", "/jobs", json={"kind": "build_claims"})
    client.call("POST", "/jobs", json={"kind": "scrub_claims"})

    batched = client.call("POST", "/jobs", json={"kind": "batch_claims"})  # the practice has no PER04 phone
    assert batched.status_code == 202
    job = batched.json()
    assert (job["status"], job["chunks_failed"], job["percent"]) == ("failed", 1, 100)
    [chunk] = client.call("GET", "/jobs/{job_id}", path={"job_id": job["id"]}).json()["chunks"]
    assert (chunk["status"], chunk["result"], chunk["attempts"]) == ("failed", None, 1)
    assert chunk["error"].startswith("invalid_input (contact_phone): the 837")

    resumed = client.call("POST", "/jobs/{job_id}/resume", path={"job_id": job["id"]})
    assert resumed.status_code == 202
    assert (resumed.json()["status"], resumed.json()["chunks_failed"]) == ("failed", 1)
    [again] = client.call("GET", "/jobs/{job_id}", path={"job_id": job["id"]}).json()["chunks"]
    assert again["attempts"] == 2

    fixed = client.call("POST", "/jobs", json={"kind": "batch_claims", "params": {"contact_phone": "2175550100"}})
    done = client.call("GET", "/jobs/{job_id}", path={"job_id": fixed.json()["id"]}).json()
    assert (done["job"]["status"], done["totals"]) == ("succeeded", {"files": 1, "batched": 1, "held": 0})


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "tidy_up"}, "kind"),
        ({"kind": "build_claims", "params": {"chunk_size": 0}}, "chunk_size"),
        ({"kind": "batch_claims", "params": {"contact_phone": "555"}}, "contact_phone"),
        ({"kind": "report", "params": {"from": "yesterday"}}, "from"),
        ({"kind": "import_remittance"}, "file_ids"),
        ({"kind": "build_claims", "priority": "high"}, "priority"),
    ],
)
def test_a_refused_job_answers_422_naming_the_field_and_starts_nothing(
    api: tuple[SchemaCheckedClient, Practice], body: dict[str, object], field: str
) -> None:
    client, _ = api
    refused = client.call("POST", "/jobs", json=body)
    assert (refused.status_code, refused.json()["field"]) == (422, field)
    assert client.call("GET", "/jobs").json() == []


def test_unknown_jobs_roles_and_callers_without_a_token(api: tuple[SchemaCheckedClient, Practice]) -> None:
    client, practice = api
    deps = practice.container.deps
    missing = client.call("GET", "/jobs/{job_id}", path={"job_id": "nope"})
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert client.call("POST", "/jobs/{job_id}/resume", path={"job_id": "nope"}).status_code == 404
    assert client.call("GET", "/jobs", params={"limit": 0}).status_code == 422
    assert client.call("GET", "/jobs", params={"kind": "tidy_up"}).json()["field"] == "kind"
    assert client.call("GET", "/jobs", token=None).status_code == 401

    coder = users.create_user(
        deps, practice.admin, username="coder", display_name="Cody Coder", role="coder", password=PASSWORD
    )
    _, coder_token = users.create_token(deps, practice.admin, name="coder", user_id=coder.id)
    built = client.call("POST", "/jobs", json={"kind": "build_claims"}).json()
    refused = client.call("POST", "/jobs", json={"kind": "build_claims"}, token=coder_token)
    assert (refused.status_code, refused.json()["code"]) == (403, "permission_denied")
    assert client.call("GET", "/jobs", token=coder_token).json() == []  # a coder sees no claim jobs
    hidden = client.call("GET", "/jobs/{job_id}", path={"job_id": built["id"]}, token=coder_token)
    assert hidden.status_code == 403
    report = client.call("POST", "/jobs", json={"kind": "report"}, token=coder_token)
    assert (report.status_code, report.json()["status"]) == (202, "succeeded")
    assert [j["kind"] for j in client.call("GET", "/jobs", token=coder_token).json()] == ["report"]
