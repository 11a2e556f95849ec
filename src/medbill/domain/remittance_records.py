"""An imported 835 as medbill keeps it: which payment, how it balanced, what was posted and what was left for a person.

``import_key`` is what "already imported" means: the payer, the TRN02 trace number and the claim payments inside
(CLP01, status, charge and paid of each), hashed. The same advice delivered twice, or imported by hand after the
clearinghouse poll brought it, posts once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from medbill.domain.fields import new_id
from medbill.domain.remittance import Remittance


class RemittanceStatus(StrEnum):
    POSTED = "posted"
    HELD = "held"  # it does not balance: nothing posted


def payer_identifier(remittance: Remittance) -> str:
    """Who paid: TRN03 (the payer's originating company id), else the 1000A N1 id, else its name."""
    return remittance.payment.originator_id or remittance.payer.identifier or remittance.payer.name or "unknown"


def import_key(remittance: Remittance) -> str:
    parts = [payer_identifier(remittance), remittance.payment.trace_number]
    for claim in remittance.claims:
        parts.append(f"{claim.claim_id}|{claim.status.value}|{claim.charge_cents}|{claim.paid_cents}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@dataclass(frozen=True, slots=True, kw_only=True)
class RemittanceRecord:
    id: str = field(default_factory=new_id)
    practice_id: str
    import_key: str
    status: RemittanceStatus
    file_name: str
    transaction_index: int
    control_number: str
    payer_name: str
    payer_identifier: str
    trace_number: str
    method: str
    amount_cents: int
    paid_on: date
    claim_count: int
    posted_count: int
    unmatched_count: int
    denied_count: int
    provider_adjustment_cents: int
    difference_cents: int
    problems: tuple[str, ...] = ()
    sha256: str
    imported_at: datetime
    imported_by: str
    posted_at: datetime | None = None
