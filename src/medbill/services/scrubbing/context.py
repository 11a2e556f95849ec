"""What the scrubber knows beyond the 837 itself: the scrub date, coverage, filing limits, claims already sent."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from medbill.domain.claims import Claim, ClaimFrequency, ServiceLine
from medbill.services.scrubbing.payer_rules import PayerRuleBook


@dataclass(frozen=True, slots=True, kw_only=True)
class CoveragePeriod:
    """A span in which the claim's payer covers the patient; an open end is None."""

    start: date | None = None
    end: date | None = None

    def covers(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimFacts:
    """Facts about one claim that the database knows but the 837 does not (every one optional)."""

    coverage: tuple[CoveragePeriod, ...] | None = None  # the claim payer's periods for the patient; None: unknown
    timely_filing_days: int | None = None  # overrides the payer's window for this claim


class LineSignature(NamedTuple):
    """What makes a service line a duplicate: same patient, payer, date, code and modifiers (sorted)."""

    payer: str
    member: str
    patient: str  # patient birth date and relationship: tells a dependant from the subscriber
    service_date: str
    code: str
    modifiers: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ScrubContext:
    """Everything beyond the claim; each field is optional, so a bare file can be scrubbed with ScrubContext()."""

    today: date | None = None  # the date of the scrub: timely filing and future dates need it
    facts: Mapping[str, ClaimFacts] = field(default_factory=dict)  # by CLM01
    timely_filing_days: Mapping[str, int] = field(default_factory=dict)  # by payer ID (2010BB NM109)
    sent: Mapping[LineSignature, str] = field(default_factory=dict)  # lines already sent → their CLM01
    payer_rules: PayerRuleBook | None = None  # None: the rule book shipped in payer_rules.json
    disabled: frozenset[str] = frozenset()  # rule ids a practice switched off


def patient_key(claim: Claim) -> str:
    """Who the patient is, as far as the 837 tells without names: birth date and relationship to the subscriber."""
    if claim.patient is not None:
        born = claim.patient.birth_date
        return f"{born.isoformat() if born else '?'}/{claim.patient.relationship}"
    born = claim.subscriber.birth_date
    return f"{born.isoformat() if born else '?'}/18"


def line_date(claim: Claim, line: ServiceLine) -> date | None:
    """A line's date of service, else the claim's statement or service date."""
    if line.service_date is not None:
        return line.service_date
    for event in claim.dates:
        if event.qualifier in ("434", "472"):
            return event.start
    return None


def line_signatures(claim: Claim) -> Iterable[tuple[int, LineSignature]]:
    """(line number, signature) of each procedure line; what the database keeps for every claim it sends."""
    payer = claim.subscriber.payer.identifier or ""
    member = claim.subscriber.subscriber.identifier or ""
    who = patient_key(claim)
    for line in claim.lines:
        code = line.procedure.code if line.procedure is not None else (line.revenue_code or "")
        on = line_date(claim, line)
        mods = tuple(sorted(line.procedure.modifiers)) if line.procedure is not None else ()
        yield line.number, LineSignature(payer, member, who, on.isoformat() if on else "", code, mods)


def sent_map(claims: Iterable[Claim]) -> dict[LineSignature, str]:
    """The `ScrubContext.sent` mapping for claims already sent (voids and replacements excluded)."""
    out: dict[LineSignature, str] = {}
    for claim in claims:
        if claim.frequency in (ClaimFrequency.VOID,):
            continue
        for _, sig in line_signatures(claim):
            out.setdefault(sig, claim.patient_control_number)
    return out
