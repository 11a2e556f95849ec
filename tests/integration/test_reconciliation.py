"""Bank deposits and reconciliation on both databases: an idempotent CSV import, a deposit matched to a posted 835 by
its trace number, what is left unmatched on either side, and deposits against payments by day."""

from __future__ import annotations

from datetime import date

import pytest

from medbill.domain.errors import FormatError, PermissionDenied, ValidationError
from medbill.domain.payments import PatientPaymentDraft
from medbill.domain.reconciliation import MatchBasis
from medbill.domain.users import Actor, Role
from medbill.services import patient_payments, reconciliation
from tests.integration.test_posting import era, run, submitted, typical
from tests.support import Practice

# The bank's export: a preamble, a header, two credits (one carrying the 835's TRN02), a withdrawal.
STATEMENT = b"""Account: Test Family Practice operating
Posting Date,Description,Debit,Credit,Check Number
11/26/2026,ACH CREDIT ACME HEALTH TRN*1*EFT1001*1123456789,,85.00,
11/26/2026,BRANCH DEPOSIT,,12.34,
11/27/2026,RENT,2500.00,,
"""


def statement(practice: Practice) -> reconciliation.DepositImport:
    return reconciliation.import_deposits(practice.container.deps, practice.biller, STATEMENT, "november.csv")


def count_deposits(practice: Practice) -> int:
    with practice.container.deps.uow() as uow:
        return len(uow.deposits.between(practice.biller.practice_id, date(2026, 1, 1), date(2026, 12, 31)))


def test_a_bank_csv_imported_twice_adds_its_deposits_once(practice: Practice) -> None:
    first = statement(practice)
    assert (first.read, first.added, first.already) == (2, 2, 0)
    assert sorted(d.amount_cents for d in first.deposits) == [1234, 8500]
    again = statement(practice)
    assert (again.read, again.added, again.already) == (2, 0, 2)
    assert again.message == "november.csv: all 2 deposit(s) were imported before; nothing added"
    assert count_deposits(practice) == 2


def test_a_broken_csv_or_a_front_desk_user_is_refused_and_nothing_is_added(practice: Practice) -> None:
    with pytest.raises(FormatError) as refused:
        reconciliation.import_deposits(
            practice.container.deps, practice.biller, b"Date,Amount\nyesterday,1.00\n", "bad.csv"
        )
    assert (
        str(refused.value) == "bad.csv, line 2, column 'Date': 'yesterday' is not a date; use YYYY-MM-DD or MM/DD/YYYY"
    )
    desk = Actor(
        user_id=practice.biller.user_id, username="desk", practice_id=practice.biller.practice_id, role=Role.FRONT_DESK
    )
    with pytest.raises(PermissionDenied):
        reconciliation.import_deposits(practice.container.deps, desk, STATEMENT, "november.csv")
    assert count_deposits(practice) == 0


def test_a_deposit_carrying_the_trace_matches_the_posted_835(practice: Practice) -> None:
    claim = submitted(practice)
    run(practice, era(typical(claim)))  # EFT1001, 85.00, paid 11/25
    statement(practice)
    report = reconciliation.reconcile(practice.container.deps, practice.biller, date(2026, 11, 1), date(2026, 11, 30))
    [pair] = report.matched
    assert (pair.basis, pair.payment.trace_number, pair.deposit.amount_cents, pair.difference_cents) == (
        MatchBasis.TRACE,
        "EFT1001",
        8500,
        0,
    )


def test_what_has_no_partner_is_left_unmatched_on_both_sides(practice: Practice) -> None:
    claim = submitted(practice)
    other = submitted(practice, last_name="Birch")
    run(practice, era(typical(claim)))
    run(practice, era(typical(other), trace="EFT2002"))  # paid, never deposited
    statement(practice)
    report = reconciliation.reconcile(practice.container.deps, practice.biller, date(2026, 11, 1), date(2026, 11, 30))
    assert [p.payment.trace_number for p in report.matched] == ["EFT1001"]
    assert [(d.amount_cents, d.description) for d in report.unmatched_deposits] == [(1234, "BRANCH DEPOSIT")]
    assert [(p.trace_number, p.amount_cents) for p in report.unmatched_payments] == [("EFT2002", 8500)]


def test_daily_rows_put_deposits_against_payer_payments_and_patient_checks(practice: Practice) -> None:
    deps = practice.container.deps
    claim = submitted(practice)
    run(practice, era(typical(claim)))
    statement(practice)
    reconciliation.add_deposit(deps, practice.biller, posted_on=date(2026, 11, 27), amount_cents=3500, reference="1044")
    check = PatientPaymentDraft(amount_cents=3500, method="check", received_on=date(2026, 11, 27), reference="1044")  # type: ignore[arg-type]
    patient_payments.take_payment(deps, practice.biller, claim.patient_id, check)
    report = reconciliation.reconcile(deps, practice.biller, date(2026, 11, 25), date(2026, 11, 27), window_days=2)
    rows = [
        (r.day, r.deposits_cents, r.payer_payments_cents, r.patient_payments_cents, r.difference_cents)
        for r in report.days
    ]
    assert rows == [
        (date(2026, 11, 25), 0, 8500, 0, -8500),
        (date(2026, 11, 26), 9734, 0, 0, 9734),
        (date(2026, 11, 27), 3500, 0, 3500, 0),
    ]
    assert (report.deposits_cents, report.payer_payments_cents, report.patient_payments_cents) == (13234, 8500, 3500)


def test_an_end_before_the_start_is_refused(practice: Practice) -> None:
    with pytest.raises(ValidationError) as refused:
        reconciliation.reconcile(practice.container.deps, practice.biller, date(2026, 11, 30), date(2026, 11, 1))
    assert refused.value.field == "end"
