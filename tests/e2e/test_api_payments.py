"""The patient-payment and reconciliation API end to end: take a payment, credit, refund, plans, write-offs, deposits
and reconciliation, every answer checked against the OpenAPI document."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from medbill.bootstrap import Container
from medbill.server import create_app
from medbill.services import users
from tests.integration.test_posting import era, run, submitted, typical
from tests.integration.test_reconciliation import STATEMENT
from tests.openapi_client import SchemaCheckedClient
from tests.support import PASSWORD, Practice, seed_practice

Api = tuple[SchemaCheckedClient, Practice, str]


@pytest.fixture
def api(container: Container) -> Iterator[Api]:
    """A biller's client over the seeded practice, and a front-desk user's token."""
    practice = seed_practice(container)
    _, biller = users.create_token(container.deps, practice.biller, name="tests")
    users.bootstrap_user(
        container.deps,
        practice_id=practice.biller.practice_id,
        username="desk",
        display_name="Dee Desk",
        role="front_desk",
        password=PASSWORD,
    )
    desk = users.authenticate(container.deps, username="desk", password=PASSWORD, source="test")
    _, desk_token = users.create_token(container.deps, desk, name="desk")
    client = SchemaCheckedClient(create_app(container), token=biller)
    yield client, practice, desk_token
    client.close()


def test_take_a_payment_keep_the_credit_refund_part_of_it_and_plan_the_rest(api: Api) -> None:
    client, practice, desk = api
    claim = submitted(practice)
    run(practice, era(typical(claim)))  # the patient owes 35.00
    path = {"patient_id": claim.patient_id}

    card = client.call(
        "POST",
        "/patients/{patient_id}/payments",
        path=path,
        json={"amount": "10.00", "method": "card", "reference": "4111111111111111"},
    )
    assert (card.status_code, card.json()["field"]) == (422, "reference")
    taken = client.call(
        "POST", "/patients/{patient_id}/payments", path=path, token=desk, json={"amount": "50.00", "method": "cash"}
    )
    assert taken.status_code == 201, taken.text
    body = taken.json()
    assert (body["amount"], body["unapplied"], body["applied"]) == (
        "50.00",
        "15.00",
        [{"encounter_id": claim.encounter_id, "amount": "35.00"}],
    )
    account = client.call("GET", "/patients/{patient_id}/account", path=path).json()
    assert account["balance"]["patient_balance"] == "0.00"

    too_much = client.call(
        "POST", "/patients/{patient_id}/refunds", path=path, json={"amount": "15.01", "reference": "2001"}
    )
    assert (too_much.status_code, too_much.json()["field"]) == (422, "amount")
    refused = client.call(
        "POST", "/patients/{patient_id}/refunds", path=path, token=desk, json={"amount": "5.00", "reference": "2001"}
    )
    assert refused.status_code == 403
    done = client.call(
        "POST", "/patients/{patient_id}/refunds", path=path, json={"amount": "10.00", "reference": "2001"}
    )
    assert (done.status_code, done.json()["kind"], done.json()["amount"]) == (201, "refund", "10.00")
    listed = client.call("GET", "/patients/{patient_id}/payments", path=path).json()
    assert (listed["credit"], [p["kind"] for p in listed["payments"]]) == ("5.00", ["payment", "refund"])

    applied = client.call("POST", "/patients/{patient_id}/credits/apply", path=path).json()
    assert applied == {"applied": [], "applied_total": "0.00", "credit": "5.00"}

    other = submitted(practice, last_name="Birch")
    run(practice, era(typical(other), trace="EFT2002"))
    plan = client.call(
        "POST",
        "/patients/{patient_id}/plans",
        path={"patient_id": other.patient_id},
        json={"total": "35.00", "installment": "20.00", "first_due": "2026-12-01"},
    )
    assert plan.status_code == 201, plan.text
    assert (plan.json()["state"], plan.json()["behind"], [i["amount"] for i in plan.json()["schedule"]]) == (
        "active",
        False,
        ["20.00", "15.00"],
    )
    [again] = client.call("GET", "/patients/{patient_id}/plans", path={"patient_id": other.patient_id}).json()
    assert (again["id"], again["remaining"], again["next_due"]) == (
        plan.json()["id"],
        "35.00",
        {"due": "2026-12-01", "amount": "20.00"},
    )


def test_small_balances_are_written_off_by_a_biller_not_the_front_desk(api: Api) -> None:
    client, practice, desk = api
    claim = submitted(practice)
    run(practice, era(typical(claim)))
    client.call(
        "POST",
        "/patients/{patient_id}/payments",
        path={"patient_id": claim.patient_id},
        json={"amount": "32.00", "method": "cash"},
    )
    body = {"threshold": "5.00", "reason": "small balance"}
    refused = client.call("POST", "/write-offs/small-balances", token=desk, json=body)
    assert refused.status_code == 403
    done = client.call("POST", "/write-offs/small-balances", json=body)
    assert done.status_code == 200
    assert done.json() == {
        "visits": [{"patient_id": claim.patient_id, "encounter_id": claim.encounter_id, "amount": "3.00"}],
        "total": "3.00",
    }


def test_upload_deposits_twice_and_reconcile_them_with_the_835(api: Api) -> None:
    client, practice, _ = api
    claim = submitted(practice)
    run(practice, era(typical(claim)))
    first = client.call("POST", "/deposits", files={"file": ("november.csv", STATEMENT, "text/csv")})
    assert (first.status_code, first.json()["added"]) == (200, 2)
    again = client.call("POST", "/deposits", files={"file": ("november.csv", STATEMENT, "text/csv")}).json()
    assert (again["added"], again["already_imported"]) == (0, 2)

    report = client.call("GET", "/reconciliation", params={"start": "2026-11-01", "end": "2026-11-30"}).json()
    [pair] = report["matched"]
    assert (pair["basis"], pair["payment"]["trace_number"], pair["deposit"]["amount"], pair["difference"]) == (
        "trace",
        "EFT1001",
        "85.00",
        "0.00",
    )
    assert [d["amount"] for d in report["unmatched_deposits"]] == ["12.34"]
    assert report["unmatched_payments"] == []
    assert [(d["day"], d["deposits"], d["payer_payments"], d["difference"]) for d in report["days"]] == [
        ("2026-11-25", "0.00", "85.00", "-85.00"),
        ("2026-11-26", "97.34", "0.00", "97.34"),
    ]
    backwards = client.call("GET", "/reconciliation", params={"start": "2026-11-30", "end": "2026-11-01"})
    assert (backwards.status_code, backwards.json()["field"]) == (422, "end")
