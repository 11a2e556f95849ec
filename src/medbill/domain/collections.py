"""Where a patient account stands in collections: the steps a practice takes with a balance the patient does not pay,
from a reminder to an outside agency, and settled when it ends. An account with no status is in no collections step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from medbill.domain.errors import ValidationError
from medbill.domain.fields import set_field as _set

MAX_NOTE = 500


class CollectionStatus(StrEnum):
    REMINDER = "reminder"  # a past-due reminder went out with the statement
    FINAL_NOTICE = "final_notice"  # the last letter before collections (most practices: 30 days' notice)
    COLLECTIONS = "collections"  # worked in house: calls, a settlement offer
    AGENCY = "agency"  # placed with an outside collection agency
    SETTLED = "settled"  # paid, settled, or written off: the account is out of collections


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountCollections:
    practice_id: str
    patient_id: str
    status: CollectionStatus
    since: date  # when the account reached this status
    note: str  # why, in the biller's words (no more than a line or two)
    updated_by: str

    def __post_init__(self) -> None:
        text = " ".join(self.note.split())
        if not text:
            raise ValidationError("say why (statements unanswered, agreed settlement, agency name …)", field="note")
        if len(text) > MAX_NOTE:
            raise ValidationError(f"is at most {MAX_NOTE} characters", field="note")
        _set(self, "note", text)
