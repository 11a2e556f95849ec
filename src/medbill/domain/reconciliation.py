"""Reconciliation of bank deposits against payers' payments (835 BPR/TRN): which deposit is which payment, by day.

Matching runs in two passes. First by trace number: the deposit's reference or description carries the 835's
TRN02 (compared without spaces or leading zeros, case-insensitively; a reference that contains the trace, or is
contained in it, matches, as does a description that carries it, as banks write ``TRN*1*12345*1512345678``).
Then by amount: a payment and a deposit of exactly the same amount, posted within ``window_days`` of each other,
match when each is the only candidate of the other; ambiguous amounts are left for a person.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from medbill.domain.errors import ValidationError
from medbill.domain.remittance import Remittance

_MIN_CONTAINED = 4  # a shorter reference or trace contained in the other is a coincidence, not a match
_MIN_IN_TEXT = 6  # a trace found inside a description's run of characters (not a whole token) must be this long
_TOKEN = re.compile(r"[0-9A-Za-z]+")


def _require_cents(value: int, field: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{field} is integer cents, not {type(value).__name__}")
    if value < 0:
        raise ValidationError("is a credit to the bank account, zero or more", field=field)


@dataclass(frozen=True, slots=True, kw_only=True)
class Deposit:
    """A credit on the practice's bank statement."""

    id: str
    posted_on: date
    amount_cents: int
    reference: str = ""
    description: str = ""

    def __post_init__(self) -> None:
        _require_cents(self.amount_cents, "amount_cents")


@dataclass(frozen=True, slots=True, kw_only=True)
class RemittancePayment:
    """A payer's payment as its 835 states it: BPR02 amount, BPR04 method, BPR16 date and TRN02 trace number."""

    id: str
    trace_number: str
    amount_cents: int
    paid_on: date
    payer_name: str
    method: str  # BPR04: ACH, CHK, NON, FWT, BOP

    def __post_init__(self) -> None:
        _require_cents(self.amount_cents, "amount_cents")

    @classmethod
    def from_remittance(cls, id: str, remittance: Remittance) -> RemittancePayment:
        """The payment of an 835; a debit (BPR03 D) takes money back and is refused here."""
        payment = remittance.payment
        if payment.credit_debit.upper() == "D":
            raise ValidationError(
                "this 835 is a debit (BPR03 D): reconcile it against the withdrawal, not a deposit",
                field="credit_debit",
            )
        return cls(
            id=id,
            trace_number=payment.trace_number,
            amount_cents=payment.amount_cents,
            paid_on=payment.date,
            payer_name=remittance.payer.name,
            method=payment.method,
        )


class MatchBasis(StrEnum):
    TRACE = "trace"  # reference or description carries the trace number
    AMOUNT = "amount"  # same amount, within the date window, the only candidate either way


@dataclass(frozen=True, slots=True, kw_only=True)
class MatchedPair:
    deposit: Deposit
    payment: RemittancePayment
    basis: MatchBasis

    @property
    def difference_cents(self) -> int:
        """Deposit minus payment: zero when the bank received what the 835 says was paid."""
        return self.deposit.amount_cents - self.payment.amount_cents


@dataclass(frozen=True, slots=True, kw_only=True)
class DayRow:
    day: date
    deposits_cents: int
    payments_cents: int

    @property
    def difference_cents(self) -> int:
        """Deposits minus payments of the day."""
        return self.deposits_cents - self.payments_cents


@dataclass(frozen=True, slots=True, kw_only=True)
class Reconciliation:
    matched: tuple[MatchedPair, ...]
    unmatched_deposits: tuple[Deposit, ...]
    unmatched_payments: tuple[RemittancePayment, ...]
    by_day: tuple[DayRow, ...]


def normalize_trace(text: str) -> str:
    """A trace or reference as compared: no spaces, no leading zeros, upper case."""
    return "".join(text.split()).lstrip("0").upper()


def _trace_strength(trace: str, deposit: Deposit) -> int | None:
    """0 for the same reference, 1 for a reference containing (or contained in) the trace, 2 for the description."""
    if not trace:
        return None
    reference = normalize_trace(deposit.reference)
    if reference == trace:
        return 0
    shorter = min(len(reference), len(trace))
    if reference and shorter >= _MIN_CONTAINED and (trace in reference or reference in trace):
        return 1
    tokens = {token.lstrip("0").upper() for token in _TOKEN.findall(deposit.description)}
    if trace in tokens:
        return 2
    if len(trace) >= _MIN_IN_TEXT and trace in "".join(deposit.description.split()).upper():
        return 2
    return None


