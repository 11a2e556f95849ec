"""The smaller code sets: HCPCS Level II, CPT numbers, modifiers, POS, CARC/RARC/group, claim status, taxonomy, MUE.

Each is read from `data/` (see data/SOURCES.md) on first use and kept in memory; each lookup is a dict get.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from medbill.codesets.store import DATA_DIR
from medbill.domain.coding import UnknownCode, normalize_cpt, normalize_hcpcs


@dataclass(frozen=True, slots=True, kw_only=True)
class RefCode:
    """One code of a reference list with its description and, where the source has them, its dates."""

    system: str
    code: str
    description: str
    status: str = "current"
    effective_from: date | None = None
    effective_to: date | None = None
    extra: tuple[tuple[str, str], ...] = ()

    def valid_on(self, on: date) -> bool:
        if self.effective_from is not None and on < self.effective_from:
            return False
        if self.effective_to is not None and on > self.effective_to:
            return False
        return self.status != "deactivated"


def _rows(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8", errors="replace")
    return list(csv.DictReader(io.StringIO(text)))


def _ymd(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    if "-" in text:
        return date.fromisoformat(text)
    return date(int(text[:4]), int(text[4:6]), int(text[6:8]))


class RefTable:
    """Codes of one reference list, by code."""

    def __init__(self, system: str, codes: dict[str, RefCode]) -> None:
        self.system = system
        self._codes = codes

    def __len__(self) -> int:
        return len(self._codes)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code.strip().upper() in self._codes

    def get(self, code: str) -> RefCode | None:
        return self._codes.get(code.strip().upper())

    def lookup(self, code: str) -> RefCode:
        found = self.get(code)
        if found is None:
            raise UnknownCode(f"{code.strip()!r} is not a {self.system} code", field="code")
        return found

    def search(self, text: str, limit: int = 20) -> list[RefCode]:
        words = [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w]
        out = [c for c in self._codes.values() if all(w in c.description.lower() for w in words)]
        return out[:limit]

    def all(self) -> list[RefCode]:
        return list(self._codes.values())


@cache
def hcpcs() -> RefTable:
    """HCPCS Level II from the CMS I/OCE 27.1 tables (codes A–V), with first/last dates."""
    codes: dict[str, RefCode] = {}
    for r in _rows(DATA_DIR / "hcpcs" / "hcpcs_level2_27.1.csv"):
        codes[r["hcpcs"]] = RefCode(
            system="HCPCS",
            code=r["hcpcs"],
            description=r["short_descriptor"],
            status="current" if r["active_in_newest"] == "Y" else "deactivated",
            # 20190701 means "on or before" (the I/OCE history starts then)
            effective_from=None if r["effective_date"] == "20190701" else _ymd(r["effective_date"]),
            effective_to=_ymd(r["termination_date"]),
            extra=(("status_indicator", r["status_indicator"]), ("apc", r["apc"])),
        )
    return RefTable("HCPCS", codes)


@cache
def opps_status_indicators() -> RefTable:
    """OPPS status indicators of the I/OCE 27.1 (what an HCPCS code's status indicator means)."""
    return _simple(
        "OPPS status indicator", DATA_DIR / "hcpcs" / "oce_status_indicators_27.1.csv", code_col="status_indicator"
    )


def hcpcs_code(text: str) -> RefCode:
    return hcpcs().lookup(normalize_hcpcs(text))


@cache
def cpt_numbers() -> frozenset[str]:
    """CPT code numbers only (no descriptors: they are the AMA's), from CMS PFS and MUE files."""
    lines = (DATA_DIR / "cpt" / "cpt_numbers.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip() for x in lines if x.strip() and not x.startswith("#"))


def is_cpt_number(text: str) -> bool:
    return normalize_cpt(text) in cpt_numbers()


@cache
def modifiers() -> RefTable:
    """CPT and HCPCS Level II modifiers with their meaning in medbill's own words."""
    codes = {
        r["modifier"]: RefCode(
            system="modifier", code=r["modifier"], description=r["meaning"], extra=(("level", r["level"]),)
        )
        for r in _rows(DATA_DIR / "modifiers.csv")
    }
    return RefTable("modifier", codes)


def _simple(system: str, path: Path, *, code_col: str = "code", text_col: str = "description") -> RefTable:
    codes: dict[str, RefCode] = {}
    for r in _rows(path):
        code = r[code_col].strip().upper()
        codes[code] = RefCode(
            system=system,
            code=code,
            description=r[text_col],
            status=r.get("status") or ("deactivated" if r.get("deactivation_date") else "current"),
            effective_from=_ymd(r.get("effective_date") or ""),
            effective_to=_ymd(r.get("deactivation_date") or ""),
        )
    return RefTable(system, codes)


@cache
def place_of_service() -> RefTable:
    """CMS place-of-service codes 00–99 (unassigned ones say so)."""
    codes: dict[str, RefCode] = {}
    for r in _rows(DATA_DIR / "x12" / "pos.csv"):
        unassigned = r["name"].strip().lower() == "unassigned"
        codes[r["code"]] = RefCode(
            system="POS",
            code=r["code"],
            description=r["name"],
            status="unassigned" if unassigned else "current",
            extra=(("long_description", r["description"]),),
        )
    return RefTable("POS", codes)


@cache
def carc() -> RefTable:
    return _simple("CARC", DATA_DIR / "x12" / "carc_x12.csv")


@cache
def rarc() -> RefTable:
    return _simple("RARC", DATA_DIR / "x12" / "rarc.csv")


@cache
def adjustment_groups() -> RefTable:
    return _simple("claim adjustment group", DATA_DIR / "x12" / "claim_adjustment_group_codes.csv")


@cache
def claim_status_categories() -> RefTable:
    return _simple("claim status category", DATA_DIR / "x12" / "claim_status_category_codes.csv")


@cache
def claim_statuses() -> RefTable:
    return _simple("claim status", DATA_DIR / "x12" / "claim_status_codes.csv")


@cache
def taxonomy() -> RefTable:
    """NUCC Health Care Provider Taxonomy v25.1."""
    codes: dict[str, RefCode] = {}
    for r in _rows(DATA_DIR / "nucc" / "nucc_taxonomy_251.csv"):
        codes[r["Code"]] = RefCode(
            system="taxonomy",
            code=r["Code"],
            description=r["Display Name"] or r["Classification"],
            extra=(
                ("grouping", r["Grouping"]),
                ("classification", r["Classification"]),
                ("specialization", r["Specialization"]),
                ("section", r["Section"]),
            ),
        )
    return RefTable("taxonomy", codes)


@dataclass(frozen=True, slots=True, kw_only=True)
class Mue:
    """A Medically Unlikely Edit: the most units of a code per day (or line) a practitioner may bill."""

    code: str
    max_units: int
    adjudication_indicator: str  # 1 line edit, 2 date of service (policy), 3 date of service (clinical)
    rationale: str


MUE_EFFECTIVE = date(2026, 4, 1)


@cache
def mue_practitioner() -> dict[str, Mue]:
    """CMS NCCI MUE, practitioner services, effective 2026-04-01 (codes only, no descriptors)."""
    text = (DATA_DIR / "ncci" / "MCR_MUE_PractitionerServices_Eff_04-01-2026.csv").read_bytes()
    out: dict[str, Mue] = {}
    for row in csv.reader(io.StringIO(text.decode("utf-8", errors="replace"))):
        if len(row) >= 4 and re.fullmatch(r"[0-9A-Z]{5}", row[0]) and row[1].strip().isdigit():
            out[row[0]] = Mue(code=row[0], max_units=int(row[1]), adjudication_indicator=row[2][:1], rationale=row[3])
    return out


REFERENCE_SETS = {
    "pos": place_of_service,
    "carc": carc,
    "rarc": rarc,
    "group": adjustment_groups,
    "status-category": claim_status_categories,
    "status": claim_statuses,
    "modifier": modifiers,
    "taxonomy": taxonomy,
    "hcpcs": hcpcs,
    "opps-status-indicator": opps_status_indicators,
}


def reference_set(name: str) -> RefTable:
    """A reference list by its short name (pos, carc, rarc, group, status-category, status, modifier …)."""
    loader = REFERENCE_SETS.get(name)
    if loader is None:
        raise UnknownCode(
            f"no reference list named {name!r}; use one of: {', '.join(REFERENCE_SETS)}", field="code_set"
        )
    return loader()
