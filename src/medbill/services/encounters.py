"""Recording encounters with their diagnoses and charges, and the fee schedules that price lines left without one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from medbill.codesets.lookup import validate_diagnosis
from medbill.domain.audit import AuditAction
from medbill.domain.coverage import Coverage
from medbill.domain.encounters import Encounter, ServiceLine, build_line
from medbill.domain.errors import MedbillError, ValidationError
from medbill.domain.fees import FeeSchedule, FeeScheduleEntry, FeeScheduleKind, price_line
from medbill.domain.fields import parse_enum
from medbill.domain.institutional import InstitutionalData, OccurrenceCode, OccurrenceSpan, ValueCode
from medbill.domain.parties import Facility, Patient, Provider, ProviderKind, ProviderRole
from medbill.domain.posting import charge_entries
from medbill.domain.users import Actor, Permission
from medbill.services.base import Deps, audit_event, record_audit
from medbill.services.lookups import must_exist, preloaded
from medbill.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True, kw_only=True)
class LineDraft:
    procedure_code: str
    modifiers: tuple[str, ...] = ()
    units: int = 1
    charge_cents: int | None = None  # None: priced from the fee schedule in effect
    diagnosis_pointers: tuple[int, ...] = (1,)
    note: str | None = None
    revenue_code: str | None = None  # institutional lines (UB-04 FL 42); with it the procedure code may be empty


@dataclass(frozen=True, slots=True, kw_only=True)
class InstitutionalDraft:
    """The UB-04 header as entered; see ``InstitutionalData`` for what each field is and how it is checked."""

    type_of_bill: str
    patient_status: str = "01"
    statement_from: date | None = None
    statement_through: date | None = None
    admission_date: date | None = None
    admission_hour: str | None = None
    admission_type: str | None = None
    admission_source: str | None = None
    discharge_hour: str | None = None
    admitting_diagnosis: str | None = None
    attending_provider_id: str | None = None  # None: the rendering provider attends
    operating_provider_id: str | None = None
    condition_codes: tuple[str, ...] = ()
    occurrence_codes: tuple[tuple[str, date], ...] = ()  # (code, date)
    occurrence_spans: tuple[tuple[str, date, date], ...] = ()  # (code, from, through)
    value_codes: tuple[tuple[str, int], ...] = ()  # (code, cents)

    def data(self) -> InstitutionalData:
        """The checked value object; a refusal names its field under ``institutional.``."""
        try:
            return InstitutionalData(
                type_of_bill=self.type_of_bill,
                patient_status=self.patient_status,
                statement_from=self.statement_from,
                statement_through=self.statement_through,
                admission_date=self.admission_date,
                admission_hour=self.admission_hour,
                admission_type=self.admission_type,
                admission_source=self.admission_source,
                discharge_hour=self.discharge_hour,
                admitting_diagnosis=self.admitting_diagnosis or None,
                attending_provider_id=self.attending_provider_id or None,
                operating_provider_id=self.operating_provider_id or None,
                condition_codes=self.condition_codes,
                occurrence_codes=tuple(OccurrenceCode(code=c, on=on) for c, on in self.occurrence_codes),
                occurrence_spans=tuple(OccurrenceSpan(code=c, start=a, end=b) for c, a, b in self.occurrence_spans),
                value_codes=tuple(ValueCode(code=c, amount_cents=cents) for c, cents in self.value_codes),
            )
        except MedbillError as exc:
            raise exc.prefixed("institutional") from None


@dataclass(frozen=True, slots=True, kw_only=True)
class EncounterDraft:
    patient_id: str
    date_of_service: date
    rendering_provider_id: str
    diagnoses: tuple[str, ...]
    lines: tuple[LineDraft, ...]
    place_of_service: str | None = None  # the facility's, else 11 (office)
    referring_provider_id: str | None = None
    facility_id: str | None = None
    institutional: InstitutionalDraft | None = None  # given: billed on a UB-04 / 837I, every line with a revenue code


@dataclass(frozen=True, slots=True)
class _References:
    """Where an encounter's references are looked up: the unit of work row by row (one encounter), or rows read once
    for a whole bulk call. Each ``fetch`` raises ``NotFound`` for an id not in the practice (see ``must_exist``)."""

    patient: Callable[[str, str], Patient]
    provider: Callable[[str, str], Provider]
    facility: Callable[[str, str], Facility]
    coverages: Callable[[str], Sequence[Coverage]]  # a patient's
    schedules: Callable[[], Sequence[FeeSchedule]]  # the practice's fee schedules

    @classmethod
    def live(cls, uow: UnitOfWork, practice_id: str) -> _References:
        return cls(
            patient=uow.patients.get,
            provider=uow.providers.get,
            facility=uow.facilities.get,
            coverages=lambda patient_id: uow.coverages.for_patient(practice_id, patient_id),
            schedules=lambda: uow.fee_schedules.list(practice_id),
        )

    @classmethod
    def read_once(cls, uow: UnitOfWork, practice_id: str, drafts: Sequence[EncounterDraft]) -> _References:
        patient_ids = list(dict.fromkeys(d.patient_id for d in drafts))
        coverages = uow.coverages.for_patients(practice_id, patient_ids)
        schedules = uow.fee_schedules.list(practice_id)
        return cls(
            patient=preloaded(uow.patients.get_many(practice_id, patient_ids)),
            provider=preloaded({p.id: p for p in uow.providers.list(practice_id)}),
            facility=preloaded({f.id: f for f in uow.facilities.list(practice_id)}),
            coverages=lambda patient_id: coverages.get(patient_id, ()),
            schedules=lambda: schedules,
        )


def _check_institutional_providers(refs: _References, practice_id: str, data: InstitutionalData | None) -> None:
    """The attending and operating providers named on a UB-04 exist in the practice and are people (FL 76–77)."""
    if data is None:
        return
    for name, provider_id in (("attending", data.attending_provider_id), ("operating", data.operating_provider_id)):
        if provider_id:
            field = f"institutional.{name}_provider_id"
            provider = must_exist(refs.provider, practice_id, provider_id, field, "provider")
            if provider.kind is not ProviderKind.INDIVIDUAL:
                raise ValidationError(f"the {name} provider is a person, not an organization", field=field)


def _primary_payer_on(coverages: Sequence[Coverage], day: date) -> str | None:
    active = [c for c in coverages if c.is_active_on(day)]
    active.sort(key=lambda c: c.order.rank)
    return active[0].payer_id if active else None


def _check_codes_on(encounter: Encounter) -> None:
    """Every diagnosis must be a billable ICD-10-CM code in the edition in force on the date of service."""
    for position, code in enumerate(encounter.diagnoses, 1):
        try:
            validate_diagnosis(code, encounter.date_of_service)
        except MedbillError as exc:
            raise type(exc)(exc.message, field=f"diagnoses[{position}]", code=exc.code) from None
    admitting = encounter.institutional.admitting_diagnosis if encounter.institutional else None
    if admitting:
        try:
            validate_diagnosis(admitting, encounter.date_of_service)
        except MedbillError as exc:
            raise type(exc)(exc.message, field="institutional.admitting_diagnosis", code=exc.code) from None


def _priced_lines(
    draft: EncounterDraft, schedules: Callable[[], Sequence[FeeSchedule]], payer_id: str | None
) -> list[ServiceLine]:
    lines: list[ServiceLine] = []
    for number, line in enumerate(draft.lines, 1):
        charge = line.charge_cents
        if charge is None and not line.procedure_code.strip():
            raise ValidationError(
                "a line without a procedure code is not in the fee schedule: give its charge",
                field=f"lines[{number}].charge",
            )
        if charge is None:
            try:
                probe = build_line(
                    number,
                    procedure_code=line.procedure_code,
                    modifiers=line.modifiers,
                    units=line.units,
                    charge_cents=0,
                    diagnosis_pointers=line.diagnosis_pointers,
                    note=line.note,
                )
                charge = price_line(
                    schedules(),
                    procedure_code=probe.procedure_code,
                    modifiers=probe.modifiers,
                    units=probe.units,
                    date_of_service=draft.date_of_service,
                    payer_id=payer_id,
                )
            except MedbillError as exc:
                if exc.field and exc.field.startswith("lines["):
                    raise
                raise exc.prefixed(f"lines[{number}]") from None
        lines.append(
            build_line(
                number,
                procedure_code=line.procedure_code,
                modifiers=line.modifiers,
                units=line.units,
                charge_cents=charge,
                diagnosis_pointers=line.diagnosis_pointers,
                note=line.note,
                revenue_code=line.revenue_code or None,
            )
        )
    return lines


def _new_encounter(deps: Deps, refs: _References, practice_id: str, draft: EncounterDraft) -> Encounter:
    """A new encounter checked as ``record_encounter`` and ``record_encounters`` both check one: every reference and
    every line, lines without a charge priced from the fee schedule in effect, every diagnosis valid on the day."""
    if draft.date_of_service > deps.clock.today():
        raise ValidationError("the date of service is in the future", field="date_of_service")
    institutional = draft.institutional.data() if draft.institutional is not None else None
    pid = practice_id
    patient = must_exist(refs.patient, pid, draft.patient_id, "patient_id", "patient")
    if draft.date_of_service < patient.birth_date:
        raise ValidationError("the date of service is before the patient's birth", field="date_of_service")
    rendering = must_exist(refs.provider, pid, draft.rendering_provider_id, "rendering_provider_id", "provider")
    if ProviderRole.RENDERING not in rendering.roles:
        raise ValidationError("that provider is not set up as a rendering provider", field="rendering_provider_id")
    if draft.referring_provider_id:
        must_exist(refs.provider, pid, draft.referring_provider_id, "referring_provider_id", "provider")
    _check_institutional_providers(refs, pid, institutional)
    place = draft.place_of_service
    if draft.facility_id:
        facility = must_exist(refs.facility, pid, draft.facility_id, "facility_id", "facility")
        place = place or facility.place_of_service
    payer_id = _primary_payer_on(refs.coverages(patient.id), draft.date_of_service)
    encounter = Encounter(
        practice_id=pid,
        patient_id=patient.id,
        date_of_service=draft.date_of_service,
        place_of_service=place or "11",
        rendering_provider_id=rendering.id,
        referring_provider_id=draft.referring_provider_id or None,
        facility_id=draft.facility_id or None,
        diagnoses=draft.diagnoses,
        lines=tuple(_priced_lines(draft, refs.schedules, payer_id)),
        created_at=deps.clock.now(),
        institutional=institutional,
    )
    _check_codes_on(encounter)
    return encounter


def record_encounter(deps: Deps, actor: Actor, draft: EncounterDraft) -> Encounter:
    """Check every reference and every line, price lines without a charge, and store the encounter whole or not."""
    actor.require(Permission.ENCOUNTER_WRITE)
    with deps.uow() as uow:
        encounter = _new_encounter(deps, _References.live(uow, actor.practice_id), actor.practice_id, draft)
        uow.encounters.add(encounter)
        uow.ledger.add(charge_entries(encounter, deps.clock.now()))
        record_audit(uow, deps, actor, AuditAction.CREATE, "encounter", encounter.id, f"patient={encounter.patient_id}")
        uow.commit()
    return encounter


def record_encounters(deps: Deps, actor: Actor, drafts: Sequence[EncounterDraft]) -> list[Encounter]:
    """Many encounters (a practice-management export): each checked and priced exactly as ``record_encounter`` does
    one, then written together in bulk with their charges and audit rows, all or none.

    A refusal names the item by its index in ``drafts`` (0-based): ``encounters[2].lines[1].procedure_code``. The
    patients and their coverages, the practice's providers, facilities and fee schedules are read once per call."""
    actor.require(Permission.ENCOUNTER_WRITE)
    with deps.uow() as uow:
        pid = actor.practice_id
        refs = _References.read_once(uow, pid, drafts)
        recorded: list[Encounter] = []
        for i, draft in enumerate(drafts):
            try:
                recorded.append(_new_encounter(deps, refs, pid, draft))
            except MedbillError as exc:
                raise exc.prefixed(f"encounters[{i}]") from None
        uow.encounters.add_many(recorded)
        uow.ledger.add([entry for e in recorded for entry in charge_entries(e, deps.clock.now())])
        uow.audit.append_many(
            [
                audit_event(deps, actor, AuditAction.CREATE, "encounter", e.id, f"patient={e.patient_id}")
                for e in recorded
            ]
        )
        uow.commit()
    return recorded