def _match_by_trace(
    deposits: list[Deposit], payments: list[RemittancePayment]
) -> list[tuple[Deposit, RemittancePayment]]:
    candidates: list[tuple[tuple[int, int, int, str, str], Deposit, RemittancePayment]] = []
    for payment in payments:
        trace = normalize_trace(payment.trace_number)
        for deposit in deposits:
            strength = _trace_strength(trace, deposit)
            if strength is not None:
                rank = (
                    strength,
                    abs(deposit.amount_cents - payment.amount_cents),
                    abs((deposit.posted_on - payment.paid_on).days),
                    deposit.id,
                    payment.id,
                )
                candidates.append((rank, deposit, payment))
    candidates.sort(key=lambda candidate: candidate[0])
    pairs: list[tuple[Deposit, RemittancePayment]] = []
    taken_deposits: set[str] = set()
    taken_payments: set[str] = set()
    for _, deposit, payment in candidates:
        if deposit.id in taken_deposits or payment.id in taken_payments:
            continue
        taken_deposits.add(deposit.id)
        taken_payments.add(payment.id)
        pairs.append((deposit, payment))
    return pairs


def _match_by_amount(
    deposits: list[Deposit], payments: list[RemittancePayment], window_days: int
) -> list[tuple[Deposit, RemittancePayment]]:
    fits: dict[str, list[Deposit]] = {}
    fitted_by: dict[str, int] = {}
    for payment in payments:
        fits[payment.id] = [
            deposit
            for deposit in deposits
            if deposit.amount_cents == payment.amount_cents
            and abs((deposit.posted_on - payment.paid_on).days) <= window_days
        ]
        for deposit in fits[payment.id]:
            fitted_by[deposit.id] = fitted_by.get(deposit.id, 0) + 1
    return [
        (fits[payment.id][0], payment)
        for payment in payments
        if len(fits[payment.id]) == 1 and fitted_by[fits[payment.id][0].id] == 1
    ]


def _without(
    deposits: list[Deposit], payments: list[RemittancePayment], pairs: list[tuple[Deposit, RemittancePayment]]
) -> tuple[list[Deposit], list[RemittancePayment]]:
    used_deposits = {d.id for d, _ in pairs}
    used_payments = {p.id for _, p in pairs}
    return [d for d in deposits if d.id not in used_deposits], [p for p in payments if p.id not in used_payments]


def _unique_ids(ids: Sequence[str], field: str) -> None:
    seen: set[str] = set()
    for position, id_ in enumerate(ids):
        if id_ in seen:
            raise ValidationError(f"id '{id_}' appears twice; give each one once", field=f"{field}[{position}]")
        seen.add(id_)


def reconcile(
    deposits: Sequence[Deposit], payments: Sequence[RemittancePayment], *, window_days: int = 5
) -> Reconciliation:
    """Match deposits to payments by trace number, then by unique amount within ``window_days``; total by day.

    Payments of zero (an advice with no money, BPR04 NON) expect no deposit: they are neither matched nor listed
    as unmatched. ``by_day`` totals every deposit and every payment by its own date, matched or not.
    """
    if window_days < 0:
        raise ValidationError("the date window is zero days or more", field="window_days")
    _unique_ids([d.id for d in deposits], "deposits")
    _unique_ids([p.id for p in payments], "payments")
    open_deposits = sorted(deposits, key=lambda d: (d.posted_on, d.id))
    open_payments = sorted((p for p in payments if p.amount_cents > 0), key=lambda p: (p.paid_on, p.id))

    by_trace = _match_by_trace(open_deposits, open_payments)
    open_deposits, open_payments = _without(open_deposits, open_payments, by_trace)
    by_amount = _match_by_amount(open_deposits, open_payments, window_days)
    open_deposits, open_payments = _without(open_deposits, open_payments, by_amount)

    matched = [MatchedPair(deposit=d, payment=p, basis=MatchBasis.TRACE) for d, p in by_trace]
    matched += [MatchedPair(deposit=d, payment=p, basis=MatchBasis.AMOUNT) for d, p in by_amount]
    matched.sort(key=lambda pair: (pair.deposit.posted_on, pair.deposit.id))
    return Reconciliation(
        matched=tuple(matched),
        unmatched_deposits=tuple(open_deposits),
        unmatched_payments=tuple(open_payments),
        by_day=_by_day(deposits, payments),
    )


def _by_day(deposits: Sequence[Deposit], payments: Sequence[RemittancePayment]) -> tuple[DayRow, ...]:
    totals: dict[date, list[int]] = {}
    for deposit in deposits:
        totals.setdefault(deposit.posted_on, [0, 0])[0] += deposit.amount_cents
    for payment in payments:
        totals.setdefault(payment.paid_on, [0, 0])[1] += payment.amount_cents
    return tuple(
        DayRow(day=day, deposits_cents=deposits_cents, payments_cents=payments_cents)
        for day, (deposits_cents, payments_cents) in sorted(totals.items())
    )
