"""Denials as billers sort them: a category from the claim adjustment reason code (CARC), the next action that
category calls for, and the deadline that action runs against.

The categories follow how denial-management work is usually split (eligibility, authorization, coding, medical
necessity, bundling, duplicate, timely filing, missing information, non-covered, coordination of benefits). The
CARC lists are the X12 CARC codes whose published descriptions put them squarely in a category; any other code is
``other`` and goes to review. Deadlines: an appeal runs from the remittance date for the payer's appeal window; a
corrected or new claim runs from the date of service for the payer's timely-filing limit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class DenialCategory(StrEnum):
    ELIGIBILITY = "eligibility"
    AUTHORIZATION = "authorization"
    CODING = "coding"
    MEDICAL_NECESSITY = "medical_necessity"
    BUNDLING = "bundling"
    DUPLICATE = "duplicate"
    TIMELY_FILING = "timely_filing"
    MISSING_INFORMATION = "missing_information"
    NON_COVERED = "non_covered"
    COORDINATION_OF_BENEFITS = "coordination_of_benefits"
    OTHER = "other"


class NextAction(StrEnum):
    CORRECT_AND_RESUBMIT = "correct_and_resubmit"
    APPEAL = "appeal"
    BILL_PATIENT = "bill_patient"
    BILL_SECONDARY = "bill_secondary"  # or the payer that is primary: the claim went to the wrong one
    VERIFY_ELIGIBILITY = "verify_eligibility"
    WRITE_OFF = "write_off"
    REVIEW = "review"


_CARCS: dict[DenialCategory, frozenset[str]] = {
    # 26 before coverage, 27 after coverage ended, 31 not identified as our insured, 32 not an eligible dependent,
    # 33 no dependent coverage, 177 eligibility not met, 200 expenses incurred during lapse in coverage
    DenialCategory.ELIGIBILITY: frozenset({"26", "27", "31", "32", "33", "177", "200"}),
    # 15 authorization number missing/invalid, 62 absence of precertification, 197 precertification absent,
    # 198 precertification exceeded, 39 services denied at the time authorization was requested
    DenialCategory.AUTHORIZATION: frozenset({"15", "39", "62", "197", "198"}),
    # 4 modifier, 5 place of service/bill type, 6-10 age/sex/provider type against the code or diagnosis,
    # 11 diagnosis inconsistent with procedure, 146 diagnosis invalid for the date, 181/182 code or modifier invalid
    DenialCategory.CODING: frozenset({"4", "5", "6", "7", "8", "9", "10", "11", "146", "181", "182", "189"}),
    # 50 not deemed a medical necessity, 55/56 experimental/not proven effective, 57 (retired) level of service,
    # 150-152 information does not support this level/number/length of service
    DenialCategory.MEDICAL_NECESSITY: frozenset({"50", "55", "56", "57", "150", "151", "152"}),
    # 97 included in another service's payment, 234 procedure not paid separately, B15 requires a qualifying service,
    # 236 procedure or its modifier not compatible with another on the same day (NCCI)
    DenialCategory.BUNDLING: frozenset({"97", "234", "236", "B15"}),
    DenialCategory.DUPLICATE: frozenset({"18"}),  # exact duplicate claim/service
    DenialCategory.TIMELY_FILING: frozenset({"29"}),  # the time limit for filing has expired
    # 16 lacks information or has submission/billing errors, 17 (retired) requested information not provided,
    # 125 submission/billing error, 226 information requested from the provider not provided, 252 attachment needed
    DenialCategory.MISSING_INFORMATION: frozenset({"16", "17", "125", "226", "252"}),
    # 49 routine/preventive, 96 non-covered charge, 204 not covered under the patient's benefit plan, 58 treatment in
    # a non-covered place, 119 benefit maximum reached
    DenialCategory.NON_COVERED: frozenset({"49", "58", "96", "119", "204"}),
    # 22 may be covered by another payer per COB, 109 not covered by this payer (send to the correct one)
    DenialCategory.COORDINATION_OF_BENEFITS: frozenset({"22", "109"}),
}

_ACTION: dict[DenialCategory, NextAction] = {
    DenialCategory.ELIGIBILITY: NextAction.VERIFY_ELIGIBILITY,
    DenialCategory.AUTHORIZATION: NextAction.APPEAL,  # with the retro-authorization
    DenialCategory.CODING: NextAction.CORRECT_AND_RESUBMIT,
    DenialCategory.MEDICAL_NECESSITY: NextAction.APPEAL,  # with the records
    DenialCategory.BUNDLING: NextAction.CORRECT_AND_RESUBMIT,  # a bypass modifier when the service was distinct
    DenialCategory.DUPLICATE: NextAction.REVIEW,  # the original's status first
    DenialCategory.TIMELY_FILING: NextAction.APPEAL,  # with proof of timely filing, else write off
    DenialCategory.MISSING_INFORMATION: NextAction.CORRECT_AND_RESUBMIT,
    DenialCategory.NON_COVERED: NextAction.BILL_PATIENT,  # when the patient signed an ABN/waiver
    DenialCategory.COORDINATION_OF_BENEFITS: NextAction.BILL_SECONDARY,
    DenialCategory.OTHER: NextAction.REVIEW,
}

_APPEALS = frozenset({NextAction.APPEAL})
_NEW_CLAIMS = frozenset({NextAction.CORRECT_AND_RESUBMIT, NextAction.BILL_SECONDARY, NextAction.VERIFY_ELIGIBILITY})


def category_of(carc: str) -> DenialCategory:
    for category, codes in _CARCS.items():
        if carc in codes:
            return category
    return DenialCategory.OTHER


@dataclass(frozen=True, slots=True, kw_only=True)
class DenialTriage:
    category: DenialCategory
    next_action: NextAction
    due_on: date | None  # the deadline the next action runs against; None when none applies
    carc: str | None  # the code the category came from


def triage(
    adjustments: Iterable[tuple[str, str, int]],
    *,
    remitted_on: date,
    date_of_service: date,
    appeal_window_days: int,
    timely_filing_days: int,
) -> DenialTriage:
    """Category, next action and deadline of a denial from its (group, CARC, cents) adjustments: the largest
    non-patient adjustment decides (a denial's own reason outweighs a contractual write-down on the same claim)."""
    refused = sorted(
        ((cents, carc) for group, carc, cents in adjustments if group != "PR" and cents > 0 and carc != "45"),
        key=lambda pair: -pair[0],
    )
    carc = refused[0][1] if refused else None
    category = category_of(carc) if carc else DenialCategory.OTHER
    action = _ACTION[category]
    due: date | None = None
    if action in _APPEALS:
        due = remitted_on + timedelta(days=appeal_window_days)
    elif action in _NEW_CLAIMS:
        due = date_of_service + timedelta(days=timely_filing_days)
    return DenialTriage(category=category, next_action=action, due_on=due, carc=carc)
