"""The parties of a claim: the practice (tenant), its providers and facilities, payers, patients and guarantors."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from medbill.domain.errors import ValidationError
from medbill.domain.fields import new_id, optional_text, require_text
from medbill.domain.fields import set_field as _set
from medbill.domain.identifiers import (
    validate_ein,
    validate_npi,
    validate_payer_id,
    validate_phone,
    validate_state,
    validate_taxonomy,
    validate_tin,
    validate_zip,
)


class Sex(StrEnum):
    """Administrative sex as X12 DMG03 carries it."""

    FEMALE = "F"
    MALE = "M"
    UNKNOWN = "U"


@dataclass(frozen=True, slots=True, kw_only=True)
class Address:
    line1: str
    city: str
    state: str
    zip: str
    line2: str | None = None

    def __post_init__(self) -> None:
        _set(self, "line1", require_text(self.line1, "address.line1", max_length=55))
        _set(self, "line2", optional_text(self.line2, "address.line2", max_length=55))
        _set(self, "city", require_text(self.city, "address.city", max_length=30))
        _set(self, "state", validate_state(self.state, field="address.state"))
        _set(self, "zip", validate_zip(self.zip, field="address.zip"))

    @property
    def has_zip_plus_4(self) -> bool:
        return len(self.zip) == 9


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonName:
    last: str
    first: str
    middle: str | None = None
    suffix: str | None = None

    def __post_init__(self) -> None:
        _set(self, "last", require_text(self.last, "last_name", max_length=60))
        _set(self, "first", require_text(self.first, "first_name", max_length=35))
        _set(self, "middle", optional_text(self.middle, "middle_name", max_length=25))
        _set(self, "suffix", optional_text(self.suffix, "name_suffix", max_length=10))

    def display(self) -> str:
        middle = f" {self.middle[0]}." if self.middle else ""
        suffix = f" {self.suffix}" if self.suffix else ""
        return f"{self.last}, {self.first}{middle}{suffix}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Practice:
    """A tenant: one physician practice or group. Every row in medbill belongs to one."""

    id: str = field(default_factory=new_id)
    name: str
    npi: str | None = None
    tin: str | None = None
    address: Address | None = None
    phone: str | None = None
    taxonomy: str | None = None

    def __post_init__(self) -> None:
        _set(self, "name", require_text(self.name, "name", max_length=60))
        if self.npi is not None:
            _set(self, "npi", validate_npi(self.npi))
        if self.tin is not None:
            _set(self, "tin", validate_ein(self.tin))
        if self.phone is not None:
            _set(self, "phone", validate_phone(self.phone))
        if self.taxonomy is not None:
            _set(self, "taxonomy", validate_taxonomy(self.taxonomy))


class ProviderKind(StrEnum):
    """NM102 entity type qualifier: 1 person, 2 non-person entity."""

    INDIVIDUAL = "individual"
    ORGANIZATION = "organization"


class ProviderRole(StrEnum):
    BILLING = "billing"
    RENDERING = "rendering"
    REFERRING = "referring"
    SUPERVISING = "supervising"


class TinKind(StrEnum):
    """REF01 of the billing provider's tax ID: EI employer ID, SY social security number."""

    EIN = "EIN"
    SSN = "SSN"


@dataclass(frozen=True, slots=True, kw_only=True)
class Provider:
    id: str = field(default_factory=new_id)
    practice_id: str
    kind: ProviderKind
    last_name: str  # the organization's name when kind is organization
    first_name: str | None = None
    npi: str
    taxonomy: str | None = None
    tin: str | None = None
    tin_kind: TinKind = TinKind.EIN
    roles: frozenset[ProviderRole] = frozenset({ProviderRole.RENDERING})
    address: Address | None = None

    def __post_init__(self) -> None:
        _set(self, "last_name", require_text(self.last_name, "last_name", max_length=60))
        _set(self, "first_name", optional_text(self.first_name, "first_name", max_length=35))
        if self.kind is ProviderKind.INDIVIDUAL and not self.first_name:
            raise ValidationError("an individual provider needs a first name", field="first_name")
        if self.kind is ProviderKind.ORGANIZATION and self.first_name:
            raise ValidationError("an organization has a name, not a first name", field="first_name")
        _set(self, "npi", validate_npi(self.npi))
        if self.npi[0] == "1" and self.kind is ProviderKind.ORGANIZATION:
            raise ValidationError("NPIs starting with 1 belong to individuals; organizations have type 2", field="npi")
        if self.npi[0] == "2" and self.kind is ProviderKind.INDIVIDUAL:
            raise ValidationError("NPIs starting with 2 belong to organizations; individuals have type 1", field="npi")
        if self.taxonomy is not None:
            _set(self, "taxonomy", validate_taxonomy(self.taxonomy))
        if self.tin is not None:
            _set(self, "tin", validate_tin(self.tin, self.tin_kind.value))
        if not self.roles:
            raise ValidationError("a provider has at least one role", field="roles")
        if ProviderRole.BILLING in self.roles and self.tin is None:
            raise ValidationError("a billing provider needs a tax ID (EIN or SSN)", field="tin")

    def display_name(self) -> str:
        return f"{self.last_name}, {self.first_name}" if self.first_name else self.last_name


