"""What the claim scrubber says: rules with a stable id, a family and a severity, and the findings they raise."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"  # blocks submission (forcing it needs the admin role and leaves an audit row)
    WARNING = "warning"  # shown to the biller, does not block


class RuleFamily(StrEnum):
    COMPLETENESS = "completeness"
    IDENTIFIERS = "identifiers"
    CODES = "codes"
    CONVENTIONS = "conventions"  # ICD-10-CM Excludes1, manifestation, code-first, age and sex
    NCCI = "ncci"
    ARITHMETIC = "arithmetic"
    COVERAGE = "coverage"
    PAYER = "payer"  # rules a payer adds by configuration


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One problem on one claim: which rule, how bad, where (line, field, form box / X12 loop) and what to fix."""

    rule: str  # stable id, e.g. "ncci.ptp_pair"
    family: RuleFamily
    severity: Severity
    message: str  # tells the biller what to fix, in words
    line: int | None = None  # 1-based service line, None for the claim
    field: str | None = None  # e.g. "diagnoses[2]", "lines[1].modifiers"
    location: str | None = None  # e.g. "CMS-1500 box 24D / 837P 2400 SV101"

    @property
    def blocks(self) -> bool:
        return self.severity is Severity.ERROR
