"""The KPI formulas on hand-made numbers: rounding once half-up, zero denominators, targets, the claim rules (clean,
first pass, initial denial), the periods and the aging buckets."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from medbill.domain import kpis
from medbill.domain.claim_states import ClaimEvent, ClaimStatus
from medbill.domain.kpis import Targets, Unit
from medbill.domain.report_facts import (
    ClaimFacts,
    Period,
    aging_bucket,
    current_claim,
    months_of,
    prior_three_months,
    revenue_window,
    sent_with_findings,
)
from medbill.services.report_kpis import principal_reasons

T0 = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("numerator", "denominator", "places", "expected"),
    [
        (3, 4, 4, "0.7500"),  # 3/4 exactly
        (1, 3, 4, "0.3333"),  # 0.33333… rounds down
        (2, 3, 4, "0.6667"),  # 0.66666… rounds up
        (1, 8, 2, "0.13"),  # 0.125: the half goes up
        (12000, 57450, 4, "0.2089"),  # 0.208877…
        (-1, 8, 2, "-0.13"),  # away from zero on the negative side too
        (3042000, 72600, 2, "41.90"),  # 41.9008…
    ],
)
def test_a_ratio_is_rounded_once_half_up(numerator: int, denominator: int, places: int, expected: str) -> None:
    assert str(kpis.divide(numerator, denominator, places)) == expected


def test_a_zero_denominator_gives_zero_with_a_note_and_no_crash() -> None:
    kpi = kpis.clean_claim_rate(0, 0)
    assert (kpi.display, kpi.computed, kpi.note) == ("0", False, "no claims were first submitted in the period")
    assert kpis.net_collection_rate(0, 5000, 5000).display == "0"  # charges − contractual = 0
    assert Targets().meets(kpi) is None  # nothing to hold against the target


def test_clean_claim_rate_keeps_the_counts_and_the_claims_behind_it() -> None:
    kpi = kpis.clean_claim_rate(19, 20, claim_ids=("a",), base_claim_ids=("a", "b"))
    # 19 / 20 = 0.95
    assert (kpi.display, dict(kpi.counts), kpi.claim_ids, kpi.base_claim_ids) == (
        "0.9500",
        {"clean": 19, "submitted": 20},
        ("a",),
        ("a", "b"),
    )
    assert Targets().meets(kpi) is True  # ≥ 0.95


def test_days_in_ar_is_net_ar_over_average_daily_net_revenue() -> None:
    # 33,800 cents of A/R; 72,600 charged less 8,800 deducted = 63,800 net in 92 days = 693.48 a day
    # → 33800 × 92 / 63800 = 48.7398… days; gross: 33800 × 92 / 72600 = 42.8319… days
    kpi = kpis.days_in_ar(33800, 72600, 8800, window_days=92)
    assert (kpi.display, kpi.unit) == ("48.74", Unit.DAYS)
    assert dict(kpi.counts) == {
        "ar_cents": 33800,
        "net_revenue_cents": 63800,
        "charges_cents": 72600,
        "deductions_cents": 8800,
        "window_days": 92,
    }
    assert Targets().meets(kpi) is False  # > 40 days
    gross = kpis.gross_days_in_ar(33800, 72600, window_days=92)
    assert (gross.key, gross.display) == ("gross_days_in_ar", "42.83")
    assert Targets().meets(gross) is None  # the target is set on the HFMA (net) form


def test_initial_denial_rate_divides_by_the_monthly_average_of_the_three_months_before() -> None:
    # 2 denied in a two-month period; 30 claims sent in the three months before → 10 a month, 20 for two months
    kpi = kpis.initial_denial_rate(2, 30, 2)
    assert kpi.display == "0.1000"
    assert dict(kpi.counts) == {"denied": 2, "submitted": 30, "prior_months": 3, "period_months": 2}
    empty = kpis.initial_denial_rate(1, 0, 1)
    assert (empty.display, empty.computed) == ("0", False)


def test_net_collection_rate_takes_contractual_adjustments_out_of_charges() -> None:
    # 30,000 paid ÷ (72,600 charged − 23,950 contractual) = 30000 / 48650 = 0.61664…
    kpi = kpis.net_collection_rate(30000, 72600, 23950)
    assert kpi.display == "0.6166"
    assert dict(kpi.counts) == {
        "payments_cents": 30000,
        "charges_cents": 72600,
        "contractual_adjustments_cents": 23950,
    }


@pytest.mark.parametrize(
    ("kpi", "expected"),
    [
        (kpis.percent_ar_over_90(15150, 33800), "0.4482"),  # 0.44822…
        (kpis.initial_denial_rate(1, 60, 1), "0.0500"),  # 1 ÷ (60 ÷ 3)
        (kpis.initial_denial_rate_dollars(12000, 57450, 3), "0.2089"),  # 12000 × 3 ÷ (57450 × 3)
        (kpis.initial_denial_rate_dollars(12000, 42300, 1), "0.8511"),  # 36000 ÷ 42300 = 0.85106…
        (kpis.first_pass_resolution_rate(1, 4), "0.2500"),
        (kpis.charge_lag_days(6, 5), "1.20"),  # 6 days over 5 visits
        (kpis.days_to_submit(12, 4), "3.00"),
        (kpis.estimate_accuracy(2, 3, tolerance_cents=500), "0.6667"),
    ],
)
def test_each_formula_on_hand_made_numbers(kpi: kpis.Kpi, expected: str) -> None:
    assert kpi.display == expected


@pytest.mark.parametrize(
    ("kpi", "met"),
    [
        (kpis.initial_denial_rate(1, 60, 1), False),  # 0.05 is not below 0.05
        (kpis.initial_denial_rate(1, 63, 1), True),  # 0.0476
        (kpis.days_in_ar(40, 100, 10, window_days=90), True),  # exactly 40 days
        (kpis.percent_ar_over_90(15, 100), False),  # 0.15 is not below 0.15
        (kpis.net_collection_rate(94, 100, 0), False),
        (kpis.charge_lag_days(6, 5), None),  # no target
    ],
)
def test_targets_hold_at_their_edges(kpi: kpis.Kpi, met: bool | None) -> None:
    assert Targets().meets(kpi) is met


def test_a_kpi_that_cannot_be_computed_says_so() -> None:
    kpi = kpis.unavailable("estimate_accuracy", "no estimates")
    assert (kpi.display, kpi.available, kpi.note) == ("0", False, "not available: no estimates")


def facts(**overrides: object) -> ClaimFacts:
    values: dict[str, object] = {
        "claim_id": "c1",
        "patient_control_number": "C00000013",
        "encounter_id": "e1",
        "patient_id": "p1",
        "payer_id": "acme",
        "provider_id": "dr",
        "order": "primary",
        "frequency": "1",
        "status": ClaimStatus.PAID,
        "date_of_service": date(2026, 9, 30),
        "total_charge_cents": 15150,
        "created_at": T0,
        "first_submitted_at": T0,
        "first_adjudicated_at": T0,
        "first_adjudication": ClaimEvent.PAY,
    }
    values.update(overrides)
    return ClaimFacts(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("overrides", "clean", "first_pass", "denied"),
    [
        ({}, True, True, False),
        ({"edited_before_submission": True}, False, True, False),
        ({"findings_before_submission": True}, False, True, False),
        ({"first_rejected_at": T0}, False, False, False),  # rejected, so sent twice before it was paid
        ({"first_submitted_at": None, "first_adjudication": None}, False, False, False),
        ({"first_adjudication": ClaimEvent.DENY}, True, False, True),
        ({"first_adjudication": ClaimEvent.PAY_PARTIALLY}, True, False, False),  # a partial denial is not a denial
        ({"first_reversed_at": T0}, True, False, False),  # paid, then taken back
    ],
)
def test_which_claims_are_clean_resolved_first_pass_or_initially_denied(
    overrides: dict[str, object], clean: bool, first_pass: bool, denied: bool
) -> None:
    c = facts(**overrides)
    assert (c.clean, c.resolved_first_pass, c.initially_denied) == (clean, first_pass, denied)


def test_what_a_claim_was_sent_with_comes_from_its_stored_counts_and_event_order() -> None:
    # (findings in the scrub it was sent with, scrubbed more than once before it was sent)
    assert sent_with_findings([3], 5, errors=0, warnings=0) == (False, False)
    assert sent_with_findings([3], 5, errors=0, warnings=2) == (True, False)
    assert sent_with_findings([3], 5, errors=1, warnings=0) == (True, False)
    assert sent_with_findings([2, 3], 5, errors=0, warnings=0) == (False, True)
    # scrubbed again after the first send (a rejection, an edit): what it was sent with is no longer stored
    assert sent_with_findings([3, 9], 5, errors=0, warnings=0) == (True, False)
    assert sent_with_findings([3], None, errors=0, warnings=0) == (False, False)  # never sent


def test_months_cut_the_period_and_the_windows_are_calendar_months() -> None:
    period = Period(date(2026, 9, 15), date(2026, 11, 10))
    assert [m.label for m in months_of(period)] == [
        "2026-09-15..2026-09-30",
        "2026-10-01..2026-10-31",
        "2026-11-01..2026-11-10",
    ]
    # net revenue: the three calendar months to the period's last day, whatever the period's start
    assert revenue_window(Period(date(2026, 11, 1), date(2026, 11, 26))).label == "2026-09-01..2026-11-26"
    assert revenue_window(Period(date(2026, 1, 5), date(2026, 11, 30))).start == date(2026, 9, 1)
    assert revenue_window(Period(date(2026, 2, 1), date(2026, 2, 28))).start == date(2025, 12, 1)
    # the denial rate's denominator: the three calendar months before the period's first month
    assert prior_three_months(period).label == "2026-06-01..2026-08-31"
    assert prior_three_months(Period(date(2026, 2, 1), date(2026, 2, 28))).label == "2025-11-01..2026-01-31"


@pytest.mark.parametrize(
    ("days", "bucket"),
    [(-3, "0-30"), (0, "0-30"), (30, "0-30"), (31, "31-60"), (60, "31-60"), (61, "61-90"), (90, "61-90"),
     (91, "91-120"), (120, "91-120"), (121, "120+"), (4000, "120+")],
)  # fmt: skip
def test_aging_buckets_include_both_ends(days: int, bucket: str) -> None:
    assert aging_bucket(days) == bucket


def test_a_visit_balance_waits_on_its_furthest_sent_claim_that_is_not_voided() -> None:
    primary = facts(claim_id="p")
    secondary = facts(claim_id="s", order="secondary", created_at=T0.replace(day=20))
    unsent_secondary = facts(claim_id="u", order="secondary", first_submitted_at=None)
    voided = facts(claim_id="v", order="tertiary", status=ClaimStatus.VOIDED)
    assert current_claim([primary, secondary, voided]) == secondary
    assert current_claim([primary, unsent_secondary]) == primary
    assert current_claim([voided]) is None


def test_a_denial_is_put_down_to_the_largest_reason_of_the_first_posting() -> None:
    later = T0.replace(day=20)
    rows = [
        ("c1", "CO", "50", 12000, T0),
        ("c1", "CO", "16", 3150, T0),
        ("c1", "CO", "97", 99999, later),  # a later posting does not count
        ("c2", "PR", "204", 500, T0),
        ("c2", "CO", "45", 500, T0),  # a tie goes to the first in order
    ]
    assert principal_reasons(rows) == {"c1": "CO-50", "c2": "CO-45"}


def test_a_practice_sets_its_own_targets_and_keeps_their_directions() -> None:
    from decimal import Decimal

    from medbill.domain.errors import ValidationError
    from medbill.domain.kpis import Targets

    own = Targets.parse("clean_claim_rate=0.97, days_in_ar=35")
    assert (own.clean_claim_rate.threshold, own.clean_claim_rate.direction) == (
        Decimal("0.97"),
        Targets().clean_claim_rate.direction,
    )
    assert own.days_in_ar.threshold == Decimal(35)
    assert own.net_collection_rate == Targets().net_collection_rate
    assert Targets.parse("") == Targets()
    for bad in ("happiness=1", "days_in_ar=soon", "days_in_ar=-1"):
        try:
            Targets.parse(bad)
        except ValidationError as refused:
            assert refused.field == "targets"
        else:
            raise AssertionError(f"{bad} was accepted")
