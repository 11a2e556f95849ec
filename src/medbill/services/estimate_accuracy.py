"""Estimate against actual, by payer: for each appointment whose visit was billed and adjudicated, what we estimated
the plan and the patient would pay, next to what the payers paid and put on the patient.

Estimates are not stored: each is computed again *as of the appointment* (the 271s answered by then, the fee
schedules and coverages as they are now), without the earlier balances and credits that moved since. An appointment
is tied to the encounter of the same patient on the same day (appointments do not name their encounter). For a
self-pay visit the comparison is the charges billed against the good-faith estimate, flagged when they exceed it by
$400 or more (the dispute threshold).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from medbill.domain.appointments import AppointmentStatus
from medbill.domain.errors import MedbillError, ValidationError
from medbill.domain.good_faith import DISPUTE_THRESHOLD_CENTS
from medbill.domain.ledger import EntryKind, LedgerEntry
from medbill.domain.users import Actor, Permission
from medbill.services.base import Deps
from medbill.services.estimates import estimate_appointment

MAX_DAYS = 366
SELF_PAY = "self-pay"


@dataclass(frozen=True, slots=True, kw_only=True)
class VisitComparison:
    appointment_id: str
    encounter_id: str
    date_of_service: date
    payer: str  # the estimate's primary payer, or "self-pay"
    benefits_source: str  # "271", "coverage", or "charges" for self-pay
    estimated_insurance_cents: int
    actual_insurance_cents: int
    estimated_patient_cents: int
    actual_patient_cents: int

    @property
    def patient_difference_cents(self) -> int:
        """Positive: the patient came to owe more than estimated."""
        return self.actual_patient_cents - self.estimated_patient_cents


@dataclass(frozen=True, slots=True, kw_only=True)
class PayerAccuracy:
    payer: str
    visits: int
    estimated_patient_cents: int
    actual_patient_cents: int
    estimated_insurance_cents: int
    actual_insurance_cents: int
    mean_absolute_difference_cents: int  # of the patient's share, rounded half up to the cent
    within_tolerance: int  # visits whose patient share was within the tolerance of the estimate
    over_dispute_threshold: int  # visits where the patient came to owe $400 or more above the estimate


@dataclass(frozen=True, slots=True, kw_only=True)
class AccuracyReport:
    start: date
    end: date
    tolerance_cents: int
    payers: tuple[PayerAccuracy, ...]
    visits: tuple[VisitComparison, ...]
    not_compared: tuple[str, ...]  # appointments left out, with why


def _actual(entries: list[LedgerEntry]) -> tuple[int, int, bool]:
    """(insurance paid, patient responsibility, adjudicated) from a visit's ledger entries."""
    paid = sum(e.amount_cents for e in entries if e.kind is EntryKind.PAYER_PAYMENT)
    to_patient = sum(e.amount_cents for e in entries if e.kind is EntryKind.TRANSFER_TO_PATIENT)
    back = sum(e.amount_cents for e in entries if e.kind is EntryKind.TRANSFER_TO_INSURANCE)
    adjudicated = any(e.remittance_id is not None for e in entries)
    return paid, to_patient - back, adjudicated


def estimate_accuracy(
    deps: Deps, actor: Actor, start: date, end: date, *, tolerance_cents: int = 500
) -> AccuracyReport:
    actor.require(Permission.REMITTANCE_POST)
    if end < start or (end - start).days >= MAX_DAYS:
        raise ValidationError(f"the period is 1 to {MAX_DAYS} days, ending on or after its start", field="end")
    if tolerance_cents < 0:
        raise ValidationError("the tolerance is not negative", field="tolerance")
    pid = actor.practice_id
    pairs: list[tuple[str, str, date, list[LedgerEntry]]] = []
    skipped: list[str] = []
    with deps.uow() as uow:
        day = start
        while day <= end:
            for appointment in uow.appointments.on_day(pid, day):
                if appointment.status in (AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW):
                    continue
                visit = next(
                    (
                        e
                        for e in uow.encounters.for_patient(pid, appointment.patient_id)
                        if e.date_of_service == appointment.starts_at.date()
                    ),
                    None,
                )
                if visit is None:
                    skipped.append(f"{appointment.id}: no encounter recorded for the visit")
                    continue
                entries = list(uow.ledger.for_encounters(pid, [visit.id]))
                pairs.append((appointment.id, visit.id, day, entries))
            day += timedelta(days=1)
    visits: list[VisitComparison] = []
    for appointment_id, encounter_id, day, entries in pairs:
        paid, patient, adjudicated = _actual(entries)
        try:
            result = estimate_appointment(deps, actor, appointment_id, as_of=_end_of(day))
        except MedbillError as exc:
            skipped.append(f"{appointment_id}: the estimate cannot be computed again ({exc.message})")
            continue
        est = result.estimate
        if est.self_pay:
            charged = sum(e.amount_cents for e in entries if e.kind is EntryKind.CHARGE)
            visits.append(
                VisitComparison(
                    appointment_id=appointment_id,
                    encounter_id=encounter_id,
                    date_of_service=day,
                    payer=SELF_PAY,
                    benefits_source="charges",
                    estimated_insurance_cents=0,
                    actual_insurance_cents=paid,
                    estimated_patient_cents=est.charges_cents,
                    actual_patient_cents=charged,
                )
            )
            continue
        if not adjudicated:
            skipped.append(f"{appointment_id}: the claim has not been adjudicated yet")
            continue
        visits.append(
            VisitComparison(
                appointment_id=appointment_id,
                encounter_id=encounter_id,
                date_of_service=day,
                payer=result.primary_payer.name if result.primary_payer else SELF_PAY,
                benefits_source=result.benefits_source,
                estimated_insurance_cents=est.insurance_cents,
                actual_insurance_cents=paid,
                estimated_patient_cents=est.patient_visit_cents,
                actual_patient_cents=patient,
            )
        )
    return AccuracyReport(
        start=start,
        end=end,
        tolerance_cents=tolerance_cents,
        payers=_by_payer(visits, tolerance_cents),
        visits=tuple(visits),
        not_compared=tuple(skipped),
    )


def _end_of(day: date) -> datetime:
    """The estimate as of the appointment: the 271s answered before the visit's day ended (UTC)."""
    return datetime.combine(day, time.max, tzinfo=UTC)


def _by_payer(visits: list[VisitComparison], tolerance: int) -> tuple[PayerAccuracy, ...]:
    groups: dict[str, list[VisitComparison]] = defaultdict(list)
    for v in visits:
        groups[v.payer].append(v)
    out = []
    for payer, found in sorted(groups.items()):
        differences = [abs(v.patient_difference_cents) for v in found]
        mean = (2 * sum(differences) + len(found)) // (2 * len(found))  # half up, integer cents
        out.append(
            PayerAccuracy(
                payer=payer,
                visits=len(found),
                estimated_patient_cents=sum(v.estimated_patient_cents for v in found),
                actual_patient_cents=sum(v.actual_patient_cents for v in found),
                estimated_insurance_cents=sum(v.estimated_insurance_cents for v in found),
                actual_insurance_cents=sum(v.actual_insurance_cents for v in found),
                mean_absolute_difference_cents=mean,
                within_tolerance=sum(1 for d in differences if d <= tolerance),
                over_dispute_threshold=sum(1 for v in found if v.patient_difference_cents >= DISPUTE_THRESHOLD_CENTS),
            )
        )
    return tuple(out)
