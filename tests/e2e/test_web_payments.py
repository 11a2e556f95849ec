"""Taking a payment and reconciling deposits in the browser's forms (with their CSRF tokens), over the whole app."""

from __future__ import annotations

from medbill.services import patient_payments
from tests.e2e.conftest import Web, csrf_of
from tests.integration.test_posting import era, run, submitted, typical
from tests.integration.test_reconciliation import STATEMENT


def owing(web: Web) -> tuple[str, str]:
    """A patient owing 35.00 after Acme's 835 (EFT1001, 85.00): (patient id, encounter id)."""
    claim = submitted(web.practice)
    run(web.practice, era(typical(claim)))
    return claim.patient_id, claim.encounter_id


def test_the_front_desk_takes_a_payment_from_the_patient_page(web_on_each_database: Web) -> None:
    web = web_on_each_database
    patient_id, encounter_id = owing(web)
    chart = web.client.get(f"/patients/{patient_id}")
    assert f'href="/patients/{patient_id}/payments" id="take-payment-link">Take a payment<' in chart.text
    form = web.client.get(f"/patients/{patient_id}/payments")
    assert form.status_code == 200 and 'id="payment-form"' in form.text
    assert f'<option value="{encounter_id}">11/20/2026: owes $35.00</option>' in form.text

    done = web.post(
        f"/patients/{patient_id}/payments",
        {"amount": "50.00", "method": "cash", "reference": "", "received_on": "2026-11-26", "visit": ""},
        follow=True,
    )
    assert done.status_code == 200 and done.url.path == f"/patients/{patient_id}/payments"
    assert "Payment of $50.00 by cash recorded; $15.00 left as credit." in done.text
    assert '<strong id="patient-owes">$0.00</strong>' in done.text
    assert '<strong id="patient-credit">$15.00</strong>' in done.text


def test_a_full_card_number_is_refused_next_to_its_field_and_nothing_is_saved(web: Web) -> None:
    patient_id, _ = owing(web)
    refused = web.post(
        f"/patients/{patient_id}/payments",
        {"amount": "10.00", "method": "card", "reference": "4111 1111 1111 1111", "received_on": "2026-11-26"},
    )
    assert refused.status_code == 422
    assert "Nothing was saved." in refused.text
    assert 'id="err-f-reference"' in refused.text and "never stores" in refused.text
    deps, biller = web.practice.container.deps, web.practice.biller
    assert patient_payments.list_payments(deps, biller, patient_id).payments == ()


def test_deposits_uploaded_twice_are_added_once_and_reconciled_against_the_835(web: Web) -> None:
    owing(web)
    page = web.client.get("/reconciliation?start=2026-11-01&end=2026-11-30")
    assert page.status_code == 200 and 'href="/reconciliation" aria-current="page"' in page.text
    token = csrf_of(page.text)
    files = {"file": ("november.csv", STATEMENT, "text/csv")}
    path = "/reconciliation/deposits?start=2026-11-01&end=2026-11-30"
    first = web.client.post(path, data={"csrf_token": token}, files=files)
    assert first.status_code == 200, first.text[:400]
    assert "november.csv: 2 deposit(s) added, 0 already imported" in first.text
    again = web.client.post(path, data={"csrf_token": token}, files=files)
    assert "november.csv: all 2 deposit(s) were imported before; nothing added" in again.text
    assert "<h2>Matched (1)</h2>" in again.text
    assert "<td>EFT1001</td>" in again.text
    assert "Deposits with no payment (1)" in again.text and "BRANCH DEPOSIT" in again.text
    assert (
        '<tr data-day="2026-11-26"><td>11/26/2026</td><td class="num">$97.34</td><td class="num">$0.00</td>'
        '<td class="num">$0.00</td><td class="num">$97.34</td></tr>'
    ) in again.text
    without_token = web.client.post(path, files=files)
    assert without_token.status_code == 403
