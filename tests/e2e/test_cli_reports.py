"""`medbill reports …` as an operator types it: the two --json contracts, and the CSV and Excel files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from medbill.bootstrap import Container
from medbill.cli.app import app
from tests.integration.report_fixture import build_visits
from tests.support import FixedClock, seed_practice

KPI_NAMES = [
    "clean_claim_rate",
    "first_pass_resolution_rate",
    "initial_denial_rate",
    "initial_denial_rate_dollars",
    "denial_rate_by_carc",
    "denial_rate_by_payer",
    "days_in_ar",
    "gross_days_in_ar",
    "percent_ar_over_90",
    "net_collection_rate",
    "charge_lag_days",
    "days_to_submit",
    "estimate_accuracy",
]


@pytest.fixture
def cli(sqlite_container: Container, sqlite_url: str, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    build_visits(seed_practice(sqlite_container), clock)
    monkeypatch.setenv("MEDBILL_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("MEDBILL_CLOCK_AT", "2026-11-26T15:30:00+00:00")
    return CliRunner()


def test_reports_kpis_json_is_one_object_keyed_by_kpi_name(cli: CliRunner, tmp_path: Path) -> None:
    out = cli.invoke(app, ["reports", "kpis", "--json", "--from", "2026-09-01", "--to", "2026-11-26"])
    assert out.exit_code == 0, out.output
    body = json.loads(out.output)
    assert list(body) == KPI_NAMES
    # the numbers are worked by hand in tests/integration/test_reports.py
    assert {k: v["value"] for k, v in body.items()} == {
        "clean_claim_rate": "0.7500",
        "first_pass_resolution_rate": "0.2500",
        "initial_denial_rate": "1.0000",
        "initial_denial_rate_dollars": "0.7921",
        "denial_rate_by_carc": "1.0000",
        "denial_rate_by_payer": "1.0000",
        "days_in_ar": "66.75",
        "gross_days_in_ar": "58.66",
        "percent_ar_over_90": "0.3095",
        "net_collection_rate": "0.4702",
        "charge_lag_days": "1.20",
        "days_to_submit": "3.00",
        "estimate_accuracy": "0",
    }
    assert body["clean_claim_rate"]["counts"] == {"clean": 3, "submitted": 4}
    assert body["initial_denial_rate_dollars"]["counts"] == {
        "denied_amount": "120.00",
        "submitted_amount": "151.50",
        "prior_months": 3,
        "period_months": 3,
    }
    assert body["clean_claim_rate"]["target"] == {"threshold": "0.95", "direction": "at_least", "met": False}
    assert body["denial_rate_by_carc"]["groups"]["CO-50"]["value"] == "1.0000"
    [payer] = body["denial_rate_by_payer"]["groups"].values()
    assert (payer["label"], payer["counts"]) == (
        "Acme Health",
        {"denied": 1, "submitted": 1, "prior_months": 3, "period_months": 3},
    )
    assert len(body["clean_claim_rate"]["base_claim_ids"]) == 4

    table, book = tmp_path / "kpis.csv", tmp_path / "kpis.xlsx"
    files = cli.invoke(app, ["reports", "kpis", "--from", "2026-09-01", "--csv", str(table), "--xlsx", str(book)])
    assert files.exit_code == 0, files.output
    assert "clean_claim_rate" in files.output and "missed" in files.output
    rows = list(csv.reader(io.StringIO(table.read_text(encoding="utf-8"))))
    assert rows[0] == ["scope", "from", "to", "kpi", "group", "value", "unit", "counts", "note"]
    assert rows[1][:7] == ["All", "2026-09-01", "2026-11-26", "clean_claim_rate", "", "0.7500", "rate"]
    assert ["Nov 2026", "2026-11-01", "2026-11-26", "days_in_ar", "", "66.75", "days"] in [r[:7] for r in rows]
    sheets = load_workbook(book)
    assert sheets.sheetnames == ["KPIs", "by month", "by payer", "by provider"]
    assert [str(c.value) for c in sheets["KPIs"][2]][3:7] == ["clean_claim_rate", "None", "0.75", "rate"]


def test_reports_aging_json_has_the_buckets_with_amounts_and_claim_counts(cli: CliRunner, tmp_path: Path) -> None:
    out = cli.invoke(app, ["reports", "aging", "--json"])
    assert out.exit_code == 0, out.output
    body = json.loads(out.output)
    assert (body["as_of"], body["by"], body["basis"]) == ("2026-11-26", "payer", "service")
    assert body["buckets"] == ["0-30", "31-60", "61-90", "91-120", "120+"]
    assert body["totals"] == {
        "0-30": {"amount": "151.50", "claims": 0, "visits": 1},  # F, not billed yet
        "31-60": {"amount": "151.50", "claims": 2, "visits": 2},  # the denials still owed: B 31.50, C 120.00
        "61-90": {"amount": "0.00", "claims": 0, "visits": 0},
        "91-120": {"amount": "0.00", "claims": 0, "visits": 0},
        "120+": {"amount": "151.50", "claims": 1, "visits": 1},  # E, 134 days after its date of service
    }
    assert body["total"] == {"amount": "454.50", "claims": 3, "visits": 4}
    assert [(r["label"], r["total"]["amount"]) for r in body["rows"]] == [
        ("Acme Health", "303.00"),
        ("not billed yet", "151.50"),
    ]

    patients = json.loads(cli.invoke(app, ["reports", "aging", "--json", "--by", "patient"]).output)
    assert [(r["label"], r["buckets"]["61-90"]) for r in patients["rows"]] == [
        ("Alder, Ada", {"amount": "35.00", "claims": 1, "visits": 1})
    ]
    sent = json.loads(cli.invoke(app, ["reports", "aging", "--json", "--basis", "submission"]).output)
    assert sent["buckets"][-1] == "not sent" and sent["totals"]["91-120"]["amount"] == "151.50"

    table, book = tmp_path / "aging.csv", tmp_path / "aging.xlsx"
    assert cli.invoke(app, ["reports", "aging", "--csv", str(table), "--xlsx", str(book)]).exit_code == 0
    rows = list(csv.reader(io.StringIO(table.read_text(encoding="utf-8"))))
    assert rows[0][:3] == ["payer", "account", "0-30 amount"]
    assert rows[-1][:8] == ["total", "", "151.50", "151.50", "0.00", "0.00", "151.50", "454.50"]
    assert load_workbook(book).sheetnames == ["aging by payer"]

    refused = cli.invoke(app, ["reports", "aging", "--by", "provider"])
    assert refused.exit_code == 1
    assert "error:" in refused.output and "by" in refused.output
