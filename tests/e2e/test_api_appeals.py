"""The appeals API end to end, every answer checked against the OpenAPI document: a denial's template, the appeal
drafted, its letter as PDF, sent, lost, level 2; a write-off by reason; a corrected claim; collections status; and the
refusals as problem+json."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pdfplumber
import pytest

from medbill.bootstrap import Container
from medbill.server import create_app
from medbill.services import users
from tests.integration.test_appeals import denied
from tests.integration.test_posting import submitted
from tests.openapi_client import SchemaCheckedClient
from tests.support import PASSWORD, Practice, seed_practice


@pytest.fixture
def api(container: Container) -> Iterator[tuple[SchemaCheckedClient, Practice]]:
    practice = seed_practice(container)
    _, biller = users.create_token(container.deps, practice.biller, name="tests")
    client = SchemaCheckedClient(create_app(container), token=biller)
    yield client, practice
    client.close()


def test_a_denial_is_appealed_lost_and_taken_to_level_two_over_the_api(
    api: tuple[SchemaCheckedClient, Practice],
) -> None:
    client, practice = api
    claim_id = denied(practice)
    claim_number = client.call("GET", "/claims/{claim_id}", path={"claim_id": claim_id}).json()["claim_id"]

    template = client.call("GET", "/claims/{claim_id}/appeal-template", path={"claim_id": claim_number}).json()
    assert (template["category"], template["level"], template["due_on"]) == ("medical_necessity", 1, "2027-05-24")
    drafted = client.call(
        "POST",
        "/claims/{claim_id}/appeals",
        path={"claim_id": claim_number},
        json={"argument": "The A1c was 11.2%.\n\nPlease pay.", "attachments": ["Lab report", "Progress notes"]},
    )
    assert drafted.status_code == 201, drafted.text
    appeal = drafted.json()
    assert {k: appeal[k] for k in ("claim_id", "status", "level", "attachments", "due_on")} == {
        "claim_id": claim_id,
        "status": "drafted",
        "level": 1,
        "attachments": ["Lab report", "Progress notes"],
        "due_on": "2027-05-24",
    }
    assert appeal["work_item_id"] == template["work_item_id"]

    letter = client.http.get(
        f"/api/v1/appeals/{appeal['id']}/letter", headers={"Authorization": f"Bearer {client.token}"}
    )
    assert (letter.status_code, letter.headers["content-type"], letter.content[:4]) == (200, "application/pdf", b"%PDF")
    operation = client.doc["paths"]["/api/v1/appeals/{appeal_id}/letter"]["get"]
    assert "application/pdf" in operation["responses"]["200"]["content"]
    with pdfplumber.open(io.BytesIO(letter.content)) as document:
        text = " ".join((document.pages[0].extract_text() or "").split())
    assert claim_number in text and "The A1c was 11.2%." in text and "2. Progress notes" in text

    early = client.call(
        "POST", "/appeals/{appeal_id}/outcome", path={"appeal_id": appeal["id"]}, json={"outcome": "won"}
    )
    assert early.status_code == 409 and early.json()["code"] == "invalid_transition"
    sent = client.call("POST", "/appeals/{appeal_id}/sent", path={"appeal_id": appeal["id"]}, json={})
    assert (sent.json()["status"], sent.json()["sent_on"]) == ("sent", "2026-11-26")
    lost = client.call(
        "POST",
        "/appeals/{appeal_id}/outcome",
        path={"appeal_id": appeal["id"]},
        json={"outcome": "lost", "answered_on": "2027-01-10", "note": "upheld"},
    ).json()
    assert (lost["status"], lost["answered_on"], lost["outcome"]) == ("lost", "2027-01-10", "upheld")
    assert client.call("GET", "/work-items", params={"queue": "denial"}).json() == []

    second = client.call("POST", "/claims/{claim_id}/appeals", path={"claim_id": claim_id}, json={"level": 2}).json()
    assert (second["level"], second["due_on"]) == (2, "2027-07-09")
    assert second["argument"] == template["argument"]  # no argument given: the template's
    listed = client.call("GET", "/appeals", params={"claim_id": claim_id}).json()
    assert [(a["level"], a["status"]) for a in listed] == [(2, "drafted"), (1, "lost")]
    assert [a["id"] for a in client.call("GET", "/appeals", params={"status": "lost"}).json()] == [appeal["id"]]
    revised = client.call(
        "PUT", "/appeals/{appeal_id}", path={"appeal_id": second["id"]}, json={"argument": "New facts."}
    ).json()
    assert (revised["argument"], revised["attachments"]) == ("New facts.", [])


def test_write_off_correct_and_collections_over_the_api(api: tuple[SchemaCheckedClient, Practice]) -> None:
    client, practice = api
    claim = submitted(practice)
    path = {"claim_id": claim.id}

    bad = client.call("POST", "/claims/{claim_id}/write-off", path=path, json={"reason": "because", "note": "x"})
    assert bad.status_code == 422
    done = client.call(
        "POST", "/claims/{claim_id}/write-off", path=path, json={"reason": "timely_filing", "note": "never answered"}
    )
    assert done.status_code == 200, done.text
    assert done.json() == {
        "claim_id": claim.id,
        "reason": "timely_filing",
        "lines": [{"line_number": 1, "amount": "120.00"}, {"line_number": 2, "amount": "31.50"}],
        "total": "151.50",
        "closed_work_items": [],
    }
    again = client.call("POST", "/claims/{claim_id}/write-off", path=path, json={"reason": "courtesy", "note": "x"})
    assert again.status_code == 422 and again.json()["field"] == "claim_id"

    other = submitted(practice, "Birch")
    no_number = client.call("POST", "/claims/{claim_id}/void", path={"claim_id": other.id}, json={})
    assert no_number.status_code == 422 and no_number.json()["field"] == "payer_claim_number"
    void = client.call(
        "POST", "/claims/{claim_id}/void", path={"claim_id": other.id}, json={"payer_claim_number": "PCN77"}
    )
    assert void.status_code == 201, void.text
    made = void.json()
    assert (made["original_claim_id"], made["payer_claim_number"], made["status"]) == (other.id, "PCN77", "draft")
    assert client.call("GET", "/claims/{claim_id}", path={"claim_id": other.id}).json()["status"] == "voided"
    denied_id = denied(practice, "Cedar")  # its 835 gave the payer's claim number: a replacement needs no more
    replacement = client.call("POST", "/claims/{claim_id}/replacement", path={"claim_id": denied_id}, json={})
    assert replacement.status_code == 201, replacement.text
    assert replacement.json()["original_claim_id"] == denied_id
    assert client.call("GET", "/claims/{claim_id}", path={"claim_id": denied_id}).json()["status"] == "replaced"

    put = client.call(
        "PUT",
        "/patients/{patient_id}/collections",
        path={"patient_id": claim.patient_id},
        json={"status": "final_notice", "note": "three statements unanswered"},
    )
    assert put.status_code == 200, put.text
    assert (put.json()["status"], put.json()["since"]) == ("final_notice", "2026-11-26")
    [listed] = client.call("GET", "/collections").json()
    assert (listed["patient_id"], listed["status"], listed["patient_balance"]) == (
        claim.patient_id,
        "final_notice",
        "0.00",
    )


def test_the_front_desk_is_refused_appeals_and_write_offs(api: tuple[SchemaCheckedClient, Practice]) -> None:
    client, practice = api
    deps = practice.container.deps
    users.bootstrap_user(
        deps,
        practice_id=practice.admin.practice_id,
        username="desk",
        display_name="Dee Desk",
        role="front_desk",
        password=PASSWORD,
    )
    desk = users.authenticate(deps, username="desk", password=PASSWORD, source="test")
    _, token = users.create_token(deps, desk, name="desk")
    claim_id = denied(practice)
    refused = client.call("POST", "/claims/{claim_id}/appeals", path={"claim_id": claim_id}, json={}, token=token)
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    write_off = client.call(
        "POST",
        "/claims/{claim_id}/write-off",
        path={"claim_id": claim_id},
        json={"reason": "courtesy", "note": "x"},
        token=token,
    )
    assert write_off.status_code == 403
    missing = client.call("GET", "/appeals/{appeal_id}/letter", path={"appeal_id": "nope"})
    assert missing.status_code == 404
    assert client.call("GET", "/appeals").json() == []
