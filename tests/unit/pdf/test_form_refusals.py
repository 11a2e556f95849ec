"""Form data that cannot go on paper is refused with a ValidationError that names the box or form locator."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from medbill.domain.errors import ValidationError
from medbill.formats.pdf import render_cms1500, render_ub04
from medbill.formats.pdf.ub04_data import Diagnosis
from tests.unit.pdf.samples import cms1500_claim, cms1500_line, ub04_claim, ub04_line

THIRTEEN_CODES = tuple(f"A0{n:02d}" for n in range(13))


@pytest.mark.parametrize(
    ("build", "box"),
    [
        pytest.param(lambda: cms1500_claim(diagnoses=THIRTEEN_CODES), "box 21", id="thirteen-diagnoses"),
        pytest.param(lambda: cms1500_line(1, charge_cents=-100), "box 24F", id="negative-line-charge"),
        pytest.param(lambda: cms1500_line(1, charge_cents=100_000_000), "box 24F", id="charge-wider-than-24F"),
        pytest.param(lambda: cms1500_line(1, diagnosis_pointers="AM"), "box 24E", id="pointer-past-L"),
        pytest.param(lambda: cms1500_claim(diagnoses=("E11.65",)), "box 24E", id="pointer-past-last-diagnosis"),
        pytest.param(lambda: cms1500_line(1, modifiers=("25", "59", "76", "77", "91")), "box 24D", id="five-mods"),
        pytest.param(lambda: cms1500_line(1, units=0), "box 24G", id="zero-units"),
        pytest.param(lambda: cms1500_line(1, units=1000), "box 24G", id="units-wider-than-24G"),
        pytest.param(lambda: cms1500_claim(total_charge_cents=1), "box 28", id="total-not-sum-of-lines"),
        pytest.param(lambda: cms1500_claim(amount_paid_cents=-1), "box 29", id="negative-amount-paid"),
        pytest.param(lambda: cms1500_claim(lines=0), "box 24", id="no-lines"),
        pytest.param(lambda: cms1500_claim(insured_id=""), "box 1a", id="no-insured-id"),
        pytest.param(lambda: cms1500_claim(federal_tax_id="12-3456789"), "box 25", id="tax-id-with-dash"),
        pytest.param(
            lambda: cms1500_claim(billing_provider=replace(cms1500_claim().billing_provider, npi="1234567890")),
            "box 33a",
            id="billing-npi-check-digit",
        ),
        pytest.param(lambda: ub04_line(1, total_cents=-1), "FL 47", id="ub-negative-line-charge"),
        pytest.param(lambda: ub04_line(1, revenue_code="450"), "FL 42", id="ub-three-digit-revenue-code"),
        pytest.param(lambda: ub04_claim(type_of_bill="131"), "FL 4", id="ub-three-digit-type-of-bill"),
        pytest.param(lambda: ub04_claim(total_charges_cents=1), "FL 47", id="ub-total-not-sum-of-lines"),
        pytest.param(
            lambda: ub04_claim(other_diagnoses=tuple(Diagnosis(code="I10") for _ in range(18))),
            "FL 67A-Q",
            id="ub-eighteen-other-diagnoses",
        ),
        pytest.param(lambda: ub04_claim(condition_codes=("01",) * 12), "FL 18-28", id="ub-twelve-condition-codes"),
        pytest.param(lambda: ub04_claim(billing_npi="1112223339"), "FL 56", id="ub-npi-check-digit"),
        pytest.param(lambda: ub04_claim(payers=()), "FL 50", id="ub-no-payer"),
    ],
)
def test_bad_form_data_is_refused_naming_the_box(build: Callable[[], object], box: str) -> None:
    with pytest.raises(ValidationError) as refused:
        build()
    assert refused.value.field == box
    assert box in str(refused.value)


@pytest.mark.parametrize("render", [render_cms1500, render_ub04])
def test_an_unknown_render_mode_is_refused(render: Callable[..., bytes]) -> None:
    claim = cms1500_claim() if render is render_cms1500 else ub04_claim()
    with pytest.raises(ValidationError) as refused:
        render(claim, mode="color")
    assert refused.value.field == "mode"