def get_encounter(deps: Deps, actor: Actor, encounter_id: str) -> Encounter:
    actor.require(Permission.ENCOUNTER_READ)
    with deps.uow() as uow:
        encounter = uow.encounters.get(actor.practice_id, encounter_id)
        record_audit(uow, deps, actor, AuditAction.READ, "encounter", encounter.id, f"patient={encounter.patient_id}")
        uow.commit()
    return encounter


def list_encounters(deps: Deps, actor: Actor, *, patient_id: str | None = None, limit: int = 50) -> Sequence[Encounter]:
    actor.require(Permission.ENCOUNTER_READ)
    with deps.uow() as uow:
        if patient_id:
            found = uow.encounters.for_patient(actor.practice_id, patient_id)
        else:
            found = uow.encounters.recent(actor.practice_id, limit)
        record_audit(
            uow, deps, actor, AuditAction.SEARCH, "encounter", None, f"patient={patient_id or '*'} results={len(found)}"
        )
        uow.commit()
    return found


@dataclass(frozen=True, slots=True, kw_only=True)
class FeeScheduleDraft:
    name: str
    effective_from: date
    effective_to: date | None = None
    payer_id: str | None = None
    entries: tuple[tuple[str, str, int], ...] = field(default_factory=tuple)  # (code, modifier, cents)
    kind: str = "charge"  # charge, or contract (what the payer allows)


