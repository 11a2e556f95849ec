"""Coverage: which payer covers a patient, in what order, for which dates, with the benefits recorded at registration."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from medbill.domain.errors import ValidationError
from medbill.domain.fields import new_id, optional_text
from medbill.domain.fields import set_field as _set
from medbill.domain.identifiers import validate_member_id
from medbill.domain.parties import Address, PersonName, Sex


class CoverageOrder(StrEnum):
    """SBR01 payer responsibility sequence: P primary, S secondary, T tertiary."""

    PRIMARY = "primary"
    SECONDARY = "secondary"
    TERTIARY = "tertiary"

    @property
    def x12(self) -> str:
        return {"primary": "P", "secondary": "S", "tertiary": "T"}[self.value]

    @property
    def rank(self) -> int:
        return {"primary": 1, "secondary": 2, "tertiary": 3}[self.value]


class Relationship(StrEnum):
    """Patient's relationship to the subscriber, X12 individual relationship code (SBR02 / PAT01)."""

    SELF = "18"
    SPOUSE = "01"
    CHILD = "19"
    EMPLOYEE = "20"
    UNKNOWN = "21"
    ORGAN_DONOR = "39"
    CADAVER_DONOR = "40"
    LIFE_PARTNER = "53"
    OTHER = "G8"


@dataclass(frozen=True, slots=True, kw_only=True)
class Subscriber:
    """The insured person when it is not the patient (837 loop 2010BA with the patient in 2000C)."""

    name: PersonName
    birth_date: date
    sex: Sex
    address: Address | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Coverage:
    id: str = field(default_factory=new_id)
    practice_id: str
    patient_id: str
    payer_id: str  # our Payer.id
    order: CoverageOrder
    member_id: str
    relationship: Relationship = Relationship.SELF
    subscriber: Subscriber | None = None
    group_number: str | None = None
    plan_name: str | None = None
    effective_from: date
    effective_to: date | None = None
    copay_cents: int = 0
    deductible_cents: int = 0
    coinsurance_percent: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        _set(self, "member_id", validate_member_id(self.member_id))
        _set(self, "group_number", optional_text(self.group_number, "group_number", max_length=50))
        _set(self, "plan_name", optional_text(self.plan_name, "plan_name", max_length=60))
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValidationError(
                "coverage ends before it starts: termination date is before effective date", field="effective_to"
            )
        if self.relationship is Relationship.SELF and self.subscriber is not None:
            raise ValidationError("the patient is the subscriber; leave the subscriber empty", field="subscriber")
        if self.relationship is not Relationship.SELF and self.subscriber is None:
            raise ValidationError(
                "the subscriber's name, birth date and sex are needed when the patient is not the subscriber",
                field="subscriber",
            )
        for name in ("copay_cents", "deductible_cents"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"{name} is integer cents")
            if value < 0:
                raise ValidationError("cannot be negative", field=name.removesuffix("_cents"))
        percent = Decimal(self.coinsurance_percent)
        if not Decimal(0) <= percent <= Decimal(100) or percent.as_tuple().exponent < -2:  # type: ignore[operator]
            raise ValidationError(
                "coinsurance is a percent from 0 to 100 with at most two decimals", field="coinsurance_percent"
            )
        _set(self, "coinsurance_percent", percent)

    def is_active_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def overlaps(self, other: Coverage) -> bool:
        far = date.max
        return self.effective_from <= (other.effective_to or far) and other.effective_from <= (self.effective_to or far)