@dataclass(frozen=True, slots=True, kw_only=True)
class Facility:
    """A service location (837P 2310C, CMS-1500 box 32)."""

    id: str = field(default_factory=new_id)
    practice_id: str
    name: str
    address: Address
    npi: str | None = None
    place_of_service: str = "11"

    def __post_init__(self) -> None:
        _set(self, "name", require_text(self.name, "name", max_length=60))
        if self.npi is not None:
            _set(self, "npi", validate_npi(self.npi))
        _set(self, "place_of_service", validate_place_of_service(self.place_of_service))


def validate_place_of_service(value: str, *, field: str = "place_of_service") -> str:
    """A CMS place-of-service code: two digits 01–99 (11 office, 22 outpatient hospital, 02/10 telehealth…)."""
    code = value.strip()
    if len(code) == 1 and code.isdigit():
        code = "0" + code
    if len(code) != 2 or not code.isdigit() or code == "00":
        raise ValidationError("a place of service is a two-digit CMS code such as 11 (office)", field=field)
    return code


class ClaimFilingIndicator(StrEnum):
    """SBR09 claim filing indicator code: which kind of plan pays (X12 5010 code list)."""

    OTHER_NON_FEDERAL = "11"
    PPO = "12"
    POS = "13"
    EPO = "14"
    INDEMNITY = "15"
    HMO_MEDICARE_RISK = "16"
    DENTAL_MAINTENANCE = "17"
    AUTOMOBILE = "AM"
    BLUE_CROSS_BLUE_SHIELD = "BL"
    CHAMPUS = "CH"
    COMMERCIAL = "CI"
    DISABILITY = "DS"
    FEDERAL_EMPLOYEES = "FI"
    HMO = "HM"
    LIABILITY_MEDICAL = "LM"
    MEDICARE_PART_A = "MA"
    MEDICARE_PART_B = "MB"
    MEDICAID = "MC"
    OTHER_FEDERAL = "OF"
    TITLE_V = "TV"
    VETERANS_AFFAIRS = "VA"
    WORKERS_COMPENSATION = "WC"
    MUTUALLY_DEFINED = "ZZ"


@dataclass(frozen=True, slots=True, kw_only=True)
class Payer:
    id: str = field(default_factory=new_id)
    practice_id: str
    name: str
    payer_id: str
    claim_filing_indicator: ClaimFilingIndicator
    timely_filing_days: int = 365
    appeal_window_days: int = 180  # from the denial (the remittance date) to the last day to appeal
    address: Address | None = None
    phone: str | None = None

    def __post_init__(self) -> None:
        _set(self, "name", require_text(self.name, "name", max_length=60))
        _set(self, "payer_id", validate_payer_id(self.payer_id))
        if not 1 <= self.timely_filing_days <= 3650:
            raise ValidationError("timely filing is between 1 and 3650 days", field="timely_filing_days")
        if not 1 <= self.appeal_window_days <= 3650:
            raise ValidationError("the appeal window is between 1 and 3650 days", field="appeal_window_days")
        if self.phone is not None:
            _set(self, "phone", validate_phone(self.phone))


class GuarantorRelationship(StrEnum):
    SELF = "self"
    PARENT = "parent"
    SPOUSE = "spouse"
    GUARDIAN = "guardian"
    OTHER = "other"


@dataclass(frozen=True, slots=True, kw_only=True)
class Guarantor:
    """The person financially responsible for a patient's balance, when it is not the patient."""

    name: PersonName
    relationship: GuarantorRelationship
    address: Address
    phone: str | None = None

    def __post_init__(self) -> None:
        if self.relationship is GuarantorRelationship.SELF:
            raise ValidationError("a patient who pays their own bills needs no guarantor", field="guarantor")
        if self.phone is not None:
            _set(self, "phone", validate_phone(self.phone, field="guarantor.phone"))


@dataclass(frozen=True, slots=True, kw_only=True)
class Patient:
    id: str = field(default_factory=new_id)
    practice_id: str
    account_number: str
    name: PersonName
    birth_date: date
    sex: Sex
    address: Address
    phone: str | None = None
    email: str | None = None
    guarantor: Guarantor | None = None

    def __post_init__(self) -> None:
        account = self.account_number.strip().upper()
        if not account or len(account) > 20 or not account.replace("-", "").isalnum():
            raise ValidationError("an account number is 1 to 20 letters, digits or hyphens", field="account_number")
        _set(self, "account_number", account)
        if self.phone is not None:
            _set(self, "phone", validate_phone(self.phone))
        if self.email is not None:
            email = self.email.strip()
            if not email:
                _set(self, "email", None)
            elif "@" not in email or len(email) > 120 or " " in email:
                raise ValidationError("is not an e-mail address", field="email")
            else:
                _set(self, "email", email)

    def age_on(self, day: date) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years

    def check_birth_date(self, today: date) -> None:
        if self.birth_date > today:
            raise ValidationError("date of birth is in the future", field="birth_date")
        if self.age_on(today) > 124:
            raise ValidationError("date of birth is more than 124 years ago", field="birth_date")
