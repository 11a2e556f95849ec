"""Insurance write-offs: the reasons a practice gives up on what a payer still owes, kept as data on each entry, and
the entries that take a claim's remaining insurance balance to zero line by line.

A write-off is an OTHER_ADJUSTMENT entry per service line for exactly what insurance still owes on that line, naming
the claim and payer, with the reason in ``reason_code`` and no CAS group (it is ours, not the payer's adjustment).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from enum import StrEnum

from medbill.domain.errors import ValidationError
from medbill.domain.ledger import EntryKind, LedgerEntry, balance


class WriteOffReason(StrEnum):
    TIMELY_FILING = (
        "timely_filing"  # filed or appealed too late: the payer will not pay, and the patient may not be billed
    )
    UNCOLLECTIBLE = "uncollectible"  # the payer is gone, or following up costs more than it brings
    SMALL_BALANCE = "small_balance"  # a few cents or dollars short, not worth an appeal
    COURTESY = "courtesy"  # a professional courtesy the practice grants
    APPEAL_LOST = "appeal_lost"  # every level of appeal upheld the denial
    NO_AUTHORIZATION = "no_authorization"  # the practice failed to get the authorization: provider liability
    NON_COVERED = "non_covered"  # not covered and no signed waiver (ABN) to bill the patient
    CONTRACTUAL_OTHER = "contractual_other"  # a contract term the payer applied that the 835 did not adjust


REASON_TEXT: dict[WriteOffReason, str] = {
    WriteOffReason.TIMELY_FILING: "timely filing limit missed",
    WriteOffReason.UNCOLLECTIBLE: "uncollectible from the payer",
    WriteOffReason.SMALL_BALANCE: "small balance",
    WriteOffReason.COURTESY: "professional courtesy",
    WriteOffReason.APPEAL_LOST: "appeal lost",
    WriteOffReason.NO_AUTHORIZATION: "no authorization (provider liability)",
    WriteOffReason.NON_COVERED: "non-covered, no waiver signed",
    WriteOffReason.CONTRACTUAL_OTHER: "other contractual adjustment",
}


def insurance_owed_by_line(entries: Iterable[LedgerEntry], line_numbers: Iterable[int]) -> dict[int, int]:
    """What insurance still owes on each of the given lines of one visit (cents; may be zero or negative)."""
    by_line: dict[int, list[LedgerEntry]] = {n: [] for n in line_numbers}
    for entry in entries:
        if entry.line_number in by_line:
            by_line[entry.line_number].append(entry)
    return {n: balance(line).insurance_cents for n, line in by_line.items()}


def write_off_entries(
    owed: Mapping[int, int],
    *,
    practice_id: str,
    patient_id: str,
    encounter_id: str,
    claim_id: str,
    payer_id: str,
    reason: WriteOffReason,
    at: datetime,
    source: str,
) -> list[LedgerEntry]:
    """One OTHER_ADJUSTMENT entry per line that insurance still owes on, for exactly that amount; refused when no
    line is owed anything (an overpaid line, below zero, is left for a refund, not written off)."""
    entries = [
        LedgerEntry(
            practice_id=practice_id,
            patient_id=patient_id,
            encounter_id=encounter_id,
            line_number=number,
            claim_id=claim_id,
            payer_id=payer_id,
            kind=EntryKind.OTHER_ADJUSTMENT,
            amount_cents=cents,
            at=at,
            reason_code=reason.value,
            source=source[:200],
        )
        for number, cents in sorted(owed.items())
        if cents > 0
    ]
    if not entries:
        raise ValidationError("insurance owes nothing on this claim; there is nothing to write off", field="claim_id")
    return entries
