"""Payment plans: the schedule (month-end clamping, remainder last) and the plan's status (paid, next, missed)."""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medbill.domain.errors import ValidationError
from medbill.domain.payment_plans import (
    Installment,
    PaymentPlan,
    PlanFrequency,
    plan_status,
    schedule,
)


def monthly(total: int, installment: int, first_due: date) -> PaymentPlan:
    return PaymentPlan(
        total_cents=total,
        installment_cents=installment,
        first_due=first_due,
        frequency=PlanFrequency.MONTHLY,
        created_on=date(2024, 1, 1),
        terms="$100 a month",
    )


def test_monthly_plan_falls_due_on_the_same_day_clamped_to_month_end() -> None:
    plan = monthly(50_000, 10_000, date(2024, 1, 31))

    assert [i.due for i in schedule(plan)] == [
        date(2024, 1, 31),
        date(2024, 2, 29),  # leap year
        date(2024, 3, 31),
        date(2024, 4, 30),
        date(2024, 5, 31),
    ]


def test_monthly_plan_crosses_the_year_and_clamps_february_of_a_common_year() -> None:
    plan = PaymentPlan(
        total_cents=30_000,
        installment_cents=10_000,
        first_due=date(2024, 12, 30),
        frequency=PlanFrequency.MONTHLY,
        created_on=date(2024, 12, 1),
    )

    assert [i.due for i in schedule(plan)] == [date(2024, 12, 30), date(2025, 1, 30), date(2025, 2, 28)]


def test_last_installment_is_the_remainder() -> None:
    plan = monthly(100_050, 25_000, date(2024, 2, 15))

    assert [i.amount_cents for i in schedule(plan)] == [25_000, 25_000, 25_000, 25_000, 50]


def test_installment_larger_than_the_total_makes_one_installment_of_the_total() -> None:
    plan = monthly(4_000, 10_000, date(2024, 2, 1))

    assert schedule(plan) == (Installment(due=date(2024, 2, 1), amount_cents=4_000),)


@pytest.mark.parametrize(
    ("frequency", "dues"),
    [
        ("weekly", [date(2024, 2, 26), date(2024, 3, 4), date(2024, 3, 11)]),
        ("biweekly", [date(2024, 2, 26), date(2024, 3, 11), date(2024, 3, 25)]),
    ],
)
def test_weekly_and_biweekly_plans_step_by_days(frequency: str, dues: list[date]) -> None:
    plan = PaymentPlan(
        total_cents=3_000,
        installment_cents=1_000,
        first_due=date(2024, 2, 26),
        frequency=frequency,  # type: ignore[arg-type]
        created_on=date(2024, 2, 1),
    )

    assert [i.due for i in schedule(plan)] == dues


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"total_cents": 0}, "total_cents"),
        ({"installment_cents": -5}, "installment_cents"),
        ({"installment_cents": 1}, "installment_cents"),  # 10,000 installments
        ({"first_due": date(2023, 12, 31)}, "first_due"),
        ({"frequency": "daily"}, "frequency"),
    ],
)
def test_unworkable_plan_is_refused_naming_the_field(changes: dict[str, object], field: str) -> None:
    fields: dict[str, object] = {
        "total_cents": 10_000,
        "installment_cents": 2_500,
        "first_due": date(2024, 2, 1),
        "frequency": PlanFrequency.MONTHLY,
        "created_on": date(2024, 1, 1),
    }
    fields.update(changes)

    with pytest.raises(ValidationError) as caught:
        PaymentPlan(**fields)  # type: ignore[arg-type]

    assert caught.value.field == field


