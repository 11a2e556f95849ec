"""270 and 271 as JSON-ready dictionaries: each member's normalized benefits, amounts as decimal strings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from medbill.domain.claims import NamedEntity
from medbill.domain.eligibility import (
    Benefit,
    BenefitKind,
    CoverageLevel,
    EligibilityRequest,
    EligibilityResponse,
    Network,
    Rejection,
    benefits_record,
)
from medbill.domain.money import Money

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


def _rejection(r: Rejection) -> Json:
    return {
        "loop": r.loop,
        "valid_request": r.valid,
        "reason_code": r.reason_code,
        "reason": r.reason,
        "follow_up_code": r.follow_up_code,
        "follow_up": r.follow_up,
    }


def _benefit(b: Benefit) -> Json:
    return {
        "code": b.kind.value,
        "kind": b.kind.name.lower(),
        "coverage_level": b.coverage_level.value if b.coverage_level else None,
        "service_types": list(b.service_types),
        "insurance_type": b.insurance_type,
        "plan": b.plan_description,
        "time_period": b.time_period.value if b.time_period else None,
        "amount": _money(b.amount_cents),
        "percent": _num(b.percent),
        "quantity": _num(b.quantity),
        "quantity_qualifier": b.quantity_qualifier,
        "authorization_required": None if b.authorization is None else b.authorization.value == "Y",
        "network": {"Y": "in", "N": "out", "W": "both"}[b.network.value] if b.network else None,
        "procedure": b.procedure.code if b.procedure else None,
        "messages": list(b.messages),
        "dates": [{"qualifier": d.qualifier, "start": _day(d.start), "end": _day(d.end)} for d in b.dates],
        "entities": [_entity(e) for e in b.entities],
        "rejections": [_rejection(r) for r in b.rejections],
    }


def eligibility_response_json(r: EligibilityResponse) -> Json:
    """A 271: the payer, its AAA reasons, and per member the normalized record with every EB kept."""
    members: list[Json] = []
    for receiver in r.receivers:
        for m in receiver.members:
            rec = benefits_record(m, r)
            fam = CoverageLevel.FAMILY
            members.append(
                {
                    "provider": _entity(m.provider),
                    "subscriber": _entity(m.subscriber),
                    "dependent": _entity(m.dependent),
                    "traces": [t.number for t in m.traces],
                    "status": rec.status.value,
                    "plan_name": rec.plan_name,
                    "group_number": rec.group_number,
                    "plan_begin": _day(rec.plan_begin),
                    "plan_end": _day(rec.plan_end),
                    "copay": _money(rec.copay_cents()),
                    "copay_out_of_network": _money(rec.copay_cents(network=Network.OUT)),
                    "coinsurance_percent": _num(rec.coinsurance_percent()),
                    "deductible": _money(rec.deductible_cents()),
                    "deductible_remaining": _money(rec.deductible_cents(remaining=True)),
                    "family_deductible": _money(rec.deductible_cents(fam)),
                    "family_deductible_remaining": _money(rec.deductible_cents(fam, remaining=True)),
                    "out_of_pocket": _money(rec.out_of_pocket_cents()),
                    "out_of_pocket_remaining": _money(rec.out_of_pocket_cents(remaining=True)),
                    "authorization_required": rec.authorization_required(),
                    "limitations": [_benefit(b) for b in m.benefits if b.kind is BenefitKind.LIMITATIONS],
                    "other_payers": [_entity(e) for e in rec.other_payers],
                    "messages": list(rec.messages),
                    "rejections": [_rejection(x) for x in rec.rejections],
                    "benefits": [_benefit(b) for b in m.benefits],
                }
            )
    return {
        "reference": r.reference,
        "created": _day(r.created),
        "payer": _entity(r.payer),
        "rejections": [_rejection(x) for x in r.rejections],
        "receivers": [
            {"receiver": _entity(x.receiver), "rejections": [_rejection(y) for y in x.rejections]} for x in r.receivers
        ],
        "members": members,
    }


def eligibility_request_json(r: EligibilityRequest) -> Json:
    """A 270: who is asked about, for which service types and date."""
    return {
        "reference": r.reference,
        "created": _day(r.created),
        "payer": _entity(r.payer),
        "inquiries": [
            {
                "trace": q.traces[0].number if q.traces else None,
                "provider": _entity(q.provider),
                "subscriber": _entity(q.subscriber),
                "subscriber_birth_date": _day(q.subscriber_birth_date),
                "dependent": _entity(q.dependent),
                "dependent_birth_date": _day(q.dependent_birth_date),
                "service_types": list(q.service_types),
                "service_date": _day(q.service_date),
            }
            for q in r.inquiries
        ],
    }
