"""The statements page: the nav link for those who may run statements, a preview, a run with its PDF link, holds."""

from __future__ import annotations

from medbill.services import patients, statements
from tests.e2e.conftest import Web
from tests.integration.test_posting import era, run, submitted, typical


def test_preview_run_open_the_pdf_then_hold_and_release(web: Web) -> None:
    practice = web.practice
    claim = submitted(practice)
    run(practice, era(typical(claim)))
    home = web.client.get("/")
    assert '<a href="/statements"' in home.text

    preview = web.post("/statements/run", {"min_balance": "5.00", "cycle_days": "28", "due_days": "21", "dry_run": "1"})
    assert preview.status_code == 200
    assert "Preview: nothing was kept" in preview.text
    assert "1 would be sent, $35.00 due." in preview.text
    assert statements.list_runs(practice.container.deps, practice.biller) == []

    done = web.post("/statements/run", {"min_balance": "5.00", "cycle_days": "28", "due_days": "21"})
    assert "1 sent, $35.00 due." in done.text
    [sent] = statements.list_statements(practice.container.deps, practice.biller)
    assert f'href="/statements/{sent.record.id}/pdf"' in done.text
    pdf = web.client.get(f"/statements/{sent.record.id}/pdf")
    assert (pdf.status_code, pdf.headers["content-type"], pdf.content[:4]) == (200, "application/pdf", b"%PDF")

    refused = web.post("/statements/run", {"min_balance": "five", "cycle_days": "28", "due_days": "21"})
    assert refused.status_code == 422
    assert "min_balance: &#39;five&#39; is not an amount in dollars" in refused.text

    account = patients.get_patient(practice.container.deps, practice.biller, claim.patient_id).account_number
    held = web.post("/statements/holds", {"account_number": account, "reason": "dispute"}, follow=True)
    assert held.status_code == 200 and "Alder" in held.text and "dispute" in held.text
    [(hold, _)] = statements.list_holds(practice.container.deps, practice.biller)
    released = web.post(f"/statements/holds/{hold.patient_id}/release", {}, follow=True)
    assert "No patient's statements are on hold." in released.text

    unknown = web.post("/statements/holds", {"account_number": "NOPE1", "reason": "dispute"})
    assert (unknown.status_code, "no patient with account number NOPE1" in unknown.text) == (422, True)