@given(
    total=st.integers(min_value=1, max_value=10**8),
    count=st.integers(min_value=1, max_value=600),
    first_due=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
    frequency=st.sampled_from(PlanFrequency),
)
def test_schedule_sums_to_the_total_in_rising_dates(
    total: int, count: int, first_due: date, frequency: PlanFrequency
) -> None:
    installment = max(-(-total // count), 1)
    plan = PaymentPlan(
        total_cents=total,
        installment_cents=installment,
        first_due=first_due,
        frequency=frequency,
        created_on=date(2024, 1, 1),
    )

    installments = schedule(plan)

    assert sum(i.amount_cents for i in installments) == total
    assert all(0 < i.amount_cents <= installment for i in installments)
    assert all(i.amount_cents == installment for i in installments[:-1])
    assert all(a.due < b.due for a, b in pairwise(installments))
    if frequency is PlanFrequency.MONTHLY:
        assert all(i.due.day == min(first_due.day, monthrange(i.due.year, i.due.month)[1]) for i in installments)


PLAN = monthly(30_000, 10_000, date(2024, 2, 1))  # due Feb 1, Mar 1, Apr 1


def test_nothing_is_missed_within_the_grace_days() -> None:
    status = plan_status(PLAN, [], today=date(2024, 2, 6))

    assert status.missed == ()
    assert status.next_due == Installment(due=date(2024, 2, 1), amount_cents=10_000)
    assert (status.paid_cents, status.remaining_cents, status.complete) == (0, 30_000, False)


def test_installment_is_missed_the_day_after_the_grace_days() -> None:
    status = plan_status(PLAN, [], today=date(2024, 2, 7))

    assert status.missed == (Installment(due=date(2024, 2, 1), amount_cents=10_000),)


def test_partly_paid_installment_is_missed_for_what_is_still_owed() -> None:
    status = plan_status(PLAN, [(date(2024, 2, 1), 10_000), (date(2024, 3, 2), 4_000)], today=date(2024, 3, 10))

    assert status.paid_cents == 14_000
    assert status.remaining_cents == 16_000
    assert status.missed == (Installment(due=date(2024, 3, 1), amount_cents=6_000),)
    assert status.next_due == Installment(due=date(2024, 3, 1), amount_cents=6_000)


def test_payments_apply_in_order_so_a_large_payment_covers_later_installments() -> None:
    status = plan_status(PLAN, [(date(2024, 2, 1), 25_000)], today=date(2024, 3, 20))

    assert status.missed == ()
    assert status.next_due == Installment(due=date(2024, 4, 1), amount_cents=5_000)


def test_late_payment_cures_a_missed_installment() -> None:
    status = plan_status(PLAN, [(date(2024, 2, 20), 10_000)], today=date(2024, 2, 21))

    assert status.missed == ()


def test_custom_grace_of_zero_days_misses_the_day_after_due() -> None:
    assert plan_status(PLAN, [], today=date(2024, 2, 1), grace_days=0).missed == ()
    assert len(plan_status(PLAN, [], today=date(2024, 2, 2), grace_days=0).missed) == 1


def test_payments_dated_after_today_are_not_counted_yet() -> None:
    status = plan_status(PLAN, [(date(2024, 2, 1), 10_000), (date(2024, 4, 1), 20_000)], today=date(2024, 3, 1))

    assert status.paid_cents == 10_000
    assert status.next_due == Installment(due=date(2024, 3, 1), amount_cents=10_000)


def test_plan_paid_in_full_is_complete_with_nothing_next_even_when_overpaid() -> None:
    status = plan_status(PLAN, [(date(2024, 2, 1), 30_000), (date(2024, 2, 2), 500)], today=date(2024, 6, 1))

    assert status.complete is True
    assert status.next_due is None
    assert status.missed == ()
    assert (status.paid_cents, status.remaining_cents) == (30_500, 0)


def test_every_installment_past_grace_and_unpaid_is_missed() -> None:
    status = plan_status(PLAN, [], today=date(2024, 5, 1))

    assert [i.due for i in status.missed] == [date(2024, 2, 1), date(2024, 3, 1), date(2024, 4, 1)]
    assert sum(i.amount_cents for i in status.missed) == 30_000


@pytest.mark.parametrize("payment", [0, -100])
def test_zero_or_negative_plan_payment_is_refused(payment: int) -> None:
    with pytest.raises(ValidationError) as caught:
        plan_status(PLAN, [(date(2024, 2, 1), 1_000), (date(2024, 2, 2), payment)], today=date(2024, 3, 1))

    assert caught.value.field == "payments[1]"


@given(
    payments=st.lists(
        st.tuples(st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 12, 31)), st.integers(1, 40_000)),
        max_size=6,
    ),
    today=st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 12, 31)),
)
def test_status_accounts_for_every_cent(payments: list[tuple[date, int]], today: date) -> None:
    status = plan_status(PLAN, payments, today)

    counted = sum(cents for paid_on, cents in payments if paid_on <= today)
    assert status.paid_cents == counted
    assert status.remaining_cents == max(30_000 - counted, 0)
    assert status.complete == (status.next_due is None) == (status.remaining_cents == 0)
    assert sum(i.amount_cents for i in status.missed) <= status.remaining_cents
