"""Mapping an encounter and its parties into the 837P- or 837I-shaped domain ``Claim`` the X12 writer and the scrubber
read."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal

from medbill.domain.claim_records import ClaimLineRecord, line_control_number
from medbill.domain.claims import (
    Claim,
    ClaimFrequency,
    ClaimKind,
    CodeEntry,
    DatedEvent,
    Diagnosis,
    EntityType,
    Insured,
    NamedEntity,
    PostalAddress,
    ProcedureCode,
    Reference,
    ServiceLine,
)
from medbill.domain.claims import (
    Patient as ClaimPatient,
)
from medbill.domain.coverage import Coverage, Relationship
from medbill.domain.encounters import Encounter
from medbill.domain.institutional import InstitutionalData, is_accommodation
from medbill.domain.parties import (
    Address,
    Facility,
    Patient,
    Payer,
    PersonName,
    Practice,
    Provider,
    ProviderKind,
    ProviderRole,
    TinKind,
)

_DELIMITERS = str.maketrans({"*": " ", "~": " ", ":": " ", "^": " ", "|": " "})


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimParties:
    """Everything a professional claim names, resolved from the database."""

    practice: Practice
    billing: Provider | None  # the practice's provider with the billing role; None: the practice itself bills
    patient: Patient
    coverage: Coverage
    payer: Payer
    rendering: Provider
    referring: Provider | None = None
    facility: Facility | None = None
    attending: Provider | None = None  # institutional: 2310A / FL 76 (the rendering provider when not named)
    operating: Provider | None = None  # institutional: 2310B / FL 77


def billing_provider_of(providers: list[Provider]) -> Provider | None:
    """The practice's billing provider: the first (by name) with the billing role, else None (the practice bills)."""
    return next((p for p in providers if ProviderRole.BILLING in p.roles), None)


def x12_text(text: str) -> str:
    """Upper case in the X12 basic character set: accents dropped (José → JOSE), delimiters replaced by spaces."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(plain.upper().translate(_DELIMITERS).split())


def _upper(text: str | None) -> str | None:
    return x12_text(text) if text else None


def postal(address: Address | None) -> PostalAddress | None:
    if address is None:
        return None
    return PostalAddress(
        line1=x12_text(address.line1),
        line2=_upper(address.line2),
        city=x12_text(address.city),
        state=address.state,
        postal_code=address.zip,
    )


def _person(role: str, name: PersonName, **values: object) -> NamedEntity:
    return NamedEntity(
        role=role,
        entity_type=EntityType.PERSON,
        name=x12_text(name.last),
        first_name=x12_text(name.first),
        middle_name=_upper(name.middle),
        suffix=_upper(name.suffix),
        **values,  # type: ignore[arg-type]
    )


def _provider(role: str, p: Provider, *, address: Address | None = None) -> NamedEntity:
    person = p.kind is ProviderKind.INDIVIDUAL
    return NamedEntity(
        role=role,
        entity_type=EntityType.PERSON if person else EntityType.ORGANIZATION,
        name=x12_text(p.last_name),
        first_name=_upper(p.first_name),
        id_qualifier="XX",
        identifier=p.npi,
        address=postal(address),
        taxonomy=p.taxonomy,
    )


def _named_person(role: str, p: Provider) -> NamedEntity:
    """A 2310 provider named as a person by NPI alone: no address, no taxonomy."""
    entity = _provider(role, p)
    return NamedEntity(
        role=role,
        entity_type=EntityType.PERSON,
        name=entity.name,
        first_name=entity.first_name,
        id_qualifier="XX",
        identifier=entity.identifier,
    )


def _facility(f: Facility) -> NamedEntity:
    """2310C (837P) / 2310E (837I): the service facility, with its NPI when it has one."""
    return NamedEntity(
        role="77",
        entity_type=EntityType.ORGANIZATION,
        name=x12_text(f.name),
        id_qualifier="XX" if f.npi else None,
        identifier=f.npi,
        address=postal(f.address),
    )


def billing_entity(parties: ClaimParties) -> NamedEntity:
    """2010AA: the billing provider with NPI, taxonomy, address and tax ID (REF*EI or REF*SY)."""
    b = parties.billing
    practice = parties.practice
    if b is not None:
        entity = _provider("85", b, address=b.address or practice.address)
        tin, qualifier = b.tin, ("SY" if b.tin_kind is TinKind.SSN else "EI")
        return NamedEntity(
            role=entity.role,
            entity_type=entity.entity_type,
            name=entity.name,
            first_name=entity.first_name,
            id_qualifier="XX",
            identifier=b.npi,
            address=entity.address,
            taxonomy=b.taxonomy or practice.taxonomy,
            references=(Reference(qualifier=qualifier, value=tin),) if tin else (),
        )
    return NamedEntity(
        role="85",
        entity_type=EntityType.ORGANIZATION,
        name=x12_text(practice.name),
        id_qualifier="XX" if practice.npi else None,
        identifier=practice.npi,
        address=postal(practice.address),
        taxonomy=practice.taxonomy or parties.rendering.taxonomy,
        references=(Reference(qualifier="EI", value=practice.tin),) if practice.tin else (),
    )


def payer_entity(payer: Payer) -> NamedEntity:
    """2010BB: the payer by name and clearinghouse payer ID."""
    return NamedEntity(
        role="PR",
        entity_type=EntityType.ORGANIZATION,
        name=x12_text(payer.name),
        id_qualifier="PI",
        identifier=payer.payer_id,
        address=postal(payer.address),
    )


def insured(parties: ClaimParties) -> tuple[Insured, ClaimPatient | None]:
    """2000B/2010BA (with 2010BB) and, when the patient is not the subscriber, 2000C/2010CA."""
    coverage, patient = parties.coverage, parties.patient
    self_ = coverage.relationship is Relationship.SELF
    if self_ or coverage.subscriber is None:
        who, born, sex, address = patient.name, patient.birth_date, patient.sex, patient.address
    else:
        s = coverage.subscriber
        who, born, sex, address = s.name, s.birth_date, s.sex, s.address or patient.address
    subscriber = _person("IL", who, id_qualifier="MI", identifier=coverage.member_id, address=postal(address))
    loop = Insured(
        responsibility=coverage.order.x12,  # SBR01
        relationship="18" if self_ else None,  # SBR02 only when the subscriber is the patient
        group_number=coverage.group_number,
        filing_indicator=parties.payer.claim_filing_indicator.value,  # SBR09
        subscriber=subscriber,
        payer=payer_entity(parties.payer),
        birth_date=born,
        sex=sex.value,
    )
    if self_:
        return loop, None
    person = _person("QC", patient.name, address=postal(patient.address))
    return loop, ClaimPatient(
        relationship=coverage.relationship.value, person=person, birth_date=patient.birth_date, sex=patient.sex.value
    )


def claim_providers(parties: ClaimParties, billing: NamedEntity) -> tuple[NamedEntity, ...]:
    """2310A referring, 2310B rendering (when not the billing provider), 2310C service facility, in the guide's order."""
    out: list[NamedEntity] = []
    if parties.referring is not None:
        out.append(_named_person("DN", parties.referring))
    if parties.rendering.npi != billing.identifier:
        out.append(_provider("82", parties.rendering))
    f = parties.facility
    if f is not None:
        out.append(_facility(f))
    return tuple(out)


