"""The patient's side of payments: applying a payment to open visits, spreading it over lines, and what may be written off or refunded.

Everything here is pure arithmetic on integer cents. A payment goes to the oldest balance first (by the date the
patient became responsible, then by key), or only to the visits the patient chose, in the order chosen; no item
ever receives more than its balance, and what is left over is an unapplied credit on the account.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from medbill.domain.errors import ValidationError
from medbill.domain.fields import parse_enum, set_field
from medbill.domain.identifiers import luhn_check_digit
from medbill.domain.money import MAX_CENTS, cents_to_str


class PaymentMethod(StrEnum):
    CASH = "cash"
    CHECK = "check"
    CARD = "card"
    ACH = "ach"
    OTHER = "other"


def _require_cents(value: int, field: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{field} is integer cents, not {type(value).__name__}")
    if abs(value) >= MAX_CENTS:
        raise ValidationError("is larger than any amount medbill handles", field=field)


def _require_positive(value: int, field: str) -> None:
    _require_cents(value, field)
    if value <= 0:
        raise ValidationError("must be more than zero", field=field)


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenItem:
    """A visit (or a line) on which the patient owes ``balance_cents`` since ``responsible_on``."""

    key: str
    responsible_on: date
    balance_cents: int

    def __post_init__(self) -> None:
        _require_cents(self.balance_cents, "balance_cents")
        if self.balance_cents < 0:
            raise ValidationError(
                "an open item's balance is zero or more; a credit is not an open item", field="balance_cents"
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class Allocation:
    """Where a payment went: ``(key, cents)`` per item that received money, in the order applied, and the credit."""

    applied: tuple[tuple[str, int], ...]
    credit_cents: int

    @property
    def applied_cents(self) -> int:
        return sum(cents for _, cents in self.applied)


def _ordered(items: Sequence[OpenItem], chosen: Sequence[str] | None) -> list[OpenItem]:
    by_key: dict[str, OpenItem] = {}
    for position, item in enumerate(items):
        if item.key in by_key:
            raise ValidationError(
                f"key '{item.key}' appears twice; give each open item once", field=f"items[{position}]"
            )
        by_key[item.key] = item
    if chosen is None:
        return sorted(items, key=lambda item: (item.responsible_on, item.key))
    ordered: list[OpenItem] = []
    seen: set[str] = set()
    for position, key in enumerate(chosen):
        if key not in by_key:
            raise ValidationError(
                f"'{key}' is not one of the account's open items; choose from the visits with a balance",
                field=f"chosen[{position}]",
            )
        if key in seen:
            raise ValidationError(f"'{key}' is chosen twice; choose each visit once", field=f"chosen[{position}]")
        seen.add(key)
        ordered.append(by_key[key])
    return ordered


def apply_payment(amount_cents: int, items: Sequence[OpenItem], *, chosen: Sequence[str] | None = None) -> Allocation:
    """Apply a patient payment oldest first, or to the ``chosen`` items only in the order given; the rest is credit."""
    _require_positive(amount_cents, "amount_cents")
    if chosen is not None and not chosen:
        raise ValidationError("choose at least one visit, or leave the choice out to pay oldest first", field="chosen")
    left = amount_cents
    applied: list[tuple[str, int]] = []
    for item in _ordered(items, chosen):
        if left == 0:
            break
        part = min(left, item.balance_cents)
        if part > 0:
            applied.append((item.key, part))
            left -= part
    return Allocation(applied=tuple(applied), credit_cents=left)


def spread(amount_cents: int, balances: Sequence[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    """Split an amount applied to a visit across its lines, first line first, never above a line's balance.

    ``balances`` are ``(line key, patient balance)`` in the order to fill (oldest / first line first); lines with no
    balance (zero or a credit) receive nothing. The amount may not exceed what the lines owe together.
    """
    _require_cents(amount_cents, "amount_cents")
    if amount_cents < 0:
        raise ValidationError(
            "cannot spread a negative amount; a reversal undoes the original entries", field="amount_cents"
        )
    owed = sum(max(cents, 0) for _, cents in balances)
    if amount_cents > owed:
        raise ValidationError(
            f"{cents_to_str(amount_cents)} is more than the lines owe ({cents_to_str(owed)}); "
            "apply the excess as a credit instead",
            field="amount_cents",
        )
    left = amount_cents
    parts: list[tuple[str, int]] = []
    for key, cents in balances:
        if left == 0:
            break
        part = min(left, max(cents, 0))
        if part > 0:
            parts.append((key, part))
            left -= part
    return tuple(parts)


# --- how the money came in ------------------------------------------------------------------------------------

_REFERENCE_MAX = 30
_DIGIT_RUN = re.compile(r"\d+")
_ACH_TRACE = re.compile(r"\d{15}")  # NACHA trace number: ODFI routing (8) + sequence (7)
_CHECK_NUMBER = re.compile(r"[0-9A-Za-z-]{1,15}")
_AUTH_CODE = re.compile(r"[0-9A-Za-z-]{4,20}")


def passes_luhn(digits: str) -> bool:
    """True when the last digit is the Luhn (ISO/IEC 7812) check digit of the ones before it."""
    return len(digits) >= 2 and digits.isdigit() and luhn_check_digit(digits[:-1]) == int(digits[-1])


def looks_like_card_number(text: str) -> bool:
    """True when ``text`` holds 13–19 digits (spaces and dashes between them allowed) that pass the Luhn check."""
    joined = re.sub(r"(?<=\d)[ -](?=\d)", "", text)
    return any(13 <= len(run) <= 19 and passes_luhn(run) for run in _DIGIT_RUN.findall(joined))


def validate_reference(method: PaymentMethod, reference: str | None, *, field: str = "reference") -> str | None:
    """The payment's reference, cleaned: a check number for a check, last 4 or authorization code for a card.

    A full card number is never stored, whatever the method: it is refused with a message saying what to enter.
    (A 15-digit ACH trace number is let through for ACH, as it may pass the Luhn check by chance.)
    """
    text = " ".join((reference or "").split())
    exempt = method is PaymentMethod.ACH and _ACH_TRACE.fullmatch(text) is not None
    if not exempt and looks_like_card_number(text):
        raise ValidationError(
            "looks like a full card number, which medbill never stores; enter only the last 4 digits "
            "or the authorization code",
            field=field,
        )
    if len(text) > _REFERENCE_MAX:
        raise ValidationError(f"is longer than {_REFERENCE_MAX} characters", field=field)
    if method is PaymentMethod.CHECK:
        if not text:
            raise ValidationError("a check payment needs the check number", field=field)
        if not _CHECK_NUMBER.fullmatch(text):
            raise ValidationError("enter the check number as printed (up to 15 letters or digits)", field=field)
    elif method is PaymentMethod.CARD:
        if not text:
            raise ValidationError(
                "a card payment needs the card's last 4 digits or the authorization code", field=field
            )
        if not _AUTH_CODE.fullmatch(text) or (text.isdigit() and len(text) > 8):
            raise ValidationError("enter only the card's last 4 digits or the authorization code", field=field)
    return text or None


@dataclass(frozen=True, slots=True, kw_only=True)
class PatientPaymentDraft:
    """A patient payment as entered at the front desk or by mail, checked before it is posted."""

    amount_cents: int
    method: PaymentMethod
    received_on: date
    reference: str | None = None
    chosen: tuple[str, ...] | None = None  # the visits the patient asked to pay; None pays oldest first

    def __post_init__(self) -> None:
        _require_positive(self.amount_cents, "amount_cents")
        set_field(self, "method", parse_enum(PaymentMethod, self.method, "method"))
        set_field(self, "reference", validate_reference(self.method, self.reference))


# --- small balances and refunds --------------------------------------------------------------------------------


def small_balance_write_off(balance_cents: int, threshold_cents: int) -> bool:
    """True when a patient balance is owed but at most ``threshold_cents``, so the practice's policy writes it off.

    A zero balance or a credit is never written off, and a threshold of zero turns the policy off.
    """
    _require_cents(balance_cents, "balance_cents")
    _require_cents(threshold_cents, "threshold_cents")
    if threshold_cents < 0:
        raise ValidationError("the small-balance threshold is zero (off) or more", field="threshold_cents")
    return 0 < balance_cents <= threshold_cents


def refund_allowed(credit_cents: int, amount_cents: int) -> int:
    """Check a refund against the account's unapplied credit; returns the credit left after it.

    Raises ValidationError naming the available credit when the refund is more than the credit.
    """
    _require_cents(credit_cents, "credit_cents")
    _require_positive(amount_cents, "amount_cents")
    available = max(credit_cents, 0)
    if amount_cents > available:
        raise ValidationError(
            f"a refund of {cents_to_str(amount_cents)} is more than the available credit of "
            f"{cents_to_str(available)}; refund at most {cents_to_str(available)}",
            field="amount_cents",
        )
    return available - amount_cents
