"""Our stored claim: the 837-shaped document plus what we track about it (payer order, status, numbers, findings).

A ``ClaimRecord`` is one claim to one payer for one encounter: its own id, its patient control number (CLM01,
unique per practice), its lines with their line item control numbers (REF*6R), its frequency (1 original,
7 replacement, 8 void, with the payer's claim control number in REF*F8 for 7 and 8), its status in the claim state
machine, and the findings of its latest scrub. Every change of status goes through ``moved``, which asks
``next_status`` and returns the new record together with the ``ClaimTransition`` to store.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from medbill.domain.claim_states import ClaimEvent, ClaimStatus, ClaimTransition, next_status
from medbill.domain.claims import Claim, ClaimFrequency, ClaimKind
from medbill.domain.coverage import CoverageOrder
from medbill.domain.errors import ValidationError
from medbill.domain.fields import new_id
from medbill.domain.identifiers import luhn_check_digit
from medbill.domain.scrub import Finding, Severity

MAX_CONTROL_NUMBER = 20  # CLM01 is 1–38 characters; we keep ours short enough for CMS-1500 box 26 (14)


def patient_control_number(sequence: int) -> str:
    """CLM01 for the practice's ``sequence``-th claim: ``C`` + seven or more digits + a Luhn check digit."""
    if sequence < 1:
        raise ValueError("claim sequence numbers start at 1")
    digits = f"{sequence:07d}"
    return f"C{digits}{luhn_check_digit(digits)}"


def is_patient_control_number(value: str) -> bool:
    """True when ``value`` is one of ours: the shape and the check digit are right."""
    body = value[1:-1]
    return (
        len(value) <= MAX_CONTROL_NUMBER
        and value[:1] == "C"
        and body.isdigit()
        and len(body) >= 7
        and str(luhn_check_digit(body)) == value[-1]
    )


def line_control_number(claim_control_number: str, line_number: int) -> str:
    """REF*6R for a line: the claim's CLM01 and the line number (unique because CLM01 is)."""
    return f"{claim_control_number}-{line_number}"


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimLineRecord:
    """One stored service line: what the 835 and the 277CA match on (its REF*6R) and what it charged."""

    line_number: int
    line_control_number: str
    procedure_code: str
    modifiers: tuple[str, ...] = ()
    units: int = 1
    charge_cents: int
    service_date: date


@dataclass(frozen=True, slots=True, kw_only=True)
class FindingsSummary:
    """How the latest scrub came out: counts by severity and when it ran (None: never scrubbed)."""

    errors: int = 0
    warnings: int = 0
    scrubbed_at: datetime | None = None

    @classmethod
    def of(cls, findings: tuple[Finding, ...], at: datetime) -> FindingsSummary:
        errors = sum(1 for f in findings if f.severity is Severity.ERROR)
        return cls(errors=errors, warnings=len(findings) - errors, scrubbed_at=at)

    @property
    def clean(self) -> bool:
        return self.scrubbed_at is not None and self.errors == 0 and self.warnings == 0


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimRecord:
    """A claim as medbill keeps it: the 837-shaped ``document`` and everything tracked around it."""

    id: str = field(default_factory=new_id)
    practice_id: str
    encounter_id: str
    patient_id: str
    coverage_id: str
    payer_id: str  # our Payer.id
    order: CoverageOrder  # which payer in the coverage order this claim goes to
    status: ClaimStatus = ClaimStatus.DRAFT
    document: Claim  # what the X12 writer sends and the scrubber reads
    date_of_service: date
    lines: tuple[ClaimLineRecord, ...]
    original_claim_id: str | None = None  # the claim a replacement (7) or void (8) stands for
    payer_claim_number: str | None = None  # the payer's claim control number (REF*F8 on 7 and 8; from 277CA/835)
    next_coverage_id: str | None = None  # the coverage to bill next (secondary) once this one is adjudicated
    batch_id: str | None = None  # the batch (837 file) that holds it, once queued
    findings: tuple[Finding, ...] = ()
    summary: FindingsSummary = FindingsSummary()
    created_at: datetime
    updated_at: datetime

    def __post_init__(self) -> None:
        doc = self.document
        if not is_patient_control_number(doc.patient_control_number):
            raise ValidationError("is not one of medbill's claim numbers", field="patient_control_number")
        corrects = doc.frequency in (ClaimFrequency.REPLACEMENT, ClaimFrequency.VOID)
        if corrects and (not doc.original_claim_number or self.original_claim_id is None):
            raise ValidationError(
                "a replacement or void names the original claim and the payer's claim number (REF*F8)",
                field="payer_claim_number",
            )
        if len(doc.lines) != len(self.lines):
            raise ValidationError("the stored lines and the document's lines differ", field="lines")
        if doc.total_charge_cents != sum(line.charge_cents for line in self.lines):
            raise ValidationError("the claim total is not the sum of its lines", field="total_charge")

    @property
    def patient_control_number(self) -> str:
        return self.document.patient_control_number

    @property
    def frequency(self) -> ClaimFrequency:
        return self.document.frequency

    @property
    def kind(self) -> ClaimKind:
        return self.document.kind

    @property
    def total_charge_cents(self) -> int:
        return self.document.total_charge_cents

    @property
    def payer_name(self) -> str:
        return self.document.subscriber.payer.name

    @property
    def blocking_findings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.blocks)

    def moved(
        self, event: ClaimEvent, *, at: datetime, actor: str, reason: str = ""
    ) -> tuple[ClaimRecord, ClaimTransition]:
        """The record after ``event`` and the transition to store; InvalidTransition names the state it was in."""
        target = next_status(self.status, event)
        transition = ClaimTransition(
            claim_id=self.id, event=event, from_status=self.status, to_status=target, at=at, actor=actor, reason=reason
        )
        return replace(self, status=target, updated_at=at), transition

    def scrubbed(
        self, findings: tuple[Finding, ...], *, at: datetime, actor: str
    ) -> tuple[ClaimRecord, ClaimTransition]:
        """The record with the latest scrub's findings, moved to scrubbed (from draft, or scrubbed again)."""
        summary = FindingsSummary.of(findings, at)
        moved, transition = self.moved(
            ClaimEvent.SCRUB, at=at, actor=actor, reason=f"errors={summary.errors} warnings={summary.warnings}"
        )
        return replace(moved, findings=findings, summary=summary), transition


class BatchStatus(StrEnum):
    BUILT = "built"  # the 837 file is kept; its claims are queued
    SENT = "sent"  # handed to the clearinghouse


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimBatchRecord:
    """One 837 file built for one receiver: its control numbers, its claims' count and total, and where it is."""

    id: str = field(default_factory=new_id)
    practice_id: str
    kind: ClaimKind
    payer_id: str  # our Payer.id
    sender_id: str  # ISA06
    receiver_id: str  # ISA08: the trading partner whose control numbers these are
    receiver_name: str
    file_name: str
    interchange_control_number: int  # ISA13
    group_control_number: int  # GS06
    claim_count: int
    total_charge_cents: int
    status: BatchStatus = BatchStatus.BUILT
    sha256: str
    size_bytes: int
    created_at: datetime
    created_by: str
    clearinghouse_file_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimSnapshot:
    """An immutable copy of a claim as it was put into a batch (the document as JSON text, and the batch)."""

    id: str = field(default_factory=new_id)
    practice_id: str
    claim_id: str
    batch_id: str
    patient_control_number: str
    total_charge_cents: int
    taken_at: datetime
    document: str