def professional_claim(
    encounter: Encounter,
    parties: ClaimParties,
    *,
    control_number: str,
    frequency: ClaimFrequency = ClaimFrequency.ORIGINAL,
    original_claim_number: str | None = None,
) -> tuple[Claim, tuple[ClaimLineRecord, ...]]:
    """The 837P claim for ``encounter`` to the coverage's payer, and its stored lines with their REF*6R numbers."""
    billing = billing_entity(parties)
    subscriber, patient = insured(parties)
    dos = encounter.date_of_service
    lines = tuple(
        ServiceLine(
            number=line.line_number,
            procedure=ProcedureCode(qualifier="HC", code=line.procedure_code, modifiers=line.modifiers),
            charge_cents=line.charge_cents,
            units=Decimal(line.units),
            diagnosis_pointers=line.diagnosis_pointers,
            service_date=dos,
            line_control_number=line_control_number(control_number, line.line_number),
            notes=(x12_text(line.note),) if line.note else (),
        )
        for line in encounter.lines
    )
    records = _line_records(encounter, control_number)
    claim = Claim(
        kind=ClaimKind.PROFESSIONAL,
        patient_control_number=control_number,  # CLM01
        total_charge_cents=encounter.total_charge_cents,  # CLM02
        facility_code=encounter.place_of_service,  # CLM05-1
        frequency=frequency,  # CLM05-3
        billing_provider=billing,
        subscriber=subscriber,
        patient=patient,
        diagnoses=tuple(
            Diagnosis(qualifier="ABK" if i == 0 else "ABF", code=code) for i, code in enumerate(encounter.diagnoses)
        ),
        original_claim_number=original_claim_number,  # REF*F8
        providers=claim_providers(parties, billing),
        lines=lines,
    )
    return claim, records


def _line_records(encounter: Encounter, control_number: str) -> tuple[ClaimLineRecord, ...]:
    return tuple(
        ClaimLineRecord(
            line_number=line.line_number,
            line_control_number=line_control_number(control_number, line.line_number),
            procedure_code=line.procedure_code,
            modifiers=line.modifiers,
            units=line.units,
            charge_cents=line.charge_cents,
            service_date=encounter.date_of_service,
        )
        for line in encounter.lines
    )


def _institutional_dates(encounter: Encounter, data: InstitutionalData) -> tuple[DatedEvent, ...]:
    """2300 DTP in the guide's order: 096 discharge hour, 434 statement period, 435 admission date (and hour)."""
    start, end = encounter.statement_period
    out: list[DatedEvent] = []
    if data.discharge_hour is not None:
        out.append(DatedEvent(qualifier="096", start=end, time=data.discharge_hour))  # DTP*096*TM: the hour alone
    out.append(DatedEvent(qualifier="434", start=start, end=end))  # RD8, FL 6
    if data.admission_date is not None:
        out.append(DatedEvent(qualifier="435", start=data.admission_date, time=data.admission_hour))  # FL 12–13
    return tuple(out)


