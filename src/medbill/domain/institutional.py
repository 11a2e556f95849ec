"""What an institutional (UB-04 / 837I) encounter carries beyond a professional one: the type of bill, admission and
discharge, the attending and operating providers, and the occurrence, span, condition and value codes.

Code sets are the NUBC's (UB-04 data specifications); each field's form locator and 837I element is named where it
is checked. Validation refuses by shape and by the published code lists where they are short and stable (admission
type and source, patient status); occurrence, condition and value codes are checked for shape only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from medbill.domain.errors import ValidationError
from medbill.domain.fields import set_field as _set


class EncounterKind(StrEnum):
    """Which claim an encounter becomes: professional (837P, CMS-1500) or institutional (837I, UB-04)."""

    PROFESSIONAL = "P"
    INSTITUTIONAL = "I"


MAX_INSTITUTIONAL_DIAGNOSES = 18  # UB-04 FL 67 principal + 67A–Q
MAX_CONDITION_CODES = 11  # FL 18–28
MAX_OCCURRENCE_CODES = 8  # FL 31–34, rows a and b
MAX_OCCURRENCE_SPANS = 4  # FL 35–36, rows a and b
MAX_VALUE_CODES = 12  # FL 39–41, rows a–d

# FL 4 / CLM05-3: the third digit of the type of bill (frequency); letters are Medicare-only and not accepted here
FREQUENCIES = frozenset("012345789")
# FL 14 / CL101 priority (type) of admission or visit
ADMISSION_TYPES = {"1": "emergency", "2": "urgent", "3": "elective", "4": "newborn", "5": "trauma", "9": "unknown"}
# FL 15 / CL102 point of origin for admission or visit (NUBC; 3 and 7 are no longer assigned)
ADMISSION_SOURCES = frozenset({"1", "2", "4", "5", "6", "8", "9", "D", "E", "F", "G"})
# FL 17 / CL103 patient discharge status (NUBC)
PATIENT_STATUSES = frozenset(
    {"01", "02", "03", "04", "05", "06", "07", "09", "20", "21", "30", "40", "41", "42", "43", "50", "51"}
    | {"61", "62", "63", "64", "65", "66", "69", "70"}
    | {f"{n}" for n in range(81, 96)}
)
# type-of-bill facility types (first two digits) billed as inpatient: admission data is required (FL 12–15)
INPATIENT_FACILITY_TYPES = frozenset({"11", "18", "21", "41"})  # the scrubber's completeness.admission set
# accommodation revenue codes (010x–021x) are billed in days (SV204 DA)
_ACCOMMODATION = re.compile(r"0(1\d|20|21)\d")

_REVENUE = re.compile(r"\d{4}")
_TYPE_OF_BILL = re.compile(r"0?([1-8][1-9])([0-9])")
_CODE2 = re.compile(r"[0-9A-Z]{2}")
_HOUR = re.compile(r"([01]\d|2[0-3])([0-5]\d)?")


def normalize_revenue_code(value: str, *, field: str = "revenue_code") -> str:
    """A revenue code as four digits with its leading zero (450 → 0450; UB-04 FL 42, SV201)."""
    code = value.strip()
    if len(code) == 3 and code.isdigit():
        code = "0" + code
    if not _REVENUE.fullmatch(code) or code == "0000":
        raise ValidationError(f"'{value.strip()[:6]}' is not a revenue code (four digits such as 0450)", field=field)
    return code


def is_accommodation(revenue_code: str) -> bool:
    """Room-and-board revenue codes (0100–0219) count days, not units."""
    return bool(_ACCOMMODATION.fullmatch(revenue_code))


def _code2(value: str, field: str, what: str) -> str:
    code = value.strip().upper()
    if not _CODE2.fullmatch(code):
        raise ValidationError(f"'{value.strip()[:6]}' is not {what} (two letters or digits)", field=field)
    return code


def _hour(value: str | None, field: str) -> str | None:
    """An hour as HHMM (13 → 1300): UB-04 FL 13/16 take the hour, 837I DTP*435/096 the hour and minutes."""
    if value is None or not value.strip():
        return None
    text = value.strip().replace(":", "")
    if not _HOUR.fullmatch(text):
        raise ValidationError("an hour is HH or HHMM on a 24-hour clock (00–23)", field=field)
    return text if len(text) == 4 else text + "00"


def _many(items: tuple[object, ...], most: int, field: str, what: str) -> None:
    if len(items) > most:
        raise ValidationError(f"at most {most} {what} fit on the UB-04, got {len(items)}", field=field)


@dataclass(frozen=True, slots=True, kw_only=True)
class OccurrenceCode:
    """FL 31–34 / HI*BH: an occurrence code (e.g. 11 onset of symptoms) and its date."""

    code: str
    on: date


@dataclass(frozen=True, slots=True, kw_only=True)
class OccurrenceSpan:
    """FL 35–36 / HI*BI: an occurrence span code (e.g. 74 non-covered level of care) with its from and through."""

    code: str
    start: date
    end: date


@dataclass(frozen=True, slots=True, kw_only=True)
class ValueCode:
    """FL 39–41 / HI*BE: a value code (e.g. 80 covered days) and its amount in cents."""

    code: str
    amount_cents: int


@dataclass(frozen=True, slots=True, kw_only=True)
class InstitutionalData:
    """The UB-04 header of an institutional encounter; the encounter's date of service opens the statement period."""

    type_of_bill: str  # FL 4 without its leading zero: facility type, classification, frequency (131, 111 …)
    statement_from: date | None = None  # FL 6 / DTP*434; None: the date of service
    statement_through: date | None = None  # FL 6 / DTP*434; None: the statement's first day
    admission_date: date | None = None  # FL 12 / DTP*435
    admission_hour: str | None = None  # FL 13 / DTP*435 DT, HHMM
    admission_type: str | None = None  # FL 14 / CL101
    admission_source: str | None = None  # FL 15 / CL102
    discharge_hour: str | None = None  # FL 16 / DTP*096 TM, HHMM
    patient_status: str = "01"  # FL 17 / CL103, 01 discharged home
    admitting_diagnosis: str | None = None  # FL 69 / HI*ABJ, undotted ICD-10-CM
    attending_provider_id: str | None = None  # FL 76 / 2310A; None: the rendering provider
    operating_provider_id: str | None = None  # FL 77 / 2310B
    condition_codes: tuple[str, ...] = ()  # FL 18–28 / HI*BG
    occurrence_codes: tuple[OccurrenceCode, ...] = ()  # FL 31–34 / HI*BH
    occurrence_spans: tuple[OccurrenceSpan, ...] = ()  # FL 35–36 / HI*BI
    value_codes: tuple[ValueCode, ...] = ()  # FL 39–41 / HI*BE

    def __post_init__(self) -> None:
        bill = (self.type_of_bill or "").strip()
        found = _TYPE_OF_BILL.fullmatch(bill)
        if found is None or (len(bill) == 4 and not bill.startswith("0")):
            raise ValidationError(
                "the type of bill is 3 digits (or 4 with a leading zero): facility type 1–8, classification 1–9, "
                "frequency (e.g. 131 hospital outpatient, original claim)",
                field="type_of_bill",
            )
        if found.group(2) not in FREQUENCIES:
            raise ValidationError(
                f"'{found.group(2)}' is not a claim frequency (third digit of the type of bill: 0–5, 7, 8 or 9)",
                field="type_of_bill",
            )
        _set(self, "type_of_bill", found.group(1) + found.group(2))
        if self.statement_from and self.statement_through and self.statement_through < self.statement_from:
            raise ValidationError("the statement period ends before it starts", field="statement_through")
        _set(self, "admission_hour", _hour(self.admission_hour, "admission_hour"))
        _set(self, "discharge_hour", _hour(self.discharge_hour, "discharge_hour"))
        if self.admission_hour and self.admission_date is None:
            raise ValidationError("an admission hour needs the admission date", field="admission_date")
        admission_type = (self.admission_type or "").strip() or None
        if admission_type is not None and admission_type not in ADMISSION_TYPES:
            raise ValidationError(
                "the admission type is 1 emergency, 2 urgent, 3 elective, 4 newborn, 5 trauma or 9 unknown",
                field="admission_type",
            )
        _set(self, "admission_type", admission_type)
        source = (self.admission_source or "").strip().upper() or None
        if source is not None and source not in ADMISSION_SOURCES:
            raise ValidationError(
                f"'{source[:3]}' is not a point of origin for admission (1, 2, 4, 5, 6, 8, 9, D, E, F or G)",
                field="admission_source",
            )
        _set(self, "admission_source", source)
        status = (self.patient_status or "").strip()
        if status not in PATIENT_STATUSES:
            raise ValidationError(
                f"'{status[:3]}' is not a patient discharge status (two digits, e.g. 01 home, 02 to a hospital)",
                field="patient_status",
            )
        _set(self, "patient_status", status)
        if self.is_inpatient and (self.admission_date is None or admission_type is None):
            raise ValidationError(
                f"an inpatient bill (type {self.type_of_bill}) needs the admission date and type",
                field="admission_date",
            )
        _many(self.condition_codes, MAX_CONDITION_CODES, "condition_codes", "condition codes")
        codes = tuple(
            _code2(c, f"condition_codes[{i}]", "a condition code") for i, c in enumerate(self.condition_codes, 1)
        )
        if len(set(codes)) != len(codes):
            raise ValidationError("a condition code is listed twice", field="condition_codes")
        _set(self, "condition_codes", codes)
        _many(self.occurrence_codes, MAX_OCCURRENCE_CODES, "occurrence_codes", "occurrence codes")
        _set(
            self,
            "occurrence_codes",
            tuple(
                OccurrenceCode(code=_code2(o.code, f"occurrence_codes[{i}]", "an occurrence code"), on=o.on)
                for i, o in enumerate(self.occurrence_codes, 1)
            ),
        )
        _many(self.occurrence_spans, MAX_OCCURRENCE_SPANS, "occurrence_spans", "occurrence spans")
        spans = []
        for i, s in enumerate(self.occurrence_spans, 1):
            if s.end < s.start:
                raise ValidationError("an occurrence span ends before it starts", field=f"occurrence_spans[{i}]")
            spans.append(
                OccurrenceSpan(code=_code2(s.code, f"occurrence_spans[{i}]", "a span code"), start=s.start, end=s.end)
            )
        _set(self, "occurrence_spans", tuple(spans))
        _many(self.value_codes, MAX_VALUE_CODES, "value_codes", "value codes")
        values = []
        for i, v in enumerate(self.value_codes, 1):
            if isinstance(v.amount_cents, bool) or not isinstance(v.amount_cents, int):
                raise TypeError("a value code's amount is integer cents")
            if abs(v.amount_cents) >= 10**9:
                raise ValidationError("a value code's amount fits in 9,999,999.99", field=f"value_codes[{i}]")
            values.append(
                ValueCode(code=_code2(v.code, f"value_codes[{i}]", "a value code"), amount_cents=v.amount_cents)
            )
        _set(self, "value_codes", tuple(values))

    @property
    def facility_type(self) -> str:
        """CLM05-1: the type of bill's first two digits (facility type and classification)."""
        return self.type_of_bill[:2]

    @property
    def frequency(self) -> str:
        """CLM05-3: the type of bill's third digit."""
        return self.type_of_bill[2]

    @property
    def is_inpatient(self) -> bool:
        return self.facility_type in INPATIENT_FACILITY_TYPES
