"""Coordination of benefits: the claim to the next payer (secondary, tertiary) built from the previous payer's 835.

The previous payer moves from the subscriber loop into the other-payer loops (837P 2320/2330A/2330B) with what it
paid (AMT*D = CLP04) and its claim-level adjustments (CAS exactly as the CLP-level CAS), and every service line gets
the payer's line adjudication (2430 SVD/CAS/DTP*573) from the matching 835 service line. The 837P guide's COB
balancing (section 1.4.1.3, RFIs 524 and 1115) holds to the cent for every other payer:

- line:  SV102 − Σ 2430 CAS = Σ SVD02
- payer: Σ SVD02 − Σ 2320 CAS = AMT*D
- claim: CLM02 − Σ 2320 CAS − Σ 2430 CAS = AMT*D

An advice that does not balance (835 guide 1.10.2) is refused rather than forwarded, because the next payer would
reject the claim. When the previous payer forwarded the claim itself (a crossover) no claim is to be sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from medbill.domain.claim_records import line_control_number
from medbill.domain.claims import (
    Claim,
    ClaimAdjustment,
    ClaimFrequency,
    Insured,
    LineAdjudication,
    Patient,
    ServiceLine,
)
from medbill.domain.errors import ValidationError
from medbill.domain.remittance import (
    Adjustment,
    ClaimPayment,
    ClaimStatus,
    ServicePayment,
    claim_balance_cents,
    line_balance_cents,
)

# SBR01 payer responsibility sequence: the n-th payer to adjudicate the claim (P S T, then A…H for 4th to 11th)
RESPONSIBILITY_SEQUENCE = "PSTABCDEFGH"

# CLP02: processed and forwarded to the next payer by the payer itself (23: not ours, forwarded)
_FORWARDED = frozenset(
    {
        ClaimStatus.PRIMARY_FORWARDED,
        ClaimStatus.SECONDARY_FORWARDED,
        ClaimStatus.TERTIARY_FORWARDED,
        ClaimStatus.NOT_OUR_CLAIM_FORWARDED,
    }
)
_NOT_ADJUDICATED = {
    ClaimStatus.REVERSAL: "it reverses an earlier payment (CLP02 22)",
    ClaimStatus.PREDETERMINATION_ONLY: "it is a predetermination, not a payment (CLP02 25)",
}


# --- crossover ------------------------------------------------------------------------------------------------


def is_crossover(payment: ClaimPayment) -> bool:
    """True when the payer forwarded the claim to the next payer itself (835 2100 NM1*TT, or CLP02 19/20/21/23):
    sending our own claim to that payer would be a duplicate."""
    return payment.status in _FORWARDED or payment.entity("TT") is not None


def crossover_payer_name(payment: ClaimPayment) -> str | None:
    """The payer the claim was forwarded to (835 2100 NM1*TT NM103), when the advice names it."""
    carrier = payment.entity("TT")
    return carrier.name if carrier is not None and carrier.name else None


# --- line matching ------------------------------------------------------------------------------------------------


def _as_sent(service: ServicePayment) -> tuple[str, tuple[str, ...]]:
    """The procedure code and modifiers we sent: SVC06 when the payer changed the code, else SVC01."""
    sent = service.original_procedure or service.procedure
    return sent.code, tuple(sorted(sent.modifiers))


def _line_key(line: ServiceLine) -> tuple[str, tuple[str, ...]]:
    if line.procedure is None:
        return line.revenue_code or "", ()
    return line.procedure.code, tuple(sorted(line.procedure.modifiers))


def match_service_payments(claim: Claim, payment: ClaimPayment) -> dict[int, list[ServicePayment]]:
    """The 835 service lines of each claim line (by LX number): by REF*6R, else by code, modifiers and charge.

    A line the payer unbundled gets several service payments (same REF*6R). Raises ValidationError when a service
    payment matches no line, or a line has no service payment.
    """
    by_lcn = {line.line_control_number: line for line in claim.lines if line.line_control_number}
    found: dict[int, list[ServicePayment]] = {line.number: [] for line in claim.lines}
    pending: list[tuple[int, ServicePayment]] = []
    for index, service in enumerate(payment.lines):
        line = by_lcn.get(service.line_control_number or "")
        if line is not None:
            found[line.number].append(service)
        else:
            pending.append((index, service))
    for index, service in pending:
        wanted = (*_as_sent(service), service.charge_cents)
        line = next(
            (ln for ln in claim.lines if not found[ln.number] and (*_line_key(ln), ln.charge_cents) == wanted), None
        )
        if line is None:
            code, modifiers = _as_sent(service)
            shown = ":".join((code, *modifiers))
            raise ValidationError(
                f"service line {index + 1} of the 835 ({shown}, charge {service.charge_cents} cents, REF*6R "
                f"{service.line_control_number or 'missing'}) matches no line of claim {claim.patient_control_number}",
                field=f"payment.lines[{index}]",
            )
        found[line.number].append(service)
    for n, services in found.items():
        if not services:
            raise ValidationError(
                f"line {n} of claim {claim.patient_control_number} has no service line in the 835: the payer's "
                "adjudication of it is needed for the next payer (2430 SVD)",
                field=f"lines[{n - 1}]",
            )
    return found


# --- building -----------------------------------------------------------------------------------------------------


def _grouped(adjustments: Iterable[Adjustment]) -> tuple[ClaimAdjustment, ...]:
    """The CAS reasons as the payer reported them, gathered by group code (one CAS segment per group)."""
    groups: dict[str, list[ClaimAdjustment]] = {}
    for a in adjustments:
        groups.setdefault(a.group.value, []).append(
            ClaimAdjustment(group=a.group.value, carc=a.carc, amount_cents=a.amount_cents, quantity=a.quantity)
        )
    return tuple(a for items in groups.values() for a in items)


def _check_payment(claim: Claim, payment: ClaimPayment) -> None:
    pcn = claim.patient_control_number
    if payment.claim_id.strip() != pcn:
        raise ValidationError(
            f"the payment is for claim {payment.claim_id} (CLP01), not for claim {pcn}",
            field="payment.claim_id",
        )
    if payment.status in _NOT_ADJUDICATED:
        raise ValidationError(
            f"the payment cannot be forwarded to the next payer: {_NOT_ADJUDICATED[payment.status]}",
            field="payment.status",
        )
    if payment.charge_cents != claim.total_charge_cents:
        raise ValidationError(
            f"the 835 reports a charge of {payment.charge_cents} cents (CLP03) for claim {pcn}, which charged "
            f"{claim.total_charge_cents}: the next payer's claim would not balance",
            field="payment.charge_cents",
        )
    off = claim_balance_cents(payment)
    if off:
        raise ValidationError(
            f"the 835 for claim {pcn} does not balance (CLP03 − ΣCAS − CLP04 is {off} cents): ask the payer for a "
            "corrected advice before billing the next payer",
            field="payment",
        )
    for index, service in enumerate(payment.lines):
        loff = line_balance_cents(service)
        if loff:
            raise ValidationError(
                f"service line {index + 1} of the 835 does not balance (SVC02 − ΣCAS − SVC03 is {loff} cents)",
                field=f"payment.lines[{index}]",
            )


def _line_adjudications(
    line: ServiceLine, services: list[ServicePayment], payer_id: str, adjudicated_on: date
) -> tuple[LineAdjudication, ...]:
    charged = sum(s.charge_cents for s in services)
    if charged != line.charge_cents:
        raise ValidationError(
            f"line {line.number} charged {line.charge_cents} cents but the 835 reports {charged} (SVC02) for it",
            field=f"lines[{line.number - 1}]",
        )
    return tuple(
        LineAdjudication(
            payer_identifier=payer_id,  # SVD01 = 2330B NM109
            paid_cents=s.paid_cents,  # SVD02
            procedure=s.procedure,  # SVD03 as adjudicated (SVC01)
            paid_units=s.units,  # SVD05 (SVC05, 1 when not sent)
            adjustments=_grouped(s.adjustments),  # 2430 CAS
            adjudication_date=adjudicated_on,  # 2430 DTP*573
        )
        for s in services
    )


def _other_payer(claim: Claim, payment: ClaimPayment, *, with_lines: bool, adjudicated_on: date) -> Insured:
    """The payer that adjudicated ``claim`` as a 2320/2330A/2330B loop."""
    was = claim.subscriber
    relationship = was.relationship or (claim.patient.relationship if claim.patient is not None else "18")
    extra: list[tuple[str, ...]] = []
    if any(payment.outpatient):
        extra.append(("MOA", *payment.outpatient))  # 2320 MOA: the payer's outpatient adjudication remarks
    if claim.prior_authorization:
        extra.append(("REF", "G1", claim.prior_authorization))  # 2330B other payer prior authorization number
    return Insured(
        responsibility=was.responsibility,  # 2320 SBR01
        relationship=relationship,  # 2320 SBR02 (required: the patient's relationship to that insured)
        group_number=was.group_number,
        group_name=was.group_name,
        filing_indicator=was.filing_indicator,  # 2320 SBR09
        subscriber=was.subscriber,  # 2330A
        payer=was.payer,  # 2330B
        paid_cents=payment.paid_cents,  # 2320 AMT*D = CLP04
        adjustments=_grouped(payment.adjustments),  # 2320 CAS = the CLP-level CAS
        # 2330B DTP*573 only when no 2430 DTP*573 carries the date (837P guide situational rule)
        adjudication_date=None if with_lines else adjudicated_on,
        benefits_assigned=claim.benefits_assigned,  # OI03
        release_of_information=claim.release_of_information,  # OI06
        extra=tuple(extra),
    )


def secondary_claim(
    primary: Claim,
    payment: ClaimPayment,
    *,
    patient_control_number: str,
    next_insured: Insured,
    next_patient: Patient | None,
    adjudicated_on: date,
) -> Claim:
    """The claim to the next payer after ``payment`` adjudicated ``primary`` (which may itself be a secondary claim).

    ``next_insured`` and ``next_patient`` are the 2000B/2010BA/2010BB and 2000C loops for the next payer's coverage;
    SBR01 is set from the number of payers that have adjudicated the claim (S second, T third). ``adjudicated_on``
    is the previous payer's adjudication or payment date (DTP*573). Raises ValidationError when the payment is not
    this claim's, does not balance, or a line cannot be matched.
    """
    _check_payment(primary, payment)
    payer_id = primary.subscriber.payer.identifier
    if not payer_id:
        raise ValidationError(
            "the adjudicating payer has no payer ID (2010BB NM109): 2330B and SVD01 need it", field="payer_id"
        )
    position = len(primary.other_insurance) + 1
    if position >= len(RESPONSIBILITY_SEQUENCE):
        raise ValidationError("an 837 names at most eleven payers (SBR01 P … H)", field="next_insured")
    with_lines = bool(payment.lines)
    matched = match_service_payments(primary, payment) if with_lines else {}
    lines = tuple(
        replace(
            line,
            line_control_number=line_control_number(patient_control_number, line.number),
            other_payer_adjudications=(
                *line.other_payer_adjudications,
                *_line_adjudications(line, matched[line.number], payer_id, adjudicated_on),
            )
            if with_lines
            else line.other_payer_adjudications,
        )
        for line in primary.lines
    )
    moved = _other_payer(primary, payment, with_lines=with_lines, adjudicated_on=adjudicated_on)
    claim = replace(
        primary,
        patient_control_number=patient_control_number,  # CLM01: a claim of its own
        frequency=ClaimFrequency.ORIGINAL,  # original to the next payer, whatever it was to the previous one
        original_claim_number=None,
        prior_authorization=None,  # the previous payer's number moves to 2330B REF*G1
        subscriber=replace(next_insured, responsibility=RESPONSIBILITY_SEQUENCE[position]),
        patient=next_patient,
        other_insurance=(*primary.other_insurance, moved),
        lines=lines,
    )
    errors = cob_balancing_errors(claim)
    if errors:  # cannot happen with a balanced advice matched line by line; kept as the guide's own check
        raise ValidationError("; ".join(errors), field="payment")
    return claim


# --- balancing ----------------------------------------------------------------------------------------------------


def cob_balancing_errors(claim: Claim) -> list[str]:
    """Every 837P COB balancing rule the claim breaks, per other payer, in words; empty when it balances."""
    errors: list[str] = []
    for other in claim.other_insurance:
        payer_id = other.payer.identifier
        name = f"other payer {payer_id}"
        claim_cas = sum(a.amount_cents for a in other.adjustments)
        paid = other.paid_cents or 0
        adjudications = [
            (line, [a for a in line.other_payer_adjudications if a.payer_identifier == payer_id])
            for line in claim.lines
        ]
        if not any(found for _, found in adjudications):
            if claim.total_charge_cents - claim_cas != paid:
                errors.append(f"{name}: CLM02 − Σ2320 CAS is {claim.total_charge_cents - claim_cas}, AMT*D is {paid}")
            continue
        svd = 0
        line_cas = 0
        for line, found in adjudications:
            line_paid = sum(a.paid_cents for a in found)
            adjusted = sum(x.amount_cents for a in found for x in a.adjustments)
            svd += line_paid
            line_cas += adjusted
            if line.charge_cents - adjusted != line_paid:
                errors.append(
                    f"{name}: line {line.number} SV102 − Σ2430 CAS is {line.charge_cents - adjusted}, "
                    f"ΣSVD02 is {line_paid}"
                )
        if svd - claim_cas != paid:
            errors.append(f"{name}: ΣSVD02 − Σ2320 CAS is {svd - claim_cas}, AMT*D is {paid}")
        if claim.total_charge_cents - claim_cas - line_cas != paid:
            errors.append(
                f"{name}: CLM02 − Σ2320 CAS − Σ2430 CAS is {claim.total_charge_cents - claim_cas - line_cas}, "
                f"AMT*D is {paid}"
            )
    return errors
