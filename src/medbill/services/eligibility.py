"""Eligibility checks: a 270 for a coverage sent through the clearinghouse port, its 271 taken in (at once from a
real-time mailbox like the sandbox payer, or by a later ``complete_pending`` for a batch mailbox), kept raw with the
benefits normalized; what the answer changes goes to the front-desk work queue. ``run_eligibility`` checks every
coverage of every appointment of a day.

A 271 is matched to its check by the trace number we sent (TRN*2 echoed in 2000C/D), or by the BHT03 reference when
the payer refused the whole inquiry. One 270 file carries one inquiry, so a 271 file answers one check and is kept as
its raw answer.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from medbill.domain.appointments import AppointmentStatus
from medbill.domain.audit import AuditAction
from medbill.domain.benefits import MemberBenefits, member_benefits
from medbill.domain.coverage import Coverage
from medbill.domain.eligibility import EligibilityResponse
from medbill.domain.eligibility_checks import CheckStatus, EligibilityCheck
from medbill.domain.errors import MedbillError, NotFound, ValidationError
from medbill.domain.fields import new_id
from medbill.domain.users import Actor, Permission
from medbill.domain.work_items import Queue, WorkItem
from medbill.formats import x12
from medbill.services import clearinghouse as mailbox
from medbill.services.base import Deps, record_audit
from medbill.services.eligibility_request import (
    VISIT_SERVICE_TYPES,
    build_270,
    check_service_types,
    envelope_270,
    findings,
    sender_id,
)
from medbill.services.ports import Clearinghouse, FileDirection, UnitOfWork

CHECK = Permission.ELIGIBILITY_CHECK
READ = Permission.PATIENT_READ
ENTITY = "eligibility_check"
Progress = Callable[[int, int], None]  # (done, total)


def _no_progress(done: int, total: int) -> None:
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class SentCheck:
    check: EligibilityCheck
    file_name: str
    request: bytes


def _choose_coverage(coverages: Sequence[Coverage], coverage_id: str | None, day: date) -> Coverage:
    if coverage_id:
        found = next((c for c in coverages if c.id == coverage_id), None)
        if found is None:
            raise NotFound("the patient has no coverage with that id", field="coverage_id")
        return found
    active = sorted((c for c in coverages if c.is_active_on(day)), key=lambda c: c.order.rank)
    if not active:
        raise ValidationError("the patient has no coverage in force on that day to check", field="coverage_id")
    return active[0]


def _prepare(
    uow: UnitOfWork,
    deps: Deps,
    actor: Actor,
    patient_id: str,
    coverage_id: str | None,
    service_types: tuple[str, ...],
    appointment_id: str | None,
    usage: str,
) -> SentCheck:
    """Build and store the check (pending) with its 270, inside the caller's unit of work."""
    pid = actor.practice_id
    patient = uow.patients.get(pid, patient_id)
    appointment = uow.appointments.get(pid, appointment_id) if appointment_id else None
    if appointment is not None and appointment.patient_id != patient.id:
        raise ValidationError("the appointment is another patient's", field="appointment_id")
    day = appointment.starts_at.date() if appointment else deps.clock.today()
    coverage = _choose_coverage(uow.coverages.for_patient(pid, patient.id), coverage_id, day)
    payer = uow.payers.get(pid, coverage.payer_id)
    practice = uow.practices.get(pid)
    provider = uow.providers.get(pid, appointment.provider_id) if appointment else None
    sender = sender_id(practice)
    icn = uow.counters.next(pid, f"isa:{payer.payer_id}")
    gcn = uow.counters.next(pid, f"gs:{payer.payer_id}")
    trace = f"{uow.counters.next(pid, 'trn:270'):09d}{new_id()[:8].upper()}"  # ordered, and unique across practices
    now = deps.clock.now()
    request = build_270(
        practice=practice,
        provider=provider,
        payer=payer,
        patient=patient,
        coverage=coverage,
        service_types=service_types,
        day=day,
        trace=trace,
        now=now,
    )
    data = x12.write_270([request], envelope_270(sender, payer.payer_id, icn, gcn, now, usage)).encode("ascii")
    check = EligibilityCheck(
        practice_id=pid,
        patient_id=patient.id,
        coverage_id=coverage.id,
        payer_id=payer.id,
        appointment_id=appointment.id if appointment else None,
        service_types=service_types,
        member_id=coverage.member_id,
        trace_number=trace,
        requested_at=now,
        created_by=actor.username,
    )
    uow.eligibility_checks.add(check, data)
    record_audit(uow, deps, actor, AuditAction.CREATE, ENTITY, check.id, f"270 to {payer.payer_id}")
    return SentCheck(check=check, file_name=f"270_{payer.payer_id}_{icn:09d}.x12", request=data)


