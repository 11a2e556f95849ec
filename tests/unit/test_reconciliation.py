"""Reconciliation: deposits matched to 835 payments by trace number, then by unique amount in a window; daily rows."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medbill.domain.claims import EntityType, NamedEntity
from medbill.domain.errors import ValidationError
from medbill.domain.reconciliation import (
    DayRow,
    Deposit,
    MatchBasis,
    MatchedPair,
    RemittancePayment,
    normalize_trace,
    reconcile,
)
from medbill.domain.remittance import Payment, Remittance


def deposit(id: str, cents: int, day: int, *, reference: str = "", description: str = "") -> Deposit:
    return Deposit(
        id=id, posted_on=date(2024, 3, day), amount_cents=cents, reference=reference, description=description
    )


def payment(id: str, trace: str, cents: int, day: int, *, method: str = "ACH") -> RemittancePayment:
    return RemittancePayment(
        id=id,
        trace_number=trace,
        amount_cents=cents,
        paid_on=date(2024, 3, day),
        payer_name="ACME HEALTH",
        method=method,
    )


def pairs(matched: tuple[MatchedPair, ...]) -> list[tuple[str, str, str, int]]:
    return [(m.deposit.id, m.payment.id, m.basis, m.difference_cents) for m in matched]


@pytest.mark.parametrize(
    ("reference", "trace"),
    [
        ("12345", "12345"),
        ("0012345", "12345"),
        ("12 345", "0012345"),
        ("eft98765x", "EFT98765X"),
        ("EFT 12345", "12345"),  # the reference contains the trace
        ("98765", "1234598765"),  # the trace contains the reference
    ],
)
def test_deposit_matches_the_payment_whose_trace_is_its_reference(reference: str, trace: str) -> None:
    result = reconcile([deposit("d1", 150_000, 5, reference=reference)], [payment("p1", trace, 150_000, 4)])

    assert pairs(result.matched) == [("d1", "p1", MatchBasis.TRACE, 0)]
    assert result.unmatched_deposits == ()
    assert result.unmatched_payments == ()


def test_trace_inside_the_bank_description_matches() -> None:
    bank = deposit("d1", 98_210, 12, description="HCCLAIMPMT ACME HEALTH TRN*1*000912345*1512345678\\")

    result = reconcile([bank], [payment("p1", "912345", 98_210, 11)])

    assert pairs(result.matched) == [("d1", "p1", MatchBasis.TRACE, 0)]


def test_short_trace_inside_a_longer_number_of_the_description_does_not_match() -> None:
    bank = deposit("d1", 5_000, 12, description="HCCLAIMPMT TRN*1*88812399*1512345678")

    result = reconcile([bank], [payment("p1", "123", 7_000, 11)])

    assert result.matched == ()


def test_trace_match_ignores_the_date_window_and_reports_the_amount_difference() -> None:
    result = reconcile([deposit("d1", 149_990, 28, reference="77001")], [payment("p1", "77001", 150_000, 1)])

    assert pairs(result.matched) == [("d1", "p1", MatchBasis.TRACE, -10)]


def test_unique_amount_within_the_window_matches() -> None:
    result = reconcile([deposit("d1", 42_017, 8, description="DEPOSIT")], [payment("p1", "CHK100", 42_017, 4)])

    assert pairs(result.matched) == [("d1", "p1", MatchBasis.AMOUNT, 0)]


def test_same_amount_outside_the_window_does_not_match() -> None:
    result = reconcile([deposit("d1", 42_017, 10)], [payment("p1", "CHK100", 42_017, 4)], window_days=5)

    assert result.matched == ()
    assert [d.id for d in result.unmatched_deposits] == ["d1"]
    assert [p.id for p in result.unmatched_payments] == ["p1"]


def test_ambiguous_amount_is_left_for_a_person() -> None:
    deposits = [deposit("d1", 10_000, 5), deposit("d2", 10_000, 6)]

    result = reconcile(deposits, [payment("p1", "A1", 10_000, 5)])

    assert result.matched == ()
    assert [d.id for d in result.unmatched_deposits] == ["d1", "d2"]
    assert [p.id for p in result.unmatched_payments] == ["p1"]


def test_two_payments_of_one_amount_for_one_deposit_are_ambiguous() -> None:
    payments = [payment("p1", "A1", 10_000, 5), payment("p2", "A2", 10_000, 6)]

    result = reconcile([deposit("d1", 10_000, 6)], payments)

    assert result.matched == ()


def test_trace_matches_first_so_the_remaining_amount_becomes_unique() -> None:
    deposits = [deposit("d1", 10_000, 5, reference="TR1"), deposit("d2", 10_000, 6)]
    payments = [payment("p1", "TR1", 10_000, 5), payment("p2", "ZZ9", 10_000, 6)]

    result = reconcile(deposits, payments)

    assert pairs(result.matched) == [("d1", "p1", MatchBasis.TRACE, 0), ("d2", "p2", MatchBasis.AMOUNT, 0)]


def test_exact_reference_wins_over_a_containing_one() -> None:
    deposits = [deposit("d1", 5_000, 5, reference="EFT55555"), deposit("d2", 5_000, 5, reference="55555")]

    result = reconcile(deposits, [payment("p1", "55555", 5_000, 5)])

    assert pairs(result.matched) == [("d2", "p1", MatchBasis.TRACE, 0)]
    assert [d.id for d in result.unmatched_deposits] == ["d1"]


def test_zero_payment_advice_expects_no_deposit() -> None:
    result = reconcile([], [payment("p1", "NOPAY", 0, 5, method="NON")])

    assert result.unmatched_payments == ()


def test_daily_rows_total_deposits_and_payments_by_date() -> None:
    deposits = [deposit("d1", 10_000, 5, reference="T1"), deposit("d2", 2_500, 5), deposit("d3", 7_000, 7)]
    payments = [payment("p1", "T1", 10_000, 4), payment("p2", "T2", 7_000, 7)]

    result = reconcile(deposits, payments)

    rows = [(r.day, r.deposits_cents, r.payments_cents, r.difference_cents) for r in result.by_day]
    assert rows == [
        (date(2024, 3, 4), 0, 10_000, -10_000),
        (date(2024, 3, 5), 12_500, 0, 12_500),
        (date(2024, 3, 7), 7_000, 7_000, 0),
    ]
    assert result.by_day[0] == DayRow(day=date(2024, 3, 4), deposits_cents=0, payments_cents=10_000)


def test_duplicate_deposit_ids_are_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        reconcile([deposit("d1", 1, 5), deposit("d1", 2, 6)], [])

    assert caught.value.field == "deposits[1]"


def test_negative_window_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        reconcile([], [], window_days=-1)

    assert caught.value.field == "window_days"


def test_normalized_trace_drops_spaces_and_leading_zeros_and_ignores_case() -> None:
    assert normalize_trace(" 00ab 123 ") == "AB123"


def test_payment_is_read_from_an_835s_bpr_and_trn() -> None:
    remittance = Remittance(
        payment=Payment(
            handling="I",
            amount_cents=123_456,
            credit_debit="C",
            method="ACH",
            date=date(2024, 3, 4),
            trace_number="12345",
            originator_id="1512345678",
        ),
        payer=NamedEntity(role="PR", entity_type=EntityType.ORGANIZATION, name="ACME HEALTH"),
        payee=NamedEntity(role="PE", entity_type=EntityType.ORGANIZATION, name="CLINIC"),
    )

    got = RemittancePayment.from_remittance("r1", remittance)

    assert got == RemittancePayment(
        id="r1",
        trace_number="12345",
        amount_cents=123_456,
        paid_on=date(2024, 3, 4),
        payer_name="ACME HEALTH",
        method="ACH",
    )


@given(
    st.lists(st.tuples(st.integers(1, 5), st.integers(1, 28), st.sampled_from(["", "T1", "T2", "T3"])), max_size=8),
    st.lists(st.tuples(st.integers(1, 5), st.integers(1, 28), st.sampled_from(["T1", "T2", "T4"])), max_size=8),
)
def test_every_deposit_and_payment_ends_up_once_in_the_result(
    deposit_specs: list[tuple[int, int, str]], payment_specs: list[tuple[int, int, str]]
) -> None:
    deposits = [deposit(f"d{i}", cents, day, reference=ref) for i, (cents, day, ref) in enumerate(deposit_specs)]
    payments = [payment(f"p{i}", trace, cents, day) for i, (cents, day, trace) in enumerate(payment_specs)]

    result = reconcile(deposits, payments)

    deposit_ids = [m.deposit.id for m in result.matched] + [d.id for d in result.unmatched_deposits]
    payment_ids = [m.payment.id for m in result.matched] + [p.id for p in result.unmatched_payments]
    assert sorted(deposit_ids) == sorted(d.id for d in deposits)
    assert sorted(payment_ids) == sorted(p.id for p in payments)
    assert sum(r.deposits_cents for r in result.by_day) == sum(d.amount_cents for d in deposits)
    assert sum(r.payments_cents for r in result.by_day) == sum(p.amount_cents for p in payments)
