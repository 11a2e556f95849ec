"""Request and response bodies of the REST API. Amounts travel as decimal strings ("123.40"), never numbers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from medbill.api.schemas_institutional import InstitutionalIn
from medbill.domain.appointments import Appointment
from medbill.domain.coverage import Coverage
from medbill.domain.encounters import Encounter, dotted
from medbill.domain.fees import FeeSchedule
from medbill.domain.money import Money, parse_cents
from medbill.domain.parties import Address, Facility, Patient, Payer, Practice, Provider
from medbill.services.appointments import AppointmentDraft
from medbill.services.encounters import EncounterDraft, FeeScheduleDraft, LineDraft
from medbill.services.estimates import AppointmentEstimate
from medbill.services.patients import CoverageDraft, GuarantorDraft, PatientDraft, SubscriberDraft
from medbill.services.setup import AddressDraft, FacilityDraft, PayerDraft, ProviderDraft

Amount = Annotated[str, Field(pattern=r"^-?\d{1,10}(\.\d{1,2})?$", examples=["123.40"])]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AddressIn(Strict):
    line1: str
    line2: str | None = None
    city: str
    state: str
    zip: str

    def draft(self) -> AddressDraft:
        return AddressDraft(line1=self.line1, line2=self.line2, city=self.city, state=self.state, zip=self.zip)


class AddressOut(BaseModel):
    line1: str
    line2: str | None
    city: str
    state: str
    zip: str

    @classmethod
    def of(cls, a: Address | None) -> AddressOut | None:
        return None if a is None else cls(line1=a.line1, line2=a.line2, city=a.city, state=a.state, zip=a.zip)


class PracticeOut(BaseModel):
    id: str
    name: str
    npi: str | None
    tin: str | None
    address: AddressOut | None

    @classmethod
    def of(cls, p: Practice) -> PracticeOut:
        return cls(id=p.id, name=p.name, npi=p.npi, tin=p.tin, address=AddressOut.of(p.address))


class ProviderIn(Strict):
    kind: str = Field(examples=["individual"], description="individual or organization")
    last_name: str = Field(description="last name, or the organization's name")
    first_name: str | None = None
    npi: str
    taxonomy: str | None = None
    tin: str | None = None
    tin_kind: str = "EIN"
    roles: list[str] = Field(
        default_factory=lambda: ["rendering"], description="billing, rendering, referring, supervising"
    )
    address: AddressIn | None = None

    def draft(self) -> ProviderDraft:
        return ProviderDraft(
            kind=self.kind,
            last_name=self.last_name,
            first_name=self.first_name,
            npi=self.npi,
            taxonomy=self.taxonomy,
            tin=self.tin,
            tin_kind=self.tin_kind,
            roles=tuple(self.roles),
            address=self.address.draft() if self.address else None,
        )


class ProviderOut(BaseModel):
    id: str
    kind: str
    last_name: str
    first_name: str | None
    npi: str
    taxonomy: str | None
    roles: list[str]
    address: AddressOut | None

    @classmethod
    def of(cls, p: Provider) -> ProviderOut:
        return cls(
            id=p.id,
            kind=p.kind.value,
            last_name=p.last_name,
            first_name=p.first_name,
            npi=p.npi,
            taxonomy=p.taxonomy,
            roles=sorted(r.value for r in p.roles),
            address=AddressOut.of(p.address),
        )


class FacilityIn(Strict):
    name: str
    address: AddressIn
    npi: str | None = None
    place_of_service: str = "11"

    def draft(self) -> FacilityDraft:
        return FacilityDraft(
            name=self.name, address=self.address.draft(), npi=self.npi, place_of_service=self.place_of_service
        )


class FacilityOut(BaseModel):
    id: str
    name: str
    npi: str | None
    place_of_service: str
    address: AddressOut | None

    @classmethod
    def of(cls, f: Facility) -> FacilityOut:
        return cls(
            id=f.id, name=f.name, npi=f.npi, place_of_service=f.place_of_service, address=AddressOut.of(f.address)
        )


class PayerIn(Strict):
    name: str
    payer_id: str = Field(description="the clearinghouse payer ID")
    claim_filing_indicator: str = Field(examples=["MB", "MC", "CI", "BL", "HM"])
    timely_filing_days: int = 365
    address: AddressIn | None = None
    phone: str | None = None

    def draft(self) -> PayerDraft:
        return PayerDraft(
            name=self.name,
            payer_id=self.payer_id,
            claim_filing_indicator=self.claim_filing_indicator,
            timely_filing_days=self.timely_filing_days,
            address=self.address.draft() if self.address else None,
            phone=self.phone,
        )


class PayerOut(BaseModel):
    id: str
    name: str
    payer_id: str
    claim_filing_indicator: str
    timely_filing_days: int
    address: AddressOut | None

    @classmethod
    def of(cls, p: Payer) -> PayerOut:
        return cls(
            id=p.id,
            name=p.name,
            payer_id=p.payer_id,
            claim_filing_indicator=p.claim_filing_indicator.value,
            timely_filing_days=p.timely_filing_days,
            address=AddressOut.of(p.address),
        )


class GuarantorIn(Strict):
    last_name: str
    first_name: str
    relationship: str = Field(examples=["parent"], description="parent, spouse, guardian or other")
    address: AddressIn
    phone: str | None = None


class GuarantorOut(BaseModel):
    last_name: str
    first_name: str
    relationship: str
    address: AddressOut | None
    phone: str | None


class PatientIn(Strict):
    last_name: str
    first_name: str
    middle_name: str | None = None
    name_suffix: str | None = None
    birth_date: date
    sex: str = Field(examples=["F"], description="F, M or U")
    address: AddressIn
    phone: str | None = None
    email: str | None = None
    account_number: str | None = Field(default=None, description="assigned when omitted")
    guarantor: GuarantorIn | None = None

    def draft(self) -> PatientDraft:
        g = self.guarantor
        return PatientDraft(
            last_name=self.last_name,
            first_name=self.first_name,
            middle_name=self.middle_name,
            name_suffix=self.name_suffix,
            birth_date=self.birth_date,
            sex=self.sex,
            address=self.address.draft(),
            phone=self.phone,
            email=self.email,
            account_number=self.account_number,
            guarantor=GuarantorDraft(
                last_name=g.last_name,
                first_name=g.first_name,
                relationship=g.relationship,
                address=g.address.draft(),
                phone=g.phone,
            )
            if g
            else None,
        )


class PatientOut(BaseModel):
    id: str
    account_number: str
    last_name: str
    first_name: str
    middle_name: str | None
    name_suffix: str | None
    birth_date: date
    sex: str
    address: AddressOut | None
    phone: str | None
    email: str | None
    guarantor: GuarantorOut | None

    @classmethod
    def of(cls, p: Patient) -> PatientOut:
        g = p.guarantor
        return cls(
            id=p.id,
            account_number=p.account_number,
            last_name=p.name.last,
            first_name=p.name.first,
            middle_name=p.name.middle,
            name_suffix=p.name.suffix,
            birth_date=p.birth_date,
            sex=p.sex.value,
            address=AddressOut.of(p.address),
            phone=p.phone,
            email=p.email,
            guarantor=GuarantorOut(
                last_name=g.name.last,
                first_name=g.name.first,
                relationship=g.relationship.value,
                address=AddressOut.of(g.address),
                phone=g.phone,
            )
            if g
            else None,
        )


class SubscriberIn(Strict):
    last_name: str
    first_name: str
    birth_date: date
    sex: str
    address: AddressIn | None = None


class CoverageIn(Strict):
    payer_id: str = Field(description="the id of one of the practice's payers")
    order: str = Field(examples=["primary"], description="primary, secondary or tertiary")
    member_id: str
    relationship: str = Field(default="18", description="X12 relationship code: 18 self, 01 spouse, 19 child, G8 other")
    subscriber: SubscriberIn | None = None
    group_number: str | None = None
    plan_name: str | None = None
    effective_from: date
    effective_to: date | None = None
    copay: Amount = "0.00"
    deductible: Amount = "0.00"
    coinsurance_percent: Annotated[str, Field(pattern=r"^\d{1,3}(\.\d{1,2})?$")] = "0"

    def draft(self) -> CoverageDraft:
        s = self.subscriber
        return CoverageDraft(
            payer_id=self.payer_id,
            order=self.order,
            member_id=self.member_id,
            relationship=self.relationship,
            subscriber=SubscriberDraft(
                last_name=s.last_name,
                first_name=s.first_name,
                birth_date=s.birth_date,
                sex=s.sex,
                address=s.address.draft() if s.address else None,
            )
            if s
            else None,
            group_number=self.group_number,
            plan_name=self.plan_name,
            effective_from=self.effective_from,
            effective_to=self.effective_to,
            copay_cents=parse_cents(self.copay, field="copay"),
            deductible_cents=parse_cents(self.deductible, field="deductible"),
            coinsurance_percent=self.coinsurance_percent,
        )


class CoverageOut(BaseModel):
    id: str
    patient_id: str
    payer_id: str
    order: str
    member_id: str
    relationship: str
    subscriber_last_name: str | None
    subscriber_first_name: str | None
    group_number: str | None
    plan_name: str | None
    effective_from: date
    effective_to: date | None
    copay: str
    deductible: str
    coinsurance_percent: str

    @classmethod
    def of(cls, c: Coverage) -> CoverageOut:
        s = c.subscriber
        return cls(
            id=c.id,
            patient_id=c.patient_id,
            payer_id=c.payer_id,
            order=c.order.value,
            member_id=c.member_id,
            relationship=c.relationship.value,
            subscriber_last_name=s.name.last if s else None,
            subscriber_first_name=s.name.first if s else None,
            group_number=c.group_number,
            plan_name=c.plan_name,
            effective_from=c.effective_from,
            effective_to=c.effective_to,
            copay=str(Money(c.copay_cents)),
            deductible=str(Money(c.deductible_cents)),
            coinsurance_percent=str(c.coinsurance_percent),
        )


class LineIn(Strict):
    procedure_code: str = Field(examples=["99213"])
    modifiers: list[str] = Field(default_factory=list)
    units: int = 1
    charge: Amount | None = Field(default=None, description="total for the line; omitted = fee schedule price")
    diagnosis_pointers: list[int] = Field(default_factory=lambda: [1])
    note: str | None = None
    revenue_code: str | None = Field(default=None, description="UB-04 FL 42, institutional encounters only")


class EncounterIn(Strict):
    patient_id: str
    date_of_service: date
    place_of_service: str | None = None
    rendering_provider_id: str
    referring_provider_id: str | None = None
    facility_id: str | None = None
    diagnoses: list[str] = Field(description="ICD-10-CM codes in order, the first is primary", examples=[["E11.9"]])
    lines: list[LineIn]
    institutional: InstitutionalIn | None = Field(default=None, description="given: billed on a UB-04 / 837I")

    def draft(self) -> EncounterDraft:
        return EncounterDraft(
            patient_id=self.patient_id,
            date_of_service=self.date_of_service,
            place_of_service=self.place_of_service,
            rendering_provider_id=self.rendering_provider_id,
            referring_provider_id=self.referring_provider_id,
            facility_id=self.facility_id,
            diagnoses=tuple(self.diagnoses),
            lines=tuple(
                LineDraft(
                    procedure_code=ln.procedure_code,
                    modifiers=tuple(ln.modifiers),
                    units=ln.units,
                    charge_cents=parse_cents(ln.charge, field=f"lines[{i}].charge") if ln.charge else None,
                    diagnosis_pointers=tuple(ln.diagnosis_pointers),
                    note=ln.note,
                    revenue_code=ln.revenue_code,
                )
                for i, ln in enumerate(self.lines, 1)
            ),
            institutional=self.institutional.draft() if self.institutional is not None else None,
        )


class LineOut(BaseModel):
    line_number: int
    procedure_code: str
    modifiers: list[str]
    units: int
    charge: str
    diagnosis_pointers: list[int]
    note: str | None
    revenue_code: str | None = None


class EncounterOut(BaseModel):
    id: str
    patient_id: str
    date_of_service: date
    place_of_service: str
    rendering_provider_id: str
    referring_provider_id: str | None
    facility_id: str | None
    diagnoses: list[str]
    lines: list[LineOut]
    total_charge: str
    created_at: datetime | None
    kind: str = Field(default="P", description="P professional (837P), I institutional (837I)")
    institutional: InstitutionalIn | None = None

    @classmethod
    def of(cls, e: Encounter) -> EncounterOut:
        return cls(
            id=e.id,
            patient_id=e.patient_id,
            date_of_service=e.date_of_service,
            place_of_service=e.place_of_service,
            rendering_provider_id=e.rendering_provider_id,
            referring_provider_id=e.referring_provider_id,
            facility_id=e.facility_id,
            diagnoses=[dotted(d) for d in e.diagnoses],
            lines=[
                LineOut(
                    line_number=ln.line_number,
                    procedure_code=ln.procedure_code,
                    modifiers=list(ln.modifiers),
                    units=ln.units,
                    charge=str(Money(ln.charge_cents)),
                    diagnosis_pointers=list(ln.diagnosis_pointers),
                    note=ln.note,
                    revenue_code=ln.revenue_code,
                )
                for ln in e.lines
            ],
            total_charge=str(Money(e.total_charge_cents)),
            created_at=e.created_at,
            kind=e.kind.value,
            institutional=InstitutionalIn.of(e.institutional) if e.institutional is not None else None,
        )


class FeeIn(Strict):
    procedure_code: str
    modifier: str = ""
    charge: Amount


class FeeScheduleIn(Strict):
    name: str
    payer_id: str | None = Field(default=None, description="omit for the practice's own charges")
    effective_from: date
    effective_to: date | None = None
    entries: list[FeeIn]

    def draft(self) -> FeeScheduleDraft:
        return FeeScheduleDraft(
            name=self.name,
            payer_id=self.payer_id,
            effective_from=self.effective_from,
            effective_to=self.effective_to,
            entries=tuple(
                (e.procedure_code, e.modifier, parse_cents(e.charge, field=f"entries[{i}].charge"))
                for i, e in enumerate(self.entries, 1)
            ),
        )


class FeeOut(BaseModel):
    procedure_code: str
    modifier: str
    charge: str


class FeeScheduleOut(BaseModel):
    id: str
    name: str
    payer_id: str | None
    effective_from: date
    effective_to: date | None
    entries: list[FeeOut]

    @classmethod
    def of(cls, s: FeeSchedule) -> FeeScheduleOut:
        return cls(
            id=s.id,
            name=s.name,
            payer_id=s.payer_id,
            effective_from=s.effective_from,
            effective_to=s.effective_to,
            entries=[
                FeeOut(procedure_code=c, modifier=m, charge=str(Money(v))) for (c, m), v in sorted(s.entries.items())
            ],
        )


class TokenIn(Strict):
    name: str = "api"


class TokenOut(BaseModel):
    id: str
    name: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None


class NewTokenOut(TokenOut):
    token: str = Field(description="shown once; store it now")


class MeOut(BaseModel):
    user_id: str
    username: str
    role: str
    practice_id: str


class AuditOut(BaseModel):
    id: str
    at: datetime
    username: str
    action: str
    entity_type: str
    entity_id: str | None
    source: str
    detail: str


class ProblemFieldError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """Every error, as application/problem+json (RFC 9457) with medbill's stable ``code`` and the refused ``field``."""

    type: str
    title: str
    status: int
    detail: str
    code: str = Field(examples=["invalid_identifier"])
    field: str | None = Field(default=None, examples=["npi", "lines[2].modifiers"])
    errors: list[ProblemFieldError] | None = None