def add_fee_schedule(deps: Deps, actor: Actor, draft: FeeScheduleDraft) -> FeeSchedule:
    actor.require(Permission.SETUP_WRITE)
    entries = []
    for i, (code, modifier, cents) in enumerate(draft.entries, 1):
        try:
            entries.append(FeeScheduleEntry(procedure_code=code, modifier=modifier, charge_cents=cents))
        except MedbillError as exc:
            raise type(exc)(exc.message, field=f"entries[{i}]", code=exc.code) from None
    with deps.uow() as uow:
        if draft.payer_id:
            must_exist(uow.payers.get, actor.practice_id, draft.payer_id, "payer_id", "payer")
        schedule = FeeSchedule.with_entries(
            entries,
            practice_id=actor.practice_id,
            name=draft.name,
            payer_id=draft.payer_id or None,
            kind=parse_enum(FeeScheduleKind, draft.kind, "kind"),
            effective_from=draft.effective_from,
            effective_to=draft.effective_to,
        )
        uow.fee_schedules.add(schedule)
        record_audit(uow, deps, actor, AuditAction.CREATE, "fee_schedule", schedule.id, f"entries={len(entries)}")
        uow.commit()
    return schedule


def list_fee_schedules(deps: Deps, actor: Actor) -> Sequence[FeeSchedule]:
    actor.require(Permission.SETUP_READ)
    with deps.uow() as uow:
        return uow.fee_schedules.list(actor.practice_id)
