"""The ledger: every charge, payment, adjustment, transfer, write-off and refund is a typed entry; balances are derived.

Each entry moves money in or out of two buckets of one service line (an encounter's charge line, billed on the
primary claim and again on a secondary one), what insurance still owes and what the patient owes. An entry also
names the claim and payer whose adjudication produced it, so balances per claim line, claim, patient account and
payer are all sums over entries. The identity checked in tests, for every line and any sequence of entries::

    charges − (payments − refunds) − adjustments = insurance balance + patient balance

A posting is never edited or deleted: a correction is a new entry with the opposite amount that names the one it
reverses (835 CLP02 = 22 reversals work this way).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from medbill.domain.errors import ValidationError
from medbill.domain.fields import new_id


class EntryKind(StrEnum):
    CHARGE = "charge"
    PAYER_PAYMENT = "payer_payment"
    CONTRACTUAL_ADJUSTMENT = "contractual_adjustment"  # CO
    OTHER_ADJUSTMENT = "other_adjustment"  # OA, PI, CR
    TRANSFER_TO_PATIENT = "transfer_to_patient"  # PR: deductible, coinsurance, copay, other
    TRANSFER_TO_INSURANCE = "transfer_to_insurance"  # back to a payer (a secondary, a corrected PR)
    PATIENT_PAYMENT = "patient_payment"
    PATIENT_WRITE_OFF = "patient_write_off"  # small balance, hardship, bad debt — with a reason
    REFUND = "refund"  # money given back to the patient or payer
    INTEREST = "interest"  # prompt-pay interest a payer added (835 AMT*I): income, not against the charge
    DENIAL = "denial"  # what a payer refused (group, CARC, RARCs, amount) as data: moves no money; the charge stays
    # owed by insurance until the biller appeals, corrects, or writes it off (then an adjustment entry)


class PatientShare(StrEnum):
    """Why the patient owes it, from the PR group's CARC."""

    DEDUCTIBLE = "deductible"  # PR-1
    COINSURANCE = "coinsurance"  # PR-2
    COPAY = "copay"  # PR-3
    OTHER = "other"


# kind → (effect on the insurance balance, effect on the patient balance), per cent of the entry's amount
_EFFECT: dict[EntryKind, tuple[int, int]] = {
    EntryKind.CHARGE: (1, 0),
    EntryKind.PAYER_PAYMENT: (-1, 0),
    EntryKind.CONTRACTUAL_ADJUSTMENT: (-1, 0),
    EntryKind.OTHER_ADJUSTMENT: (-1, 0),
    EntryKind.TRANSFER_TO_PATIENT: (-1, 1),
    EntryKind.TRANSFER_TO_INSURANCE: (1, -1),
    EntryKind.PATIENT_PAYMENT: (0, -1),
    EntryKind.PATIENT_WRITE_OFF: (0, -1),
    EntryKind.REFUND: (0, 1),
    EntryKind.INTEREST: (0, 0),
    EntryKind.DENIAL: (0, 0),
}
PAYMENTS = frozenset({EntryKind.PAYER_PAYMENT, EntryKind.PATIENT_PAYMENT})
ADJUSTMENTS = frozenset({EntryKind.CONTRACTUAL_ADJUSTMENT, EntryKind.OTHER_ADJUSTMENT, EntryKind.PATIENT_WRITE_OFF})


@dataclass(frozen=True, slots=True, kw_only=True)
class LedgerEntry:
    id: str = field(default_factory=new_id)
    practice_id: str
    patient_id: str  # the account
    encounter_id: str
    line_number: int  # the encounter's service line (the claim line of the same number)
    claim_id: str | None = None  # the claim whose adjudication produced it (None: charge, patient side)
    payer_id: str | None = None
    remittance_id: str | None = None  # the 835 it was posted from
    kind: EntryKind
    amount_cents: int  # positive for a posting; the negative of the original for its reversal
    at: datetime
    group_code: str | None = None  # CAS01: CO, PR, OA, PI, CR
    reason_code: str | None = None  # CARC, or the write-off reason
    remark_codes: tuple[str, ...] = ()  # RARCs, as data
    patient_share: PatientShare | None = None
    source: str = ""  # "835 TRN 12345", "payment 7", "user alice"
    reverses: str | None = None  # the id of the entry this one undoes
    payment_id: str | None = None  # the patient payment or refund this entry applies

    def __post_init__(self) -> None:
        if isinstance(self.amount_cents, bool) or not isinstance(self.amount_cents, int):
            raise TypeError("amount_cents is integer cents")
        if self.kind is EntryKind.TRANSFER_TO_PATIENT and self.patient_share is None:
            raise ValidationError(
                "a transfer to the patient says why (deductible, coinsurance, copay, other)", field="patient_share"
            )
        if self.amount_cents < 0 and self.reverses is None and self.remittance_id is None:
            # a payer may send negative amounts (a CAS that gives back an earlier adjustment): those carry their
            # remittance; anything else negative must be the reversal of a named entry
            raise ValidationError("a negative entry must name the entry it reverses", field="amount")

    @property
    def line_key(self) -> tuple[str, int]:
        return (self.encounter_id, self.line_number)

    def reversal(self, *, at: datetime, source: str, remittance_id: str | None = None) -> LedgerEntry:
        """The entry that undoes this one, leaving both in the ledger."""
        return LedgerEntry(
            practice_id=self.practice_id,
            patient_id=self.patient_id,
            encounter_id=self.encounter_id,
            line_number=self.line_number,
            claim_id=self.claim_id,
            payer_id=self.payer_id,
            kind=self.kind,
            amount_cents=-self.amount_cents,
            at=at,
            group_code=self.group_code,
            reason_code=self.reason_code,
            remark_codes=self.remark_codes,
            patient_share=self.patient_share,
            source=source,
            remittance_id=remittance_id,
            reverses=self.id,
            payment_id=self.payment_id,
        )


@dataclass(frozen=True, slots=True)
class Balance:
    charges_cents: int = 0
    payments_cents: int = 0
    adjustments_cents: int = 0
    refunds_cents: int = 0
    insurance_cents: int = 0
    patient_cents: int = 0
    interest_cents: int = 0

    @property
    def total_cents(self) -> int:
        return self.insurance_cents + self.patient_cents


def balance(entries: Iterable[LedgerEntry]) -> Balance:
    """The derived balance of a set of entries (one line, one claim, one account: any set)."""
    charges = payments = adjustments = refunds = insurance = patient = interest = 0
    for entry in entries:
        to_insurance, to_patient = _EFFECT[entry.kind]
        insurance += to_insurance * entry.amount_cents
        patient += to_patient * entry.amount_cents
        if entry.kind is EntryKind.CHARGE:
            charges += entry.amount_cents
        elif entry.kind in PAYMENTS:
            payments += entry.amount_cents
        elif entry.kind in ADJUSTMENTS:
            adjustments += entry.amount_cents
        elif entry.kind is EntryKind.REFUND:
            refunds += entry.amount_cents
        elif entry.kind is EntryKind.INTEREST:
            interest += entry.amount_cents
    return Balance(charges, payments, adjustments, refunds, insurance, patient, interest)