class PlannedServiceIn(Strict):
    procedure_code: str = Field(examples=["99213"])
    units: int = 1
    modifiers: list[str] = Field(default_factory=list)


class AppointmentIn(Strict):
    patient_id: str
    starts_at: datetime = Field(description="with its UTC offset, e.g. 2026-11-27T09:30:00-05:00")
    minutes: int = 15
    provider_id: str
    facility_id: str | None = None
    visit_type: str = Field(
        examples=["established"],
        description="new_patient, established, annual_wellness, preventive, procedure, telehealth or follow_up",
    )
    services: list[PlannedServiceIn] = Field(default_factory=list)
    note: str | None = None

    def draft(self) -> AppointmentDraft:
        return AppointmentDraft(
            patient_id=self.patient_id,
            starts_at=self.starts_at,
            minutes=self.minutes,
            provider_id=self.provider_id,
            facility_id=self.facility_id,
            visit_type=self.visit_type,
            services=tuple((s.procedure_code, s.units, tuple(s.modifiers)) for s in self.services),
            note=self.note,
        )


class PlannedServiceOut(BaseModel):
    procedure_code: str
    units: int
    modifiers: list[str]


class AppointmentOut(BaseModel):
    id: str
    patient_id: str
    starts_at: datetime
    minutes: int
    provider_id: str
    facility_id: str | None
    visit_type: str
    status: str
    services: list[PlannedServiceOut]
    note: str | None

    @classmethod
    def of(cls, a: Appointment) -> AppointmentOut:
        return cls(
            id=a.id,
            patient_id=a.patient_id,
            starts_at=a.starts_at,
            minutes=a.minutes,
            provider_id=a.provider_id,
            facility_id=a.facility_id,
            visit_type=a.visit_type.value,
            status=a.status.value,
            note=a.note,
            services=[
                PlannedServiceOut(procedure_code=s.procedure_code, units=s.units, modifiers=list(s.modifiers))
                for s in a.services
            ],
        )


