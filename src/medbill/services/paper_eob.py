"""Posting a paper EOB: for payers that still mail explanations of benefits and checks.

A biller keys what the EOB says for each line (paid, and each adjustment by group and CARC); medbill turns it into
the 835 the payer would have sent and imports that through the same path as an electronic remittance. So a paper
posting has the same typed entries, the same balancing (each line's charge = paid + adjustments), the same queues,
and the same idempotency (the check number is the trace number) — and the file is kept with the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from medbill.domain.claims import EntityType, NamedEntity, ProcedureCode
from medbill.domain.errors import ValidationError
from medbill.domain.remittance import (
    Adjustment,
    AdjustmentGroup,
    ClaimPayment,
    DateEntry,
    Payment,
    Remittance,
    ServicePayment,
)
from medbill.domain.remittance import ClaimStatus as RemitStatus
from medbill.domain.users import Actor, Permission
from medbill.formats import x12
from medbill.services.base import Deps
from medbill.services.posting import DEFAULT_UNDERPAYMENT_TOLERANCE_CENTS, ImportReport, import_remittance

_GROUPS = {g.value: g for g in AdjustmentGroup}


@dataclass(frozen=True, slots=True, kw_only=True)
class EobLine:
    """One line of the EOB: our line number, what the payer paid, and its adjustments ("CO-45" → cents)."""

    line_number: int
    paid_cents: int
    adjustments: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class PaperEob:
    claim_id: str  # our claim: its CLM01 (as the EOB prints it) or its record id
    check_number: str
    paid_on: date
    lines: tuple[EobLine, ...]
    payer_claim_number: str | None = None
    denied: bool = False  # the EOB says the claim is denied (CLP02 4)


def _adjustment(code: str, cents: int, where: str) -> Adjustment:
    group, _, carc = code.strip().upper().partition("-")
    if group not in _GROUPS or not carc.isalnum() or len(carc) > 5:
        raise ValidationError(
            f"write adjustments as GROUP-CARC, e.g. CO-45 or PR-2 (group CO, PR, OA or PI), not {code!r}", field=where
        )
    return Adjustment(group=_GROUPS[group], carc=carc, amount_cents=cents)


def eob_remittance(deps: Deps, actor: Actor, eob: PaperEob) -> Remittance:
    """The 835 the payer would have sent for this EOB, built from our claim; refuses a line that does not add up."""
    if not eob.check_number.strip():
        raise ValidationError("the check number is the EOB's trace number: enter it", field="check_number")
    with deps.uow() as uow:
        found = uow.claims.by_control_number(actor.practice_id, eob.claim_id)  # CLM01, as the EOB prints it
        claim = found if found is not None else uow.claims.get(actor.practice_id, eob.claim_id)
        payer = uow.payers.get(actor.practice_id, claim.payer_id)
    ours = {line.line_number: line for line in claim.lines}
    services: list[ServicePayment] = []
    for i, entered in enumerate(eob.lines):
        where = f"lines[{i + 1}]"
        line = ours.get(entered.line_number)
        if line is None:
            raise ValidationError(
                f"claim {claim.patient_control_number} has no line {entered.line_number}", field=where
            )
        adjustments = tuple(_adjustment(code, cents, f"{where}.adjustments") for code, cents in entered.adjustments)
        difference = line.charge_cents - entered.paid_cents - sum(a.amount_cents for a in adjustments)
        if difference:
            raise ValidationError(
                f"line {entered.line_number} charged {line.charge_cents} cents; paid plus adjustments leave "
                f"{difference} cents unexplained",
                field=where,
            )
        services.append(
            ServicePayment(
                procedure=ProcedureCode(qualifier="HC", code=line.procedure_code, modifiers=line.modifiers),
                charge_cents=line.charge_cents,
                paid_cents=entered.paid_cents,
                adjustments=adjustments,
                line_control_number=line.line_control_number,
                dates=(DateEntry(qualifier="472", date=line.service_date),),
            )
        )
    if not services:
        raise ValidationError("enter at least one line of the EOB", field="lines")
    paid = sum(s.paid_cents for s in services)
    patient = sum(
        a.amount_cents for s in services for a in s.adjustments if a.group is AdjustmentGroup.PATIENT_RESPONSIBILITY
    )
    payment = ClaimPayment(
        claim_id=claim.patient_control_number,
        status=RemitStatus.DENIED if eob.denied else RemitStatus.PRIMARY,
        charge_cents=sum(s.charge_cents for s in services),
        paid_cents=paid,
        patient_responsibility_cents=patient,
        filing_indicator=claim.document.subscriber.filing_indicator or "CI",
        payer_claim_number=eob.payer_claim_number,
        lines=tuple(services),
    )
    return Remittance(
        payment=Payment(
            handling="I" if paid else "H",
            amount_cents=paid,
            credit_debit="C",
            method="CHK" if paid else "NON",
            date=eob.paid_on,
            trace_number=eob.check_number.strip(),
            originator_id=f"1{payer.payer_id}"[:10],
        ),
        payer=NamedEntity(role="PR", entity_type=EntityType.ORGANIZATION, name=payer.name, identifier=payer.payer_id),
        payee=NamedEntity(
            role="PE",
            entity_type=EntityType.ORGANIZATION,
            name=claim.document.billing_provider.name,
            id_qualifier="XX",
            identifier=claim.document.billing_provider.identifier,
        ),
        claims=(payment,),
    )


def post_paper_eob(
    deps: Deps,
    actor: Actor,
    eob: PaperEob,
    *,
    dry_run: bool = False,
    tolerance_cents: int = DEFAULT_UNDERPAYMENT_TOLERANCE_CENTS,
) -> ImportReport:
    """Post a paper EOB exactly as an 835 would post (see the module docstring)."""
    actor.require(Permission.REMITTANCE_POST)
    remittance = eob_remittance(deps, actor, eob)
    envelope = x12.Envelope(
        sender_id="PAPEREOB",
        receiver_id="MEDBILL",
        interchange_control_number=1,
        group_control_number=1,
        created=datetime.combine(eob.paid_on, datetime.min.time(), tzinfo=UTC),
    )
    data = x12.write_835([remittance], envelope).encode()
    return import_remittance(
        deps,
        actor,
        data,
        file_name=f"paper-eob-{eob.check_number.strip()}.835",
        dry_run=dry_run,
        tolerance_cents=tolerance_cents,
    )


def parse_lines(specs: Sequence[str]) -> tuple[EobLine, ...]:
    """EOB lines typed as ``1:paid=65.00,CO-45=20.00,PR-3=25.00`` (the CLI's form)."""
    from medbill.domain.money import parse_cents

    lines: list[EobLine] = []
    for i, spec in enumerate(specs, 1):
        where = f"lines[{i}]"
        number, _, rest = spec.partition(":")
        if not number.strip().isdigit() or not rest:
            raise ValidationError(f"write a line as N:paid=65.00,CO-45=20.00, not {spec!r}", field=where)
        paid = 0
        adjustments: list[tuple[str, int]] = []
        for part in rest.split(","):
            key, _, value = part.partition("=")
            cents = parse_cents(value.strip(), field=where)
            if key.strip().lower() == "paid":
                paid = cents
            else:
                adjustments.append((key.strip(), cents))
        lines.append(EobLine(line_number=int(number), paid_cents=paid, adjustments=tuple(adjustments)))
    return tuple(lines)
