"""Estimates from the latest 271, with exact amounts: the payer's remaining deductible and out-of-pocket, its
coinsurance and visit copay replace what was recorded at registration (copay 25.00, deductible 1,500.00, 20 %).

The sandbox payer plays Acme (its commercial PPO members) and Medicare B; 99213 is charged 140.00 and Acme's
contract allows 120.00; 93000 (no contract fee) is allowed at the Medicare PFS 14.65 for the patient's ZIP.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from medbill.domain.payments import PatientPaymentDraft
from medbill.services import eligibility, estimates, patient_payments
from medbill.services.estimates import AppointmentEstimate
from tests.integration.test_eligibility import insured, sandbox, visit
from tests.support import Practice


def checked_estimate(
    p: Practice, root: Path, coverages: list[tuple[str, str, str]], *codes: str, **person: object
) -> AppointmentEstimate:
    deps = p.container.deps
    patient_id, coverage_ids = insured(p, *coverages, **person)
    appointment = visit(p, patient_id, *codes)
    mailbox = sandbox(p, root)
    for coverage_id in coverage_ids:
        eligibility.check_eligibility(
            deps, p.biller, mailbox, patient_id, coverage_id=coverage_id, appointment_id=appointment
        )
    return estimates.estimate_appointment(deps, p.biller, appointment)


def test_deductible_partly_met_then_coinsurance_after_it(practice: Practice, tmp_path: Path) -> None:
    result = checked_estimate(practice, tmp_path, [("acme", "primary", "COMM-DEDPART")], "99213", "93000")
    office, ecg = result.estimate.lines
    # 50.00 of the deductible remain (the 271), then 20 % of the other 70.00; no copay on this plan
    assert (office.deductible_cents, office.coinsurance_cents, office.copay_cents) == (5000, 1400, 0)
    assert (office.primary_paid_cents, office.patient_cents) == (5600, 6400)
    assert (ecg.line.allowed_cents, ecg.deductible_cents, ecg.coinsurance_cents, ecg.primary_paid_cents) == (
        1465,
        0,
        293,
        1172,
    )
    assert (result.estimate.due_today_cents, result.estimate.patient_total_cents) == (0, 6693)
    assert result.benefits_source == "271" and result.eligibility_check_id is not None


def test_copay_only_when_the_271_says_the_deductible_is_met(practice: Practice, tmp_path: Path) -> None:
    result = checked_estimate(practice, tmp_path, [("acme", "primary", "COMM-COPAY")], "99213")
    [line] = result.estimate.lines
    assert (line.copay_cents, line.deductible_cents, line.coinsurance_cents) == (2500, 0, 0)
    assert (line.primary_paid_cents, line.contractual_cents) == (9500, 2000)
    assert (result.estimate.due_today_cents, result.estimate.patient_total_cents) == (2500, 2500)


def test_the_out_of_pocket_maximum_caps_what_the_patient_pays(practice: Practice, tmp_path: Path) -> None:
    result = checked_estimate(practice, tmp_path, [("acme", "primary", "COMM-OOPMAX")], "99213")
    [line] = result.estimate.lines
    # 30 % of 120.00 would be 36.00; only 10.00 of the out-of-pocket maximum remain
    assert (line.coinsurance_cents, line.primary_paid_cents, line.patient_cents) == (1000, 11000, 1000)


def test_a_271_saying_inactive_makes_the_visit_self_pay(practice: Practice, tmp_path: Path) -> None:
    result = checked_estimate(practice, tmp_path, [("medicare", "primary", "MCR-TERM")], "99213", "93000")
    assert result.estimate.self_pay and result.primary_payer is None
    assert [x.patient_cents for x in result.estimate.lines] == [14000, 5500]
    assert result.estimate.patient_total_cents == 19500
    assert any("inactive" in n for n in result.notes)


def test_the_secondary_picks_up_the_coinsurance_by_its_own_271(practice: Practice, tmp_path: Path) -> None:
    result = checked_estimate(
        practice,
        tmp_path,
        [("acme", "primary", "COMM-DEDPART"), ("medicare", "secondary", "MCR-SUPP")],
        "99213",
    )
    [line] = result.estimate.lines
    # Acme leaves 64.00 (50.00 deductible, 14.00 coinsurance); Medicare as secondary pays 80 % of it
    assert (line.primary_paid_cents, line.secondary_paid_cents, line.patient_cents) == (5600, 5120, 1280)
    assert (line.deductible_cents, line.coinsurance_cents) == (0, 1280)


def test_unapplied_credit_comes_off_what_is_due(practice: Practice, tmp_path: Path) -> None:
    deps = practice.container.deps
    patient_id, _ = insured(practice, ("acme", "primary", "COMM-COPAY"), first_name="Credit")
    patient_payments.take_payment(
        deps,
        practice.biller,
        patient_id,
        PatientPaymentDraft(amount_cents=1000, method="cash", received_on=date(2026, 11, 20)),
    )
    appointment = visit(practice, patient_id, "99213")
    eligibility.check_eligibility(deps, practice.biller, sandbox(practice, tmp_path), patient_id)
    est = estimates.estimate_appointment(deps, practice.biller, appointment).estimate
    assert (est.prior_balance_cents, est.credits_cents) == (0, 1000)
    assert (est.due_today_cents, est.patient_total_cents) == (1500, 1500)
