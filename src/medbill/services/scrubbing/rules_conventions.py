"""ICD-10-CM convention rules: Excludes1 pairs, manifestation first, code-first / use-additional order, age, sex."""

from __future__ import annotations

from medbill.domain.coding import dotted_icd10cm
from medbill.domain.scrub import Finding
from medbill.services.scrubbing.registry import RULES
from medbill.services.scrubbing.view import ICD10_QUALIFIERS, ClaimView

R = RULES
GUIDELINES = "ICD-10-CM Official Guidelines FY2026"
EXCLUDES1, CODE_FIRST, USE_ADDITIONAL = "excludes1", "code_first", "use_additional_code"


def _coded(v: ClaimView) -> list[tuple[int, str]]:
    """(position on the claim, code without dot) of the ICD-10-CM principal and other diagnoses."""
    out: list[tuple[int, str]] = []
    for i, dx in enumerate(v.diagnoses, start=1):
        if dx.qualifier in ICD10_QUALIFIERS:
            bare = v.lookups.bare(dx.code)
            if bare is not None:
                out.append((i, bare))
    return out


def check_conventions(v: ClaimView, out: list[Finding]) -> None:
    coded = _coded(v)
    if not coded:
        return
    # the sequencing and Excludes1 findings depend on the diagnoses and the form only: remembered per diagnosis set
    key = (v.professional, *coded)
    out.extend(v.lookups.remember("dx_set", key, lambda: _sequencing(v, coded)))
    _age_and_sex(v, coded, out)


def _sequencing(v: ClaimView, coded: list[tuple[int, str]]) -> tuple[Finding, ...]:
    out: list[Finding] = []
    lk = v.lookups
    loc = v.where("diagnosis")
    first_pos, first = coded[0]
    if first_pos == 1 and lk.manifestation(first):
        out.append(
            R["conventions.manifestation_first"].finding(
                f"Diagnosis 1 ({dotted_icd10cm(first)}) is a manifestation code and cannot be first-listed "
                f"({GUIDELINES} I.A.13; CMS MCE edit 6); list the underlying condition first.",
                field="diagnoses[1]",
                location=loc,
            )
        )
    reported: set[tuple[int, int]] = set()
    excludes = [bool(lk.notes(EXCLUDES1, a)) for _, a in coded]  # most codes have no Excludes1 note at all
    for x, (i, a) in enumerate(coded):
        for y, (j, b) in enumerate(coded[x + 1 :], start=x + 1):
            m = (lk.note_hit(EXCLUDES1, a, b) if excludes[x] else None) or (
                lk.note_hit(EXCLUDES1, b, a) if excludes[y] else None
            )
            if m is not None:
                out.append(
                    R["conventions.excludes1"].finding(
                        f"Diagnoses {i} ({dotted_icd10cm(a)}) and {j} ({dotted_icd10cm(b)}) are an Excludes1 pair "
                        f"(note: {m[2]!r}); they are never coded together ({GUIDELINES} I.A.12.a): keep the one the "
                        "record supports.",
                        field=f"diagnoses[{j}]",
                        location=loc,
                    )
                )
        if lk.notes(CODE_FIRST, a):
            before = [j for j, b in coded if j < i and lk.note_hit(CODE_FIRST, a, b)]
            after = [j for j, b in coded if j > i and lk.note_hit(CODE_FIRST, a, b)]
            if after and not before:
                reported.update((i, j) for j in after)
                out.append(
                    R["conventions.code_first_order"].finding(
                        f"Diagnosis {i} ({dotted_icd10cm(a)}) says 'code first' the underlying condition, which is "
                        f"diagnosis {after[0]}; move it before diagnosis {i}.",
                        field=f"diagnoses[{i}]",
                        location=loc,
                    )
                )
            elif not after and not before and lk.manifestation(a):
                out.append(
                    R["conventions.code_first_missing"].finding(
                        f"Diagnosis {i} ({dotted_icd10cm(a)}) is a manifestation code: add and list first the "
                        f"underlying condition its 'code first' note names ({GUIDELINES} I.A.13).",
                        field=f"diagnoses[{i}]",
                        location=loc,
                    )
                )
        if lk.notes(USE_ADDITIONAL, a):
            for j, b in coded:
                if j < i and (j, i) not in reported and lk.note_hit(USE_ADDITIONAL, a, b):
                    out.append(
                        R["conventions.use_additional_order"].finding(
                            f"Diagnosis {j} ({dotted_icd10cm(b)}) is an additional code that diagnosis {i} "
                            f"({dotted_icd10cm(a)}) asks for ('use additional code'); list it after diagnosis {i}.",
                            field=f"diagnoses[{j}]",
                            location=loc,
                        )
                    )
    return tuple(out)


def _age_and_sex(v: ClaimView, coded: list[tuple[int, str]], out: list[Finding]) -> None:
    lk = v.lookups
    loc = v.where("diagnosis")
    for i, code in coded:
        if v.age is not None:
            rng = lk.age_range(code)
            if rng is not None and not rng.lo <= v.age <= rng.hi:
                out.append(
                    R["conventions.age"].finding(
                        f"Diagnosis {i} ({dotted_icd10cm(code)}) is a {rng.edit} diagnosis for ages {rng.lo}–{rng.hi} "
                        f"({rng.source}); the patient is {v.age} on the date of service. Check the code or the date "
                        "of birth.",
                        field=f"diagnoses[{i}]",
                        location=loc,
                    )
                )
        if v.sex is not None:
            conv = lk.sex_convention(code)
            if conv is not None and conv.sex is not None and conv.sex != v.sex:
                out.append(
                    R["conventions.sex"].finding(
                        f"Diagnosis {i} ({dotted_icd10cm(code)}) is for {conv.sex} patients ({conv.source}); the "
                        f"patient is recorded as {v.sex}. Check the code or the patient's sex.",
                        field=f"diagnoses[{i}]",
                        location=loc,
                    )
                )
