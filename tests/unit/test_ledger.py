"""The ledger identity holds for every sequence of entries, and reversals undo postings without deleting them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medbill.domain.errors import ValidationError
from medbill.domain.ledger import EntryKind, LedgerEntry, PatientShare, balance

AT = datetime(2026, 11, 26, tzinfo=UTC)


def entry(kind: EntryKind, cents: int, **extra: object) -> LedgerEntry:
    if kind is EntryKind.TRANSFER_TO_PATIENT:
        extra.setdefault("patient_share", PatientShare.COINSURANCE)
    return LedgerEntry(
        practice_id="p", patient_id="pt", encounter_id="e", line_number=1, kind=kind, amount_cents=cents, at=AT, **extra
    )  # type: ignore[arg-type]


def test_a_typical_remittance_leaves_the_patients_share() -> None:
    entries = [
        entry(EntryKind.CHARGE, 20000),
        entry(EntryKind.CONTRACTUAL_ADJUSTMENT, 7655, group_code="CO", reason_code="45"),
        entry(EntryKind.TRANSFER_TO_PATIENT, 2500, group_code="PR", reason_code="3", patient_share=PatientShare.COPAY),
        entry(EntryKind.TRANSFER_TO_PATIENT, 5969, group_code="PR", reason_code="2"),
        entry(EntryKind.PAYER_PAYMENT, 3876),
    ]
    b = balance(entries)
    assert (b.insurance_cents, b.patient_cents) == (0, 8469)
    b = balance([*entries, entry(EntryKind.PATIENT_PAYMENT, 8469)])
    assert (b.insurance_cents, b.patient_cents, b.payments_cents) == (0, 0, 12345)


def test_a_reversal_restores_the_balance_and_keeps_both_entries() -> None:
    charge = entry(EntryKind.CHARGE, 10000)
    paid = entry(EntryKind.PAYER_PAYMENT, 8000, source="835 TRN 1")
    undo = paid.reversal(at=AT, source="835 TRN 2")
    assert (undo.amount_cents, undo.reverses) == (-8000, paid.id)
    assert balance([charge, paid, undo]).insurance_cents == 10000


def test_entries_refuse_what_cannot_be_posted() -> None:
    with pytest.raises(ValidationError):
        entry(EntryKind.PAYER_PAYMENT, -100)
    with pytest.raises(ValidationError):
        LedgerEntry(
            practice_id="p",
            patient_id="pt",
            encounter_id="e",
            line_number=1,
            kind=EntryKind.TRANSFER_TO_PATIENT,
            amount_cents=5,
            at=AT,
        )
    with pytest.raises(TypeError):
        entry(EntryKind.CHARGE, 1.5)  # type: ignore[arg-type]


@given(st.lists(st.tuples(st.sampled_from(list(EntryKind)), st.integers(0, 10**9)), max_size=40))
def test_charges_minus_payments_minus_adjustments_equal_the_balances(moves: list[tuple[EntryKind, int]]) -> None:
    entries = [entry(kind, cents) for kind, cents in moves]
    b = balance(entries)
    assert b.charges_cents - b.payments_cents - b.adjustments_cents + b.refunds_cents == b.total_cents
    reversed_all = entries + [e.reversal(at=AT, source="undo") for e in entries]
    assert balance(reversed_all).total_cents == 0
