"""The sandbox payer's denial rules: each finds why a line is not paid, with a real group code, CARC and RARC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from medbill.adapters.clearinghouse.sandbox.config import MemberPlan, SandboxPayer
from medbill.codesets.ncci import ptp
from medbill.codesets.pfs import fee_schedule
from medbill.domain.claims import Claim, ClaimKind, ServiceLine
from medbill.domain.money import Money
from medbill.domain.pricing import NotPriced, row_modifier
from medbill.domain.remittance import AdjustmentGroup

# NCCI-associated modifiers that may bypass a PTP edit whose modifier indicator is 1 (NCCI Policy Manual, ch. I).
NCCI_BYPASS = frozenset(
    {"59", "XE", "XP", "XS", "XU", "24", "25", "57", "58", "78", "79", "27", "91", "LT", "RT", "LC", "LD", "RC"}
    | {"LM", "RI", "E1", "E2", "E3", "E4", "FA", "TA"}
    | {f"F{n}" for n in range(1, 10)}
    | {f"T{n}" for n in range(1, 10)}
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Denial:
    """Why a line pays nothing: CAS group and CARC, the RARC (LQ*HE) that explains it, and a claim-level remark."""

    group: AdjustmentGroup
    carc: str
    rarc: str | None = None
    claim_remark: str | None = None  # MOA remark for the whole claim (MA130: unprocessable, resubmit)


NON_COVERED = Denial(group=AdjustmentGroup.CONTRACTUAL, carc="96", rarc="N130")  # plan exclusion
STATUTORY_EXCLUSION = Denial(group=AdjustmentGroup.CONTRACTUAL, carc="96", rarc="N425")
ALWAYS_BUNDLED = Denial(group=AdjustmentGroup.CONTRACTUAL, carc="97", rarc="M15")
BEFORE_COVERAGE = Denial(group=AdjustmentGroup.CONTRACTUAL, carc="26")
AFTER_COVERAGE = Denial(group=AdjustmentGroup.CONTRACTUAL, carc="27")
TIMELY_FILING = Denial(group=AdjustmentGroup.CONTRACTUAL, carc="29")
# CARC 18's own usage note: "Use only with Group Code OA" (CO only under some workers' compensation rules).
DUPLICATE = Denial(group=AdjustmentGroup.OTHER, carc="18")
NO_DIAGNOSIS = Denial(group=AdjustmentGroup.CONTRACTUAL, carc="16", rarc="M76", claim_remark="MA130")
BAD_PROCEDURE = Denial(group=AdjustmentGroup.CONTRACTUAL, carc="16", rarc="M51", claim_remark="MA130")
INVALID_FOR_PAYER = Denial(group=AdjustmentGroup.CONTRACTUAL, carc="16", rarc="N56", claim_remark="MA130")
NCCI_MODIFIER_MISSING = Denial(group=AdjustmentGroup.CONTRACTUAL, carc="97", rarc="M15")
NCCI_NEVER_SEPARATE = Denial(group=AdjustmentGroup.CONTRACTUAL, carc="234", rarc="N20")

_BY_STATUS = {"X": STATUTORY_EXCLUSION, "N": NON_COVERED, "E": NON_COVERED, "B": ALWAYS_BUNDLED, "P": ALWAYS_BUNDLED}


def service_date(claim: Claim, line: ServiceLine) -> date | None:
    """The line's date of service, else the claim's statement or service date."""
    if line.service_date is not None:
        return line.service_date
    return next((d.start for d in claim.dates if d.qualifier in ("472", "434")), None)


def eligibility_denial(member: MemberPlan, dos: date | None) -> Denial | None:
    """CO-26 before coverage began, CO-27 after it ended (the member's termination date is the last covered day)."""
    if dos is None:
        return None
    if member.effective is not None and dos < member.effective:
        return BEFORE_COVERAGE
    if member.terminated is not None and dos > member.terminated:
        return AFTER_COVERAGE
    return None


def timely_filing_denial(payer: SandboxPayer, dos: date | None, received: date) -> Denial | None:
    """CO-29 when the claim arrives more than the payer's filing limit after the date of service."""
    if dos is not None and (received - dos).days > payer.timely_filing_days:
        return TIMELY_FILING
    return None


def line_fee(payer: SandboxPayer, claim: Claim, line: ServiceLine) -> int | Denial:
    """The payer's allowed amount for the line (before the charge caps it), or the denial when it has none.

    837I lines are paid a percent of charge; professional lines at the payer's own fee for codes outside the PFS
    (lab, supplies), else the PFS amount for the payer's locality (times the commercial percent).
    """
    if claim.kind is ClaimKind.INSTITUTIONAL:
        return Money(line.charge_cents).percent(payer.institutional_percent).cents
    if not claim.diagnoses or (claim.kind is ClaimKind.PROFESSIONAL and not line.diagnosis_pointers):
        return NO_DIAGNOSIS
    if line.procedure is None or not line.procedure.code.strip():
        return BAD_PROCEDURE
    code = line.procedure.code.strip().upper()
    if code in payer.non_covered:
        return NON_COVERED
    if code in payer.fees:
        return Money(payer.fees[code]).scaled(line.units).cents
    pfs = fee_schedule()
    locality = pfs.locality(payer.locality)
    if locality is None:
        raise ValueError(f"sandbox payer {payer.payer_id}: locality {payer.locality} is not in the GPCI file")
    pos = line.place_of_service or claim.facility_code
    try:
        found = pfs.price(code, line.procedure.modifiers, locality, pos, units=line.units, percent=payer.percent)
    except NotPriced:
        row = pfs.row(code, row_modifier(line.procedure.modifiers))
        if row is None:
            return BAD_PROCEDURE
        return _BY_STATUS.get(row.status, INVALID_FOR_PAYER)
    return found.amount_cents


def ncci_denials(claim: Claim, candidates: list[int]) -> dict[int, Denial]:
    """Column-2 lines of an NCCI PTP pair billed with their column-1 code on the same date (indexes into lines).

    Modifier indicator 0: never paid separately (CO-234, N20). Indicator 1 without an NCCI-associated modifier on
    either line: bundled (CO-97, M15). The pairs are the I/OCE's (see codesets/ncci.py): close to, not the same as,
    the practitioner table.
    """
    table = ptp()
    denied: dict[int, Denial] = {}
    for a in candidates:
        for b in candidates:
            if a >= b or a in denied or b in denied:
                continue
            la, lb = claim.lines[a], claim.lines[b]
            if la.procedure is None or lb.procedure is None:
                continue
            dos = service_date(claim, la)
            if dos is None or dos != service_date(claim, lb):
                continue
            edit = table.edit_on(la.procedure.code, lb.procedure.code, dos)
            if edit is None:
                continue
            column2 = b if lb.procedure.code.strip().upper() == edit.column2 else a
            if not edit.modifier_allowed:
                denied[column2] = NCCI_NEVER_SEPARATE
            elif not (NCCI_BYPASS & {m.upper() for m in (*la.procedure.modifiers, *lb.procedure.modifiers)}):
                denied[column2] = NCCI_MODIFIER_MISSING
    return denied


def duplicate_key(payer: SandboxPayer, member_id: str, claim: Claim, line: ServiceLine) -> str:
    """What makes two lines the same service: payer, member, code and modifiers, date, units and charge."""
    proc = line.procedure
    code = f"{proc.code}:{':'.join(proc.modifiers)}" if proc else f"rev{line.revenue_code}"
    units = Decimal(line.units).normalize()
    return f"{payer.payer_id}|{member_id}|{code}|{service_date(claim, line)}|{units}|{line.charge_cents}"
