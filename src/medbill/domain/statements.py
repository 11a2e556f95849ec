"""Patient statements: what a guarantor owes and why, its aging, and the rules that decide whether to send one.

A statement is *open item*: it lists every visit on which the patient still has a balance (or insurance is still
pending), so nothing is carried forward from an earlier statement. Two identities hold for every visit; together they
are the ledger's identity (``domain/ledger.py``) split into its insurance and patient buckets::

    charges = insurance paid + insurance adjusted + insurance pending + patient responsibility
    patient balance = patient responsibility − patient paid − patient adjusted

where *patient responsibility* is the sum of the reasons the patient owes (copay, deductible, coinsurance,
non-covered, other: the net transfers to the patient), *insurance paid* is net of reversals, *patient paid* is the
patient's payments net of refunds to the patient, and *patient adjusted* is write-offs. A visit balance may be
negative (a copay collected before the claim was adjudicated). For the statement::

    amount due = max(0, Σ visit patient balances − unapplied credits)
    aging total = Σ visit patient balances
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from itertools import pairwise

from medbill.domain.errors import ValidationError
from medbill.domain.ledger import PatientShare
from medbill.domain.money import Money

WINDOW_ADDRESS_LINES = 4  # a #10 window envelope shows the name and four lines below it
# CARCs that say the service is not covered by the plan; under group PR the patient owes it (X12 CARC list)
NON_COVERED_CARCS = frozenset({"96", "204"})


def _cents(value: object, name: str, *, negative: bool = False) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("must be integer cents", field=name)
    if value < 0 and not negative:
        raise ValidationError("cannot be negative", field=name)


def _text(value: str, name: str) -> None:
    if not value.strip():
        raise ValidationError("is required", field=name)


class OwedReason(StrEnum):
    """Why the patient owes an amount: the ledger's ``PatientShare`` with non-covered services told apart."""

    COPAY = "copay"
    DEDUCTIBLE = "deductible"
    COINSURANCE = "coinsurance"
    NON_COVERED = "non_covered"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    OwedReason.COPAY: "Copay",
    OwedReason.DEDUCTIBLE: "Deductible",
    OwedReason.COINSURANCE: "Coinsurance",
    OwedReason.NON_COVERED: "Not covered",
    OwedReason.OTHER: "Other",
}


def owed_reason(share: PatientShare, *, reason_code: str | None = None) -> OwedReason:
    """The reason for a transfer to the patient: its share, or non-covered when an ``other`` share carries CARC 96
    or 204 (PR-96, PR-204)."""
    if share is PatientShare.OTHER and reason_code in NON_COVERED_CARCS:
        return OwedReason.NON_COVERED
    try:
        return OwedReason(share.value)
    except ValueError:  # a share this module does not know yet
        return OwedReason.OTHER


