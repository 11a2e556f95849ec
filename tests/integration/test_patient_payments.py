"""Patient payments on both databases: oldest visit first or the chosen one, spread over lines, overpayment as credit
applied after a later 835, refunds limited to the credit, small-balance write-offs and who may do them, plans."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from medbill.domain.claim_records import ClaimRecord
from medbill.domain.claim_states import ClaimEvent
from medbill.domain.errors import Conflict, PermissionDenied, ValidationError
from medbill.domain.ledger import EntryKind
from medbill.domain.payments import PatientPaymentDraft
from medbill.domain.users import Actor, Role
from medbill.services import accounts, claims
from medbill.services import patient_payments as pay
from medbill.services import payment_plans as plans
from medbill.services.ports import PaymentKind, PlanState
from tests.integration.claims_support import advance, encounter_for
from tests.integration.test_posting import era, run, submitted, typical
from tests.support import FixedClock, Practice


def visit(p: Practice, patient_id: str, on: date) -> ClaimRecord:
    """Another visit of the same patient (99213 + 36415 x2), its claim sent to Acme."""
    encounter = encounter_for(p, patient_id, on=on)
    built = claims.build_claims(p.container.deps, p.biller, [encounter]).created[0]
    return advance(p, built, ClaimEvent.SCRUB, ClaimEvent.QUEUE, ClaimEvent.SUBMIT)


def owing(p: Practice) -> ClaimRecord:
    """A patient who owes 35.00 (copay 25.00 + coinsurance 10.00, all on line 1) after Acme's 835."""
    claim = submitted(p)
    run(p, era(typical(claim)))
    return claim


def two_visits(p: Practice) -> tuple[ClaimRecord, ClaimRecord]:
    """One patient owing 35.00 on each of two visits (11/18 and 11/20), both posted from one 835."""
    later = submitted(p)
    earlier = visit(p, later.patient_id, date(2026, 11, 18))
    run(p, era(typical(later), typical(earlier)))
    return earlier, later


def patient_owes(p: Practice, patient_id: str) -> dict[str, int]:
    account = accounts.patient_account(p.container.deps, p.biller, patient_id, audit=False)
    return {v.encounter_id: v.balance.patient_cents for v in account.visits}


def cash(cents: int, *, chosen: tuple[str, ...] | None = None, on: date = date(2026, 11, 26)) -> PatientPaymentDraft:
    return PatientPaymentDraft(amount_cents=cents, method="cash", received_on=on, chosen=chosen)  # type: ignore[arg-type]


def desk(p: Practice) -> Actor:
    return Actor(user_id=p.biller.user_id, username="desk", practice_id=p.biller.practice_id, role=Role.FRONT_DESK)


def credit(p: Practice, patient_id: str) -> int:
    return pay.list_payments(p.container.deps, p.biller, patient_id).credit_cents


def test_a_payment_goes_to_the_oldest_visit_first_and_spreads_over_its_lines(practice: Practice) -> None:
    earlier, later = two_visits(practice)
    taken = pay.take_payment(practice.container.deps, desk(practice), later.patient_id, cash(5000))
    assert taken.applied == ((earlier.encounter_id, 3500), (later.encounter_id, 1500))
    assert (taken.payment.unapplied_cents, taken.entries) == (0, 2)
    assert patient_owes(practice, later.patient_id) == {earlier.encounter_id: 0, later.encounter_id: 2000}
    ledger = accounts.claim_ledger(practice.container.deps, practice.biller, later.id)
    assert ledger.visit is not None
    [entry] = [e for li in ledger.visit.lines for e in li.entries if e.kind is EntryKind.PATIENT_PAYMENT]
    assert (entry.line_number, entry.amount_cents, entry.payment_id) == (1, 1500, taken.payment.id)


