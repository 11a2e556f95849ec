"""Work queues: what needs a person today (unmatched remittance, denials, underpayments, held advices)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from medbill.domain.fields import new_id


class Queue(StrEnum):
    UNMATCHED = "unmatched"  # an 835 claim payment or service line we could not tie to a claim of ours
    DENIAL = "denial"  # the payer refused a claim or line: the reason in words, ready for an appeal
    UNDERPAYMENT = "underpayment"  # paid below the contracted allowed amount by more than the tolerance
    HELD_REMITTANCE = "held_remittance"  # an 835 that does not balance: not posted until a person decides
    FRONT_DESK = "front_desk"  # an eligibility check found inactive coverage, a changed member ID, a new other payer
    REJECTION = "rejection"  # a TA1, 999 or 277CA refused the claim before adjudication: fix it and send it again
    NO_RESPONSE = "no_response"  # sent, and no answer from the payer after N days: call or send a 276
    PAST_DUE = "past_due"  # a patient balance unpaid past N days: remind, plan, or collections


class WorkStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkItem:
    id: str = field(default_factory=new_id)
    practice_id: str
    queue: Queue
    status: WorkStatus = WorkStatus.OPEN
    claim_id: str | None = None
    remittance_id: str | None = None
    reference: str  # CLP01 as the payer sent it, or the trace number
    amount_cents: int
    reason: str  # in words, with the codes
    detail: str = "{}"  # JSON of what was sent, so nothing is lost
    created_at: datetime
    closed_at: datetime | None = None
    closed_by: str | None = None
    resolution: str | None = None
    owner: str | None = None  # the username working it; None: unassigned
    due_on: date | None = None  # appeal window or timely-filing deadline
    category: str | None = None  # a DenialCategory for denials
    next_action: str | None = None  # a NextAction
    payer_id: str | None = None
    patient_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkNote:
    at: datetime
    author: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkQuery:
    """Filters for a work queue: every field narrows; ``owner=""`` means unassigned."""

    queue: Queue | None = None
    status: WorkStatus | None = WorkStatus.OPEN
    owner: str | None = None
    payer_id: str | None = None
    provider_id: str | None = None  # the rendering provider of the item's claim
    category: str | None = None
    created_before: datetime | None = None  # older than this (age filter)
    min_amount_cents: int | None = None
    text: str | None = None  # words in the reason
    order: str = "oldest"  # oldest, due, amount
    limit: int = 100
    offset: int = 0
