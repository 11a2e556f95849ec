"""Encounters: a visit's date and place, who saw the patient, the diagnoses in order and the service lines charged."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from medbill.domain.errors import MedbillError, ValidationError
from medbill.domain.fields import new_id, optional_text
from medbill.domain.fields import set_field as _set
from medbill.domain.institutional import (
    MAX_INSTITUTIONAL_DIAGNOSES,
    EncounterKind,
    InstitutionalData,
    normalize_revenue_code,
)
from medbill.domain.parties import validate_place_of_service

MAX_DIAGNOSES = 12  # 837P HI segment / CMS-1500 box 21 A–L
MAX_MODIFIERS = 4  # SV101-3..6 / box 24D
MAX_POINTERS = 4  # SV107 / box 24E

_ICD10CM = re.compile(r"[A-TV-Z][0-9][0-9AB][0-9A-Z]{0,4}")
_PROCEDURE = re.compile(r"(\d{4}[0-9FTU]|[A-V]\d{4})")
_MODIFIER = re.compile(r"[0-9A-Z]{2}")


def normalize_diagnosis_code(value: str, *, field: str = "diagnoses") -> str:
    """An ICD-10-CM code in its undotted form (E11.9 → E119), refusing what cannot be one by shape."""
    code = value.strip().upper().replace(".", "")
    if not _ICD10CM.fullmatch(code):
        raise ValidationError(
            f"'{value.strip()[:10]}' is not shaped like an ICD-10-CM code (letter, digit, "
            "digit or A/B, then up to four characters)",
            field=field,
        )
    return code


def dotted(code: str) -> str:
    """E119 → E11.9; three-character categories stay as they are."""
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


def normalize_procedure_code(value: str, *, field: str = "procedure_code") -> str:
    """A CPT (5 digits, or 4 digits and F/T/U) or HCPCS Level II (letter and 4 digits) code."""
    code = value.strip().upper()
    if not _PROCEDURE.fullmatch(code):
        raise ValidationError(
            f"'{value.strip()[:10]}' is not a CPT or HCPCS code (5 characters such as 99213 or G0439)", field=field
        )
    return code


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceLine:
    line_number: int
    procedure_code: str
    modifiers: tuple[str, ...] = ()
    units: int = 1
    charge_cents: int
    diagnosis_pointers: tuple[int, ...] = (1,)
    note: str | None = None
    revenue_code: str | None = None  # UB-04 FL 42 / SV201: institutional lines only

    def __post_init__(self) -> None:
        revenue = (self.revenue_code or "").strip()
        _set(self, "revenue_code", normalize_revenue_code(revenue) if revenue else None)
        if self.revenue_code is not None and not self.procedure_code.strip():
            _set(self, "procedure_code", "")  # an institutional line may bill a revenue code alone (room and board)
        else:
            _set(self, "procedure_code", normalize_procedure_code(self.procedure_code))
        modifiers = tuple(m.strip().upper() for m in self.modifiers if m and m.strip())
        if len(modifiers) > MAX_MODIFIERS:
            raise ValidationError(
                f"a line takes at most {MAX_MODIFIERS} modifiers, got {len(modifiers)}", field="modifiers"
            )
        for m in modifiers:
            if not _MODIFIER.fullmatch(m):
                raise ValidationError(f"'{m[:5]}' is not a modifier (two letters or digits)", field="modifiers")
        if len(set(modifiers)) != len(modifiers):
            raise ValidationError("a modifier is repeated", field="modifiers")
        _set(self, "modifiers", modifiers)
        if isinstance(self.units, bool) or not isinstance(self.units, int):
            raise ValidationError("units is a whole number", field="units")
        if self.units <= 0:
            raise ValidationError("units must be at least 1", field="units")
        if self.units > 9999:
            raise ValidationError("units above 9999 cannot be billed on one line", field="units")
        if isinstance(self.charge_cents, bool) or not isinstance(self.charge_cents, int):
            raise TypeError("charge_cents is integer cents")
        if self.charge_cents < 0:
            raise ValidationError("a charge cannot be negative", field="charge")
        pointers = tuple(self.diagnosis_pointers)
        if not pointers:
            raise ValidationError("each line points to at least one diagnosis", field="diagnosis_pointers")
        if len(pointers) > MAX_POINTERS:
            raise ValidationError(f"a line points to at most {MAX_POINTERS} diagnoses", field="diagnosis_pointers")
        if len(set(pointers)) != len(pointers):
            raise ValidationError("a diagnosis pointer is repeated", field="diagnosis_pointers")
        for p in pointers:
            if not 1 <= p <= MAX_DIAGNOSES:
                raise ValidationError(f"pointer {p} is outside 1–{MAX_DIAGNOSES}", field="diagnosis_pointers")
        _set(self, "diagnosis_pointers", pointers)
        _set(self, "note", optional_text(self.note, "note", max_length=80))

    @property
    def unit_charge_cents(self) -> int:
        return self.charge_cents // self.units


@dataclass(frozen=True, slots=True, kw_only=True)
class Encounter:
    id: str = field(default_factory=new_id)
    practice_id: str
    patient_id: str
    date_of_service: date
    place_of_service: str = "11"
    rendering_provider_id: str
    referring_provider_id: str | None = None
    facility_id: str | None = None
    diagnoses: tuple[str, ...]
    lines: tuple[ServiceLine, ...]
    created_at: datetime | None = None
    institutional: InstitutionalData | None = None  # present exactly when the encounter is billed on a UB-04 / 837I

    def __post_init__(self) -> None:
        _set(self, "place_of_service", validate_place_of_service(self.place_of_service))
        if not self.diagnoses:
            raise ValidationError("an encounter needs at least one diagnosis", field="diagnoses")
        most = MAX_DIAGNOSES if self.institutional is None else MAX_INSTITUTIONAL_DIAGNOSES
        if len(self.diagnoses) > most:
            raise ValidationError(
                f"at most {most} diagnoses fit on a claim, got {len(self.diagnoses)}", field="diagnoses"
            )
        codes = tuple(normalize_diagnosis_code(c, field=f"diagnoses[{i}]") for i, c in enumerate(self.diagnoses, 1))
        if len(set(codes)) != len(codes):
            raise ValidationError("a diagnosis is listed twice", field="diagnoses")
        _set(self, "diagnoses", codes)
        if not self.lines:
            raise ValidationError("an encounter needs at least one service line", field="lines")
        if len(self.lines) > 50:
            raise ValidationError("at most 50 service lines on one encounter", field="lines")
        for line in self.lines:
            for p in line.diagnosis_pointers:
                if p > len(codes):
                    raise ValidationError(
                        f"pointer {p} names no diagnosis: this encounter has {len(codes)}",
                        field=f"lines[{line.line_number}].diagnosis_pointers",
                    )
        self._check_institutional()

    def _check_institutional(self) -> None:
        data = self.institutional
        for line in self.lines:
            if data is None and line.revenue_code is not None:
                raise ValidationError(
                    "revenue codes belong on institutional (UB-04) encounters; remove it or give the type of bill",
                    field=f"lines[{line.line_number}].revenue_code",
                )
            if data is not None and line.revenue_code is None:
                raise ValidationError(
                    "every line of an institutional encounter needs its revenue code (UB-04 FL 42, e.g. 0450)",
                    field=f"lines[{line.line_number}].revenue_code",
                )
        if data is None:
            return
        start, end = self.statement_period
        if start > self.date_of_service or end < self.date_of_service:
            raise ValidationError(
                "the statement period must include the date of service", field="institutional.statement_from"
            )
        if data.admission_date is not None and data.admission_date > start:
            raise ValidationError(
                "the admission date is after the statement period starts", field="institutional.admission_date"
            )
        if data.admitting_diagnosis is not None:
            code = normalize_diagnosis_code(data.admitting_diagnosis, field="institutional.admitting_diagnosis")
            _set(self, "institutional", replace(data, admitting_diagnosis=code))

    @property
    def kind(self) -> EncounterKind:
        return EncounterKind.PROFESSIONAL if self.institutional is None else EncounterKind.INSTITUTIONAL

    @property
    def statement_period(self) -> tuple[date, date]:
        """UB-04 FL 6 / DTP*434: from the statement's first day (the date of service by default) through its last."""
        data = self.institutional
        start = (data.statement_from if data else None) or self.date_of_service
        end = (data.statement_through if data else None) or start
        return start, end

    @property
    def total_charge_cents(self) -> int:
        return sum(line.charge_cents for line in self.lines)


def build_line(line_number: int, **values: object) -> ServiceLine:
    """A ServiceLine whose refusal names the line (``lines[2].units``)."""
    try:
        return ServiceLine(line_number=line_number, **values)  # type: ignore[arg-type]
    except MedbillError as exc:
        raise exc.prefixed(f"lines[{line_number}]") from None
