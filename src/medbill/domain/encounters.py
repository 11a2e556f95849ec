"""Encounters: a visit's date and place, who saw the patient, the diagnoses in order and the service lines charged."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from medbill.domain.errors import MedbillError, ValidationError
from medbill.domain.fields import new_id, optional_text
from medbill.domain.fields import set_field as _set
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

    def __post_init__(self) -> None:
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

    def __post_init__(self) -> None:
        _set(self, "place_of_service", validate_place_of_service(self.place_of_service))
        if not self.diagnoses:
            raise ValidationError("an encounter needs at least one diagnosis", field="diagnoses")
        if len(self.diagnoses) > MAX_DIAGNOSES:
            raise ValidationError(
                f"at most {MAX_DIAGNOSES} diagnoses fit on a claim, got {len(self.diagnoses)}", field="diagnoses"
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

    @property
    def total_charge_cents(self) -> int:
        return sum(line.charge_cents for line in self.lines)


def build_line(line_number: int, **values: object) -> ServiceLine:
    """A ServiceLine whose refusal names the line (``lines[2].units``)."""
    try:
        return ServiceLine(line_number=line_number, **values)  # type: ignore[arg-type]
    except MedbillError as exc:
        raise exc.prefixed(f"lines[{line_number}]") from None
