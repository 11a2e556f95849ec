"""Adjudication math: exact splits for known cases, and the identity charge = paid + adjustments for any input."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from medbill.domain.adjudication import BenefitState, adjudicate_claim, adjudicate_line


def test_copay_then_deductible_then_coinsurance() -> None:
    state = BenefitState(deductible_remaining_cents=5000, coinsurance_percent=Decimal(20), copay_cents=2500)
    line, after = adjudicate_line(20000, 12345, state, apply_copay=True)
    assert (line.allowed_cents, line.contractual_cents) == (12345, 7655)
    assert (line.copay_cents, line.deductible_cents, line.coinsurance_cents) == (2500, 5000, 969)
    assert line.paid_cents == 3876
    assert (after.deductible_remaining_cents, after.copay_cents) == (0, 0)


def test_allowed_is_the_lesser_of_charge_and_fee() -> None:
    line, _ = adjudicate_line(9000, 14000, BenefitState(), apply_copay=False)
    assert (line.allowed_cents, line.contractual_cents, line.paid_cents) == (9000, 0, 9000)


def test_out_of_pocket_maximum_caps_the_members_share() -> None:
    state = BenefitState(
        deductible_remaining_cents=100000, coinsurance_percent=Decimal(20), out_of_pocket_remaining_cents=3000
    )
    lines, after = adjudicate_claim([(10000, 8000), (5000, 5000)], state, copay_line=None)
    assert [ln.patient_responsibility_cents for ln in lines] == [3000, 0]
    assert [ln.paid_cents for ln in lines] == [5000, 5000]
    assert after.out_of_pocket_remaining_cents == 0
    assert after.deductible_remaining_cents == 97000


@given(
    st.lists(st.tuples(st.integers(0, 10**7), st.integers(0, 10**7)), min_size=1, max_size=8),
    st.integers(0, 10**6),
    st.integers(0, 10000),
    st.integers(0, 10**5),
    st.one_of(st.none(), st.integers(0, 10**6)),
)
def test_every_cent_is_accounted_for(
    lines: list[tuple[int, int]], deductible: int, coinsurance_bp: int, copay: int, oop: int | None
) -> None:
    state = BenefitState(
        deductible_remaining_cents=deductible,
        coinsurance_percent=Decimal(coinsurance_bp) / 100,
        copay_cents=copay,
        out_of_pocket_remaining_cents=oop,
    )
    results, after = adjudicate_claim(lines, state)
    for (charge, _), line in zip(lines, results, strict=True):
        assert line.charge_cents == charge
        assert line.charge_cents == (
            line.paid_cents + line.contractual_cents + line.deductible_cents + line.coinsurance_cents + line.copay_cents
        )
        assert (
            min(
                line.paid_cents, line.contractual_cents, line.deductible_cents, line.coinsurance_cents, line.copay_cents
            )
            >= 0
        )
    patient = sum(ln.patient_responsibility_cents for ln in results)
    if oop is not None:
        assert patient <= oop
        assert after.out_of_pocket_remaining_cents == oop - patient
    assert after.deductible_remaining_cents == deductible - sum(ln.deductible_cents for ln in results)