def _send(deps: Deps, actor: Actor, clearinghouse: Clearinghouse, sent: SentCheck) -> EligibilityCheck:
    """Send the 270; a refused send marks the check as an error (it stays, with the reason)."""
    try:
        mailbox.send_file(deps, actor, clearinghouse, sent.file_name, sent.request, "270", permission=CHECK)
    except MedbillError as exc:
        failed = replace(sent.check, status=CheckStatus.ERROR, problems=(f"the 270 was not sent: {exc.message}",))
        with deps.uow() as uow:
            uow.eligibility_checks.answer(failed, None)
            uow.commit()
        return failed
    return sent.check


def check_eligibility(
    deps: Deps,
    actor: Actor,
    clearinghouse: Clearinghouse,
    patient_id: str,
    *,
    coverage_id: str | None = None,
    service_types: tuple[str, ...] = ("30",),
    appointment_id: str | None = None,
    usage: str = "P",
) -> EligibilityCheck:
    """Ask the payer about one coverage (the primary in force, unless named); the check as it stands after the
    mailbox was polled once: answered, or pending until a later ``complete_pending``, or error."""
    actor.require(CHECK)
    types = check_service_types(service_types)
    with deps.uow() as uow:
        sent = _prepare(uow, deps, actor, patient_id, coverage_id, types, appointment_id, usage)
        uow.commit()
    check = _send(deps, actor, clearinghouse, sent)
    if check.status is CheckStatus.PENDING:
        with contextlib.suppress(MedbillError):  # the mailbox could not be read now: pending for a later poll
            complete_pending(deps, actor, clearinghouse)
    with deps.uow() as uow:
        return uow.eligibility_checks.get(actor.practice_id, check.id)


def complete_pending(deps: Deps, actor: Actor, clearinghouse: Clearinghouse) -> list[EligibilityCheck]:
    """Take in the 271s waiting in the mailbox (other kinds are left for their poller) and those archived by any
    poll since the oldest pending check; every pending check they answer is completed. Returns those."""
    actor.require(CHECK)
    mailbox.poll(deps, actor, clearinghouse, kinds={"271"}, permission=CHECK)
    pid = actor.practice_id
    with deps.uow() as uow:
        pending = {c.trace_number: c for c in uow.eligibility_checks.by_status(pid, CheckStatus.PENDING)}
    if not pending:
        return []
    oldest = min(c.requested_at for c in pending.values())
    done: list[EligibilityCheck] = []
    for file_id in _recent_271s(deps, actor, clearinghouse.name, oldest):
        with deps.uow() as uow:
            content = uow.clearinghouse_files.content(pid, file_id)
        for trace, member_answer in _answers(content):
            check = pending.pop(trace, None)
            if check is not None:
                done.append(_complete(deps, actor, check, member_answer, content))
        if not pending:
            break
    return done


def _recent_271s(deps: Deps, actor: Actor, mailbox_name: str, since: datetime) -> list[str]:
    """Archived inbound 271 files of this mailbox received since ``since`` (newest first)."""
    found: list[str] = []
    offset = 0
    with deps.uow() as uow:
        while True:
            page = uow.clearinghouse_files.list(
                actor.practice_id, direction=FileDirection.INBOUND, limit=200, offset=offset
            )
            for f in page:
                if f.created_at >= since and f.mailbox == mailbox_name and f.x12_kind == "271":
                    found.append(f.id)
            if len(page) < 200 or page[-1].created_at < since:
                return found
            offset += 200


