"""`medbill statements …` as an operator types it: a dry run writing PDFs to a folder, the run, the list, a hold."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medbill.bootstrap import Container
from medbill.cli.statements import app
from tests.integration.test_posting import era, run, submitted, typical
from tests.integration.test_statements_service import dependant
from tests.support import seed_practice


def test_dry_run_to_a_folder_then_run_list_hold_and_release(
    sqlite_container: Container, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    practice = seed_practice(sqlite_container)
    alder = submitted(practice)
    cora = dependant(practice, "Cora", date(2015, 6, 1))
    run(practice, era(typical(alder), typical(cora)))
    monkeypatch.setenv("MEDBILL_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("MEDBILL_CLOCK_AT", "2026-11-26T15:30:00+00:00")
    runner = CliRunner()
    out = tmp_path / "pdfs"

    preview = runner.invoke(app, ["run", "--dry-run", "--out", str(out), "--json", "--min-balance", "36.00"])
    assert preview.exit_code == 0, preview.output
    body = json.loads(preview.output)
    assert (body["dry_run"], body["sent"], body["total_due"], body["skipped"]["below_minimum"]) == (
        True,
        0,
        "0.00",
        2,
    )
    preview = runner.invoke(app, ["run", "--dry-run", "--out", str(out), "--json"])
    body = json.loads(preview.output)
    assert (body["run_id"], body["sent"], body["total_due"]) == (None, 2, "70.00")
    assert sorted(p.name for p in out.iterdir()) == ["S00000001.pdf", "S00000002.pdf"]
    assert json.loads(runner.invoke(app, ["list", "--json"]).output) == []

    account = json.loads(runner.invoke(app, ["run", "--json", "--due-days", "30"]).output)
    assert (account["sent"], account["total_due"]) == (2, "70.00")
    listed = json.loads(runner.invoke(app, ["list", "--json"]).output)
    assert sorted((s["guarantor"], s["amount_due"], s["due_date"]) for s in listed) == [
        ("Ada Alder", "35.00", "2026-12-26"),
        ("Clara Cedar", "35.00", "2026-12-26"),
    ]

    held = runner.invoke(app, ["hold", cora.patient_id, "--reason", "disputes the visit"])
    assert held.exit_code == 0, held.output
    assert runner.invoke(app, ["release", cora.patient_id]).exit_code == 0
    again = runner.invoke(app, ["release", cora.patient_id])
    assert again.exit_code == 1
    assert "error: the patient's statements are not on hold" in again.output

    text = runner.invoke(app, ["run"])
    assert text.exit_code == 0, text.output
    assert "sent 0 statements, $0.00 due; skipped: 2 in cycle" in text.output
