"""The demo practice: synthetic providers, payers, patients, coverages and encounters, built through the services."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from medbill.domain.parties import Provider
from medbill.domain.statements import StatementRules
from medbill.domain.users import Actor, Role
from medbill.services import (
    accounts,
    appointments,
    batches,
    claims,
    patients,
    setup,
    statements,
    submission,
    synthetic,
)
from medbill.services import clearinghouse as clearinghouse_files
from medbill.services.appointments import AppointmentDraft
from medbill.services.base import Deps
from medbill.services.ports import Clearinghouse, FileDirection, PatientQuery

DEMO_PRACTICE = "Riverbend Family Medicine (demo)"
DEMO_USERS = {  # username: (role, display name); every demo user has the same password
    "admin": (Role.ADMIN, "Demo Admin"),
    "biller": (Role.BILLER, "Demo Biller"),
    "coder": (Role.CODER, "Demo Coder"),
    "frontdesk": (Role.FRONT_DESK, "Demo Front Desk"),
}
DEMO_PASSWORD = "medbill-demo"


@dataclass(frozen=True, slots=True)
class DemoSummary:
    practice_id: str
    created: bool
    providers: int
    payers: int
    patients: int
    coverages: int
    encounters: int
    total_charges_cents: int
    appointments: int = 0
    claims: int = 0  # built from the encounters, scrubbed
    claims_batched: int = 0  # queued in 837P files, one per payer
    claims_held: int = 0  # kept back by scrubber errors
    claim_states: dict[str, int] = field(default_factory=dict)  # after the sandbox payer answered
    remittances: int = 0  # 835 transactions posted
    secondary_claims: int = 0  # built from the primaries' 835s, sent and answered in a second round
    ledger: dict[str, int] = field(default_factory=dict)  # cents by entry kind, over the whole practice
    queues: dict[str, int] = field(default_factory=dict)  # open work items by queue
    statements: int = 0  # patient statements produced after insurance (one per guarantor owing $5.00 or more)
    eligibility: dict[str, int] = field(default_factory=dict)  # tomorrow's checks by status (active, rejected …)
    estimates: int = 0  # tomorrow's appointments estimated


def demo_exists(deps: Deps) -> bool:
    return any(practice.name == DEMO_PRACTICE for practice in setup.list_practices(deps))


def build_demo(
    deps: Deps,
    *,
    patients_count: int = 220,
    seed: int = 2026,
    edi_out: Path | None = None,
    clearinghouse: Clearinghouse | None = None,
) -> DemoSummary:
    """Create the demo practice once (its claims built, scrubbed and batched, the 837s also written to ``edi_out``);
    a second run finds it and changes nothing."""
    for practice in setup.list_practices(deps):
        if practice.name == DEMO_PRACTICE:
            return DemoSummary(practice.id, False, 0, 0, 0, 0, 0, 0)
    rng = random.Random(seed)
    sp = synthetic.setup_practice(
        deps, rng, name=DEMO_PRACTICE, usernames=DEMO_USERS, password=DEMO_PASSWORD, source="demo"
    )
    actor, doctors, payers, group = sp.actor, sp.doctors, sp.payers, sp.group
    counts = {"patients": 0, "coverages": 0, "encounters": 0, "charges": 0, "appointments": 0}
    for patient, visits in synthetic.add_patients_with_visits(
        deps, sp, rng, patients_count, lambda r: r.choice((0, 1, 1, 2))
    ):
        counts["patients"] += 1
        counts["coverages"] += patient.coverages
        counts["encounters"] += len(visits)
        counts["charges"] += sum(encounter.total_charge_cents for encounter in visits)
    counts["appointments"] = _schedule_tomorrow(deps, actor, rng, doctors, sp.facility.id)
    billed = batches.bill_unbilled(deps, actor, options=batches.BatchOptions(usage="T"), out_dir=edi_out)
    cycle = _run_cycle(deps, actor, clearinghouse, edi_out) if clearinghouse is not None else _Cycle({}, 0, 0)
    checked = _check_tomorrow(deps, actor, clearinghouse, edi_out) if clearinghouse is not None else ({}, 0)
    return DemoSummary(
        sp.practice_id,
        True,
        1 + len(doctors) if group else len(doctors),
        len(payers),
        counts["patients"],
        counts["coverages"],
        counts["encounters"],
        counts["charges"],
        counts["appointments"],
        billed.built,
        billed.batched,
        billed.held,
        claim_states=cycle.states,
        remittances=cycle.remittances,
        secondary_claims=cycle.secondary_claims,
        ledger=_ledger_totals(deps, actor),
        statements=_statements(deps, actor) if clearinghouse is not None else 0,
        queues={k: v for k, v in accounts.queue_counts(deps, actor).items() if v},
        eligibility=checked[0],
        estimates=checked[1],
    )


def _check_tomorrow(
    deps: Deps, actor: Actor, clearinghouse: Clearinghouse, edi_out: Path | None
) -> tuple[dict[str, int], int]:
    """Eligibility for tomorrow's appointments through the (sandbox) payer (the 270s and 271s also to ``edi_out``),
    then each appointment's estimate; (checks by status, estimates computed)."""
    from medbill.domain.eligibility_checks import CheckStatus
    from medbill.domain.errors import MedbillError
    from medbill.services import eligibility, estimates

    tomorrow = deps.clock.today() + timedelta(days=1)
    run = eligibility.run_eligibility(deps, actor, clearinghouse, tomorrow, usage="T")
    if edi_out is not None:
        for listed in clearinghouse_files.list_files(deps, actor, limit=1000):
            kind = listed.x12_kind or ""
            if kind in ("270", "271"):
                archived = clearinghouse_files.archived_file(deps, actor, listed.id)
                name = (
                    listed.remote_name if listed.remote_name.startswith(f"{kind}_") else f"{kind}_{listed.remote_name}"
                )
                (edi_out / name).write_bytes(archived.content)
    done = 0
    for appointment in appointments.appointments_on(deps, actor, tomorrow):
        try:
            estimates.estimate_appointment(deps, actor, appointment.id)
        except MedbillError:
            continue  # a planned service the fee schedule does not price: the day list shows it
        done += 1
    return {s.value: run.count(s) for s in CheckStatus if run.count(s)}, done