def _answers(content: bytes) -> list[tuple[str, MemberBenefits | str]]:
    """(trace, the member's benefits) for every member answered; (reference, reason) when the payer refused all."""
    try:
        transactions = x12.read(content)
    except x12.X12Error as exc:
        return [("", f"the 271 could not be read: {exc}")]
    out: list[tuple[str, MemberBenefits | str]] = []
    for t in transactions:
        doc = t.document
        if not isinstance(doc, EligibilityResponse):
            continue
        members = list(doc.members())
        for m in members:
            benefits = member_benefits(m, doc)
            for trace in (tr.number for tr in m.traces if tr.type_code == "2"):
                out.append((trace, benefits))
        if not members:  # refused at the payer or receiver: one record with every reason, matched on BHT03
            receivers = [x for r in doc.receivers for x in r.rejections]
            reasons = [*doc.rejections, *receivers]
            out.append(
                (
                    doc.reference,
                    MemberBenefits.from_json(
                        {
                            "status": "rejected",
                            "rejections": [
                                {"loop": r.loop, "code": r.reason_code, "reason": r.reason, "follow_up": r.follow_up}
                                for r in reasons
                            ],
                        }
                    ),
                )
            )
    return out


def _complete(
    deps: Deps, actor: Actor, check: EligibilityCheck, answer: MemberBenefits | str, content: bytes
) -> EligibilityCheck:
    pid = actor.practice_id
    with deps.uow() as uow:
        if isinstance(answer, str):
            done = replace(check, status=CheckStatus.ERROR, answered_at=deps.clock.now(), problems=(answer,))
            uow.eligibility_checks.answer(done, content)
            uow.commit()
            return done
        coverage = uow.coverages.get(pid, check.coverage_id)
        patient = uow.patients.get(pid, check.patient_id)
        others = [c for c in uow.coverages.for_patient(pid, check.patient_id) if c.id != coverage.id]
        known = {n.upper() for c in others for p in [uow.payers.get(pid, c.payer_id)] for n in (p.name, p.payer_id)}
        earlier = uow.eligibility_checks.latest(pid, [coverage.id]).get(coverage.id)
        problems = findings(
            coverage,
            answer,
            known_payers=known,
            earlier=earlier.benefits if earlier else None,
            service_types=check.service_types,
        )
        done = replace(
            check,
            status=CheckStatus.of(answer.status),
            answered_at=deps.clock.now(),
            benefits=answer,
            problems=tuple(problems),
        )
        uow.eligibility_checks.answer(done, content)
        if problems:
            uow.work_items.add(
                [
                    WorkItem(
                        practice_id=pid,
                        queue=Queue.FRONT_DESK,
                        reference=patient.account_number,
                        amount_cents=0,
                        reason=problem,
                        detail=json.dumps(
                            {
                                "eligibility_check_id": done.id,
                                "patient_id": done.patient_id,
                                "coverage_id": done.coverage_id,
                                "appointment_id": done.appointment_id,
                            },
                            sort_keys=True,
                        ),
                        created_at=deps.clock.now(),
                    )
                    for problem in problems
                ]
            )
        record_audit(uow, deps, actor, AuditAction.UPDATE, ENTITY, done.id, f"271 {done.status.value}")
        uow.commit()
    return done


@dataclass(frozen=True, slots=True, kw_only=True)
class EligibilityRun:
    day: date
    checks: tuple[EligibilityCheck, ...]
    skipped: tuple[str, ...]  # why an appointment was not checked (no coverage in force …), in words

    def count(self, status: CheckStatus) -> int:
        return sum(1 for c in self.checks if c.status is status)

    @property
    def findings(self) -> int:
        return sum(len(c.problems) for c in self.checks if c.status is not CheckStatus.ERROR)


