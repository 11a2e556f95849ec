"""`medbill appeals …`, `medbill claims write-off | void` and `medbill collections …` as an operator types them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medbill.bootstrap import Container
from medbill.cli.app import app
from medbill.services import patients
from tests.integration.test_appeals import denied
from tests.integration.test_posting import submitted
from tests.support import seed_practice


def test_appeal_write_off_void_and_collections_from_the_command_line(
    sqlite_container: Container, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    practice = seed_practice(sqlite_container)
    claim_id = denied(practice)
    unanswered = submitted(practice, "Birch")
    account = patients.get_patient(sqlite_container.deps, practice.biller, unanswered.patient_id).account_number
    monkeypatch.setenv("MEDBILL_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("MEDBILL_CLOCK_AT", "2026-11-26T15:30:00+00:00")
    runner = CliRunner()

    def call(*args: str) -> object:
        done = runner.invoke(app, [*args, "--json"])
        assert done.exit_code == 0, done.output
        return json.loads(done.output)

    drafted = call("appeals", "draft", claim_id, "--argument", "Records enclosed.", "--attach", "Chart notes")
    assert (drafted["status"], drafted["level"], drafted["attachments"], drafted["due_on"]) == (  # type: ignore[index]
        "drafted",
        1,
        ["Chart notes"],
        "2027-05-24",
    )
    appeal_id = str(drafted["id"])  # type: ignore[index]
    out = tmp_path / "letter.pdf"
    wrote = runner.invoke(app, ["appeals", "letter", appeal_id, "--out", str(out)])
    assert wrote.exit_code == 0 and out.read_bytes().startswith(b"%PDF")
    early = runner.invoke(app, ["appeals", "outcome", appeal_id, "won"])
    assert early.exit_code == 1 and early.output.startswith("error: an appeal that is drafted cannot become won")
    assert call("appeals", "sent", appeal_id, "--on", "2026-11-27")["sent_on"] == "2026-11-27"  # type: ignore[index]
    won = call("appeals", "outcome", appeal_id, "won", "--on", "2027-01-04", "--note", "paid on reprocessing")
    assert (won["status"], won["outcome"]) == ("won", "paid on reprocessing")  # type: ignore[index]
    assert [a["id"] for a in call("appeals", "list", "--status", "won")] == [appeal_id]  # type: ignore[union-attr]

    written = call(
        "claims", "write-off", unanswered.patient_control_number, "--reason", "timely_filing", "--note", "never sent"
    )
    assert (written["total"], written["lines"]) == (  # type: ignore[index]
        "151.50",
        [{"line_number": 1, "amount": "120.00"}, {"line_number": 2, "amount": "31.50"}],
    )
    void = call("claims", "void", unanswered.id, "--payer-claim-number", "PCN9")
    assert (void["frequency"], void["original_claim_id"]) == ("8", unanswered.id)  # type: ignore[index]

    status = call("collections", "set", account, "final_notice", "--note", "3 statements unpaid")
    assert (status["status"], status["since"]) == ("final_notice", "2026-11-26")  # type: ignore[index]
    [listed] = call("collections", "list")  # type: ignore[misc]
    assert (listed["account_number"], listed["status"]) == (account, "final_notice")