_PLANS: tuple[tuple[str, tuple[tuple[str, int, tuple[str, ...]], ...]], ...] = (
    ("established", (("99213", 1, ()),)),
    ("established", (("99214", 1, ()), ("83036", 1, ()))),
    ("new_patient", (("99203", 1, ()),)),
    ("preventive", (("99396", 1, ()), ("36415", 1, ()))),
    ("follow_up", (("99212", 1, ()),)),
    ("procedure", (("97110", 2, ("GP",)),)),
)


def _schedule_tomorrow(deps: Deps, actor: Actor, rng: random.Random, doctors: list[Provider], facility_id: str) -> int:
    """A morning of appointments tomorrow, 09:00–12:00 in the practice's (US Central) clinic hours."""
    tomorrow = deps.clock.today() + timedelta(days=1)
    found = patients.search_patients(deps, actor, PatientQuery(limit=500))
    chosen = rng.sample(list(found), k=min(24, len(found)))
    for slot, patient in enumerate(chosen):
        visit, services = rng.choice(_PLANS)
        starts = datetime.combine(tomorrow, time(15, 0), tzinfo=UTC) + timedelta(minutes=15 * (slot // len(doctors)))
        appointments.schedule_appointment(
            deps,
            actor,
            AppointmentDraft(
                patient_id=patient.id,
                starts_at=starts,
                provider_id=doctors[slot % len(doctors)].id,
                facility_id=facility_id,
                visit_type=visit,
                services=services,
            ),
        )
    return len(chosen)


@dataclass(frozen=True, slots=True)
class _Cycle:
    states: dict[str, int]
    remittances: int
    secondary_claims: int


def _statements(deps: Deps, actor: Actor) -> int:
    """The first statement run: every guarantor who owes at least the default minimum after insurance."""
    return len(statements.run_statements(deps, actor, rules=StatementRules()).statements)


def _ledger_totals(deps: Deps, actor: Actor) -> dict[str, int]:
    with deps.uow() as uow:
        return dict(uow.ledger.totals_by_kind(actor.practice_id))


def _run_cycle(deps: Deps, actor: Actor, clearinghouse: Clearinghouse, edi_out: Path | None) -> _Cycle:
    """Send the batches to the (sandbox) payer, take in its 999, 277CA and 835 (posting the payments), then bill the
    secondary claims those 835s built and take in the secondary payers' answers; count the claims by state."""
    remittances = secondary = 0
    for round_number in range(2):
        if round_number:
            billed = batches.bill_unbilled(deps, actor, options=batches.BatchOptions(usage="T"), out_dir=edi_out)
            if not billed.batched:
                break
        submission.send_batches(deps, actor, clearinghouse)
        ingested = submission.ingest_answers(deps, actor, clearinghouse)
        for report in ingested.remittances:
            remittances += sum(1 for tr in report.transactions if tr.remittance_id and not tr.already_imported)
            secondary += sum(tr.secondary_claims for tr in report.transactions)
    if edi_out is not None:
        for listed in clearinghouse_files.list_files(deps, actor, direction=FileDirection.INBOUND.value, limit=1000):
            archived = clearinghouse_files.archived_file(deps, actor, listed.id)
            kind = listed.x12_kind or "x12"
            (edi_out / f"{kind}_{listed.remote_name}").write_bytes(archived.content)
    states: dict[str, int] = {}
    for count in claims.claim_counts(deps, actor):
        states[count.status.value] = states.get(count.status.value, 0) + count.count
    return _Cycle(states, remittances, secondary)
