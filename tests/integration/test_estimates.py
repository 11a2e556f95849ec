"""Estimates before the visit, with exact amounts: deductible, coinsurance, copay, secondary, self-pay."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from medbill.services import appointments, estimates, patients
from medbill.services.appointments import AppointmentDraft
from medbill.services.estimates import AppointmentEstimate
from medbill.services.patients import CoverageDraft
from tests.support import Practice, patient_draft


def _estimate(
    p: Practice,
    coverages: list[CoverageDraft],
    services: tuple[tuple[str, int, tuple[str, ...]], ...],
    **patient: object,
) -> AppointmentEstimate:
    deps = p.container.deps
    person = patients.register_patient(deps, p.biller, patient_draft(**patient))
    for draft in coverages:
        patients.add_coverage(deps, p.biller, person.id, draft)
    made = appointments.schedule_appointment(
        deps,
        p.biller,
        AppointmentDraft(
            patient_id=person.id,
            starts_at=datetime(2026, 11, 30, 15, 0, tzinfo=UTC),
            provider_id=p.provider_id,
            visit_type="established",
            services=services,
        ),
    )
    return estimates.estimate_appointment(deps, p.biller, made.id)


def _acme(p: Practice, **benefits: object) -> CoverageDraft:
    values: dict[str, object] = {
        "payer_id": p.commercial_id,
        "order": "primary",
        "member_id": "ACM1",
        "effective_from": date(2026, 1, 1),
    }
    values.update(benefits)
    return CoverageDraft(**values)  # type: ignore[arg-type]


def test_copay_only_when_the_deductible_is_met(practice: Practice) -> None:
    result = _estimate(practice, [_acme(practice, copay_cents=2500, coinsurance_percent="20")], (("99213", 1, ()),))
    [line] = result.estimate.lines
    assert (line.line.charge_cents, line.line.allowed_cents, line.line.allowed_source) == (
        14000,
        12000,
        "Acme contract (contract)",
    )
    assert (line.copay_cents, line.deductible_cents, line.coinsurance_cents) == (2500, 0, 1900)
    assert (line.primary_paid_cents, line.patient_cents, line.contractual_cents) == (7600, 4400, 2000)
    assert (result.estimate.due_today_cents, result.estimate.patient_total_cents) == (2500, 4400)


def test_deductible_partly_met_then_coinsurance(practice: Practice) -> None:
    result = _estimate(
        practice,
        [_acme(practice, deductible_cents=5000, coinsurance_percent="20")],
        (("99213", 1, ()), ("93000", 1, ())),
    )
    first, second = result.estimate.lines
    # 99213: allowed 120.00 (contract) → 50.00 deductible, then 20 % of 70.00
    assert (first.deductible_cents, first.coinsurance_cents, first.primary_paid_cents) == (5000, 1400, 5600)
    # 93000: no contract fee → Medicare PFS for the patient's locality; deductible already met
    # (ZIP 62701 is Rest of Illinois, 06102-99: 93000 non-facility 14.65)
    assert (second.line.allowed_cents, second.line.allowed_source) == (1465, "Medicare PFS 2026, locality 06102-99-IL")
    assert (second.deductible_cents, second.coinsurance_cents, second.primary_paid_cents) == (0, 293, 1172)
    assert second.contractual_cents == 4035
    assert (result.estimate.insurance_cents, result.estimate.patient_visit_cents) == (6772, 6693)


def test_secondary_picks_up_the_coinsurance(practice: Practice) -> None:
    medigap = CoverageDraft(
        payer_id=practice.medicare_id, order="secondary", member_id="SUPP1", effective_from=date(2026, 1, 1)
    )
    result = _estimate(practice, [_acme(practice, coinsurance_percent="20"), medigap], (("99213", 1, ()),))
    [line] = result.estimate.lines
    assert (line.primary_paid_cents, line.secondary_paid_cents, line.patient_cents) == (9600, 2400, 0)
    assert result.secondary_payer is not None and result.secondary_payer.name == "Medicare B"


def test_inactive_coverage_means_self_pay_at_the_charge(practice: Practice) -> None:
    ended = _acme(practice, effective_to=date(2026, 10, 31))
    result = _estimate(practice, [ended], (("99213", 1, ()), ("93000", 2, ())))
    assert result.estimate.self_pay
    assert [x.patient_cents for x in result.estimate.lines] == [14000, 11000]
    assert result.estimate.patient_total_cents == 25000
    assert any("self-pay" in n for n in result.notes)


def test_a_service_without_a_fee_is_refused_by_line(practice: Practice) -> None:
    with pytest.raises(Exception) as caught:
        _estimate(practice, [_acme(practice)], (("99213", 1, ()), ("99215", 1, ())))
    assert getattr(caught.value, "field", None) == "services[2].charge"
