"""Rows ⇄ domain objects: flattening addresses, names and enums into columns and back."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Row

from medbill.domain.audit import AuditAction, AuditEvent
from medbill.domain.coverage import Coverage, CoverageOrder, Relationship, Subscriber
from medbill.domain.institutional import InstitutionalData, OccurrenceCode, OccurrenceSpan, ValueCode
from medbill.domain.parties import (
    Address,
    ClaimFilingIndicator,
    Facility,
    Guarantor,
    GuarantorRelationship,
    Patient,
    Payer,
    PersonName,
    Practice,
    Provider,
    ProviderKind,
    ProviderRole,
    Sex,
    TinKind,
)
from medbill.domain.users import ApiToken, Role, User

Values = dict[str, Any]


def address_values(address: Address | None, prefix: str = "") -> Values:
    return {
        f"{prefix}address_line1": address.line1 if address else None,
        f"{prefix}address_line2": address.line2 if address else None,
        f"{prefix}city": address.city if address else None,
        f"{prefix}state": address.state if address else None,
        f"{prefix}zip": address.zip if address else None,
    }


def address_of(row: Row[Any], prefix: str = "") -> Address | None:
    m = row._mapping
    if m[f"{prefix}address_line1"] is None:
        return None
    return Address(
        line1=m[f"{prefix}address_line1"],
        line2=m[f"{prefix}address_line2"],
        city=m[f"{prefix}city"],
        state=m[f"{prefix}state"],
        zip=m[f"{prefix}zip"],
    )


def practice_values(p: Practice) -> Values:
    return {
        "id": p.id,
        "practice_id": p.id,
        "name": p.name,
        "npi": p.npi,
        "tin": p.tin,
        "phone": p.phone,
        "taxonomy": p.taxonomy,
        **address_values(p.address),
    }


def practice_of(row: Row[Any]) -> Practice:
    m = row._mapping
    return Practice(
        id=m["id"],
        name=m["name"],
        npi=m["npi"],
        tin=m["tin"],
        address=address_of(row),
        phone=m["phone"],
        taxonomy=m["taxonomy"],
    )


def provider_values(p: Provider) -> Values:
    return {
        "id": p.id,
        "practice_id": p.practice_id,
        "kind": p.kind.value,
        "last_name": p.last_name,
        "first_name": p.first_name,
        "npi": p.npi,
        "taxonomy": p.taxonomy,
        "tin": p.tin,
        "tin_kind": p.tin_kind.value,
        "roles": ",".join(sorted(r.value for r in p.roles)),
        **address_values(p.address),
    }


def provider_of(row: Row[Any]) -> Provider:
    m = row._mapping
    return Provider(
        id=m["id"],
        practice_id=m["practice_id"],
        kind=ProviderKind(m["kind"]),
        last_name=m["last_name"],
        first_name=m["first_name"],
        npi=m["npi"],
        taxonomy=m["taxonomy"],
        tin=m["tin"],
        tin_kind=TinKind(m["tin_kind"]),
        roles=frozenset(ProviderRole(r) for r in m["roles"].split(",")),
        address=address_of(row),
    )


def facility_values(f: Facility) -> Values:
    return {
        "id": f.id,
        "practice_id": f.practice_id,
        "name": f.name,
        "npi": f.npi,
        "place_of_service": f.place_of_service,
        **address_values(f.address),
    }


def facility_of(row: Row[Any]) -> Facility:
    m = row._mapping
    address = address_of(row)
    assert address is not None
    return Facility(
        id=m["id"],
        practice_id=m["practice_id"],
        name=m["name"],
        npi=m["npi"],
        place_of_service=m["place_of_service"],
        address=address,
    )


def payer_values(p: Payer) -> Values:
    return {
        "id": p.id,
        "practice_id": p.practice_id,
        "name": p.name,
        "payer_code": p.payer_id,
        "claim_filing_indicator": p.claim_filing_indicator.value,
        "timely_filing_days": p.timely_filing_days,
        "appeal_window_days": p.appeal_window_days,
        "phone": p.phone,
        **address_values(p.address),
    }


def payer_of(row: Row[Any]) -> Payer:
    m = row._mapping
    return Payer(
        id=m["id"],
        practice_id=m["practice_id"],
        name=m["name"],
        payer_id=m["payer_code"],
        claim_filing_indicator=ClaimFilingIndicator(m["claim_filing_indicator"]),
        timely_filing_days=m["timely_filing_days"],
        appeal_window_days=m["appeal_window_days"],
        phone=m["phone"],
        address=address_of(row),
    )


def search_name(last: str, first: str) -> str:
    return f"{last.lower()},{first.lower()}"


def patient_values(p: Patient) -> Values:
    g = p.guarantor
    return {
        "id": p.id,
        "practice_id": p.practice_id,
        "account_number": p.account_number,
        "last_name": p.name.last,
        "first_name": p.name.first,
        "middle_name": p.name.middle,
        "name_suffix": p.name.suffix,
        "search_name": search_name(p.name.last, p.name.first),
        "birth_date": p.birth_date,
        "sex": p.sex.value,
        "phone": p.phone,
        "email": p.email,
        **address_values(p.address),
        "guarantor_last_name": g.name.last if g else None,
        "guarantor_first_name": g.name.first if g else None,
        "guarantor_relationship": g.relationship.value if g else None,
        "guarantor_phone": g.phone if g else None,
        **address_values(g.address if g else None, "guarantor_"),
    }


def patient_of(row: Row[Any]) -> Patient:
    m = row._mapping
    guarantor = None
    if m["guarantor_last_name"] is not None:
        g_address = address_of(row, "guarantor_")
        assert g_address is not None
        guarantor = Guarantor(
            name=PersonName(last=m["guarantor_last_name"], first=m["guarantor_first_name"]),
            relationship=GuarantorRelationship(m["guarantor_relationship"]),
            address=g_address,
            phone=m["guarantor_phone"],
        )
    address = address_of(row)
    assert address is not None
    return Patient(
        id=m["id"],
        practice_id=m["practice_id"],
        account_number=m["account_number"],
        name=PersonName(last=m["last_name"], first=m["first_name"], middle=m["middle_name"], suffix=m["name_suffix"]),
        birth_date=m["birth_date"],
        sex=Sex(m["sex"]),
        address=address,
        phone=m["phone"],
        email=m["email"],
        guarantor=guarantor,
    )


def coverage_values(c: Coverage) -> Values:
    s = c.subscriber
    return {
        "id": c.id,
        "practice_id": c.practice_id,
        "patient_id": c.patient_id,
        "payer_id": c.payer_id,
        "coverage_order": c.order.value,
        "member_id": c.member_id,
        "relationship": c.relationship.value,
        "subscriber_last_name": s.name.last if s else None,
        "subscriber_first_name": s.name.first if s else None,
        "subscriber_birth_date": s.birth_date if s else None,
        "subscriber_sex": s.sex.value if s else None,
        **address_values(s.address if s else None, "subscriber_"),
        "group_number": c.group_number,
        "plan_name": c.plan_name,
        "effective_from": c.effective_from,
        "effective_to": c.effective_to,
        "copay_cents": c.copay_cents,
        "deductible_cents": c.deductible_cents,
        "coinsurance_basis_points": int(c.coinsurance_percent * 100),
    }


def coverage_of(row: Row[Any]) -> Coverage:
    m = row._mapping
    subscriber = None
    if m["subscriber_last_name"] is not None:
        subscriber = Subscriber(
            name=PersonName(last=m["subscriber_last_name"], first=m["subscriber_first_name"]),
            birth_date=m["subscriber_birth_date"],
            sex=Sex(m["subscriber_sex"]),
            address=address_of(row, "subscriber_"),
        )
    return Coverage(
        id=m["id"],
        practice_id=m["practice_id"],
        patient_id=m["patient_id"],
        payer_id=m["payer_id"],
        order=CoverageOrder(m["coverage_order"]),
        member_id=m["member_id"],
        relationship=Relationship(m["relationship"]),
        subscriber=subscriber,
        group_number=m["group_number"],
        plan_name=m["plan_name"],
        effective_from=m["effective_from"],
        effective_to=m["effective_to"],
        copay_cents=m["copay_cents"],
        deductible_cents=m["deductible_cents"],
        coinsurance_percent=Decimal(m["coinsurance_basis_points"]) / 100,
    )


def user_values(u: User) -> Values:
    return {
        "id": u.id,
        "practice_id": u.practice_id,
        "username": u.username,
        "display_name": u.display_name,
        "role": u.role.value,
        "password_hash": u.password_hash,
        "active": u.active,
        "sessions_valid_after": u.sessions_valid_after,
    }


def user_of(row: Row[Any]) -> User:
    m = row._mapping
    return User(
        id=m["id"],
        practice_id=m["practice_id"],
        username=m["username"],
        display_name=m["display_name"],
        role=Role(m["role"]),
        password_hash=m["password_hash"],
        active=m["active"],
        sessions_valid_after=m["sessions_valid_after"],
    )


def token_values(t: ApiToken) -> Values:
    return {
        "id": t.id,
        "practice_id": t.practice_id,
        "user_id": t.user_id,
        "name": t.name,
        "token_hash": t.token_hash,
        "prefix": t.prefix,
        "created_at": t.created_at,
        "revoked_at": t.revoked_at,
    }


def token_of(row: Row[Any]) -> ApiToken:
    m = row._mapping
    return ApiToken(
        id=m["id"],
        practice_id=m["practice_id"],
        user_id=m["user_id"],
        name=m["name"],
        token_hash=m["token_hash"],
        prefix=m["prefix"],
        created_at=m["created_at"],
        revoked_at=m["revoked_at"],
    )


def audit_values(e: AuditEvent) -> Values:
    return {
        "id": e.id,
        "practice_id": e.practice_id,
        "at": e.at,
        "user_id": e.user_id,
        "username": e.username,
        "action": e.action.value,
        "entity_type": e.entity_type,
        "entity_id": e.entity_id,
        "source": e.source[:80],
        "detail": e.detail,
    }


def audit_of(row: Row[Any]) -> AuditEvent:
    m = row._mapping
    return AuditEvent(
        id=m["id"],
        practice_id=m["practice_id"],
        at=m["at"],
        user_id=m["user_id"],
        username=m["username"],
        action=AuditAction(m["action"]),
        entity_type=m["entity_type"],
        entity_id=m["entity_id"],
        source=m["source"],
        detail=m["detail"],
    )


def institutional_json(data: InstitutionalData | None) -> str | None:
    """``encounters.institutional``: the UB-04 header as JSON (dates ISO, amounts integer cents); None when professional."""
    if data is None:
        return None
    plain: Values = {
        "type_of_bill": data.type_of_bill,
        "statement_from": _iso(data.statement_from),
        "statement_through": _iso(data.statement_through),
        "admission_date": _iso(data.admission_date),
        "admission_hour": data.admission_hour,
        "admission_type": data.admission_type,
        "admission_source": data.admission_source,
        "discharge_hour": data.discharge_hour,
        "patient_status": data.patient_status,
        "admitting_diagnosis": data.admitting_diagnosis,
        "attending_provider_id": data.attending_provider_id,
        "operating_provider_id": data.operating_provider_id,
        "condition_codes": list(data.condition_codes),
        "occurrence_codes": [[o.code, o.on.isoformat()] for o in data.occurrence_codes],
        "occurrence_spans": [[s.code, s.start.isoformat(), s.end.isoformat()] for s in data.occurrence_spans],
        "value_codes": [[v.code, v.amount_cents] for v in data.value_codes],
    }
    return json.dumps({k: v for k, v in plain.items() if v not in (None, [])}, sort_keys=True)


def institutional_of(text: str | None) -> InstitutionalData | None:
    if not text:
        return None
    raw: dict[str, Any] = json.loads(text)
    return InstitutionalData(
        type_of_bill=raw["type_of_bill"],
        statement_from=_date(raw.get("statement_from")),
        statement_through=_date(raw.get("statement_through")),
        admission_date=_date(raw.get("admission_date")),
        admission_hour=raw.get("admission_hour"),
        admission_type=raw.get("admission_type"),
        admission_source=raw.get("admission_source"),
        discharge_hour=raw.get("discharge_hour"),
        patient_status=raw["patient_status"],
        admitting_diagnosis=raw.get("admitting_diagnosis"),
        attending_provider_id=raw.get("attending_provider_id"),
        operating_provider_id=raw.get("operating_provider_id"),
        condition_codes=tuple(raw.get("condition_codes", ())),
        occurrence_codes=tuple(
            OccurrenceCode(code=code, on=date.fromisoformat(on)) for code, on in raw.get("occurrence_codes", ())
        ),
        occurrence_spans=tuple(
            OccurrenceSpan(code=code, start=date.fromisoformat(a), end=date.fromisoformat(b))
            for code, a, b in raw.get("occurrence_spans", ())
        ),
        value_codes=tuple(ValueCode(code=code, amount_cents=int(cents)) for code, cents in raw.get("value_codes", ())),
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
