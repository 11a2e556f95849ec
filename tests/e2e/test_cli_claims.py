"""`medbill claims …` as an operator types it: build, scrub, batch into a folder, list as JSON, show, print a PDF."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medbill.bootstrap import Container
from medbill.cli.claims import app
from medbill.formats import x12
from tests.integration.claims_support import covered_encounter, uncovered_encounter
from tests.support import seed_practice


def test_build_scrub_batch_list_show_and_pdf_from_the_command_line(
    sqlite_container: Container, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    practice = seed_practice(sqlite_container)
    covered_encounter(practice)
    uncovered_encounter(practice)
    monkeypatch.setenv("MEDBILL_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("MEDBILL_CLOCK_AT", "2026-11-26T15:30:00+00:00")  # the day the encounters were recorded
    runner = CliRunner()

    built = runner.invoke(app, ["build", "--json"])
    assert built.exit_code == 0, built.output
    body = json.loads(built.output)
    assert [c["claim_id"] for c in body["created"]] == ["C00000018"]
    assert "no coverage active" in body["skipped"][0]["reason"]

    assert runner.invoke(app, ["scrub"]).exit_code == 0
    listed = json.loads(runner.invoke(app, ["list", "--json", "--status", "scrubbed"]).output)
    (claim,) = listed["claims"]
    assert claim == {
        "id": claim["id"],
        "claim_id": "C00000018",
        "status": "scrubbed",
        "payer": "ACME HEALTH",
        "total": "151.50",
    }

    no_phone = runner.invoke(app, ["batch", "--out", str(tmp_path / "out")])
    assert no_phone.exit_code == 1
    assert "error: contact_phone: the 837's submitter contact" in no_phone.output
    batched = runner.invoke(app, ["batch", "--out", str(tmp_path / "out"), "--contact-phone", "217-555-0100"])
    assert batched.exit_code == 0, batched.output
    (written,) = (tmp_path / "out").iterdir()
    assert written.name == "837P_ACME1_000000001.x12"
    (transaction,) = x12.read(written.read_bytes())
    assert [c.patient_control_number for c in transaction.document.claims] == ["C00000018"]  # type: ignore[union-attr]
    assert json.loads(runner.invoke(app, ["list", "--json", "--status", "scrubbed"]).output) == {"claims": []}

    shown = json.loads(runner.invoke(app, ["show", "C00000018", "--json"]).output)
    assert [h["event"] for h in shown["history"]] == ["scrub", "queue"]
    assert [ln["charge"] for ln in shown["lines"]] == ["120.00", "31.50"]
    pdf = tmp_path / "claim.pdf"
    assert runner.invoke(app, ["pdf", "C00000018", "--out", str(pdf)]).exit_code == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    missing = runner.invoke(app, ["show", "C99999999"])
    assert (missing.exit_code, missing.output.strip()) == (1, "error: no claim with that id in this practice")
    bad = runner.invoke(app, ["list", "--status", "lost"])
    assert bad.exit_code == 1 and "status: 'lost' is not one of" in bad.output
