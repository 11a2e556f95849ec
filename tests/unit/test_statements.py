"""Patient statements: aging buckets at their boundaries, the balance identities, and the send-or-skip rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from medbill.domain.errors import ValidationError
from medbill.domain.ledger import PatientShare
from medbill.domain.statements import (
    Aging,
    DecisionCode,
    DunningStep,
    Owed,
    OwedReason,
    Statement,
    StatementLine,
    StatementParty,
    StatementRules,
    StatementVisit,
    age_balances,
    owed_reason,
    statement_decision,
)

TODAY = date(2026, 3, 31)
RULES = StatementRules(
    minimum_balance_cents=500,
    cycle_days=28,
    due_in_days=21,
    dunning=(
        DunningStep(from_days=0, message=""),
        DunningStep(from_days=31, message="past due"),
        DunningStep(from_days=61, message="second notice"),
        DunningStep(from_days=91, message="final notice before collections"),
    ),
)


def visit(**changes: object) -> StatementVisit:
    """A synthetic visit: $200.00 charged, insurance paid $100.00 and adjusted $47.65, the patient owes $52.35."""
    base = StatementVisit(
        date_of_service=date(2026, 3, 2),
        patient_name="Alex Testperson",
        provider_name="Robin Example, MD",
        lines=(
            StatementLine(procedure_code="99213", description="Office visit", charge_cents=15_000),
            StatementLine(procedure_code="36415", description="Blood draw", charge_cents=5_000),
        ),
        charges_cents=20_000,
        insurance_paid_cents=10_000,
        insurance_adjusted_cents=4_765,
        owed=Owed(deductible_cents=4_000, coinsurance_cents=1_235),
        patient_balance_cents=5_235,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def party(name: str, *lines: str) -> StatementParty:
    return StatementParty(name=name, address_lines=lines or ("1 Sample Way", "Springfield IL 62704"))


def statement(**changes: object) -> Statement:
    base = Statement(
        statement_number="S-0001",
        account_number="A-1001",
        statement_date=TODAY,
        due_date=TODAY + timedelta(days=21),
        practice=party("Example Medical Group"),
        remit_to=party("Example Medical Group", "PO Box 99", "Springfield IL 62701"),
        guarantor=party("Alex Testperson"),
        visits=(visit(),),
        aging=Aging(current_cents=5_235),
        amount_due_cents=5_235,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def field_of(error: pytest.ExceptionInfo[ValidationError]) -> str | None:
    return error.value.field


# ---- aging ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_ago", "bucket"),
    [
        (-3, "current_cents"),
        (0, "current_cents"),
        (30, "current_cents"),
        (31, "days_31_60_cents"),
        (60, "days_31_60_cents"),
        (61, "days_61_90_cents"),
        (90, "days_61_90_cents"),
        (91, "days_91_120_cents"),
        (120, "days_91_120_cents"),
        (121, "over_120_cents"),
        (400, "over_120_cents"),
    ],
)
def test_a_balance_ages_into_the_bucket_of_the_days_since_the_patient_became_responsible(
    days_ago: int, bucket: str
) -> None:
    aging = age_balances([(TODAY - timedelta(days=days_ago), 1_234)], TODAY)
    assert dict(aging.buckets()) == {name: (1_234 if name == bucket else 0) for name, _ in Aging().buckets()}
    assert aging.total_cents == 1_234


def test_aging_sums_every_item_to_the_cent() -> None:
    items = [
        (TODAY, 1_001),
        (TODAY - timedelta(days=10), 2_002),
        (TODAY - timedelta(days=45), 303),
        (TODAY - timedelta(days=75), 40_404),
        (TODAY - timedelta(days=100), 5),
        (TODAY - timedelta(days=121), 66_666),
        (TODAY - timedelta(days=500), 1),
    ]
    assert age_balances(items, TODAY) == Aging(
        current_cents=3_003,
        days_31_60_cents=303,
        days_61_90_cents=40_404,
        days_91_120_cents=5,
        over_120_cents=66_667,
    )


def test_nothing_to_age_is_all_zero() -> None:
    assert age_balances([], TODAY) == Aging()


# ---- why the patient owes ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("share", "carc", "reason"),
    [
        (PatientShare.DEDUCTIBLE, "1", OwedReason.DEDUCTIBLE),
        (PatientShare.COINSURANCE, "2", OwedReason.COINSURANCE),
        (PatientShare.COPAY, "3", OwedReason.COPAY),
        (PatientShare.OTHER, "96", OwedReason.NON_COVERED),
        (PatientShare.OTHER, "204", OwedReason.NON_COVERED),
        (PatientShare.OTHER, "45", OwedReason.OTHER),
        (PatientShare.OTHER, None, OwedReason.OTHER),
    ],
)
def test_a_transfer_to_the_patient_maps_to_the_reason_printed(
    share: PatientShare, carc: str | None, reason: OwedReason
) -> None:
    assert owed_reason(share, reason_code=carc) is reason


def test_owed_amounts_sum_by_reason_and_read_in_statement_order() -> None:
    owed = Owed.of(
        [
            (PatientShare.COINSURANCE, 1_000),
            (PatientShare.DEDUCTIBLE, 4_000),
            (PatientShare.COINSURANCE, 235),
            (OwedReason.NON_COVERED, 7_500),
        ]
    )
    assert owed == Owed(deductible_cents=4_000, coinsurance_cents=1_235, non_covered_cents=7_500)
    assert owed.total_cents == 12_735
    assert owed.describe() == "Deductible $40.00, Coinsurance $12.35, Not covered $75.00"


def test_a_visit_explains_the_share_the_write_off_and_what_is_pending() -> None:
    pending = visit(
        insurance_paid_cents=0,
        insurance_adjusted_cents=0,
        insurance_pending_cents=17_500,
        owed=Owed(copay_cents=2_500),
        patient_adjusted_cents=500,
        patient_balance_cents=2_000,
    )
    assert pending.explanation() == (
        "Your share: Copay $25.00. Adjusted off your share: $5.00. Still with your insurance, not yet due: $175.00."
    )


def test_a_copay_collected_before_adjudication_leaves_a_negative_visit_balance() -> None:
    early = visit(
        insurance_paid_cents=0,
        insurance_adjusted_cents=0,
        insurance_pending_cents=20_000,
        owed=Owed(),
        patient_paid_cents=2_500,
        patient_balance_cents=-2_500,
    )
    assert early.patient_balance_cents == -2_500


# ---- validation names the field ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"patient_balance_cents": 5_234}, "patient_balance_cents"),
        ({"patient_paid_cents": 1_000}, "patient_balance_cents"),
        ({"charges_cents": 20_001}, "charges_cents"),
        ({"insurance_paid_cents": 9_999}, "charges_cents"),
        ({"owed": Owed(deductible_cents=4_000, coinsurance_cents=1_235, other_cents=1)}, "charges_cents"),
        ({"lines": ()}, "lines"),
        ({"patient_name": " "}, "patient_name"),
        ({"insurance_paid_cents": 100.0}, "insurance_paid_cents"),
    ],
)
def test_an_inconsistent_visit_is_refused_naming_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        visit(**changes)
    assert field_of(error) == field


def test_a_negative_reason_owed_is_refused_naming_the_reason() -> None:
    with pytest.raises(ValidationError) as error:
        Owed(deductible_cents=-1)
    assert field_of(error) == "owed.deductible_cents"


def test_a_line_charge_in_float_dollars_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        StatementLine(procedure_code="99213", description="Office visit", charge_cents=150.0)  # type: ignore[arg-type]
    assert field_of(error) == "charge_cents"


def test_amount_due_is_the_visit_balances_less_credits() -> None:
    two = (visit(), visit(date_of_service=date(2026, 1, 5)))
    s = statement(
        visits=two,
        credits_cents=1_000,
        aging=Aging(current_cents=5_235, days_61_90_cents=5_235),
        amount_due_cents=9_470,
    )
    assert (s.balance_cents, s.amount_due_cents) == (10_470, 9_470)


def test_credits_larger_than_the_balances_leave_nothing_due_not_a_negative_amount() -> None:
    s = statement(credits_cents=6_000, amount_due_cents=0)
    assert s.amount_due_cents == 0
    with pytest.raises(ValidationError) as error:
        statement(credits_cents=6_000, amount_due_cents=-765)
    assert field_of(error) == "amount_due_cents"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount_due_cents": 5_234}, "amount_due_cents"),
        ({"credits_cents": 100}, "amount_due_cents"),
        ({"credits_cents": -100}, "credits_cents"),
        ({"aging": Aging(current_cents=5_000)}, "aging"),
        ({"due_date": TODAY - timedelta(days=1)}, "due_date"),
        ({"visits": ()}, "visits"),
        ({"account_number": ""}, "account_number"),
        ({"statement_number": ""}, "statement_number"),
        ({"guarantor": party("Alex Testperson", "1", "2", "3", "4", "5")}, "guarantor.address_lines"),
    ],
)
def test_an_inconsistent_statement_is_refused_naming_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        statement(**changes)
    assert field_of(error) == field


def test_a_party_without_an_address_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        StatementParty(name="Alex Testperson", address_lines=("",))
    assert field_of(error) == "address_lines"


# ---- the rules --------------------------------------------------------------------------------------------------------


def decide(**changes: object) -> tuple[bool, str, str, DecisionCode]:
    args: dict[str, object] = {
        "amount_due_cents": 5_235,
        "oldest_responsible_on": TODAY - timedelta(days=10),
        "last_statement_on": None,
        "on_hold": False,
        "today": TODAY,
        "rules": RULES,
    }
    args.update(changes)
    decision = statement_decision(**args)  # type: ignore[arg-type]
    return (decision.send, decision.reason, decision.message, decision.code)


def test_a_balance_above_the_minimum_with_no_earlier_statement_is_sent() -> None:
    assert decide() == (True, "$52.35 due, oldest 10 days", "", DecisionCode.SEND)


def test_an_account_on_hold_is_skipped_whatever_it_owes() -> None:
    assert decide(on_hold=True, amount_due_cents=100)[:2] == (False, "on hold")
    assert decide(on_hold=True)[3] is DecisionCode.ON_HOLD


def test_nothing_due_is_skipped() -> None:
    assert decide(amount_due_cents=0)[::3] == (False, DecisionCode.NOTHING_DUE)
    assert decide(amount_due_cents=0)[1] == "nothing due"


@pytest.mark.parametrize(("cents", "send"), [(499, False), (500, True)])
def test_a_balance_below_the_minimum_is_skipped_and_the_minimum_itself_is_sent(cents: int, send: bool) -> None:
    sent, reason, _, _ = decide(amount_due_cents=cents)
    assert sent is send
    if not send:
        assert reason == "below minimum balance of $5.00"


@pytest.mark.parametrize(
    ("days_since", "send", "reason"),
    [
        (0, False, "statement sent 0 days ago; cycle is 28"),
        (1, False, "statement sent 1 day ago; cycle is 28"),
        (12, False, "statement sent 12 days ago; cycle is 28"),
        (27, False, "statement sent 27 days ago; cycle is 28"),
        (28, True, "$52.35 due, oldest 10 days"),
    ],
)
def test_a_second_statement_waits_for_the_cycle(days_since: int, send: bool, reason: str) -> None:
    assert decide(last_statement_on=TODAY - timedelta(days=days_since))[:2] == (send, reason)


@pytest.mark.parametrize(
    ("days_old", "message"),
    [
        (0, ""),
        (30, ""),
        (31, "past due"),
        (60, "past due"),
        (61, "second notice"),
        (90, "second notice"),
        (91, "final notice before collections"),
        (365, "final notice before collections"),
    ],
)
def test_the_dunning_message_follows_the_age_of_the_oldest_balance(days_old: int, message: str) -> None:
    assert decide(oldest_responsible_on=TODAY - timedelta(days=days_old))[2] == message


def test_the_due_date_is_the_rules_days_after_the_statement_date() -> None:
    assert RULES.due_date(TODAY) == date(2026, 4, 21)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"dunning": (DunningStep(from_days=0, message=""), DunningStep(from_days=0, message="x"))}, "dunning"),
        ({"dunning": (DunningStep(from_days=31, message="past due"),)}, "dunning"),
        ({"dunning": ()}, "dunning"),
        ({"minimum_balance_cents": -1}, "minimum_balance_cents"),
        ({"cycle_days": -1}, "cycle_days"),
        ({"due_in_days": 1.5}, "due_in_days"),
    ],
)
def test_inconsistent_rules_are_refused_naming_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        replace(RULES, **changes)  # type: ignore[arg-type]
    assert field_of(error) == field