@dataclass(frozen=True, slots=True, kw_only=True)
class Owed:
    """The patient's responsibility for one visit, in cents by reason (each zero or more)."""

    copay_cents: int = 0
    deductible_cents: int = 0
    coinsurance_cents: int = 0
    non_covered_cents: int = 0
    other_cents: int = 0

    def __post_init__(self) -> None:
        for reason in OwedReason:
            _cents(self.amount(reason), f"owed.{reason.value}_cents")

    @classmethod
    def of(cls, amounts: Iterable[tuple[OwedReason | PatientShare, int]]) -> Owed:
        """Sum amounts by reason (``PatientShare`` values map to the reason of the same name)."""
        totals = dict.fromkeys(OwedReason, 0)
        for reason, cents in amounts:
            totals[reason if isinstance(reason, OwedReason) else owed_reason(reason)] += cents
        return cls(**{f"{reason.value}_cents": cents for reason, cents in totals.items()})

    def amount(self, reason: OwedReason) -> int:
        value: int = getattr(self, f"{reason.value}_cents")
        return value

    def items(self) -> tuple[tuple[OwedReason, int], ...]:
        """The reasons with an amount, in the order a statement lists them."""
        return tuple((reason, self.amount(reason)) for reason in OwedReason if self.amount(reason))

    @property
    def total_cents(self) -> int:
        return sum(self.amount(reason) for reason in OwedReason)

    def describe(self) -> str:
        """``Deductible $40.00, Coinsurance $12.35``; empty when the patient owes nothing."""
        return ", ".join(f"{reason.label} {Money(cents).display()}" for reason, cents in self.items())


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementLine:
    procedure_code: str
    description: str
    charge_cents: int

    def __post_init__(self) -> None:
        _text(self.procedure_code, "procedure_code")
        _cents(self.charge_cents, "charge_cents")


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementVisit:
    """One date of service as the patient sees it: what was charged, what insurance did, what the patient owes and why."""

    date_of_service: date
    patient_name: str
    provider_name: str
    lines: tuple[StatementLine, ...]
    charges_cents: int
    insurance_paid_cents: int = 0
    insurance_adjusted_cents: int = 0
    insurance_pending_cents: int = 0  # still with insurance: shown, not due
    owed: Owed = field(default_factory=Owed)
    patient_paid_cents: int = 0  # net of refunds to the patient
    patient_adjusted_cents: int = 0  # write-offs
    patient_balance_cents: int

    def __post_init__(self) -> None:
        _text(self.patient_name, "patient_name")
        if not self.lines:
            raise ValidationError("a visit lists at least one service line", field="lines")
        for index, line in enumerate(self.lines):
            if not isinstance(line, StatementLine):
                raise ValidationError("must be a StatementLine", field=f"lines[{index}]")
        _cents(self.charges_cents, "charges_cents")
        # net figures (a payer's overpayment, a refund) may fall below zero
        for name in (
            "insurance_paid_cents",
            "insurance_adjusted_cents",
            "insurance_pending_cents",
            "patient_paid_cents",
            "patient_adjusted_cents",
            "patient_balance_cents",
        ):
            _cents(getattr(self, name), name, negative=True)
        lines_total = sum(line.charge_cents for line in self.lines)
        if self.charges_cents != lines_total:
            raise ValidationError(f"must equal the sum of the lines' charges, {lines_total}", field="charges_cents")
        accounted = (
            self.insurance_paid_cents
            + self.insurance_adjusted_cents
            + self.insurance_pending_cents
            + self.owed.total_cents
        )
        if self.charges_cents != accounted:
            raise ValidationError(
                f"charges {self.charges_cents} must equal insurance paid + adjusted + pending + what the patient owes"
                f" ({accounted})",
                field="charges_cents",
            )
        expected = self.owed.total_cents - self.patient_paid_cents - self.patient_adjusted_cents
        if self.patient_balance_cents != expected:
            raise ValidationError(
                f"must equal what the patient owes minus patient payments and adjustments, {expected}",
                field="patient_balance_cents",
            )

    def explanation(self) -> str:
        """What the patient owes for this visit and why, in words: ``Your share: Deductible $40.00, Coinsurance
        $12.35.`` and any write-off or amount still with insurance."""
        parts = []
        if self.owed.total_cents:
            parts.append(f"Your share: {self.owed.describe()}.")
        if self.patient_adjusted_cents:
            parts.append(f"Adjusted off your share: {Money(self.patient_adjusted_cents).display()}.")
        if self.insurance_pending_cents:
            parts.append(f"Still with your insurance, not yet due: {Money(self.insurance_pending_cents).display()}.")
        return " ".join(parts) or "You owe nothing for this visit."


