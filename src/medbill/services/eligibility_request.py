"""The 270 for one coverage: the payer, our practice as information receiver, the subscriber (and the patient as
dependent when the patient is not the subscriber), the service types asked and the date of service; and what a
271 answer changes that the front desk must see (inactive coverage, another member ID, a new other payer)."""

from __future__ import annotations

from datetime import date, datetime

from medbill.domain.benefits import MemberBenefits
from medbill.domain.claims import EntityType, NamedEntity
from medbill.domain.coverage import Coverage, Relationship
from medbill.domain.eligibility import DatedEntry, EligibilityInquiry, EligibilityRequest, Trace
from medbill.domain.errors import ValidationError
from medbill.domain.parties import Patient, Payer, PersonName, Practice, Provider, ProviderKind
from medbill.formats.x12 import Envelope
from medbill.services.claim_build import x12_text

# The service types (EQ01) asked for a visit type, beside 30 (the plan as a whole).
VISIT_SERVICE_TYPES: dict[str, tuple[str, ...]] = {
    "new_patient": ("30", "98"),
    "established": ("30", "98"),
    "follow_up": ("30", "98"),
    "telehealth": ("30", "98"),
    "preventive": ("30", "BY"),
    "annual_wellness": ("30", "BY"),
}


def check_service_types(values: tuple[str, ...]) -> tuple[str, ...]:
    """EQ01 codes: 1 or 2 letters or digits each, at most 99 (we send at most 10), none twice."""
    codes = tuple(dict.fromkeys(v.strip().upper() for v in values if v.strip()))
    if not codes or len(codes) > 10 or any(not (1 <= len(c) <= 2 and c.isalnum()) for c in codes):
        raise ValidationError(
            "service types are 1 to 10 X12 service type codes (30 plan coverage, 98 office visit …)",
            field="service_types",
        )
    return codes


def sender_id(practice: Practice) -> str:
    sender = (practice.tin or practice.npi or "").strip().upper()
    if not sender:
        raise ValidationError("a 270 names the practice: give it a TIN or an NPI", field="tin")
    return sender


def _person(role: str, name: PersonName, member_id: str | None) -> NamedEntity:
    return NamedEntity(
        role=role,
        entity_type=EntityType.PERSON,
        name=x12_text(name.last),
        first_name=x12_text(name.first),
        middle_name=x12_text(name.middle) if name.middle else None,
        id_qualifier="MI" if member_id else None,
        identifier=member_id,
    )


def _receiver(practice: Practice, provider: Provider | None) -> NamedEntity:
    """2100B: the practice by its NPI (group), else the appointment's provider."""
    if practice.npi:
        return NamedEntity(
            role="1P",
            entity_type=EntityType.ORGANIZATION,
            name=x12_text(practice.name),
            id_qualifier="XX",
            identifier=practice.npi,
        )
    if provider is not None:
        person = provider.kind is ProviderKind.INDIVIDUAL
        return NamedEntity(
            role="1P",
            entity_type=EntityType.PERSON if person else EntityType.ORGANIZATION,
            name=x12_text(provider.last_name),
            first_name=x12_text(provider.first_name) if person and provider.first_name else None,
            id_qualifier="XX",
            identifier=provider.npi,
        )
    raise ValidationError("a 270 names the provider by NPI: give the practice an NPI", field="npi")


def build_270(
    *,
    practice: Practice,
    provider: Provider | None,
    payer: Payer,
    patient: Patient,
    coverage: Coverage,
    service_types: tuple[str, ...],
    day: date,
    trace: str,
    now: datetime,
) -> EligibilityRequest:
    """One inquiry, traced by ``trace`` (TRN02, also the BHT03 a payer echoes when it cannot name the member)."""
    digits = "".join(ch for ch in (practice.tin or practice.npi or "") if ch.isdigit())
    originator = ("1" + digits[:9]) if practice.tin else ("9" + digits[:9])
    if coverage.relationship is Relationship.SELF:
        subscriber = _person("IL", patient.name, coverage.member_id)
        born, sex = patient.birth_date, patient.sex.value
        dependent = None
    else:
        assert coverage.subscriber is not None  # a Coverage that is not self always names its subscriber
        subscriber = _person("IL", coverage.subscriber.name, coverage.member_id)
        born, sex = coverage.subscriber.birth_date, coverage.subscriber.sex.value
        dependent = _person("03", patient.name, None)
    inquiry = EligibilityInquiry(
        provider=_receiver(practice, provider),
        subscriber=subscriber,
        subscriber_birth_date=born,
        subscriber_sex=sex,
        dependent=dependent,
        dependent_birth_date=patient.birth_date if dependent else None,
        dependent_sex=patient.sex.value if dependent else None,
        relationship=coverage.relationship.value if dependent else None,
        traces=(Trace(type_code="1", number=trace, originator=originator),),
        service_types=service_types,
        dates=(DatedEntry(qualifier="291", start=day),),
    )
    return EligibilityRequest(
        reference=trace,
        created=now.date(),
        created_time=now.strftime("%H%M"),
        payer=NamedEntity(
            role="PR",
            entity_type=EntityType.ORGANIZATION,
            name=x12_text(payer.name),
            id_qualifier="PI",
            identifier=payer.payer_id,
        ),
        inquiries=(inquiry,),
    )


def envelope_270(sender: str, receiver: str, icn: int, gcn: int, now: datetime, usage: str) -> Envelope:
    return Envelope(
        sender_id=sender,
        receiver_id=receiver,
        interchange_control_number=icn,
        group_control_number=gcn,
        created=now,
        usage=usage,
    )


def findings(
    coverage: Coverage,
    benefits: MemberBenefits,
    *,
    known_payers: set[str],
    earlier: MemberBenefits | None,
    service_types: tuple[str, ...],
) -> list[str]:
    """What the front desk must act on, in words: inactive coverage, rejections, another member ID, a new other
    payer (one neither on file for the patient nor named by the previous answer), authorizations required."""
    found: list[str] = []
    if benefits.status.value == "inactive":
        ended = f" (ended {benefits.plan_end.isoformat()})" if benefits.plan_end else ""
        found.append(f"coverage inactive{ended}: collect another coverage or treat the visit as self-pay")
    for r in benefits.rejections:
        if benefits.status.value == "rejected":
            found.append(f"the payer could not answer: {r.reason} (AAA {r.code}); {r.follow_up}")
    answered = (benefits.member_id or "").strip().upper()
    if answered and answered != coverage.member_id.upper():
        found.append(f"the payer answers with member ID {answered}, not {coverage.member_id}: update the coverage")
    before = {(p.payer_id or p.name).upper() for p in earlier.other_payers} if earlier else set()
    for other in benefits.other_payers:
        keys = {(other.payer_id or "").upper(), other.name.upper()} - {""}
        if keys & known_payers or (other.payer_id or other.name).upper() in before:
            continue
        found.append(f"a new other payer is named: {other.name}: ask the patient which plan pays first")
    for service in service_types:
        if benefits.authorization_required(service):
            found.append(f"authorization required for service type {service}")
    return found
