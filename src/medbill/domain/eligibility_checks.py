"""An eligibility check as we keep it: which coverage was asked about, when, its state, and the payer's answer
normalized (the raw 270 and 271 are kept beside it by the repository)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from medbill.domain.benefits import MemberBenefits
from medbill.domain.eligibility import CoverageStatus
from medbill.domain.fields import new_id


class CheckStatus(StrEnum):
    PENDING = "pending"  # the 270 went out; no 271 yet (a batch mailbox answers later)
    ACTIVE = "active"
    INACTIVE = "inactive"
    REJECTED = "rejected"  # the payer could not answer (AAA)
    ERROR = "error"  # the 270 could not be sent, or the 271 could not be read

    @classmethod
    def of(cls, status: CoverageStatus) -> CheckStatus:
        return {
            CoverageStatus.ACTIVE: cls.ACTIVE,
            CoverageStatus.INACTIVE: cls.INACTIVE,
            CoverageStatus.REJECTED: cls.REJECTED,
        }.get(status, cls.ERROR)

    @property
    def answered(self) -> bool:
        return self in (CheckStatus.ACTIVE, CheckStatus.INACTIVE, CheckStatus.REJECTED)


@dataclass(frozen=True, slots=True, kw_only=True)
class EligibilityCheck:
    id: str = field(default_factory=new_id)
    practice_id: str
    patient_id: str
    coverage_id: str
    payer_id: str  # our Payer.id
    appointment_id: str | None = None
    status: CheckStatus = CheckStatus.PENDING
    service_types: tuple[str, ...] = ("30",)
    member_id: str  # as sent
    trace_number: str  # TRN02 of the 270 (and its BHT03), echoed by the 271
    requested_at: datetime
    answered_at: datetime | None = None
    benefits: MemberBenefits | None = None
    problems: tuple[str, ...] = ()  # AAA reasons and what changed (member ID, other payer), in words
    created_by: str

    def age_days(self, now: datetime) -> int | None:
        return None if self.answered_at is None else max(0, (now - self.answered_at).days)
