"""Transactions as JSON-ready dictionaries: amounts as decimal strings ("123.40"), codes as sent, never floats."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from medbill.domain.acknowledgements import (
    ClaimAcknowledgement,
    ClaimStatusRequest,
    FunctionalAcknowledgement,
    InterchangeAcknowledgement,
    StatusInfo,
)
from medbill.domain.claims import Claim, ClaimBatch, NamedEntity, ProcedureCode, ServiceLine
from medbill.domain.eligibility import EligibilityRequest, EligibilityResponse
from medbill.domain.money import Money
from medbill.domain.remittance import Adjustment, ClaimPayment, Remittance, ServicePayment
from medbill.formats.x12.eligibility_json import eligibility_request_json, eligibility_response_json
from medbill.formats.x12.reader import Transaction

Json = dict[str, Any]


def _money(cents: int | None) -> str | None:
    return None if cents is None else str(Money(cents))


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _num(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _entity(e: NamedEntity | None) -> Json | None:
    if e is None:
        return None
    return {
        "role": e.role,
        "name": e.name,
        "first_name": e.first_name,
        "id_qualifier": e.id_qualifier,
        "identifier": e.identifier,
    }


def _procedure(p: ProcedureCode | None) -> str | None:
    return None if p is None else p.code


def _adjustment(a: Adjustment) -> Json:
    return {"group": a.group.value, "reason": a.carc, "amount": _money(a.amount_cents)}


def _service_payment(s: ServicePayment) -> Json:
    return {
        "procedure": s.procedure.code,
        "qualifier": s.procedure.qualifier,
        "modifiers": list(s.procedure.modifiers),
        "original_procedure": _procedure(s.original_procedure),
        "revenue_code": s.revenue_code,
        "charge": _money(s.charge_cents),
        "paid": _money(s.paid_cents),
        "allowed": _money(s.allowed_cents),
        "units": _num(s.units),
        "line_control_number": s.line_control_number,
        "service_dates": [_day(d.date) for d in s.dates],
        "adjustments": [_adjustment(a) for a in s.adjustments],
        "remarks": [r.code for r in s.remarks],
    }


def _claim_payment(c: ClaimPayment) -> Json:
    patient = c.entity("QC")
    return {
        "claim_id": c.claim_id,
        "status": c.status.value,
        "charge": _money(c.charge_cents),
        "paid": _money(c.paid_cents),
        "patient_responsibility": _money(c.patient_responsibility_cents),
        "payer_claim_number": c.payer_claim_number,
        "filing_indicator": c.filing_indicator,
        "patient": _entity(patient),
        "adjustments": [_adjustment(a) for a in c.adjustments],
        "lines": [_service_payment(s) for s in c.lines],
    }


def remittance_json(r: Remittance) -> Json:
    p = r.payment
    return {
        "payment": {
            "amount": _money(p.amount_cents),
            "method": p.method,
            "trace_number": p.trace_number,
            "credit_debit": p.credit_debit,
            "date": _day(p.date),
            "payer_id": p.originator_id,
        },
        "payer": _entity(r.payer),
        "payee": _entity(r.payee),
        "production_date": _day(r.production_date),
        "claims": [_claim_payment(c) for c in r.claims],
        "provider_adjustments": [
            {
                "provider_id": a.provider_id,
                "reason": a.reason,
                "reference": a.reference,
                "amount": _money(a.amount_cents),
            }
            for a in r.provider_adjustments
        ],
    }


def _line(s: ServiceLine) -> Json:
    return {
        "number": s.number,
        "procedure": _procedure(s.procedure),
        "modifiers": list(s.procedure.modifiers) if s.procedure else [],
        "revenue_code": s.revenue_code,
        "charge": _money(s.charge_cents),
        "units": _num(s.units),
        "unit_basis": s.unit_basis,
        "service_date": _day(s.service_date),
        "line_control_number": s.line_control_number,
        "diagnosis_pointers": list(s.diagnosis_pointers),
    }


def _claim(c: Claim) -> Json:
    return {
        "claim_id": c.patient_control_number,
        "total": _money(c.total_charge_cents),
        "frequency": c.frequency.value,
        "facility_code": c.facility_code,
        "original_claim_number": c.original_claim_number,
        "billing_provider": _entity(c.billing_provider),
        "subscriber": _entity(c.subscriber.subscriber),
        "payer": _entity(c.subscriber.payer),
        "patient": _entity(c.patient.person) if c.patient else None,
        "diagnoses": [d.code for d in c.diagnoses],
        "lines": [_line(s) for s in c.lines],
    }


def claim_batch_json(b: ClaimBatch) -> Json:
    return {
        "reference": b.reference,
        "created": _day(b.created),
        "submitter": _entity(b.submitter),
        "receiver": _entity(b.receiver),
        "claims": [_claim(c) for c in b.claims],
    }


def _status(s: StatusInfo) -> Json:
    return {
        "category": s.category,
        "code": s.code,
        "entity": s.entity,
        "date": _day(s.effective_date),
        "action": s.action,
        "amount": _money(s.amount_cents),
    }


def functional_ack_json(a: FunctionalAcknowledgement) -> Json:
    return {
        "functional_id": a.functional_id,
        "group_control_number": a.group_control_number,
        "version": a.version,
        "code": a.code.value,
        "accepted": a.code.accepted,
        "sets_included": a.sets_included,
        "sets_received": a.sets_received,
        "sets_accepted": a.sets_accepted,
        "error_codes": list(a.error_codes),
        "sets": [
            {
                "set_id": r.set_id,
                "control_number": r.control_number,
                "code": r.code.value,
                "error_codes": list(r.error_codes),
                "segments": [
                    {
                        "segment_id": s.segment_id,
                        "position": s.position,
                        "loop_id": s.loop_id,
                        "error_code": s.error_code,
                        "elements": [
                            {
                                "position": e.position,
                                "component": e.component,
                                "error_code": e.error_code,
                                "bad_value": e.bad_value,
                            }
                            for e in s.elements
                        ],
                    }
                    for s in r.segments
                ],
            }
            for r in a.responses
        ],
    }


def claim_ack_json(a: ClaimAcknowledgement) -> Json:
    return {
        "source": _entity(a.source),
        "receiver": _entity(a.receiver),
        "received": _day(a.received),
        "receiver_statuses": [_status(s) for s in a.receiver_statuses],
        "claims": [
            {
                "claim_id": c.claim_id,
                "accepted": c.accepted,
                "payer_claim_number": c.payer_claim_number,
                "billing_provider": _entity(c.billing_provider),
                "statuses": [_status(s) for s in c.statuses],
                "lines": [
                    {
                        "procedure": _procedure(x.procedure),
                        "charge": _money(x.charge_cents),
                        "line_control_number": x.line_control_number,
                        "statuses": [_status(s) for s in x.statuses],
                    }
                    for x in c.lines
                ],
            }
            for c in a.claims
        ],
    }


def status_request_json(r: ClaimStatusRequest) -> Json:
    return {
        "reference": r.reference,
        "payer": _entity(r.payer),
        "receiver": _entity(r.receiver),
        "claims": [
            {
                "trace": q.trace,
                "claim_id": q.patient_account_number,
                "payer_claim_number": q.payer_claim_number,
                "charge": _money(q.charge_cents),
                "provider": _entity(q.provider),
                "subscriber": _entity(q.subscriber),
                "patient": _entity(q.patient),
                "service_date": _day(q.service_date),
            }
            for q in r.queries
        ],
    }


def interchange_ack_json(a: InterchangeAcknowledgement) -> Json:
    return {
        "acknowledged_control_number": a.control_number,
        "date": _day(a.date),
        "code": a.code.value,
        "note_code": a.note_code,
    }


def transaction_json(t: Transaction) -> Json:
    """One transaction as the ``medbill x12 parse --json`` contract gives it."""
    head: Json = {
        "type": t.type.value,
        "control_number": t.control_number,
        "implementation": t.implementation,
        "interchange_control_number": t.interchange.control_number,
        "sender_id": t.interchange.sender_id,
        "receiver_id": t.interchange.receiver_id,
    }
    doc = t.document
    if isinstance(doc, Remittance):
        body = remittance_json(doc)
    elif isinstance(doc, ClaimBatch):
        body = claim_batch_json(doc)
    elif isinstance(doc, FunctionalAcknowledgement):
        body = functional_ack_json(doc)
    elif isinstance(doc, ClaimAcknowledgement):
        body = claim_ack_json(doc)
    elif isinstance(doc, ClaimStatusRequest):
        body = status_request_json(doc)
    elif isinstance(doc, EligibilityResponse):
        body = eligibility_response_json(doc)
    elif isinstance(doc, EligibilityRequest):
        body = eligibility_request_json(doc)
    else:
        body = interchange_ack_json(doc)
    return {**head, **body}


def claim_payment_json(c: ClaimPayment) -> Json:
    """One 835 claim payment as the JSON contract shows it (what a work item keeps of an unmatched payment)."""
    return _claim_payment(c)
