"""Office/outpatient E/M level (CPT 99202–99215) by total time or by medical decision making.

Rules (AMA CPT E/M guidelines for office or other outpatient services, effective 2021-01-01, with the
time thresholds as revised for 2024: "must be met or exceeded"):

* Time: total practitioner time on the date of the encounter. New 99202 15, 99203 30, 99204 45, 99205 60
  minutes; established 99212 10, 99213 20, 99214 30, 99215 40. 99211 has no time threshold.
  Prolonged service 99417 is added for each full 15 minutes beyond the 99205/99215 time (from 75 and 55
  minutes on, CPT 2024).
* MDM: the level met or exceeded by two of the three elements (problems addressed, data reviewed and
  analysed, risk of complications of patient management). Straightforward → 99202/99212, low → 99203/99213,
  moderate → 99204/99214, high → 99205/99215.
* Data (AMA MDM table): limited = 1 of 2 categories (2 items from documents, results, orders; or an
  independent historian); moderate = 1 of 3 categories (3 items including the historian; an independent
  interpretation of a test; a discussion of management with an external physician); extensive = 2 of those 3.
* When both time and MDM are given, the more favourable level is reported, as the guidelines allow.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum

from medbill.domain.errors import ValidationError


class PatientStatus(StrEnum):
    NEW = "new"
    ESTABLISHED = "established"


class MdmLevel(IntEnum):
    STRAIGHTFORWARD = 1
    LOW = 2
    MODERATE = 3
    HIGH = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str, *, element: str) -> MdmLevel:
        """A level from the AMA table's words ('minimal', 'limited', 'extensive', 'moderate' …)."""
        key = text.strip().lower().replace("-", "_").replace(" ", "_")
        level = _ALIASES.get(key)
        if level is None:
            allowed = ", ".join(sorted(_ALIASES))
            raise ValidationError(f"unknown {element} level {text!r}; use one of: {allowed}", field=element)
        return level


_ALIASES: dict[str, MdmLevel] = {
    "straightforward": MdmLevel.STRAIGHTFORWARD,
    "minimal": MdmLevel.STRAIGHTFORWARD,
    "none": MdmLevel.STRAIGHTFORWARD,
    "minimal_or_none": MdmLevel.STRAIGHTFORWARD,
    "low": MdmLevel.LOW,
    "limited": MdmLevel.LOW,
    "moderate": MdmLevel.MODERATE,
    "high": MdmLevel.HIGH,
    "extensive": MdmLevel.HIGH,
}

# CPT 2024 office/outpatient total-time thresholds (minutes, met or exceeded).
TIME_THRESHOLDS: dict[PatientStatus, tuple[tuple[str, int, MdmLevel], ...]] = {
    PatientStatus.NEW: (
        ("99202", 15, MdmLevel.STRAIGHTFORWARD),
        ("99203", 30, MdmLevel.LOW),
        ("99204", 45, MdmLevel.MODERATE),
        ("99205", 60, MdmLevel.HIGH),
    ),
    PatientStatus.ESTABLISHED: (
        ("99212", 10, MdmLevel.STRAIGHTFORWARD),
        ("99213", 20, MdmLevel.LOW),
        ("99214", 30, MdmLevel.MODERATE),
        ("99215", 40, MdmLevel.HIGH),
    ),
}
PROLONGED_CODE = "99417"
PROLONGED_INCREMENT = 15
_ELEMENTS = ("problems", "data", "risk")


@dataclass(frozen=True, slots=True, kw_only=True)
class DataReviewed:
    """The amount and complexity of data, counted as the AMA MDM table counts it."""

    unique_documents_reviewed: int = 0
    unique_results_reviewed: int = 0
    unique_tests_ordered: int = 0
    independent_historian: bool = False
    independent_interpretation: bool = False
    discussion_with_external_physician: bool = False

    @property
    def given(self) -> bool:
        return any(
            (
                self.unique_documents_reviewed,
                self.unique_results_reviewed,
                self.unique_tests_ordered,
                self.independent_historian,
                self.independent_interpretation,
                self.discussion_with_external_physician,
            )
        )

    def describe(self) -> str:
        items = self.unique_documents_reviewed + self.unique_results_reviewed + self.unique_tests_ordered
        parts = [f"{items} document/result/order item(s)"]
        if self.independent_historian:
            parts.append("an independent historian")
        if self.independent_interpretation:
            parts.append("an independent interpretation")
        if self.discussion_with_external_physician:
            parts.append("a discussion with an external physician")
        return f"data counted: {', '.join(parts)} → {self.level().label}"

    def level(self) -> MdmLevel:
        items = self.unique_documents_reviewed + self.unique_results_reviewed + self.unique_tests_ordered
        moderate_categories = sum(
            (
                items + int(self.independent_historian) >= 3,
                self.independent_interpretation,
                self.discussion_with_external_physician,
            )
        )
        if moderate_categories >= 2:
            return MdmLevel.HIGH
        if moderate_categories == 1:
            return MdmLevel.MODERATE
        if items >= 2 or self.independent_historian:
            return MdmLevel.LOW
        return MdmLevel.STRAIGHTFORWARD


