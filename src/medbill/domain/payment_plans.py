"""Patient payment plans: the installment schedule of a balance and where a plan stands given the payments made.

A plan splits ``total_cents`` into equal installments of ``installment_cents`` with the remainder as the last one.
Monthly plans fall due on the first due date's day of the month, clamped to the month's end (Jan 31 → Feb 28 or
29 → Mar 31). Payments are applied to installments in order; an installment is missed when it is not fully
covered once its due date plus the grace days has passed.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from medbill.domain.errors import ValidationError
from medbill.domain.fields import parse_enum, set_field
from medbill.domain.money import MAX_CENTS

MAX_INSTALLMENTS = 600  # fifty years of monthly payments: anything longer is a data-entry mistake


class PlanFrequency(StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"


@dataclass(frozen=True, slots=True, kw_only=True)
class Installment:
    due: date
    amount_cents: int


def _require_positive(value: int, field: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{field} is integer cents, not {type(value).__name__}")
    if value <= 0:
        raise ValidationError("must be more than zero", field=field)
    if value >= MAX_CENTS:
        raise ValidationError("is larger than any amount medbill handles", field=field)


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentPlan:
    """An agreement to pay ``total_cents`` in installments of ``installment_cents`` from ``first_due``."""

    total_cents: int
    installment_cents: int
    first_due: date
    frequency: PlanFrequency
    created_on: date
    terms: str = ""  # the wording the patient agreed to, kept as signed

    def __post_init__(self) -> None:
        _require_positive(self.total_cents, "total_cents")
        _require_positive(self.installment_cents, "installment_cents")
        set_field(self, "frequency", parse_enum(PlanFrequency, self.frequency, "frequency"))
        if self.first_due < self.created_on:
            raise ValidationError("the first installment cannot fall due before the plan is created", field="first_due")
        if self.installment_count > MAX_INSTALLMENTS:
            raise ValidationError(
                f"makes {self.installment_count} installments, more than {MAX_INSTALLMENTS}; raise the installment",
                field="installment_cents",
            )

    @property
    def installment_count(self) -> int:
        return -(-self.total_cents // self.installment_cents)


def add_months(start: date, months: int) -> date:
    """``start`` moved by ``months``, on the same day of the month, clamped to the month's last day."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def due_date(plan: PaymentPlan, number: int) -> date:
    """The due date of installment ``number`` (0 is the first), always counted from the first due date."""
    if plan.frequency is PlanFrequency.MONTHLY:
        return add_months(plan.first_due, number)
    step = 7 if plan.frequency is PlanFrequency.WEEKLY else 14
    return plan.first_due + timedelta(days=step * number)


def schedule(plan: PaymentPlan) -> tuple[Installment, ...]:
    """Every installment of the plan, in order; the last is the remainder, so they add up to the total."""
    count = plan.installment_count
    last = plan.total_cents - plan.installment_cents * (count - 1)
    return tuple(
        Installment(due=due_date(plan, n), amount_cents=plan.installment_cents if n < count - 1 else last)
        for n in range(count)
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanStatus:
    """Where a plan stands on a day. In ``next_due`` and ``missed``, ``amount_cents`` is what is still owed on it."""

    paid_cents: int
    remaining_cents: int
    next_due: Installment | None
    missed: tuple[Installment, ...]
    complete: bool


def plan_status(
    plan: PaymentPlan, payments: Sequence[tuple[date, int]], today: date, grace_days: int = 5
) -> PlanStatus:
    """Apply ``(paid_on, cents)`` payments made by ``today`` to the installments in order and report the plan.

    An installment is missed when ``today`` is after its due date plus ``grace_days`` and it is not fully covered;
    a late payment that covers it cures it. Payments dated after ``today`` are not counted yet.
    """
    if grace_days < 0:
        raise ValidationError("grace days are zero or more", field="grace_days")
    paid = 0
    for position, (paid_on, cents) in enumerate(payments):
        _require_positive(cents, f"payments[{position}]")
        if paid_on <= today:
            paid += cents
    cover = paid
    next_due: Installment | None = None
    missed: list[Installment] = []
    for installment in schedule(plan):
        applied = min(cover, installment.amount_cents)
        cover -= applied
        owed = installment.amount_cents - applied
        if owed == 0:
            continue
        unpaid = Installment(due=installment.due, amount_cents=owed)
        if next_due is None:
            next_due = unpaid
        if today > installment.due + timedelta(days=grace_days):
            missed.append(unpaid)
    remaining = max(plan.total_cents - paid, 0)
    return PlanStatus(
        paid_cents=paid,
        remaining_cents=remaining,
        next_due=next_due,
        missed=tuple(missed),
        complete=remaining == 0,
    )
