"""Code rules: diagnoses, procedures, modifiers and places of service valid for the date of service."""

from __future__ import annotations

import re
from datetime import date
from functools import partial

from medbill.codesets.reference import RefCode
from medbill.domain.coding import MalformedCode, normalize_icd10cm
from medbill.domain.scrub import Finding
from medbill.services.scrubbing.registry import RULES
from medbill.services.scrubbing.view import ICD9_QUALIFIERS, ICD10_QUALIFIERS, ICD10_START, ClaimView

R = RULES
_CPT = re.compile(r"[0-9]{4}[0-9FTU]")
_HCPCS = re.compile(r"[A-V][0-9]{4}")
_MODIFIER = re.compile(r"[0-9A-Z]{2}")
# 837P SV101-1 and 837I SV202-1 product/service ID qualifiers (5010 guides X222A1, X223A2)
_QUALIFIERS_P = frozenset({"HC", "ER", "IV", "WK"})
_QUALIFIERS_I = frozenset({"HC", "ER", "HP", "IV", "WK"})
_FIX = {  # what to do, where the code set's reason does not already say it
    "codes.icd10_deleted": "; replace it with the code that replaced it in the edition for the date of service",
    "codes.icd10_not_yet_valid": "; use the code valid on the date of service",
    "codes.icd10_unknown": "; check the code for a typo",
}


def check_diagnoses(v: ClaimView, out: list[Finding]) -> None:
    if v.first_date is None:
        return
    icd10_era = v.first_date >= ICD10_START
    no_edition: list[date] = []
    for i, dx in enumerate(v.claim.diagnoses, start=1):
        field, where = f"diagnoses[{i}]", v.where("diagnosis", f" position {i}")
        if dx.qualifier in ICD9_QUALIFIERS or dx.qualifier not in ICD10_QUALIFIERS:
            if icd10_era and dx.qualifier in ICD9_QUALIFIERS:
                out.append(
                    R["codes.icd9_qualifier"].finding(
                        f"Diagnosis {i} ({dx.code}) is sent as ICD-9-CM (qualifier {dx.qualifier}) for a date of "
                        f"service of {v.first_date.isoformat()}; code it in ICD-10-CM (qualifier A{dx.qualifier}).",
                        field=field,
                        location=where,
                    )
                )
            continue
        if not icd10_era:
            out.append(
                R["codes.icd9_qualifier"].finding(
                    f"Diagnosis {i} is sent as ICD-10-CM for a date of service before 2015-10-01; code it in ICD-9-CM.",
                    field=field,
                    location=where,
                )
            )
            continue
        if v.lookups.bare(dx.code) is None:
            try:
                normalize_icd10cm(dx.code)
            except MalformedCode as exc:
                out.append(
                    R["codes.icd10_malformed"].finding(f"Diagnosis {i}: {exc.message}.", field=field, location=where)
                )
            continue
        for on in v.dates:
            problem = v.lookups.icd_problem(dx.code, on)
            if problem is None:
                continue
            rule, reason = problem
            if rule == "codes.icd10_no_edition":
                if on not in no_edition:
                    no_edition.append(on)
                continue
            out.append(R[rule].finding(f"Diagnosis {i}: {reason}{_FIX.get(rule, '')}.", field=field, location=where))
            break
    for on in no_edition:
        out.append(
            R["codes.icd10_no_edition"].finding(
                f"No ICD-10-CM edition is loaded for the date of service {on.isoformat()}, so the diagnoses were not "
                "checked; load that edition (medbill codes load-edition).",
                field="diagnoses",
                location=v.where("diagnosis"),
            )
        )


def _hcpcs_problem(ref: RefCode, on: date) -> str | None:
    if ref.effective_from is not None and on < ref.effective_from:
        return f"it takes effect on {ref.effective_from.isoformat()}"
    if ref.effective_to is not None and on > ref.effective_to:
        return f"it ended on {ref.effective_to.isoformat()}"
    if ref.status == "deactivated" and ref.effective_to is None:
        return "it is no longer active"
    return None


def _procedure_problem(v: ClaimView, code: str, on: date | None) -> tuple[str, str] | None:
    """(rule id, what is wrong and what to do) for a CPT/HCPCS code on a date of service; None when it is fine."""
    if _CPT.fullmatch(code):
        if v.lookups.cpt_known(code):
            return None
        return (
            "codes.cpt_unknown",
            f"{code} is not a CPT code medbill knows (CMS lists, or your licensed CPT file: medbill codes load-cpt); "
            "check it for a typo or a deleted code",
        )
    if _HCPCS.fullmatch(code):
        ref = v.lookups.hcpcs(code)
        if ref is None:
            return ("codes.hcpcs_unknown", f"{code} is not a HCPCS Level II code; check it for a typo")
        why = _hcpcs_problem(ref, on) if on is not None else None
        if why is None:
            return None
        return (
            "codes.hcpcs_not_valid_on_date",
            f"{code} is not valid for the date of service {on} ({why}); use the code in effect then",
        )
    return (
        "codes.procedure_malformed",
        f"{code!r} is neither a CPT code (5 digits, or 4 digits and F/T/U) nor a HCPCS code (a letter A–V and 4 "
        "digits)",
    )


def check_procedures(v: ClaimView, out: list[Finding]) -> None:
    lk = v.lookups
    if v.professional:
        pos = v.claim.facility_code.strip()
        if pos and not lk.pos_assigned(pos):
            out.append(
                R["codes.pos_unknown"].finding(
                    f"Place of service {pos!r} is not an assigned CMS POS code; use the code for where the service "
                    "was given (e.g. 11 office, 22 outpatient hospital).",
                    field="place_of_service",
                    location=v.where("pos"),
                )
            )
    for line, on in zip(v.claim.lines, v.line_dates, strict=True):
        n = line.number
        if line.place_of_service and not lk.pos_assigned(line.place_of_service):
            out.append(
                R["codes.pos_unknown"].finding(
                    f"Line {n}: place of service {line.place_of_service!r} is not an assigned CMS POS code.",
                    line=n,
                    field=f"lines[{n}].place_of_service",
                    location=v.where("line_pos"),
                )
            )
        p = line.procedure
        if p is None or not p.code:
            continue
        if p.qualifier not in (_QUALIFIERS_P if v.professional else _QUALIFIERS_I):
            out.append(
                R["codes.procedure_qualifier"].finding(
                    f"Line {n}: procedure qualifier {p.qualifier!r} is not allowed; use HC for CPT/HCPCS codes.",
                    line=n,
                    field=f"lines[{n}].procedure.qualifier",
                    location=v.where("procedure"),
                )
            )
            continue
        if p.qualifier not in ("HC", "HP"):
            continue
        code = p.code
        problem = lk.remember("procedure", (code, on), partial(_procedure_problem, v, code, on))
        if problem is not None:
            rule, why = problem
            out.append(
                R[rule].finding(
                    f"Line {n}: {why}.", line=n, field=f"lines[{n}].procedure", location=v.where("procedure")
                )
            )
        for k, mod in enumerate(p.modifiers, start=1):
            if not _MODIFIER.fullmatch(mod):
                rule, why = "codes.modifier_malformed", "a modifier is two letters or digits"
            elif not lk.modifier_known(mod):
                rule, why = "codes.modifier_unknown", "it is not in medbill's modifier list; check it"
            else:
                continue
            out.append(
                R[rule].finding(
                    f"Line {n}: modifier {mod!r} on {code}: {why}.",
                    line=n,
                    field=f"lines[{n}].modifiers[{k}]",
                    location=v.where("modifier"),
                )
            )