def test_a_payment_for_a_chosen_visit_goes_only_there(practice: Practice) -> None:
    earlier, later = two_visits(practice)
    taken = pay.take_payment(
        practice.container.deps, practice.biller, later.patient_id, cash(2000, chosen=(later.encounter_id,))
    )
    assert taken.applied == ((later.encounter_id, 2000),)
    assert patient_owes(practice, later.patient_id) == {earlier.encounter_id: 3500, later.encounter_id: 1500}


def test_a_payment_for_a_visit_that_owes_nothing_is_refused_and_changes_nothing(practice: Practice) -> None:
    claim = owing(practice)
    other = visit(practice, claim.patient_id, date(2026, 11, 18))  # billed, not paid: the patient owes nothing yet
    with pytest.raises(ValidationError) as refused:
        pay.take_payment(
            practice.container.deps, practice.biller, claim.patient_id, cash(1000, chosen=(other.encounter_id,))
        )
    assert refused.value.field == "encounter_ids[0]"
    assert pay.list_payments(practice.container.deps, practice.biller, claim.patient_id).payments == ()
    assert patient_owes(practice, claim.patient_id)[claim.encounter_id] == 3500


@pytest.mark.parametrize(
    ("reference", "field"),
    [("4111 1111 1111 1111", "reference"), ("", "reference")],
)
def test_a_card_payment_needs_a_safe_reference(practice: Practice, reference: str, field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        PatientPaymentDraft(amount_cents=1000, method="card", received_on=date(2026, 11, 26), reference=reference)  # type: ignore[arg-type]
    assert refused.value.field == field


def test_an_overpayment_becomes_credit_and_is_applied_after_a_later_835(practice: Practice) -> None:
    deps = practice.container.deps
    claim = owing(practice)
    taken = pay.take_payment(deps, practice.biller, claim.patient_id, cash(5000))
    assert (taken.applied, taken.payment.unapplied_cents) == (((claim.encounter_id, 3500),), 1500)
    assert credit(practice, claim.patient_id) == 1500

    nothing = pay.apply_credit(deps, practice.biller, claim.patient_id)
    assert (nothing.applied, nothing.credit_cents) == ((), 1500)

    second = visit(practice, claim.patient_id, date(2026, 11, 24))
    run(practice, era(typical(second), trace="EFT1002"))
    done = pay.apply_credit(deps, practice.biller, claim.patient_id)
    assert (done.applied, done.applied_cents, done.credit_cents) == (((second.encounter_id, 1500),), 1500, 0)
    assert patient_owes(practice, claim.patient_id) == {claim.encounter_id: 0, second.encounter_id: 2000}
    assert credit(practice, claim.patient_id) == 0
    account = accounts.patient_account(deps, practice.biller, claim.patient_id, audit=False)
    assert account.balance.payments_cents == 8500 * 2 + 5000


def test_a_refund_is_limited_to_the_credit(practice: Practice) -> None:
    deps = practice.container.deps
    claim = owing(practice)
    pay.take_payment(deps, practice.biller, claim.patient_id, cash(5000))
    with pytest.raises(ValidationError) as refused:
        pay.refund(deps, practice.biller, claim.patient_id, 1501, "check", "1044")
    assert "available credit of 15.00" in refused.value.message
    with pytest.raises(PermissionDenied):
        pay.refund(deps, desk(practice), claim.patient_id, 500, "check", "1044")
    assert credit(practice, claim.patient_id) == 1500
    assert [p.kind for p in pay.list_payments(deps, practice.biller, claim.patient_id).payments] == [
        PaymentKind.PAYMENT
    ]

    done = pay.refund(deps, practice.biller, claim.patient_id, 1000, "check", "1044")
    assert (done.kind, done.amount_cents, done.reference) == (PaymentKind.REFUND, 1000, "1044")
    assert credit(practice, claim.patient_id) == 500
    assert patient_owes(practice, claim.patient_id) == {claim.encounter_id: 0}  # the credit was never on a visit


def test_a_small_balance_is_written_off_only_up_to_the_threshold_and_only_by_a_biller(practice: Practice) -> None:
    deps = practice.container.deps
    claim = owing(practice)
    other = submitted(practice, last_name="Birch")
    run(practice, era(typical(other), trace="EFT1003"))  # owes 35.00: above the threshold, left alone
    with pytest.raises(ValidationError) as refused:
        pay.write_off_visit(
            deps, practice.biller, claim.patient_id, claim.encounter_id, threshold_cents=500, reason="small balance"
        )
    assert refused.value.message.startswith("the patient owes 35.00 on this visit, more than the small-balance")
    pay.take_payment(deps, practice.biller, claim.patient_id, cash(3200))
    with pytest.raises(PermissionDenied):
        pay.write_off_small_balances(deps, desk(practice), threshold_cents=500, reason="small balance")
    assert patient_owes(practice, claim.patient_id) == {claim.encounter_id: 300}

    done = pay.write_off_small_balances(deps, practice.biller, threshold_cents=500, reason="small balance")
    assert (done.visits, done.total_cents, done.entries) == (((claim.patient_id, claim.encounter_id, 300),), 300, 1)
    assert patient_owes(practice, claim.patient_id) == {claim.encounter_id: 0}
    assert patient_owes(practice, other.patient_id) == {other.encounter_id: 3500}
    entries = accounts.claim_ledger(deps, practice.biller, claim.id).visit.lines[0].entries  # type: ignore[union-attr]
    [write_off] = [e for e in entries if e.kind is EntryKind.PATIENT_WRITE_OFF]
    assert (write_off.amount_cents, write_off.reason_code) == (300, "small balance")
    again = pay.write_off_small_balances(deps, practice.biller, threshold_cents=500, reason="small balance")
    assert again.visits == ()


def test_a_plan_with_a_missed_installment_flags_the_account(practice: Practice, clock: FixedClock) -> None:
    deps = practice.container.deps
    claim = owing(practice)
    pay.take_payment(deps, practice.biller, claim.patient_id, cash(500, on=date(2026, 11, 20)))  # before the plan
    draft = plans.PlanDraft(total_cents=3000, installment_cents=1000, first_due=date(2026, 11, 27), frequency="monthly")
    plan = plans.create_plan(deps, practice.biller, claim.patient_id, draft)
    assert [(i.due, i.amount_cents) for i in plan.installments] == [
        (date(2026, 11, 27), 1000),
        (date(2026, 12, 27), 1000),
        (date(2027, 1, 27), 1000),
    ]
    assert (plan.state, plan.status.paid_cents, plan.behind) == (PlanState.ACTIVE, 0, False)
    with pytest.raises(Conflict):
        plans.create_plan(deps, practice.biller, claim.patient_id, draft)

    clock.current = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    pay.take_payment(deps, practice.biller, claim.patient_id, cash(1000, on=date(2026, 11, 28)))
    clock.current = datetime(2027, 1, 5, 12, 0, tzinfo=UTC)
    status = plans.plan_status(deps, practice.biller, plan.record.id)
    assert (status.status.paid_cents, status.status.remaining_cents) == (1000, 2000)
    assert [(i.due, i.amount_cents) for i in status.status.missed] == [(date(2026, 12, 27), 1000)]
    assert status.behind is True

    cancelled = plans.cancel_plan(deps, practice.biller, plan.record.id)
    assert (cancelled.state, cancelled.behind) == (PlanState.CANCELLED, False)
    assert [v.state for v in plans.list_plans(deps, practice.biller, claim.patient_id)] == [PlanState.CANCELLED]


def test_a_plan_for_more_than_the_patient_owes_is_refused_and_nothing_is_saved(practice: Practice) -> None:
    deps = practice.container.deps
    claim = owing(practice)
    draft = plans.PlanDraft(total_cents=3501, installment_cents=1000, first_due=date(2026, 12, 1), frequency="monthly")
    with pytest.raises(ValidationError) as refused:
        plans.create_plan(deps, practice.biller, claim.patient_id, draft)
    assert refused.value.field == "total_cents"
    assert plans.list_plans(deps, practice.biller, claim.patient_id) == []