@dataclass(frozen=True, slots=True, kw_only=True)
class EmInput:
    patient: PatientStatus
    total_minutes: int | None = None
    problems: MdmLevel | None = None
    data: MdmLevel | None = None
    risk: MdmLevel | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EmResult:
    code: str
    method: str  # "time" | "mdm"
    mdm_level: MdmLevel | None
    reasons: tuple[str, ...]
    prolonged_code: str | None = None
    prolonged_units: int = 0


def _code_for(patient: PatientStatus, level: MdmLevel) -> str:
    return next(code for code, _, lvl in TIME_THRESHOLDS[patient] if lvl is level)


def mdm_level(problems: MdmLevel, data: MdmLevel, risk: MdmLevel) -> MdmLevel:
    """The level that two of the three elements meet or exceed: the middle of the three."""
    return sorted((problems, data, risk))[1]


def by_time(patient: PatientStatus, minutes: int) -> EmResult | None:
    """The level total time supports, or None when it is below the lowest threshold."""
    if minutes < 0:
        raise ValidationError("total time cannot be negative", field="total_minutes")
    table = TIME_THRESHOLDS[patient]
    met = [row for row in table if minutes >= row[1]]
    if not met:
        lowest = table[0]
        return EmResult(
            code="",
            method="time",
            mdm_level=None,
            reasons=(f"total time {minutes} min is below {lowest[1]} min, the least for {lowest[0]}",),
        )
    code, threshold, level = met[-1]
    reasons = [f"total time {minutes} min meets {threshold} min for {code}"]
    higher = [row for row in table if row[1] > minutes]
    if higher:
        reasons.append(f"{higher[0][0]} needs {higher[0][1]} min")
    units = 0
    top_code, top_minutes, _ = table[-1]
    start = top_minutes + PROLONGED_INCREMENT
    if minutes >= start:
        units = 1 + (minutes - start) // PROLONGED_INCREMENT
        reasons.append(
            f"prolonged service {PROLONGED_CODE} × {units}: {minutes} min ≥ {start} min "
            f"({top_minutes} for {top_code} + {PROLONGED_INCREMENT}), one unit per full {PROLONGED_INCREMENT} min"
        )
    return EmResult(
        code=code,
        method="time",
        mdm_level=level,
        reasons=tuple(reasons),
        prolonged_code=PROLONGED_CODE if units else None,
        prolonged_units=units,
    )


def by_mdm(patient: PatientStatus, problems: MdmLevel, data: MdmLevel, risk: MdmLevel) -> EmResult:
    level = mdm_level(problems, data, risk)
    code = _code_for(patient, level)
    given = {"problems": problems, "data": data, "risk": risk}
    meeting = [name for name in _ELEMENTS if given[name] >= level]
    reasons = [f"{name}: {given[name].label}" for name in _ELEMENTS]
    reasons.append(f"MDM {level.label}: met by {' and '.join(meeting)} (two of three elements needed) → {code}")
    return EmResult(code=code, method="mdm", mdm_level=level, reasons=tuple(reasons))


def calculate(em: EmInput) -> EmResult:
    """The E/M level for the encounter, by time, by MDM, or the more favourable of the two."""
    mdm_given = [em.problems, em.data, em.risk]
    if any(x is not None for x in mdm_given) and not all(x is not None for x in mdm_given):
        missing = ", ".join(n for n, x in zip(_ELEMENTS, mdm_given, strict=True) if x is None)
        raise ValidationError(f"MDM needs all three elements; missing: {missing}", field="mdm")
    if em.total_minutes is None and em.problems is None:
        raise ValidationError("give the total time in minutes or the three MDM elements", field="total_minutes")
    timed = by_time(em.patient, em.total_minutes) if em.total_minutes is not None else None
    mdm = (
        by_mdm(em.patient, em.problems, em.data, em.risk)
        if em.problems is not None and em.data is not None and em.risk is not None
        else None
    )
    if timed is not None and mdm is not None:
        time_rank = int(timed.mdm_level or 0)
        mdm_rank = int(mdm.mdm_level or 0)
        if time_rank > mdm_rank or (time_rank == mdm_rank and timed.prolonged_units):
            why = "a higher level" if time_rank > mdm_rank else "the same level plus prolonged service"
            return EmResult(
                code=timed.code,
                method="time",
                mdm_level=timed.mdm_level,
                reasons=(*timed.reasons, f"time gives {why} than MDM ({mdm.code})"),
                prolonged_code=timed.prolonged_code,
                prolonged_units=timed.prolonged_units,
            )
        return EmResult(
            code=mdm.code,
            method="mdm",
            mdm_level=mdm.mdm_level,
            reasons=(*mdm.reasons, f"MDM gives a level at least as high as time ({timed.code or 'none'})"),
        )
    result = timed or mdm
    assert result is not None
    if not result.code:
        raise ValidationError(result.reasons[0], field="total_minutes")
    return result
