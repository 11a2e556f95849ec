"""Sex and age conventions of ICD-10-CM codes, as data for the scrubber, each with its source.

* Chapter 15 (O00–O9A) and Z3A: maternal records only, so female (ICD-10-CM Official Guidelines FY2026
  I.C.15.a.1: "Chapter 15 codes are to be used only on the maternal record, never on the record of the
  newborn"); the MCE maternity age range 9–64 applies (Definitions of Medicare Code Edits v43.1).
* Chapter 16 (P00–P96): newborn records only (Guidelines I.C.16.a.1–4); they "may be used throughout the
  life of the patient if the condition is still present", so this is a record-type convention, not an age
  limit.
* Sex-specific blocks and categories: those whose own tabular title names only male or only female
  genital organs (blocks C51–C58, C60–C63, N40–N53, N70–N77, N80–N98 and categories such as C61
  "Malignant neoplasm of prostate"). CMS switched the MCE sex-conflict edit off on 2024-10-01, and the I/OCE
  27.1 data carry no diagnosis sex edits: treat a sex conflict as a warning.
* Age ranges: the I/OCE 27.1 diagnosis age edits (newborn 0–0, pediatric 0–17, maternity 9–64,
  adult 15–124), copied in data/mce/oce_dx_age_sex_27.1.csv.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache

from medbill.codesets.icd10cm import Icd10cm
from medbill.codesets.icd10cm_compile import KIND, KIND_BLOCK, KIND_CATEGORY, PARENT, TITLE
from medbill.codesets.store import DATA_DIR
from medbill.domain.coding import normalize_icd10cm

GUIDELINES = "ICD-10-CM Official Guidelines for Coding and Reporting FY2026"
_FEMALE_WORDS = re.compile(
    r"\b(vulva|vagina|cervix uteri|corpus uteri|uterus|ovary|ovaries|ovarian|fallopian|female genital|"
    r"female pelvic|female genitalia)\b"
)
_MALE_WORDS = re.compile(
    r"\b(prostate|prostatic|testis|testicular|testicle|penis|scrotum|male genital|male genitalia)\b"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Convention:
    """A sex or record-type convention that applies to a code, and where it comes from."""

    sex: str | None  # "female" | "male" | None
    record: str | None  # "maternal" | "newborn" | None
    source: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AgeRange:
    lo: int
    hi: int
    edit: str  # newborn | pediatric | maternity | adult
    source: str = "CMS I/OCE 27.1 diagnosis age edits (MCE v43.1 lists)"


def _sex_of_title(title: str) -> str | None:
    t = title.lower()
    female, male = bool(_FEMALE_WORDS.search(t)), bool(_MALE_WORDS.search(t))
    if female and not male and "intestin" not in t:
        return "female"
    if male and not female:
        return "male"
    return None


@cache
def _sex_headers(icd: Icd10cm) -> dict[str, str]:
    """Blocks and categories whose own title names organs of one sex only."""
    out: dict[str, str] = {}
    for code, rec in icd.latest().tabular.nodes.items():
        if rec[KIND] in (KIND_BLOCK, KIND_CATEGORY):
            title = rec[TITLE].lower()
            if rec[KIND] == KIND_BLOCK:
                sex = None
                if "female genital" in title or "female pelvic" in title:
                    sex = "female"
                elif " male genital" in f" {title}":
                    sex = "male"
            else:
                sex = _sex_of_title(title)
            if sex is not None:
                out[code] = sex
    return out


def convention(icd: Icd10cm, code: str) -> Convention | None:
    """The sex or record-type convention of a code (its own, or its category's or block's)."""
    bare = normalize_icd10cm(code)
    if bare.startswith("O"):
        return Convention(sex="female", record="maternal", source=f"{GUIDELINES} I.C.15.a.1 (chapter 15)")
    if bare.startswith("Z3A"):
        return Convention(
            sex="female", record="maternal", source="ICD-10-CM tabular, category Z3A note: maternal record only"
        )
    if bare.startswith("P"):
        return Convention(sex=None, record="newborn", source=f"{GUIDELINES} I.C.16.a (chapter 16)")
    headers = _sex_headers(icd)
    ed = icd.latest()
    node = bare
    rec = ed.record(node)
    while rec is not None:
        sex = headers.get(node)
        if sex is not None:
            kind = "block" if rec[KIND] == KIND_BLOCK else "category"
            return Convention(sex=sex, record=None, source=f"ICD-10-CM tabular {kind} {node}: {rec[TITLE]!r}")
        node = rec[PARENT]
        rec = ed.record(node) if node else None
    return None


@cache
def _age_table() -> dict[str, AgeRange]:
    text = (DATA_DIR / "mce" / "oce_dx_age_sex_27.1.csv").read_text(encoding="utf-8")
    names = {(0, 0): "newborn", (0, 17): "pediatric", (9, 64): "maternity", (15, 124): "adult"}
    out: dict[str, AgeRange] = {}
    for r in csv.DictReader(io.StringIO(text)):
        lo, hi = int(r["lo_age"]), int(r["hi_age"])
        out[r["dx_code"]] = AgeRange(lo=lo, hi=hi, edit=names.get((lo, hi), "other"))
    return out


def age_range(code: str) -> AgeRange | None:
    """The ages a diagnosis is valid for, when narrower than 0–124."""
    return _age_table().get(normalize_icd10cm(code))


@cache
def _not_principal() -> frozenset[str]:
    lines = (DATA_DIR / "mce" / "manifestation_not_principal_v43_1.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip() for x in lines if x.strip() and not x.startswith("#"))


MANIFESTATION_SOURCE = "CMS MCE v43.1 edit 6: manifestation codes not allowed as principal diagnosis"


def allowed_as_principal(code: str) -> bool:
    """False for the manifestation codes the Medicare Code Editor refuses as principal (first-listed) diagnosis."""
    return normalize_icd10cm(code) not in _not_principal()


def conflicts(icd: Icd10cm, code: str, *, sex: str | None = None, age_years: int | None = None) -> list[str]:
    """What the conventions say against using a code for this patient: messages for the scrubber (may be empty).

    `sex` is "female" or "male" (or None when unknown); age in whole years at the date of service.
    """
    out: list[str] = []
    conv = convention(icd, code)
    if conv is not None and conv.sex is not None and sex is not None and sex != conv.sex:
        out.append(f"{code} is for {conv.sex} patients ({conv.source}); the patient is {sex}")
    age = age_range(code)
    if age is not None and age_years is not None and not age.lo <= age_years <= age.hi:
        out.append(f"{code} is for ages {age.lo}–{age.hi} ({age.edit}, {age.source}); the patient is {age_years}")
    return out
