"""One question for every door: what is this code (any system), and is it valid on a date of service?

`describe` returns a JSON-ready dict (the `medbill codes show --json` contract: at least `code`, `system`,
`title`, `billable`, `valid_on_date`, `edition`) so the CLI and the API print the same thing.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from medbill.codesets import conventions, cpt, reference, store
from medbill.codesets.icd10cm import CodeDetail
from medbill.domain.coding import (
    CodeSystem,
    MalformedCode,
    UnknownCode,
    normalize_icd10cm,
)
from medbill.domain.errors import CodeSetError

_CPT = re.compile(r"[0-9]{4}[0-9FTU]")
_HCPCS = re.compile(r"[A-V][0-9]{4}")
HCPCS_EDITION = "HCPCS Level II, CMS I/OCE 27.1 (2026-04-01)"
CPT_EDITION = "CPT code numbers, CMS PFS RVU26C (2026); descriptors not shipped"


def guess_system(code: str) -> CodeSystem:
    """The system a code belongs to by its shape and by which code set knows it."""
    raw = code.strip().upper()
    if "." in raw:
        return CodeSystem.ICD10CM
    if _CPT.fullmatch(raw):
        return CodeSystem.CPT
    if _HCPCS.fullmatch(raw):
        icd_known = store.icd10cm().title(raw) is not None
        if raw in reference.hcpcs() and not icd_known:
            return CodeSystem.HCPCS
        if icd_known:
            return CodeSystem.ICD10CM
        return CodeSystem.HCPCS
    return CodeSystem.ICD10CM


def describe(code: str, on: date | None = None, system: CodeSystem | None = None) -> dict[str, Any]:
    """The full context of a code; `MalformedCode` or `UnknownCode` when there is none to give."""
    on = on or date.today()
    if not code.strip():
        raise MalformedCode("no code given", field="code")
    system = system or guess_system(code)
    if system is CodeSystem.CPT:
        return _describe_cpt(code, on)
    if system is CodeSystem.HCPCS:
        return _describe_hcpcs(code, on)
    return _describe_icd(code, on)


def _describe_icd(code: str, on: date) -> dict[str, Any]:
    icd = store.icd10cm()
    d = icd.detail(code, on)
    out = detail_to_json(d)
    try:
        edition = icd.edition_on(on)
    except CodeSetError:
        out["edition_on_date"], out["in_edition_on_date"] = None, False
    else:
        out["edition_on_date"] = edition.name
        out["in_edition_on_date"] = edition.record(normalize_icd10cm(code)) is not None
    if not d.valid_on_date:
        try:
            icd.check_billable(code, on)
        except CodeSetError as exc:
            out["reason"] = {"code": exc.code, "message": exc.message}
    conv = conventions.convention(icd, code)
    out["convention"] = {"sex": conv.sex, "record": conv.record, "source": conv.source} if conv is not None else None
    out["allowed_as_principal"] = conventions.allowed_as_principal(code)
    age = conventions.age_range(code)
    out["age_range"] = {"lo": age.lo, "hi": age.hi, "edit": age.edit, "source": age.source} if age else None
    return out


def detail_to_json(d: CodeDetail) -> dict[str, Any]:
    notes: dict[str, list[dict[str, Any]]] = {}
    for n in d.notes:
        notes.setdefault(n.kind, []).append({"text": n.text, "source": n.source, "references": list(n.references)})
    return {
        "code": d.code,
        "system": d.system.value,
        "title": d.title,
        "billable": d.billable,
        "valid_on_date": d.valid_on_date,
        "date": d.date_of_service.isoformat() if d.date_of_service else None,
        "edition": d.edition,
        "kind": d.kind,
        "parent": d.parent,
        "chapter": {"code": d.chapter[0], "title": d.chapter[1]} if d.chapter else None,
        "block": {"code": d.block[0], "title": d.block[1]} if d.block else None,
        "manifestation": d.manifestation,
        "needs_seventh_character": d.needs_seventh_character,
        "seventh_characters": [{"character": c, "meaning": m} for c, m in d.seventh_characters],
        "notes": notes,
        "children": [{"code": c, "title": t} for c, t in d.children],
        "editions_billable": list(d.editions_billable),
    }


def _mue(code: str) -> dict[str, Any] | None:
    m = reference.mue_practitioner().get(code)
    if m is None:
        return None
    return {
        "max_units": m.max_units,
        "adjudication_indicator": m.adjudication_indicator,
        "rationale": m.rationale,
        "effective": reference.MUE_EFFECTIVE.isoformat(),
    }


def _describe_hcpcs(code: str, on: date) -> dict[str, Any]:
    ref = reference.hcpcs_code(code)
    status_indicator = dict(ref.extra).get("status_indicator", "")
    return {
        "code": ref.code,
        "system": CodeSystem.HCPCS.value,
        "title": ref.description,
        "title_note": "CDT descriptors are licensed by the ADA and not shipped" if ref.code.startswith("D") else None,
        "billable": ref.status == "current",
        "valid_on_date": ref.valid_on(on),
        "date": on.isoformat(),
        "edition": HCPCS_EDITION,
        "status": ref.status,
        "effective_from": ref.effective_from.isoformat() if ref.effective_from else None,
        "effective_to": ref.effective_to.isoformat() if ref.effective_to else None,
        "opps_status_indicator": status_indicator,
        "opps_status_indicator_meaning": (
            found.description if (found := reference.opps_status_indicators().get(status_indicator)) else None
        ),
        "mue": _mue(ref.code),
    }


def _describe_cpt(code: str, on: date) -> dict[str, Any]:
    raw = code.strip().upper()
    descriptor = cpt.descriptor(raw)
    known = raw in reference.cpt_numbers() or descriptor is not None
    if not known:
        raise UnknownCode(
            f"{raw} is not a CPT code number in the CMS 2026 lists, nor in a loaded CPT file", field="code"
        )
    return {
        "code": raw,
        "system": CodeSystem.CPT.value,
        "title": descriptor or "",
        "title_note": None
        if descriptor
        else "CPT descriptors are licensed by the AMA; load yours with `medbill codes load-cpt FILE`",
        "billable": True,
        "valid_on_date": True,
        "date": on.isoformat(),
        "edition": CPT_EDITION,
        "mue": _mue(raw),
    }


def validate_diagnosis(code: str, on: date) -> str:
    """A billable ICD-10-CM code for the date, dotted; otherwise the precise `CodeSetError`."""
    bare = store.icd10cm().check_billable(code, on)
    return f"{bare[:3]}.{bare[3:]}" if len(bare) > 3 else bare


__all__ = ["describe", "detail_to_json", "guess_system", "normalize_icd10cm", "validate_diagnosis"]
