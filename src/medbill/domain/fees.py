"""Fee schedules: what the practice charges for a procedure, per payer or for everyone, for a span of dates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from medbill.domain.encounters import normalize_procedure_code
from medbill.domain.errors import NotFound, ValidationError
from medbill.domain.fields import new_id, require_text
from medbill.domain.fields import set_field as _set


@dataclass(frozen=True, slots=True, kw_only=True)
class FeeScheduleEntry:
    """The charge for one unit of ``procedure_code`` (with ``modifier`` when the fee differs, e.g. 26 or TC)."""

    procedure_code: str
    modifier: str = ""
    charge_cents: int

    def __post_init__(self) -> None:
        _set(self, "procedure_code", normalize_procedure_code(self.procedure_code))
        _set(self, "modifier", self.modifier.strip().upper())
        if isinstance(self.charge_cents, bool) or not isinstance(self.charge_cents, int):
            raise TypeError("charge_cents is integer cents")
        if self.charge_cents < 0:
            raise ValidationError("a fee cannot be negative", field=f"entries.{self.procedure_code}")


class FeeScheduleKind(StrEnum):
    CHARGE = "charge"  # what the practice bills (its charge master, or a payer-specific charge)
    CONTRACT = "contract"  # what a payer agreed to allow: the yardstick for underpayments and estimates


@dataclass(frozen=True, slots=True, kw_only=True)
class FeeSchedule:
    id: str = field(default_factory=new_id)
    practice_id: str
    name: str
    payer_id: str | None = None  # None: the practice's own charges, for every payer
    kind: FeeScheduleKind = FeeScheduleKind.CHARGE
    effective_from: date
    effective_to: date | None = None
    entries: Mapping[tuple[str, str], int] = field(default_factory=dict)  # (code, modifier) → cents per unit

    def __post_init__(self) -> None:
        _set(self, "name", require_text(self.name, "name", max_length=60))
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValidationError("the schedule ends before it starts", field="effective_to")
        if self.kind is FeeScheduleKind.CONTRACT and self.payer_id is None:
            raise ValidationError("a contracted (allowed) schedule belongs to one payer", field="payer_id")

    @classmethod
    def with_entries(cls, entries: Iterable[FeeScheduleEntry], **values: object) -> FeeSchedule:
        table: dict[tuple[str, str], int] = {}
        for e in entries:
            key = (e.procedure_code, e.modifier)
            if key in table:
                raise ValidationError(f"{e.procedure_code} {e.modifier} is listed twice", field="entries")
            table[key] = e.charge_cents
        return cls(entries=table, **values)  # type: ignore[arg-type]

    def is_effective_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def unit_fee(self, procedure_code: str, modifiers: tuple[str, ...] = ()) -> int | None:
        """The per-unit fee: first a fee for the code with one of its pricing modifiers, then the plain code."""
        for modifier in modifiers:
            cents = self.entries.get((procedure_code, modifier))
            if cents is not None:
                return cents
        return self.entries.get((procedure_code, ""))


def price_line(
    schedules: Iterable[FeeSchedule],
    *,
    procedure_code: str,
    modifiers: tuple[str, ...],
    units: int,
    date_of_service: date,
    payer_id: str | None,
) -> int:
    """The charge for a line with no charge entered: the payer's schedule in effect first, then the practice's."""
    in_effect = [s for s in schedules if s.kind is FeeScheduleKind.CHARGE and s.is_effective_on(date_of_service)]
    ordered = [s for s in in_effect if payer_id is not None and s.payer_id == payer_id] + [
        s for s in in_effect if s.payer_id is None
    ]
    for schedule in ordered:
        fee = schedule.unit_fee(procedure_code, modifiers)
        if fee is not None:
            return fee * units
    raise NotFound(
        f"no fee schedule in effect on {date_of_service.isoformat()} prices {procedure_code}; "
        "enter the charge or add the code to a fee schedule",
        field="charge",
    )


def contracted_amount(
    schedules: Iterable[FeeSchedule],
    *,
    payer_id: str,
    procedure_code: str,
    modifiers: tuple[str, ...],
    units: int,
    date_of_service: date,
) -> int | None:
    """What the payer agreed to allow for a line (its contract schedule in force on the date), or None."""
    for schedule in schedules:
        if (
            schedule.kind is FeeScheduleKind.CONTRACT
            and schedule.payer_id == payer_id
            and schedule.is_effective_on(date_of_service)
        ):
            fee = schedule.unit_fee(procedure_code, modifiers)
            if fee is not None:
                return fee * units
    return None
