"""Denial triage: the category from the CARC, the next action it calls for, and the deadline that action runs against."""

from __future__ import annotations

from datetime import date

import pytest

from medbill.domain.denials import DenialCategory, NextAction, category_of, triage

REMITTED = date(2026, 11, 25)
DOS = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("carc", "category"),
    [
        ("27", DenialCategory.ELIGIBILITY),
        ("197", DenialCategory.AUTHORIZATION),
        ("11", DenialCategory.CODING),
        ("50", DenialCategory.MEDICAL_NECESSITY),
        ("97", DenialCategory.BUNDLING),
        ("B15", DenialCategory.BUNDLING),
        ("18", DenialCategory.DUPLICATE),
        ("29", DenialCategory.TIMELY_FILING),
        ("16", DenialCategory.MISSING_INFORMATION),
        ("204", DenialCategory.NON_COVERED),
        ("22", DenialCategory.COORDINATION_OF_BENEFITS),
        ("A1", DenialCategory.OTHER),
    ],
)
def test_each_carc_falls_in_its_category(carc: str, category: DenialCategory) -> None:
    assert category_of(carc) is category


def test_an_appeal_runs_from_the_remittance_for_the_payers_window() -> None:
    found = triage(
        [("CO", "50", 12000)], remitted_on=REMITTED, date_of_service=DOS, appeal_window_days=120, timely_filing_days=365
    )
    assert (found.category, found.next_action, found.due_on, found.carc) == (
        DenialCategory.MEDICAL_NECESSITY,
        NextAction.APPEAL,
        date(2027, 3, 25),
        "50",
    )


def test_a_corrected_claim_runs_from_the_date_of_service_for_timely_filing() -> None:
    found = triage(
        [("CO", "16", 5000)], remitted_on=REMITTED, date_of_service=DOS, appeal_window_days=120, timely_filing_days=90
    )
    assert (found.next_action, found.due_on) == (NextAction.CORRECT_AND_RESUBMIT, date(2027, 2, 18))


def test_the_largest_refusal_decides_and_contractual_and_patient_amounts_do_not() -> None:
    found = triage(
        [("CO", "45", 90000), ("PR", "1", 50000), ("OA", "18", 3000), ("CO", "97", 6000)],
        remitted_on=REMITTED,
        date_of_service=DOS,
        appeal_window_days=180,
        timely_filing_days=365,
    )
    assert (found.category, found.next_action, found.due_on) == (
        DenialCategory.BUNDLING,
        NextAction.CORRECT_AND_RESUBMIT,
        date(2027, 11, 20),
    )
    nothing = triage([], remitted_on=REMITTED, date_of_service=DOS, appeal_window_days=180, timely_filing_days=365)
    assert (nothing.category, nothing.next_action, nothing.due_on) == (DenialCategory.OTHER, NextAction.REVIEW, None)
