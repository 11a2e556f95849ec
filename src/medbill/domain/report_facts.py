"""What the reports are computed from: one row of facts per claim (from its history) and per visit (from the
ledger), the rules that say which claim is clean, resolved on the first pass or initially denied, the periods
(months, the trailing three months of revenue, the three months before a period) and the A/R aging buckets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from medbill.domain.claim_states import ClaimEvent, ClaimStatus


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimFacts:
    """One claim and the moments of its history that the KPIs ask about (each None when it never happened)."""

    claim_id: str
    patient_control_number: str
    encounter_id: str
    patient_id: str
    payer_id: str
    provider_id: str  # the encounter's rendering provider
    order: str  # primary, secondary, tertiary
    frequency: str  # CLM05-3: 1 original, 7 replacement, 8 void
    status: ClaimStatus
    date_of_service: date
    total_charge_cents: int
    created_at: datetime
    first_submitted_at: datetime | None = None
    last_submitted_at: datetime | None = None
    first_adjudicated_at: datetime | None = None
    first_adjudication: ClaimEvent | None = None  # PAY, PAY_PARTIALLY or DENY
    edited_before_submission: bool = False  # an EDIT came before the first SUBMIT (or there was no SUBMIT)
    findings_before_submission: bool = False  # the scrub it was first sent with reported errors or warnings
    rescrubbed_before_submission: bool = False  # scrubbed more than once before the first SUBMIT: someone reworked it
    first_rejected_at: datetime | None = None
    first_reversed_at: datetime | None = None

    @property
    def clean(self) -> bool:
        """Passed every edit with no manual touch: sent with a scrub that found nothing, scrubbed once and never
        edited before its first submission, and not rejected by the 999/277CA (a claim is only ever sent again after
        a rejection). A second scrub before sending is a touch: the scrubber is run again on a claim by hand, after
        something it found was fixed elsewhere (the patient, the coverage, the payer's setup)."""
        return (
            self.first_submitted_at is not None
            and not self.edited_before_submission
            and not self.findings_before_submission
            and not self.rescrubbed_before_submission
            and self.first_rejected_at is None
        )

    @property
    def resolved_first_pass(self) -> bool:
        """Paid on the first adjudication of the first submission, in full as adjudicated, and never taken back."""
        return (
            self.first_adjudication is ClaimEvent.PAY
            and self.first_rejected_at is None
            and self.first_reversed_at is None
        )

    @property
    def initially_denied(self) -> bool:
        return self.first_adjudication is ClaimEvent.DENY

    @property
    def original_primary(self) -> bool:
        return self.frequency == "1" and self.order == "primary"


def sent_with_findings(
    scrub_seqs: Sequence[int], first_submit_seq: int | None, *, errors: int, warnings: int
) -> tuple[bool, bool]:
    """(the scrub the claim was first sent with reported a finding, it was scrubbed more than once before that),
    from the claim's SCRUB events (their sequence numbers, all of them) and the counts of its latest scrub as stored
    on the claim. The stored counts are those of the scrub it was sent with when no scrub came after the first
    submission; a later scrub only follows a rejection and an edit, and then what the first one found is no longer
    stored, so it counts as a finding (the claim was rejected, so it is not clean today either)."""
    if first_submit_seq is None:
        return False, False
    before = [seq for seq in scrub_seqs if seq < first_submit_seq]
    rescrubbed = len(before) > 1
    if not before or any(seq > first_submit_seq for seq in scrub_seqs):
        return True, rescrubbed
    return errors + warnings > 0, rescrubbed


@dataclass(frozen=True, slots=True, kw_only=True)
class VisitMoney:
    """One visit (encounter) and its ledger: balances at the period's end, and what was posted in the period."""

    encounter_id: str
    patient_id: str
    provider_id: str
    date_of_service: date
    created_at: datetime
    insurance_cents: int = 0  # at the period's end
    patient_cents: int = 0  # at the period's end
    charges_cents: int = 0  # posted in the period
    window_charges_cents: int = 0  # posted in the days-in-A/R window (``revenue_window``) ending with the period
    window_deductions_cents: int = 0  # deductions from revenue (``ledger.ADJUSTMENTS``) posted in that window
    payments_cents: int = 0  # payers' and patients' payments less refunds, posted in the period
    contractual_cents: int = 0  # contractual adjustments posted in the period

    @property
    def ar_cents(self) -> int:
        return self.insurance_cents + self.patient_cents


# --- periods ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Period:
    """Whole days, both ends included; timestamps fall in it from ``start`` 00:00 UTC to ``end`` 24:00 UTC."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period ends on or after its start")

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=UTC)

    @property
    def until(self) -> datetime:  # exclusive
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=UTC)

    def holds(self, at: datetime | date | None) -> bool:
        if at is None:
            return False
        if isinstance(at, datetime):
            return self.since <= at < self.until
        return self.start <= at <= self.end

    @property
    def label(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` away from ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_of(period: Period) -> list[Period]:
    """The calendar months the period touches, each cut to the period (``2026-09-15..2026-11-10`` → three)."""
    out: list[Period] = []
    first = add_months(period.start, 0)
    while first <= period.end:
        last = add_months(first, 1) - timedelta(days=1)
        out.append(Period(max(first, period.start), min(last, period.end)))
        first = add_months(first, 1)
    return out


def revenue_window(period: Period) -> Period:
    """The trailing three calendar months ending with the period's last day (from the first of the month two months
    before): the net patient service revenue behind days in A/R (``2026-11-26`` → ``2026-09-01..2026-11-26``)."""
    return Period(add_months(period.end, -2), period.end)


def prior_three_months(period: Period) -> Period:
    """The three calendar months before the period's first month: the initial denial rate's denominator
    (``2026-09-15..2026-11-10`` → ``2026-06-01..2026-08-31``)."""
    return Period(add_months(period.start, -3), add_months(period.start, 0) - timedelta(days=1))


# --- aging -----------------------------------------------------------------------------------------------------------


class AgingBasis(StrEnum):
    SERVICE = "service"  # days since the date of service
    SUBMISSION = "submission"  # days since the claim was last sent


AGING_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-30", 0, 30),
    ("31-60", 31, 60),
    ("61-90", 61, 90),
    ("91-120", 91, 120),
    ("120+", 121, None),
)


def aging_bucket(days: int) -> str:
    """The bucket a balance ``days`` old falls in (a date in the future counts as 0 days old)."""
    for label, low, high in AGING_BUCKETS:
        if days >= low and (high is None or days <= high):
            return label
    return AGING_BUCKETS[0][0]


_ORDER_RANK = {"primary": 1, "secondary": 2, "tertiary": 3}
_GONE = (ClaimStatus.VOIDED, ClaimStatus.REPLACED)


def current_claim(claims: Sequence[ClaimFacts]) -> ClaimFacts | None:
    """The claim of a visit that its insurance balance is waiting on: not voided or replaced, the furthest payer
    in the coverage order that has been sent (or, if none was sent, any), the newest of those."""
    live = [c for c in claims if c.status not in _GONE]
    if not live:
        return None
    sent = [c for c in live if c.first_submitted_at is not None] or live
    return max(sent, key=lambda c: (_ORDER_RANK.get(c.order, 0), c.created_at, c.claim_id))


def primary_claim(claims: Sequence[ClaimFacts]) -> ClaimFacts | None:
    """The visit's first claim to its primary payer (the payer a visit's money is reported under)."""
    primaries = [c for c in claims if c.order == "primary"] or list(claims)
    return min(primaries, key=lambda c: (c.created_at, c.claim_id)) if primaries else None