@dataclass(frozen=True, slots=True, kw_only=True)
class Aging:
    """A balance split by how long the patient has been responsible for it, in days."""

    current_cents: int = 0  # 0–30
    days_31_60_cents: int = 0
    days_61_90_cents: int = 0
    days_91_120_cents: int = 0
    over_120_cents: int = 0

    def __post_init__(self) -> None:
        for name, cents in self.buckets():
            _cents(cents, name, negative=True)

    def buckets(self) -> tuple[tuple[str, int], ...]:
        """(field name, cents) from the newest bucket to the oldest."""
        return (
            ("current_cents", self.current_cents),
            ("days_31_60_cents", self.days_31_60_cents),
            ("days_61_90_cents", self.days_61_90_cents),
            ("days_91_120_cents", self.days_91_120_cents),
            ("over_120_cents", self.over_120_cents),
        )

    @property
    def total_cents(self) -> int:
        return sum(cents for _, cents in self.buckets())


AGING_LABELS = ("Current", "31-60 days", "61-90 days", "91-120 days", "Over 120 days")
_AGING_LIMITS = ((30, "current_cents"), (60, "days_31_60_cents"), (90, "days_61_90_cents"), (120, "days_91_120_cents"))


def age_balances(items: Iterable[tuple[date, int]], today: date) -> Aging:
    """Age each (date the patient became responsible, cents) by whole days before ``today``: 0–30 days is current,
    31–60, 61–90, 91–120, then over 120. A date after ``today`` counts as current."""
    totals = {name: 0 for name, _ in Aging().buckets()}
    for responsible_on, cents in items:
        days = (today - responsible_on).days
        bucket = next((name for limit, name in _AGING_LIMITS if days <= limit), "over_120_cents")
        totals[bucket] += cents
    return Aging(**totals)


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementParty:
    """A name and mailing address as printed: the practice, the remit-to address or the guarantor."""

    name: str
    address_lines: tuple[str, ...]
    phone: str = ""

    def __post_init__(self) -> None:
        _text(self.name, "name")
        if not any(line.strip() for line in self.address_lines):
            raise ValidationError("at least one address line is required", field="address_lines")


@dataclass(frozen=True, slots=True, kw_only=True)
class Statement:
    """One statement to one guarantor. See the module docstring for the identities it checks."""

    statement_number: str
    account_number: str
    statement_date: date
    due_date: date
    practice: StatementParty
    remit_to: StatementParty
    guarantor: StatementParty
    visits: tuple[StatementVisit, ...]
    credits_cents: int = 0  # unapplied patient credits (payments on account not yet applied to a visit)
    aging: Aging
    amount_due_cents: int
    message: str = ""  # the dunning message for the age of the oldest balance

    def __post_init__(self) -> None:
        _text(self.statement_number, "statement_number")
        _text(self.account_number, "account_number")
        for name in ("practice", "remit_to", "guarantor"):
            party = getattr(self, name)
            if not isinstance(party, StatementParty):
                raise ValidationError("must be a StatementParty", field=name)
        if len(self.guarantor.address_lines) > WINDOW_ADDRESS_LINES:
            raise ValidationError(
                f"at most {WINDOW_ADDRESS_LINES} address lines show in the envelope window",
                field="guarantor.address_lines",
            )
        if self.due_date < self.statement_date:
            raise ValidationError("cannot be before the statement date", field="due_date")
        if not self.visits:
            raise ValidationError("a statement lists at least one visit", field="visits")
        _cents(self.credits_cents, "credits_cents")
        _cents(self.amount_due_cents, "amount_due_cents")
        if self.aging.total_cents != self.balance_cents:
            raise ValidationError(
                f"the aging buckets must add up to the visits' patient balances, {self.balance_cents}", field="aging"
            )
        expected = max(0, self.balance_cents - self.credits_cents)
        if self.amount_due_cents != expected:
            raise ValidationError(
                f"must equal the visits' patient balances minus credits, never below zero: {expected}",
                field="amount_due_cents",
            )

    @property
    def balance_cents(self) -> int:
        """The sum of the visits' patient balances, before unapplied credits."""
        return sum(visit.patient_balance_cents for visit in self.visits)

    @property
    def insurance_pending_cents(self) -> int:
        return sum(visit.insurance_pending_cents for visit in self.visits)


