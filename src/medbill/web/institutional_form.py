"""The encounter form's institutional (UB-04) fieldset read into an InstitutionalDraft; blank means professional."""

from __future__ import annotations

import re
from datetime import date

from medbill.services.encounters import InstitutionalDraft
from medbill.web.forms import Reader

PREFIX = "institutional."
TEXT_FIELDS = (
    "type_of_bill",
    "admission_hour",
    "admission_type",
    "admission_source",
    "discharge_hour",
    "patient_status",
    "admitting_diagnosis",
)
DATE_FIELDS = ("statement_from", "statement_through", "admission_date")
LIST_FIELDS = ("condition_codes", "occurrence_codes", "value_codes")
ALL_FIELDS = (*TEXT_FIELDS, *DATE_FIELDS, *LIST_FIELDS)
_SPLIT = re.compile(r"[\s,;]+")


def name(part: str) -> str:
    return PREFIX + part


def _pairs(r: Reader, part: str, hint: str) -> list[tuple[str, str]]:
    """``A=B`` items separated by commas or spaces; a refusal for the field when one is not shaped so."""
    out: list[tuple[str, str]] = []
    for token in (t for t in _SPLIT.split(r.text(name(part))) if t):
        code, sep, value = token.partition("=")
        if not sep or not code or not value:
            r.fail(name(part), f"write each as {hint}, separated by commas")
            return []
        out.append((code, value))
    return out


def _occurrences(r: Reader) -> tuple[tuple[str, date], ...]:
    out: list[tuple[str, date]] = []
    for code, text in _pairs(r, "occurrence_codes", "code=MM/DD/YYYY (11=11/19/2026)"):
        parsed = Reader({"d": text}).date("d")
        if parsed is None:
            r.fail(name("occurrence_codes"), f"'{text[:12]}' is not a date; write it as MM/DD/YYYY")
            return ()
        out.append((code, parsed))
    return tuple(out)


def _values(r: Reader) -> tuple[tuple[str, int], ...]:
    out: list[tuple[str, int]] = []
    for code, text in _pairs(r, "value_codes", "code=amount (80=3 or A1=250.00)"):
        cents = Reader({"a": text}).cents("a")
        if cents is None:
            r.fail(name("value_codes"), f"'{text[:12]}' is not an amount such as 250.00")
            return ()
        out.append((code, cents))
    return tuple(out)


def read_institutional(r: Reader) -> InstitutionalDraft | None:
    """None when the fieldset is left blank (a professional encounter); the draft otherwise, refusals under their
    ``institutional.`` names so the service's own refusals land next to the same fields."""
    if not r.any_filled(*(name(f) for f in ALL_FIELDS)):
        return None
    bill = r.required(name("type_of_bill"))
    dates = {f: r.date(name(f), required=False) for f in DATE_FIELDS}
    return InstitutionalDraft(
        type_of_bill=bill,
        patient_status=r.text(name("patient_status")) or "01",
        statement_from=dates["statement_from"],
        statement_through=dates["statement_through"],
        admission_date=dates["admission_date"],
        admission_hour=r.optional(name("admission_hour")),
        admission_type=r.optional(name("admission_type")),
        admission_source=r.optional(name("admission_source")),
        discharge_hour=r.optional(name("discharge_hour")),
        admitting_diagnosis=r.optional(name("admitting_diagnosis")),
        condition_codes=tuple(t for t in _SPLIT.split(r.text(name("condition_codes"))) if t),
        occurrence_codes=_occurrences(r),
        value_codes=_values(r),
    )
