"""`medbill payments …` and `medbill deposits …` as an operator types them, with --json and one-line refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medbill.bootstrap import Container
from medbill.cli.app import app
from medbill.services import patients
from tests.integration.test_posting import era, run, submitted, typical
from tests.integration.test_reconciliation import STATEMENT
from tests.support import seed_practice


def test_take_refund_write_off_plan_and_reconcile_from_the_command_line(
    sqlite_container: Container, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    practice = seed_practice(sqlite_container)
    claim = submitted(practice)
    run(practice, era(typical(claim)))  # owes 35.00
    account = patients.get_patient(sqlite_container.deps, practice.biller, claim.patient_id).account_number
    monkeypatch.setenv("MEDBILL_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("MEDBILL_CLOCK_AT", "2026-11-26T15:30:00+00:00")
    runner = CliRunner()

    def call(*args: str) -> object:
        done = runner.invoke(app, [*args, "--json"])
        assert done.exit_code == 0, done.output
        return json.loads(done.output)

    card = runner.invoke(
        app, ["payments", "take", account, "10.00", "--method", "card", "--reference", "4111111111111111"]
    )
    assert card.exit_code == 1
    assert card.output.startswith("error: reference: looks like a full card number")
    assert len(card.output.strip().splitlines()) == 1

    taken = call("payments", "take", account, "36.00", "--method", "check", "--reference", "1044")
    assert taken == {
        **taken,  # type: ignore[dict-item]
        "amount": "36.00",
        "unapplied": "1.00",
        "applied": [{"encounter_id": claim.encounter_id, "amount": "35.00"}],
    }
    assert call("payments", "credit", account) == {"applied": [], "applied_total": "0.00", "credit": "1.00"}
    too_much = runner.invoke(app, ["payments", "refund", account, "2.00", "--reference", "9001"])
    assert too_much.exit_code == 1 and "more than the available credit of 1.00" in too_much.output
    refunded = call("payments", "refund", account, "1.00", "--reference", "9001")
    assert (refunded["kind"], refunded["amount"]) == ("refund", "1.00")  # type: ignore[index]
    assert call("payments", "write-off-small", "--threshold", "5.00") == {"visits": [], "total": "0.00"}

    other = submitted(practice, last_name="Birch")
    run(practice, era(typical(other), trace="EFT2002"))
    [plan] = call(  # type: ignore[misc]
        "payments",
        "plan",
        "create",
        other.patient_id,
        "--total",
        "35.00",
        "--installment",
        "10.00",
        "--first-due",
        "2026-12-01",
    )
    assert (plan["state"], plan["remaining"], plan["behind"]) == ("active", "35.00", False)
    [shown] = call("payments", "plan", "show", plan["id"])  # type: ignore[misc]
    assert shown["next_due"] == {"due": "2026-12-01", "amount": "10.00"}

    csv = tmp_path / "november.csv"
    csv.write_bytes(STATEMENT)
    assert call("deposits", "import", str(csv))["added"] == 2  # type: ignore[index]
    again = call("deposits", "import", str(csv))
    assert again["message"] == "november.csv: all 2 deposit(s) were imported before; nothing added"  # type: ignore[index]
    report = call("deposits", "reconcile", "--from", "2026-11-01", "--to", "2026-11-30")
    assert [m["payment"]["trace_number"] for m in report["matched"]] == ["EFT1001"]  # type: ignore[index]
    assert [p["trace_number"] for p in report["unmatched_payments"]] == ["EFT2002"]  # type: ignore[index]
    assert report["days"][-1] == {  # type: ignore[index]
        "day": "2026-11-26",
        "deposits": "97.34",
        "payer_payments": "0.00",
        "patient_payments": "36.00",
        "difference": "61.34",
    }