class AppointmentStatusIn(Strict):
    status: str = Field(examples=["checked_in"], description="checked_in, completed, cancelled or no_show")


class EstimateLineOut(BaseModel):
    procedure_code: str
    modifiers: list[str]
    units: int
    charge: str
    allowed: str
    allowed_source: str
    insurance: str
    patient: str
    deductible: str
    coinsurance: str
    copay: str
    reason: str


class EstimateOut(BaseModel):
    appointment_id: str
    date_of_service: date
    self_pay: bool
    primary_payer: str | None
    secondary_payer: str | None
    charges: str
    insurance: str
    patient_visit: str
    due_today: str
    patient_total: str
    prior_balance: str = Field(description="the patient's unpaid balance from earlier visits (in patient_total)")
    credits: str = Field(description="unapplied patient payments (taken off patient_total)")
    benefits_source: str = Field(description="271: the latest eligibility answer; coverage: recorded at registration")
    eligibility_check_id: str | None = None
    lines: list[EstimateLineOut]
    notes: list[str]

    @classmethod
    def of(cls, e: AppointmentEstimate) -> EstimateOut:
        est = e.estimate
        return cls(
            appointment_id=e.appointment.id,
            date_of_service=e.date_of_service,
            self_pay=est.self_pay,
            primary_payer=e.primary_payer.name if e.primary_payer else None,
            secondary_payer=e.secondary_payer.name if e.secondary_payer else None,
            charges=str(Money(est.charges_cents)),
            insurance=str(Money(est.insurance_cents)),
            patient_visit=str(Money(est.patient_visit_cents)),
            due_today=str(Money(est.due_today_cents)),
            patient_total=str(Money(est.patient_total_cents)),
            prior_balance=str(Money(est.prior_balance_cents)),
            credits=str(Money(est.credits_cents)),
            benefits_source=e.benefits_source,
            eligibility_check_id=e.eligibility_check_id,
            lines=[
                EstimateLineOut(
                    procedure_code=x.line.procedure_code,
                    modifiers=list(x.line.modifiers),
                    units=x.line.units,
                    charge=str(Money(x.line.charge_cents)),
                    allowed=str(Money(x.line.allowed_cents)),
                    allowed_source=x.line.allowed_source,
                    insurance=str(Money(x.insurance_cents)),
                    patient=str(Money(x.patient_cents)),
                    deductible=str(Money(x.deductible_cents)),
                    coinsurance=str(Money(x.coinsurance_cents)),
                    copay=str(Money(x.copay_cents)),
                    reason=x.reason,
                )
                for x in est.lines
            ],
            notes=list(e.notes),
        )
