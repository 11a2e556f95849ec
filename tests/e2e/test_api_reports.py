"""The reports API end to end: A/R aging and the KPIs, every answer checked against the OpenAPI document."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from medbill.bootstrap import Container
from medbill.server import create_app
from medbill.services import users
from tests.integration.report_fixture import Visits, build_visits
from tests.openapi_client import SchemaCheckedClient
from tests.support import FixedClock, Practice, seed_practice


@pytest.fixture
def api(container: Container, clock: FixedClock) -> Iterator[tuple[SchemaCheckedClient, Practice, Visits]]:
    practice = seed_practice(container)
    visits = build_visits(practice, clock)
    _, token = users.create_token(container.deps, practice.biller, name="tests")
    client = SchemaCheckedClient(create_app(container), token=token)
    yield client, practice, visits
    client.close()


def test_aging_by_payer_and_by_patient(api: tuple[SchemaCheckedClient, Practice, Visits]) -> None:
    client, practice, visits = api
    aging = client.call("GET", "/reports/aging")
    assert aging.status_code == 200, aging.text
    body = aging.json()
    # E 151.50 at 134 days and the denials still owed (B 31.50, C 120.00) on Acme; F 151.50 at 2 days, not billed
    # yet (worked in tests/integration/test_reports.py)
    assert [(r["key"], r["label"], r["total"]) for r in body["rows"]] == [
        (practice.commercial_id, "Acme Health", {"amount": "303.00", "claims": 3, "visits": 3}),
        (None, "not billed yet", {"amount": "151.50", "claims": 0, "visits": 1}),
    ]
    assert body["totals"]["120+"] == {"amount": "151.50", "claims": 1, "visits": 1}

    patients = client.call("GET", "/reports/aging", params={"by": "patient", "basis": "submission"}).json()
    assert [(r["key"], r["buckets"]["61-90"]["amount"]) for r in patients["rows"]] == [(visits.a_patient, "35.00")]
    assert patients["buckets"][-1] == "not sent"

    earlier = client.call("GET", "/reports/aging", params={"as_of": "2026-09-30"}).json()
    assert earlier["total"] == {"amount": "151.50", "claims": 1, "visits": 1}

    refused = client.call("GET", "/reports/aging", params={"by": "provider"})
    assert refused.status_code == 422
    anonymous = client.call("GET", "/reports/aging", token=None)
    assert anonymous.status_code == 401


def test_kpis_overall_by_month_payer_and_provider(api: tuple[SchemaCheckedClient, Practice, Visits]) -> None:
    client, practice, visits = api
    answer = client.call("GET", "/reports/kpis", params={"from": "2026-09-01", "to": "2026-11-26"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["start"], body["end"]) == ("2026-09-01", "2026-11-26")
    kpis = body["kpis"]
    assert (kpis["clean_claim_rate"]["value"], kpis["clean_claim_rate"]["counts"]) == (
        "0.7500",
        {"clean": 3, "submitted": 4},
    )
    assert kpis["net_collection_rate"]["counts"] == {
        "payments_amount": "300.00",
        "charges_amount": "726.00",
        "contractual_adjustments_amount": "88.00",
    }
    assert kpis["initial_denial_rate"]["claim_ids"] == [visits.c.id]
    assert kpis["initial_denial_rate"]["base_claim_ids"] == [visits.e.id]  # first sent in the 3 months before
    assert kpis["days_in_ar"]["counts"] == {
        "ar_amount": "489.50",
        "net_revenue_amount": "638.00",
        "charges_amount": "726.00",
        "deductions_amount": "88.00",
        "window_days": 87,
    }
    assert kpis["days_in_ar"]["target"] == {"threshold": "40", "direction": "at_most", "met": False}
    assert kpis["estimate_accuracy"]["computed"] is False
    assert [(m["key"], m["kpis"]["days_in_ar"]["value"]) for m in body["by_month"]] == [
        ("2026-09", "63.20"),
        ("2026-10", "83.70"),
        ("2026-11", "66.75"),
    ]
    assert [p["label"] for p in body["by_payer"]] == ["Acme Health"]
    assert [p["key"] for p in body["by_provider"]] == [practice.provider_id]

    backwards = client.call("GET", "/reports/kpis", params={"from": "2026-11-26", "to": "2026-09-01"})
    assert (backwards.status_code, backwards.json()["field"]) == (422, "to")
