"""Posting one 835 claim payment to the ledger: match its lines to ours, and turn every amount into a typed entry.

Pure rules, no storage. The service hands in the claim we billed (its lines with their line item control numbers)
and the entries already posted for it; this module answers with the entries to write, the lines it could not
match, and what the payer did in a biller's words (paid, denied, reversed).

Matching a service payment to our line (835 2110):

1. REF*6R equal to our line item control number;
2. else procedure (as adjudicated, or the SVC06 original), the same modifiers, date of service and charge;
3. else the same without the modifiers (a payer that dropped one), when exactly one of our lines fits.

Amounts go to entries like this: SVC03 → payer payment; CAS CO → contractual adjustment; CAS PR → transfer to
the patient, by kind (PR-1 deductible, PR-2 coinsurance, PR-3 copay, other); CAS OA, PI, CR → other adjustment;
claim-level CAS is spread over the matched lines in proportion to their charges, exactly to the cent; AMT*I
interest is its own entry. A denial (a line, or a whole claim, refused with nothing paid and nothing left to the
patient) posts no adjustment: the refused charge stays owed by insurance, in the denial queue, until the biller
appeals, corrects and resubmits, or writes it off by reason. On a secondary or tertiary claim, CARC 23 (the impact of prior payers' adjudication)
is the earlier payer's money and is not posted again. A reversal (CLP02 22) undoes every entry posted for the
claim from earlier remittances, by new entries that name the ones they undo.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from medbill.domain.claim_records import ClaimLineRecord
from medbill.domain.claim_states import ClaimStatus
from medbill.domain.coverage import CoverageOrder
from medbill.domain.encounters import Encounter
from medbill.domain.ledger import EntryKind, LedgerEntry, PatientShare
from medbill.domain.remittance import Adjustment, AdjustmentGroup, ClaimPayment, ServicePayment
from medbill.domain.remittance import ClaimStatus as RemitStatus

PRIOR_PAYER_IMPACT = "23"  # CARC 23: the impact of prior payer(s) adjudication including payments and adjustments

_SHARES = {"1": PatientShare.DEDUCTIBLE, "2": PatientShare.COINSURANCE, "3": PatientShare.COPAY}


@dataclass(frozen=True, slots=True, kw_only=True)
class PostingTarget:
    """The claim an 835 claim payment is posted against, as stored: who, which payer, which lines."""

    claim_id: str
    patient_control_number: str  # CLM01
    patient_id: str
    encounter_id: str
    payer_id: str
    order: CoverageOrder
    status: ClaimStatus
    date_of_service: date
    lines: tuple[ClaimLineRecord, ...]
    payer_claim_number: str | None = None
    next_coverage_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LineMatch:
    service: ServicePayment
    line: ClaimLineRecord
    how: str  # "REF*6R", "code, modifiers, date and charge", "code, date and charge (modifiers differ)"


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimPosting:
    """What posting one claim payment writes and leaves for a person."""

    entries: tuple[LedgerEntry, ...]
    matches: tuple[LineMatch, ...]
    unmatched: tuple[ServicePayment, ...]  # service payments with no line of ours: the unmatched queue
    denied_lines: tuple[tuple[ClaimLineRecord, ServicePayment], ...]  # nothing paid, nothing to the patient


def charge_entries(encounter: Encounter, at: datetime) -> list[LedgerEntry]:
    """Charge entry: each service line enters accounts receivable at its charge, owed by insurance until adjudicated."""
    return [
        LedgerEntry(
            practice_id=encounter.practice_id,
            patient_id=encounter.patient_id,
            encounter_id=encounter.id,
            line_number=line.line_number,
            kind=EntryKind.CHARGE,
            amount_cents=line.charge_cents,
            at=encounter.created_at or at,
            source="charge entry",
        )
        for line in encounter.lines
    ]


def patient_share(carc: str) -> PatientShare:
    """PR-1 deductible, PR-2 coinsurance, PR-3 copay; any other PR reason is 'other' (non-covered, …)."""
    return _SHARES.get(carc, PatientShare.OTHER)


def _service_date(service: ServicePayment, payment: ClaimPayment) -> date | None:
    for entry in (*service.dates, *payment.dates):
        if entry.qualifier in ("472", "150", "232"):
            return entry.date
    return None


def match_lines(
    payment: ClaimPayment, lines: Sequence[ClaimLineRecord]
) -> tuple[list[LineMatch], list[ServicePayment]]:
    """Pair each service payment with one of our lines (each of ours used once); the rest are unmatched."""
    free = {line.line_number: line for line in lines}
    by_lcn = {line.line_control_number: line for line in lines}
    matched: list[LineMatch] = []
    pending: list[ServicePayment] = []
    for service in payment.lines:
        line = by_lcn.get(service.line_control_number or "")
        if line is not None and line.line_number in free:
            del free[line.line_number]
            matched.append(LineMatch(service=service, line=line, how="REF*6R"))
        else:
            pending.append(service)
    unmatched: list[ServicePayment] = []
    for service in pending:
        found = _fallback(service, payment, list(free.values()))
        if found is None:
            unmatched.append(service)
            continue
        line, how = found
        del free[line.line_number]
        matched.append(LineMatch(service=service, line=line, how=how))
    return matched, unmatched


def _fallback(
    service: ServicePayment, payment: ClaimPayment, lines: list[ClaimLineRecord]
) -> tuple[ClaimLineRecord, str] | None:
    codes = {service.procedure.code}
    sent_modifiers = [frozenset(service.procedure.modifiers)]
    if service.original_procedure is not None:
        codes.add(service.original_procedure.code)
        sent_modifiers.append(frozenset(service.original_procedure.modifiers))
    day = _service_date(service, payment)

    def fits(line: ClaimLineRecord) -> bool:
        return (
            line.procedure_code in codes
            and line.charge_cents == service.charge_cents
            and (day is None or line.service_date == day)
        )

    exact = [line for line in lines if fits(line) and frozenset(line.modifiers) in sent_modifiers]
    if exact:
        return exact[0], "code, modifiers, date and charge"
    loose = [line for line in lines if fits(line)]
    if len(loose) == 1:
        return loose[0], "code, date and charge (modifiers differ)"
    return None


def spread(amount_cents: int, weights: Sequence[int]) -> list[int]:
    """Split ``amount_cents`` in proportion to ``weights`` exactly (largest remainder; ties to the earliest)."""
    if not weights:
        return []
    total = sum(weights)
    if total <= 0:
        return [amount_cents] + [0] * (len(weights) - 1)
    sign = -1 if amount_cents < 0 else 1
    magnitude = abs(amount_cents)
    shares = [magnitude * w // total for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (-(magnitude * weights[i] % total), i))
    for i in remainders[: magnitude - sum(shares)]:
        shares[i] += 1
    return [sign * s for s in shares]


class _Poster:
    def __init__(self, target: PostingTarget, *, remittance_id: str, at: datetime, source: str, practice_id: str):
        self.target = target
        self.remittance_id = remittance_id
        self.at = at
        self.source = source
        self.practice_id = practice_id
        self.entries: list[LedgerEntry] = []

    def add(
        self,
        line: ClaimLineRecord,
        kind: EntryKind,
        cents: int,
        *,
        adjustment: Adjustment | None = None,
        remarks: tuple[str, ...] = (),
        note: str = "",
    ) -> None:
        if cents == 0:
            return
        share = None
        if adjustment is not None and kind is EntryKind.TRANSFER_TO_PATIENT:
            share = patient_share(adjustment.carc)
        self.entries.append(
            LedgerEntry(
                practice_id=self.practice_id,
                patient_id=self.target.patient_id,
                encounter_id=self.target.encounter_id,
                line_number=line.line_number,
                claim_id=self.target.claim_id,
                payer_id=self.target.payer_id,
                remittance_id=self.remittance_id,
                kind=kind,
                amount_cents=cents,
                at=self.at,
                group_code=adjustment.group.value if adjustment else None,
                reason_code=adjustment.carc if adjustment else None,
                remark_codes=remarks,
                patient_share=share,
                source=f"{self.source}{note}",
            )
        )

    def deny(self, line: ClaimLineRecord, adjustment: Adjustment, remarks: tuple[str, ...], note: str = "") -> None:
        """A refusal kept as data (kind DENIAL moves no money)."""
        if adjustment.group is AdjustmentGroup.PATIENT_RESPONSIBILITY:
            return
        self.add(line, EntryKind.DENIAL, adjustment.amount_cents, adjustment=adjustment, remarks=remarks, note=note)

    def adjust(self, line: ClaimLineRecord, adjustment: Adjustment, remarks: tuple[str, ...], note: str = "") -> None:
        if self.target.order is not CoverageOrder.PRIMARY and adjustment.carc == PRIOR_PAYER_IMPACT:
            return
        kind = {
            AdjustmentGroup.CONTRACTUAL: EntryKind.CONTRACTUAL_ADJUSTMENT,
            AdjustmentGroup.PATIENT_RESPONSIBILITY: EntryKind.TRANSFER_TO_PATIENT,
        }.get(adjustment.group, EntryKind.OTHER_ADJUSTMENT)
        self.add(line, kind, adjustment.amount_cents, adjustment=adjustment, remarks=remarks, note=note)


def _remarks(service: ServicePayment | None, payment: ClaimPayment) -> tuple[str, ...]:
    codes: list[str] = []
    if service is not None:
        codes.extend(r.code for r in service.remarks)
    return tuple(codes)


def _claim_remarks(payment: ClaimPayment) -> tuple[str, ...]:
    """MOA/MIA remark codes (MOA03–MOA07, MIA05, MIA20–MIA23) as sent."""
    found: list[str] = []
    for i, value in enumerate(payment.outpatient):
        if i in (2, 3, 4, 5, 6) and value:
            found.append(value)
    for i, value in enumerate(payment.inpatient):
        if i in (4, 19, 20, 21, 22) and value:
            found.append(value)
    return tuple(found)


def interest_cents(payment: ClaimPayment) -> int:
    """AMT*I claim interest."""
    return sum(a.amount_cents for a in payment.amounts if a.qualifier == "I")


def line_denied(service: ServicePayment) -> bool:
    """Nothing paid and nothing left to the patient: the payer refused the line (CO/OA/PI reasons only). A line a
    secondary payer zeroes only because the prior payer covered it (CARC 23) is settled, not denied."""
    to_patient = sum(a.amount_cents for a in service.adjustments if a.group is AdjustmentGroup.PATIENT_RESPONSIBILITY)
    refused = any(a.amount_cents > 0 and a.carc != PRIOR_PAYER_IMPACT for a in service.adjustments)
    return service.paid_cents == 0 and to_patient == 0 and refused


def post_claim_payment(
    payment: ClaimPayment,
    target: PostingTarget,
    *,
    practice_id: str,
    remittance_id: str,
    at: datetime,
    source: str,
    earlier: Iterable[LedgerEntry] = (),
) -> ClaimPosting:
    """The entries that post ``payment`` against ``target``; ``earlier`` are the claim's entries already posted
    (a reversal undoes those that came from remittances and are not yet undone)."""
    poster = _Poster(target, remittance_id=remittance_id, at=at, source=source, practice_id=practice_id)
    if payment.status is RemitStatus.REVERSAL:
        earlier = list(earlier)
        undone = {e.reverses for e in earlier if e.reverses}
        for entry in earlier:
            if entry.remittance_id and entry.reverses is None and entry.id not in undone:
                poster.entries.append(entry.reversal(at=at, source=f"{source} reversal", remittance_id=remittance_id))
        return ClaimPosting(entries=tuple(poster.entries), matches=(), unmatched=(), denied_lines=())

    claim_remarks = _claim_remarks(payment)
    if payment.lines:
        matches, unmatched = match_lines(payment, target.lines)
        denied = tuple((m.line, m.service) for m in matches if line_denied(m.service))
        refused = {line.line_number for line, _ in denied}
        for match in matches:
            if match.line.line_number in refused:
                # a denied line stays owed by insurance until the biller works the denial; the refusal is kept
                for adjustment in match.service.adjustments:
                    poster.deny(match.line, adjustment, _remarks(match.service, payment) + claim_remarks)
                continue
            remarks = _remarks(match.service, payment) + claim_remarks
            poster.add(match.line, EntryKind.PAYER_PAYMENT, match.service.paid_cents, remarks=remarks)
            for adjustment in match.service.adjustments:
                poster.adjust(match.line, adjustment, remarks)
        lines_for_claim_level = [m.line for m in matches if m.line.line_number not in refused]
    else:
        # no SVC loops: the claim's payment and adjustments are spread over all our lines by charge (a whole-claim
        # denial posts nothing: the charge stays owed by insurance until the biller works the denial)
        matches, unmatched = [], []
        whole_claim_denied = payment.status is RemitStatus.DENIED or (
            payment.paid_cents == 0 and not payment.patient_responsibility_cents
        )
        lines_for_claim_level = [] if whole_claim_denied else list(target.lines)
        if whole_claim_denied:
            weights = [line.charge_cents for line in target.lines]
            for adjustment in payment.adjustments:
                for line, cents in zip(target.lines, spread(adjustment.amount_cents, weights), strict=True):
                    part = Adjustment(group=adjustment.group, carc=adjustment.carc, amount_cents=cents)
                    poster.deny(line, part, claim_remarks, note=" (claim level)")
        for line, cents in zip(
            lines_for_claim_level,
            spread(payment.paid_cents - interest_cents(payment), [li.charge_cents for li in lines_for_claim_level]),
            strict=True,
        ):
            poster.add(line, EntryKind.PAYER_PAYMENT, cents, remarks=claim_remarks, note=" (claim level)")
        denied = ()
    weights = [line.charge_cents for line in lines_for_claim_level]
    for adjustment in payment.adjustments:
        if not lines_for_claim_level:
            break
        for line, cents in zip(lines_for_claim_level, spread(adjustment.amount_cents, weights), strict=True):
            part = Adjustment(group=adjustment.group, carc=adjustment.carc, amount_cents=cents)
            poster.adjust(line, part, claim_remarks, note=" (claim level)")
    interest = interest_cents(payment)
    if interest and (lines_for_claim_level or target.lines):
        first = (lines_for_claim_level or list(target.lines))[0]
        poster.add(first, EntryKind.INTEREST, interest, note=" (AMT*I interest)")
    return ClaimPosting(
        entries=tuple(poster.entries),
        matches=tuple(matches),
        unmatched=tuple(unmatched),
        denied_lines=denied,
    )


def back_to_insurance(entries: Iterable[LedgerEntry], *, at: datetime, source: str) -> list[LedgerEntry]:
    """What ``entries`` left on the patient, per line, moved back to insurance (a next payer is billed for it)."""
    owed: dict[tuple[str, int], int] = {}
    first: dict[tuple[str, int], LedgerEntry] = {}
    for entry in entries:
        if entry.kind is EntryKind.TRANSFER_TO_PATIENT:
            owed[entry.line_key] = owed.get(entry.line_key, 0) + entry.amount_cents
        elif entry.kind is EntryKind.TRANSFER_TO_INSURANCE:
            owed[entry.line_key] = owed.get(entry.line_key, 0) - entry.amount_cents
        else:
            continue
        first.setdefault(entry.line_key, entry)
    return [
        LedgerEntry(
            practice_id=first[key].practice_id,
            patient_id=first[key].patient_id,
            encounter_id=key[0],
            line_number=key[1],
            claim_id=first[key].claim_id,
            payer_id=first[key].payer_id,
            remittance_id=first[key].remittance_id,
            kind=EntryKind.TRANSFER_TO_INSURANCE,
            amount_cents=cents,
            at=at,
            source=source,
        )
        for key, cents in owed.items()
        if cents > 0
    ]