@dataclass(frozen=True, slots=True, kw_only=True)
class DunningStep:
    """From ``from_days`` days after the patient became responsible for the oldest balance, print ``message``."""

    from_days: int
    message: str


DEFAULT_DUNNING = (
    DunningStep(from_days=0, message=""),
    DunningStep(from_days=31, message="Your account is past due. Please pay the amount due today."),
    DunningStep(from_days=61, message="Second notice: your account is past due. Please pay or call us."),
    DunningStep(from_days=91, message="Final notice before collections. Please pay or call us to set up a plan."),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementRules:
    """A practice's statement cycle: the smallest balance worth a statement, how often, when due, what it says."""

    minimum_balance_cents: int = 500
    cycle_days: int = 28  # no second statement to the same guarantor within this many days
    due_in_days: int = 21
    dunning: tuple[DunningStep, ...] = DEFAULT_DUNNING

    def __post_init__(self) -> None:
        _cents(self.minimum_balance_cents, "minimum_balance_cents")
        for name in ("cycle_days", "due_in_days"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValidationError("is a whole number of days, zero or more", field=name)
        if not self.dunning or self.dunning[0].from_days != 0:
            raise ValidationError("the first dunning step starts at 0 days", field="dunning")
        days = [step.from_days for step in self.dunning]
        if any(later <= earlier for earlier, later in pairwise(days)):
            raise ValidationError("dunning steps are in strictly increasing order of days", field="dunning")

    def message_for(self, days: int) -> str:
        """The message of the last step whose threshold ``days`` has reached."""
        return next((step.message for step in reversed(self.dunning) if days >= step.from_days), "")

    def due_date(self, statement_date: date) -> date:
        return statement_date + timedelta(days=self.due_in_days)


class DecisionCode(StrEnum):
    SEND = "send"
    ON_HOLD = "on_hold"
    NOTHING_DUE = "nothing_due"
    BELOW_MINIMUM = "below_minimum"
    IN_CYCLE = "in_cycle"


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision:
    send: bool
    reason: str  # for people: why it is sent or skipped
    message: str  # the dunning message to print when sent
    code: DecisionCode  # for machines: counts of skips by reason


def statement_decision(
    *,
    amount_due_cents: int,
    oldest_responsible_on: date | None,
    last_statement_on: date | None,
    on_hold: bool,
    today: date,
    rules: StatementRules,
) -> Decision:
    """Whether to send a guarantor a statement today. Checked in order: hold, nothing due, minimum balance, cycle."""
    _cents(amount_due_cents, "amount_due_cents", negative=True)
    days_old = max(0, (today - oldest_responsible_on).days) if oldest_responsible_on else 0
    message = rules.message_for(days_old)
    if on_hold:
        return Decision(send=False, reason="on hold", message=message, code=DecisionCode.ON_HOLD)
    if amount_due_cents <= 0:
        return Decision(send=False, reason="nothing due", message=message, code=DecisionCode.NOTHING_DUE)
    if amount_due_cents < rules.minimum_balance_cents:
        minimum = Money(rules.minimum_balance_cents).display()
        return Decision(
            send=False, reason=f"below minimum balance of {minimum}", message=message, code=DecisionCode.BELOW_MINIMUM
        )
    if last_statement_on is not None:
        since = (today - last_statement_on).days
        if since < rules.cycle_days:
            return Decision(
                send=False,
                reason=f"statement sent {since} {'day' if since == 1 else 'days'} ago; cycle is {rules.cycle_days}",
                message=message,
                code=DecisionCode.IN_CYCLE,
            )
    due = Money(amount_due_cents).display()
    return Decision(send=True, reason=f"{due} due, oldest {days_old} days", message=message, code=DecisionCode.SEND)
