"""The remittance API end to end: preview, post, re-import, the queues, a claim's ledger and a patient's account, every
answer checked against the OpenAPI document."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from medbill.bootstrap import Container
from medbill.domain.remittance import ClaimPayment
from medbill.domain.remittance import ClaimStatus as Clp
from medbill.server import create_app
from medbill.services import users
from tests.integration.test_posting import cas, clp, era, submitted, svc, typical
from tests.openapi_client import SchemaCheckedClient
from tests.support import Practice, seed_practice


@pytest.fixture
def api(container: Container) -> Iterator[tuple[SchemaCheckedClient, Practice]]:
    practice = seed_practice(container)
    _, biller = users.create_token(container.deps, practice.biller, name="tests")
    client = SchemaCheckedClient(create_app(container), token=biller)
    yield client, practice
    client.close()


def upload(client: SchemaCheckedClient, data: bytes, *, dry_run: bool = False) -> dict[str, object]:
    response = client.call(
        "POST",
        "/remittances",
        params={"dry_run": str(dry_run).lower()},
        files={"file": ("acme.835", data, "application/edi-x12")},
    )
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def test_preview_post_and_reimport_an_835_then_read_the_ledger(api: tuple[SchemaCheckedClient, Practice]) -> None:
    client, practice = api
    claim = submitted(practice)
    other = submitted(practice, last_name="Birch")
    denied = clp(other, svc(other, 1, 0, cas("CO-50", 12000)), svc(other, 2, 0, cas("CO-50", 3150)), status=Clp.DENIED)
    stranger = ClaimPayment(
        claim_id="X77", status=Clp.PRIMARY, charge_cents=1000, paid_cents=1000, filing_indicator="CI"
    )
    data = era(typical(claim), denied, stranger)

    preview = upload(client, data, dry_run=True)
    assert {k: preview[k] for k in ("claim_payments", "posted", "unmatched", "balanced", "already_imported")} == {
        "claim_payments": 3,
        "posted": 2,
        "unmatched": 1,
        "balanced": True,
        "already_imported": False,
    }
    assert client.call("GET", "/remittances").json() == []

    posted = upload(client, data)
    assert (posted["posted"], posted["dry_run"]) == (2, False)
    [tr] = posted["transactions"]  # type: ignore[misc]
    assert tr["totals"] == {
        "contractual_adjustment": "31.50",
        "denial": "151.50",  # kept as data; Acme still owes it until the denial is worked
        "payer_payment": "85.00",
        "transfer_to_patient": "35.00",
    }
    assert [c["action"] for c in tr["claims"]] == ["posted", "posted", "unmatched"]
    again = upload(client, data)
    assert (again["already_imported"], again["posted"]) == (True, 0)

    [listed] = client.call("GET", "/remittances").json()
    assert (listed["amount"], listed["posted"], listed["unmatched"], listed["denied"]) == ("95.00", 2, 1, 1)
    detail = client.call("GET", "/remittances/{remittance_id}", path={"remittance_id": listed["id"]}).json()
    assert len(detail["entries"]) == 8
    assert sorted(w["queue"] for w in detail["work_items"]) == ["denial", "unmatched"]

    denials = client.call("GET", "/work-items", params={"queue": "denial"}).json()
    assert [(d["reference"], d["amount"]) for d in denials] == [(other.patient_control_number, "151.50")]
    closed = client.call(
        "POST",
        "/work-items/{item_id}/close",
        path={"item_id": denials[0]["id"]},
        json={"resolution": "appealed with records"},
    )
    assert (closed.status_code, closed.json()["status"], closed.json()["closed_by"]) == (200, "closed", "biller")
    assert client.call("GET", "/work-items", params={"queue": "denial"}).json() == []
    empty = client.call(
        "POST", "/work-items/{item_id}/close", path={"item_id": denials[0]["id"]}, json={"resolution": " "}
    )
    assert (empty.status_code, empty.json()["field"]) == (422, "resolution")

    ledger = client.call("GET", "/claims/{claim_id}/ledger", path={"claim_id": claim.id}).json()
    assert [(li["line_number"], li["balance"]["patient_balance"]) for li in ledger["visit"]["lines"]] == [
        (1, "35.00"),
        (2, "0.00"),
    ]
    acme = client.call("GET", "/payers/{payer_id}/totals", path={"payer_id": practice.commercial_id}).json()
    # the CO-50 denial is not an adjustment: its 151.50 stays owed by Acme until the biller works it
    assert (acme["payments"], acme["adjustments"], acme["to_patient"]) == ("85.00", "31.50", "35.00")
    account = client.call("GET", "/patients/{patient_id}/account", path={"patient_id": claim.patient_id}).json()
    assert account["balance"]["patient_balance"] == "35.00"
    assert account["visits"][0]["owed_by_share"] == {"copay": "25.00", "coinsurance": "10.00"}


def test_a_broken_file_is_refused_as_problem_json(api: tuple[SchemaCheckedClient, Practice]) -> None:
    client, _ = api
    response = client.call(
        "POST", "/remittances", files={"file": ("bad.835", b"ISA*00*garbage", "application/edi-x12")}
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("bad.835: ")


def test_a_paper_eob_is_posted_through_the_api(api: tuple[SchemaCheckedClient, Practice]) -> None:
    client, practice = api
    claim = submitted(practice)
    body = {
        "check_number": "004512",
        "paid_on": "2026-11-24",
        "lines": [
            {"line_number": 1, "paid": "65.00", "adjustments": {"CO-45": "20.00", "PR-3": "25.00", "PR-2": "10.00"}},
            {"line_number": 2, "paid": "20.00", "adjustments": {"CO-45": "11.50"}},
        ],
    }
    posted = client.call("POST", "/claims/{claim_id}/eob", path={"claim_id": claim.id}, json=body)
    assert posted.status_code == 200, posted.text
    assert (posted.json()["posted"], posted.json()["transactions"][0]["amount"]) == (1, "85.00")
    short = {**body, "check_number": "004513", "lines": [{"line_number": 1, "paid": "65.00", "adjustments": {}}]}
    refused = client.call("POST", "/claims/{claim_id}/eob", path={"claim_id": claim.id}, json=short)
    assert (refused.status_code, refused.json()["field"]) == (422, "lines[1]")
