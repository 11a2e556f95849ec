"""The claim's life as an explicit state machine: which event moves a claim from which state to which."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from medbill.domain.errors import InvalidTransition


class ClaimStatus(StrEnum):
    DRAFT = "draft"
    SCRUBBED = "scrubbed"  # clean or with findings; findings with error severity keep it from being queued
    QUEUED = "queued"  # in a batch waiting to be sent
    SUBMITTED = "submitted"  # the 837 left for the clearinghouse
    ACCEPTED = "accepted"  # 999 / 277CA: the front end took it into adjudication
    REJECTED = "rejected"  # 999 / 277CA: refused before adjudication; fix and send again
    PENDING = "pending"  # 277: in adjudication, or pended for information
    PAID = "paid"
    PARTIALLY_PAID = "partially_paid"
    DENIED = "denied"
    SECONDARY_BILLED = "secondary_billed"
    PATIENT_BILLED = "patient_billed"
    CLOSED = "closed"
    VOIDED = "voided"  # frequency 8 sent
    REPLACED = "replaced"  # a frequency 7 claim took its place


class ClaimEvent(StrEnum):
    SCRUB = "scrub"
    EDIT = "edit"
    QUEUE = "queue"
    UNQUEUE = "unqueue"
    SUBMIT = "submit"
    ACCEPT = "accept"
    REJECT = "reject"
    PEND = "pend"
    PAY = "pay"
    PAY_PARTIALLY = "pay_partially"
    DENY = "deny"
    REVERSE = "reverse"  # the payer took its adjudication back (835 CLP02 = 22)
    BILL_SECONDARY = "bill_secondary"
    BILL_PATIENT = "bill_patient"
    CLOSE = "close"
    REOPEN = "reopen"
    VOID = "void"
    REPLACE = "replace"
    STATUS = "status"  # a 276 asked or a 277 answered: noted in the history, the claim stays where it is


S = ClaimStatus
_ADJUDICATED = (S.PAID, S.PARTIALLY_PAID, S.DENIED)
_WITH_PAYER = (S.SUBMITTED, S.ACCEPTED, S.PENDING)

# A target of None keeps the claim where it is (an event that is only noted in the history).
TRANSITIONS: dict[ClaimEvent, tuple[tuple[ClaimStatus, ...], ClaimStatus | None]] = {
    ClaimEvent.SCRUB: ((S.DRAFT, S.SCRUBBED), S.SCRUBBED),
    ClaimEvent.EDIT: ((S.DRAFT, S.SCRUBBED, S.QUEUED, S.REJECTED), S.DRAFT),
    ClaimEvent.QUEUE: ((S.SCRUBBED,), S.QUEUED),
    ClaimEvent.UNQUEUE: ((S.QUEUED,), S.SCRUBBED),
    ClaimEvent.SUBMIT: ((S.QUEUED,), S.SUBMITTED),
    ClaimEvent.ACCEPT: ((S.SUBMITTED,), S.ACCEPTED),
    ClaimEvent.REJECT: ((S.SUBMITTED, S.ACCEPTED), S.REJECTED),
    ClaimEvent.PEND: ((S.SUBMITTED, S.ACCEPTED, S.PENDING), S.PENDING),
    ClaimEvent.PAY: ((*_WITH_PAYER, S.DENIED), S.PAID),
    ClaimEvent.PAY_PARTIALLY: ((*_WITH_PAYER, S.DENIED), S.PARTIALLY_PAID),
    ClaimEvent.DENY: (_WITH_PAYER, S.DENIED),
    ClaimEvent.REVERSE: ((*_ADJUDICATED, S.SECONDARY_BILLED, S.PATIENT_BILLED, S.CLOSED), S.PENDING),
    ClaimEvent.BILL_SECONDARY: (_ADJUDICATED, S.SECONDARY_BILLED),
    ClaimEvent.BILL_PATIENT: ((*_ADJUDICATED, S.SECONDARY_BILLED), S.PATIENT_BILLED),
    ClaimEvent.CLOSE: ((*_ADJUDICATED, S.SECONDARY_BILLED, S.PATIENT_BILLED), S.CLOSED),
    ClaimEvent.REOPEN: ((S.CLOSED,), S.PATIENT_BILLED),
    # a void (frequency 8) or a replacement (7) only makes sense once the payer has the claim
    ClaimEvent.VOID: ((*_WITH_PAYER, *_ADJUDICATED, S.SECONDARY_BILLED, S.PATIENT_BILLED), S.VOIDED),
    ClaimEvent.REPLACE: ((S.ACCEPTED, S.PENDING, *_ADJUDICATED, S.SECONDARY_BILLED, S.PATIENT_BILLED), S.REPLACED),
    ClaimEvent.STATUS: (
        (*_WITH_PAYER, S.REJECTED, *_ADJUDICATED, S.SECONDARY_BILLED, S.PATIENT_BILLED, S.CLOSED),
        None,
    ),
}


def next_status(current: ClaimStatus, event: ClaimEvent) -> ClaimStatus:
    """The state ``event`` leads to from ``current``, or InvalidTransition naming the state the claim was in."""
    sources, target = TRANSITIONS[event]
    if current not in sources:
        allowed = ", ".join(s.value for s in sources)
        raise InvalidTransition(
            f"cannot {event.value.replace('_', ' ')} a claim that is {current.value.replace('_', ' ')} "
            f"(only from: {allowed})",
            field="status",
        )
    return current if target is None else target


def allowed_events(current: ClaimStatus) -> list[ClaimEvent]:
    return [event for event, (sources, _) in TRANSITIONS.items() if current in sources]


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimTransition:
    """One step in a claim's history: what moved it, from where to where, when, and who or what did it."""

    claim_id: str
    event: ClaimEvent
    from_status: ClaimStatus
    to_status: ClaimStatus
    at: datetime
    actor: str  # a username, or a process such as "999 ingest"
    reason: str = ""