def _institutional_codes(data: InstitutionalData) -> tuple[CodeEntry, ...]:
    """2300 HI after the diagnoses, in the guide's order: BI spans, BH occurrences, BE values, BG conditions."""
    spans = (
        CodeEntry(qualifier="BI", code=s.code, date_format="RD8", date_value=f"{s.start:%Y%m%d}-{s.end:%Y%m%d}")
        for s in data.occurrence_spans
    )
    occurrences = (
        CodeEntry(qualifier="BH", code=o.code, date_format="D8", date_value=f"{o.on:%Y%m%d}")
        for o in data.occurrence_codes
    )
    values = (CodeEntry(qualifier="BE", code=v.code, amount_cents=v.amount_cents) for v in data.value_codes)
    conditions = (CodeEntry(qualifier="BG", code=c) for c in data.condition_codes)
    return (*spans, *occurrences, *values, *conditions)


def _institutional_providers(parties: ClaimParties, billing: NamedEntity) -> tuple[NamedEntity, ...]:
    """2310A attending, 2310B operating, 2310D rendering (when not the attending), 2310E facility, 2310F referring."""
    attending = parties.attending or parties.rendering
    out = [_provider("71", attending)]
    if parties.operating is not None:
        out.append(_named_person("72", parties.operating))
    if parties.rendering.npi != attending.npi:
        out.append(_named_person("82", parties.rendering))
    f = parties.facility
    if f is not None and f.npi != billing.identifier:
        out.append(_facility(f))
    out.extend(p for p in claim_providers(replace(parties, facility=None), billing) if p.role == "DN")
    return tuple(out)


def institutional_claim(
    encounter: Encounter,
    parties: ClaimParties,
    *,
    control_number: str,
    frequency: ClaimFrequency | None = None,
    original_claim_number: str | None = None,
) -> tuple[Claim, tuple[ClaimLineRecord, ...]]:
    """The 837I claim for an institutional ``encounter``: CLM05 from the type of bill (the frequency given overrides
    its third digit for replacements and voids), CL1, DTP 096/434/435, HI and SV2 lines with their REF*6R."""
    data = encounter.institutional
    if data is None:
        raise ValueError("a professional encounter is billed with professional_claim")
    billing = billing_entity(parties)
    subscriber, patient = insured(parties)
    dos = encounter.date_of_service
    lines = tuple(
        ServiceLine(
            number=line.line_number,
            revenue_code=line.revenue_code,  # SV201
            procedure=ProcedureCode(qualifier="HC", code=line.procedure_code, modifiers=line.modifiers)
            if line.procedure_code
            else None,  # SV202
            charge_cents=line.charge_cents,  # SV203
            unit_basis="DA" if line.revenue_code and is_accommodation(line.revenue_code) else "UN",  # SV204
            units=Decimal(line.units),  # SV205
            service_date=dos,
            line_control_number=line_control_number(control_number, line.line_number),
            notes=(x12_text(line.note),) if line.note else (),
        )
        for line in encounter.lines
    )
    principal, *others = encounter.diagnoses
    diagnoses = [Diagnosis(qualifier="ABK", code=principal)]
    if data.admitting_diagnosis:
        diagnoses.append(Diagnosis(qualifier="ABJ", code=data.admitting_diagnosis))
    diagnoses.extend(Diagnosis(qualifier="ABF", code=code) for code in others)
    claim = Claim(
        kind=ClaimKind.INSTITUTIONAL,
        patient_control_number=control_number,  # CLM01
        total_charge_cents=encounter.total_charge_cents,  # CLM02
        facility_code=data.facility_type,  # CLM05-1 (FL 4 digits 2–3)
        frequency=frequency or ClaimFrequency(data.frequency),  # CLM05-3 (FL 4 digit 4)
        provider_signature=None,  # CLM06 is not used on the 837I
        billing_provider=billing,
        subscriber=subscriber,
        patient=patient,
        diagnoses=tuple(diagnoses),
        codes=_institutional_codes(data),
        dates=_institutional_dates(encounter, data),
        admission=(data.admission_type or "", data.admission_source or "", data.patient_status),  # CL1
        original_claim_number=original_claim_number,  # REF*F8
        providers=_institutional_providers(parties, billing),
        lines=lines,
    )
    return claim, _line_records(encounter, control_number)


def encounter_claim(
    encounter: Encounter,
    parties: ClaimParties,
    *,
    control_number: str,
    frequency: ClaimFrequency | None = None,
    original_claim_number: str | None = None,
) -> tuple[Claim, tuple[ClaimLineRecord, ...]]:
    """The claim the encounter's kind calls for: 837I for an institutional encounter, 837P otherwise."""
    if encounter.institutional is not None:
        return institutional_claim(
            encounter,
            parties,
            control_number=control_number,
            frequency=frequency,
            original_claim_number=original_claim_number,
        )
    return professional_claim(
        encounter,
        parties,
        control_number=control_number,
        frequency=frequency or ClaimFrequency.ORIGINAL,
        original_claim_number=original_claim_number,
    )