def run_eligibility(
    deps: Deps,
    actor: Actor,
    clearinghouse: Clearinghouse,
    day: date,
    on_progress: Progress = _no_progress,
    *,
    usage: str = "P",
) -> EligibilityRun:
    """Check every coverage in force of every appointment of the day (one 270 each, a patient's coverage once),
    then take in the answers; findings go to the front-desk queue."""
    actor.require(CHECK)
    pid = actor.practice_id
    wanted: list[tuple[str, str, str, tuple[str, ...]]] = []  # (patient, coverage, appointment, service types)
    skipped: list[str] = []
    with deps.uow() as uow:
        for appointment in uow.appointments.on_day(pid, day):
            if appointment.status in (AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW):
                continue
            types = VISIT_SERVICE_TYPES.get(appointment.visit_type.value, ("30",))
            active = [
                c
                for c in uow.coverages.for_patient(pid, appointment.patient_id)
                if c.is_active_on(appointment.starts_at.date())
            ]
            if not active:
                account = uow.patients.get(pid, appointment.patient_id).account_number
                skipped.append(f"{account}: no coverage on file in force on {day.isoformat()} (self-pay)")
            for c in sorted(active, key=lambda c: c.order.rank):
                if all(w[1] != c.id for w in wanted):
                    wanted.append((appointment.patient_id, c.id, appointment.id, types))
        record_audit(uow, deps, actor, AuditAction.SEARCH, ENTITY, None, f"run day={day.isoformat()} n={len(wanted)}")
        uow.commit()
    sent: list[EligibilityCheck] = []
    for index, (patient_id, coverage_id, appointment_id, types) in enumerate(wanted, 1):
        try:
            with deps.uow() as uow:
                prepared = _prepare(uow, deps, actor, patient_id, coverage_id, types, appointment_id, usage)
                uow.commit()
        except MedbillError as exc:
            skipped.append(f"coverage {coverage_id}: {exc.message}")
        else:
            sent.append(_send(deps, actor, clearinghouse, prepared))
        on_progress(index, len(wanted))
    if any(c.status is CheckStatus.PENDING for c in sent):
        complete_pending(deps, actor, clearinghouse)
    with deps.uow() as uow:
        checks = tuple(uow.eligibility_checks.get(pid, c.id) for c in sent)
    return EligibilityRun(day=day, checks=checks, skipped=tuple(skipped))


def latest_benefits(deps: Deps, actor: Actor, coverage_id: str) -> EligibilityCheck | None:
    """The newest answered check of the coverage (its benefits, or why the payer could not answer), or None."""
    actor.require(READ)
    with deps.uow() as uow:
        coverage = uow.coverages.get(actor.practice_id, coverage_id)
        return uow.eligibility_checks.latest(actor.practice_id, [coverage.id]).get(coverage.id)


def latest_for_patient(deps: Deps, actor: Actor, patient_id: str) -> dict[str, EligibilityCheck]:
    """The newest answered check of each of the patient's coverages, by coverage id."""
    actor.require(READ)
    with deps.uow() as uow:
        ids = [c.id for c in uow.coverages.for_patient(actor.practice_id, patient_id)]
        return uow.eligibility_checks.latest(actor.practice_id, ids)


def patient_checks(deps: Deps, actor: Actor, patient_id: str, *, limit: int = 50) -> Sequence[EligibilityCheck]:
    actor.require(READ)
    if not 1 <= limit <= 500:
        raise ValidationError("limit is 1 to 500", field="limit")
    with deps.uow() as uow:
        uow.patients.get(actor.practice_id, patient_id)
        found = uow.eligibility_checks.for_patient(actor.practice_id, patient_id, limit=limit)
        record_audit(uow, deps, actor, AuditAction.READ, "patient", patient_id, f"eligibility checks={len(found)}")
        uow.commit()
    return found


def get_check(deps: Deps, actor: Actor, check_id: str) -> EligibilityCheck:
    actor.require(READ)
    with deps.uow() as uow:
        return uow.eligibility_checks.get(actor.practice_id, check_id)


def raw_271(deps: Deps, actor: Actor, check_id: str) -> bytes:
    """The 271 as the payer sent it (the read is audited: it holds PHI)."""
    actor.require(READ)
    with deps.uow() as uow:
        _, response = uow.eligibility_checks.raw(actor.practice_id, check_id)
        if response is None:
            raise NotFound("this check has no 271 yet")
        record_audit(uow, deps, actor, AuditAction.READ, ENTITY, check_id, "271 downloaded")
        uow.commit()
    return response


def checks_for_appointments(deps: Deps, actor: Actor, appointment_ids: Sequence[str]) -> dict[str, EligibilityCheck]:
    """The newest check of each appointment (for the day list), by appointment id."""
    actor.require(READ)
    with deps.uow() as uow:
        found = uow.eligibility_checks.for_appointments(actor.practice_id, appointment_ids)
    out: dict[str, EligibilityCheck] = {}
    for c in found:  # newest first: keep the first of each appointment
        if c.appointment_id is not None:
            out.setdefault(c.appointment_id, c)
    return out
