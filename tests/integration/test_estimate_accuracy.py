"""Estimate against actual by payer: a visit estimated from its 271, billed through the sandbox payer and posted,
beside a self-pay visit whose charges are compared with its good-faith estimate."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from medbill.services import batches, eligibility, estimate_accuracy, patients, submission
from tests.integration.claims_support import OPTIONS, encounter_for
from tests.integration.test_eligibility import DAY, insured, sandbox, visit
from tests.support import FixedClock, Practice, patient_draft


def test_the_report_compares_each_adjudicated_visit_with_its_estimate_as_of_the_appointment(
    practice: Practice, clock: FixedClock, tmp_path: Path
) -> None:
    deps = practice.container.deps
    mailbox = sandbox(practice, tmp_path)
    insured_id, _ = insured(practice, ("acme", "primary", "COMM-COPAY"))
    visit(practice, insured_id, "99213")
    eligibility.check_eligibility(deps, practice.biller, mailbox, insured_id)
    cash = patients.register_patient(deps, practice.biller, patient_draft(first_name="Cash"))
    visit(practice, cash.id, "99213")
    clock.current = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # after the visits
    encounter_for(practice, insured_id, on=DAY, lines=1)
    encounter_for(practice, cash.id, on=DAY, lines=2)  # the visit grew: 99213 and a blood draw x2 (31.50)
    billed = batches.bill_unbilled(deps, practice.admin, options=replace(OPTIONS, usage="T"))
    assert billed.batched == 1  # the self-pay visit has no payer to bill
    submission.send_batches(deps, practice.admin, mailbox)
    submission.ingest_answers(deps, practice.admin, mailbox)

    report = estimate_accuracy.estimate_accuracy(deps, practice.admin, DAY, DAY)

    assert report.not_compared == ()
    by_payer = {p.payer: p for p in report.payers}
    acme, self_pay = by_payer["Acme Health"], by_payer["self-pay"]
    # estimated from the 271: the 25.00 office copay and nothing else; the sandbox payer took the same copay
    assert (acme.visits, acme.estimated_patient_cents, acme.actual_patient_cents) == (1, 2500, 2500)
    assert (acme.mean_absolute_difference_cents, acme.within_tolerance, acme.over_dispute_threshold) == (0, 1, 0)
    assert acme.estimated_insurance_cents == 9500  # 120.00 contract − 25.00
    assert acme.actual_insurance_cents == 9500
    # the good-faith estimate said 140.00; 171.50 was charged: 31.50 more, under the 400.00 dispute threshold
    assert (self_pay.estimated_patient_cents, self_pay.actual_patient_cents) == (14000, 17150)
    assert (self_pay.mean_absolute_difference_cents, self_pay.over_dispute_threshold) == (3150, 0)
    assert [v.benefits_source for v in sorted(report.visits, key=lambda v: v.payer)] == ["271", "charges"]
