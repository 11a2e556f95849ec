"""The demo practice: synthetic providers, payers, patients, coverages and encounters, built through the services."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from medbill.domain.identifiers import npi_check_digit
from medbill.domain.parties import Provider
from medbill.domain.statements import StatementRules
from medbill.domain.users import Actor, Role
from medbill.services import (
    accounts,
    appointments,
    batches,
    claims,
    encounters,
    patients,
    setup,
    statements,
    submission,
    users,
)
from medbill.services import clearinghouse as clearinghouse_files
from medbill.services.appointments import AppointmentDraft
from medbill.services.base import Deps
from medbill.services.encounters import EncounterDraft, FeeScheduleDraft, LineDraft
from medbill.services.patients import CoverageDraft, GuarantorDraft, PatientDraft, SubscriberDraft
from medbill.services.ports import Clearinghouse, FileDirection, PatientQuery
from medbill.services.setup import AddressDraft, FacilityDraft, PayerDraft, ProviderDraft

DEMO_PRACTICE = "Riverbend Family Medicine (demo)"
DEMO_USERS = {  # username: (role, display name); every demo user has the same password
    "admin": (Role.ADMIN, "Demo Admin"),
    "biller": (Role.BILLER, "Demo Biller"),
    "coder": (Role.CODER, "Demo Coder"),
    "frontdesk": (Role.FRONT_DESK, "Demo Front Desk"),
}
DEMO_PASSWORD = "medbill-demo"

_LAST = [
    "Alder",
    "Birch",
    "Cedar",
    "Dunmore",
    "Elling",
    "Farrow",
    "Galloway",
    "Hartwell",
    "Ingram",
    "Jessup",
    "Kettering",
    "Lowell",
    "Marsh",
    "Norwood",
    "Oakley",
    "Pennick",
    "Quill",
    "Ridley",
    "Sorrel",
    "Thackery",
    "Upton",
    "Varga",
    "Whitcombe",
    "Yarrow",
    "Zeller",
    "Ashby",
    "Brandt",
    "Caddel",
    "Drury",
    "Eastwood",
]
_FIRST_F = [
    "Ada",
    "Beatrix",
    "Clara",
    "Delia",
    "Edith",
    "Flora",
    "Greta",
    "Hazel",
    "Iris",
    "June",
    "Kit",
    "Lena",
    "Mabel",
    "Nora",
    "Opal",
    "Pearl",
]
_FIRST_M = [
    "Abel",
    "Basil",
    "Cyrus",
    "Dane",
    "Emory",
    "Felix",
    "Gideon",
    "Hollis",
    "Ira",
    "Jasper",
    "Knox",
    "Linus",
    "Milo",
    "Nash",
    "Otto",
    "Rufus",
]
_STREETS = ["Maple", "Elm", "Chestnut", "Willow", "Spruce", "Juniper", "Laurel", "Aspen", "Hawthorn", "Sycamore"]
_CITIES = (
    ("Springfield", "IL", "62701"),
    ("Riverton", "WY", "82501"),
    ("Fairview", "TN", "37062"),
    ("Madison", "WI", "53703"),
    ("Salem", "OR", "97301"),
)

# (ICD-10-CM diagnoses, lines: (CPT/HCPCS, modifiers, units, pointers)) — typical office visits
_VISITS: tuple[tuple[tuple[str, ...], tuple[tuple[str, tuple[str, ...], int, tuple[int, ...]], ...]], ...] = (
    (("E11.9", "I10"), (("99214", (), 1, (1, 2)), ("83036", (), 1, (1,)))),
    (("J06.9",), (("99213", (), 1, (1,)),)),
    (("I10",), (("99213", (), 1, (1,)), ("80053", (), 1, (1,)))),
    (("M54.50",), (("99203", (), 1, (1,)), ("97110", ("GP",), 2, (1,)))),
    (("Z00.00",), (("99396", (), 1, (1,)), ("36415", (), 1, (1,)))),
    (("E78.5", "I10"), (("99214", ("25",), 1, (1, 2)), ("93000", (), 1, (2,)))),
    (("Z23",), (("90686", (), 1, (1,)), ("90471", (), 1, (1,)))),
    (("J45.909",), (("99213", (), 1, (1,)), ("94010", (), 1, (1,)))),
    (("F41.1",), (("99214", (), 1, (1,)),)),
    (("N39.0",), (("99212", (), 1, (1,)), ("81002", (), 1, (1,)))),
)
_FEES = {
    "99202": 11000,
    "99203": 16500,
    "99204": 25000,
    "99205": 32000,
    "99212": 9000,
    "99213": 14000,
    "99214": 20500,
    "99215": 28000,
    "99396": 22000,
    "83036": 3500,
    "80053": 4200,
    "97110": 6000,
    "36415": 1500,
    "93000": 5500,
    "90686": 4000,
    "90471": 3000,
    "94010": 7500,
    "81002": 1200,
    "G0439": 19000,
}


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


def make_npi(rng: random.Random, kind: str) -> str:
    body = ("1" if kind == "individual" else "2") + "".join(rng.choice("0123456789") for _ in range(8))
    return body + str(npi_check_digit(body))


def _address(rng: random.Random) -> AddressDraft:
    city, state, zip5 = rng.choice(_CITIES)
    return AddressDraft(
        line1=f"{rng.randint(10, 9999)} {rng.choice(_STREETS)} St",
        city=city,
        state=state,
        zip=f"{zip5}{rng.randint(1000, 9999)}",
    )


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
    today = deps.clock.today()
    practice = setup.create_practice(
        deps,
        name=DEMO_PRACTICE,
        npi=make_npi(rng, "organization"),
        tin="47-1234567",
        address=AddressDraft(line1="100 Main St", city="Springfield", state="IL", zip="627011234"),
        phone="2175550100",
        taxonomy="207Q00000X",
    )
    for username, (role, display) in DEMO_USERS.items():
        users.bootstrap_user(
            deps,
            practice_id=practice.id,
            username=username,
            display_name=display,
            role=role.value,
            password=DEMO_PASSWORD,
            source="demo",
        )
    admin = users.authenticate(deps, username="admin", password=DEMO_PASSWORD, source="demo")
    actor = Actor(
        user_id=admin.user_id, username=admin.username, practice_id=practice.id, role=Role.ADMIN, source="demo"
    )

    group = setup.add_provider(
        deps,
        actor,
        ProviderDraft(
            kind="organization",
            last_name=DEMO_PRACTICE.removesuffix(" (demo)"),
            npi=practice.npi or "",
            taxonomy="207Q00000X",
            tin="47-1234567",
            roles=("billing",),
            address=AddressDraft(line1="100 Main St", city="Springfield", state="IL", zip="627011234"),
        ),
    )
    doctors = [
        setup.add_provider(
            deps,
            actor,
            ProviderDraft(
                kind="individual",
                last_name=last,
                first_name=first,
                npi=make_npi(rng, "individual"),
                taxonomy=taxonomy,
                roles=("rendering", "referring"),
            ),
        )
        for last, first, taxonomy in (
            ("Okafor", "Ruth", "207Q00000X"),
            ("Lindqvist", "Tomas", "207R00000X"),
            ("Haddad", "Samir", "208D00000X"),
        )
    ]
    facility = setup.add_facility(
        deps,
        actor,
        FacilityDraft(
            name="Riverbend Main Clinic",
            npi=make_npi(rng, "organization"),
            place_of_service="11",
            address=AddressDraft(line1="100 Main St", city="Springfield", state="IL", zip="627011234"),
        ),
    )
    payer_specs = (
        ("Medicare Part B (demo)", "DMCR1", "MB"),
        ("State Medicaid (demo)", "DMCD1", "MC"),
        ("Acme Health Commercial (demo)", "DACME", "CI"),
        ("Blue Plains BCBS (demo)", "DBLUE", "BL"),
    )
    payers = [
        setup.add_payer(
            deps,
            actor,
            PayerDraft(
                name=name,
                payer_id=code,
                claim_filing_indicator=cfi,
                timely_filing_days=365 if cfi in {"MB", "MC"} else 180,
                address=_address(rng),
            ),
        )
        for name, code, cfi in payer_specs
    ]
    encounters.add_fee_schedule(
        deps,
        actor,
        FeeScheduleDraft(
            name="Practice standard charges",
            effective_from=date(today.year - 1, 1, 1),
            entries=tuple((code, "", cents) for code, cents in sorted(_FEES.items())),
        ),
    )

    counts = {"patients": 0, "coverages": 0, "encounters": 0, "charges": 0, "appointments": 0}
    for n in range(patients_count):
        sex = rng.choice("FM")
        first = rng.choice(_FIRST_F if sex == "F" else _FIRST_M)
        last = rng.choice(_LAST)
        age = rng.randint(1, 90)
        birth = today - timedelta(days=age * 365 + rng.randint(0, 364))
        guarantor = None
        if age < 18:
            guarantor = GuarantorDraft(
                last_name=last,
                first_name=rng.choice(_FIRST_F),
                relationship="parent",
                address=_address(rng),
                phone=f"217555{rng.randint(1000, 9999)}",
            )
        patient = patients.register_patient(
            deps,
            actor,
            PatientDraft(
                last_name=last,
                first_name=first,
                birth_date=birth,
                sex=sex,
                address=_address(rng),
                phone=f"217555{rng.randint(1000, 9999)}",
                account_number=f"D{n + 1:05d}",
                guarantor=guarantor,
            ),
        )
        counts["patients"] += 1
        if age >= 65:
            plans = [payers[0]] + ([payers[3]] if rng.random() < 0.4 else [])
        elif rng.random() < 0.25:
            plans = [payers[1]]
        else:
            plans = [rng.choice(payers[2:])]
        for order, payer in zip(("primary", "secondary"), plans, strict=False):
            child = age < 18
            patients.add_coverage(
                deps,
                actor,
                patient.id,
                CoverageDraft(
                    payer_id=payer.id,
                    order=order,
                    # about one member ID in 25 is mistyped, so the sandbox payer's 277CA rejects some claims
                    member_id=f"{'ZZ' if n % 25 == 7 else payer.payer_id[1:4]}{rng.randint(10**8, 10**9 - 1)}",
                    relationship="19" if child else "18",
                    subscriber=SubscriberDraft(
                        last_name=last,
                        first_name=guarantor.first_name,
                        sex="F",
                        birth_date=birth - timedelta(days=365 * 28),
                    )
                    if child and guarantor
                    else None,
                    group_number=None
                    if payer.claim_filing_indicator.value in {"MB", "MC"}
                    else f"G{rng.randint(1000, 9999)}",
                    plan_name=payer.name.removesuffix(" (demo)"),
                    effective_from=date(today.year - 2, 1, 1),
                    copay_cents=0
                    if payer.claim_filing_indicator.value in {"MB", "MC"}
                    else rng.choice((2000, 2500, 3000)),
                    deductible_cents=rng.choice((25700, 50000, 150000)),
                    coinsurance_percent="20" if order == "primary" else "0",
                ),
            )
            counts["coverages"] += 1
        for _ in range(rng.choice((0, 1, 1, 2))):
            diagnoses, lines = rng.choice(_VISITS)
            if age < 18 and lines[0][0] == "99396":
                continue
            on = today - timedelta(days=rng.randint(1, 90))
            doctor = rng.choice(doctors)
            encounter = encounters.record_encounter(
                deps,
                actor,
                EncounterDraft(
                    patient_id=patient.id,
                    date_of_service=on,
                    rendering_provider_id=doctor.id,
                    referring_provider_id=doctor.id,  # the visit's doctor orders its labs and tests
                    facility_id=facility.id,
                    diagnoses=diagnoses,
                    lines=tuple(
                        LineDraft(procedure_code=code, modifiers=mods, units=units, diagnosis_pointers=ptrs)
                        for code, mods, units, ptrs in lines
                    ),
                ),
            )
            counts["encounters"] += 1
            counts["charges"] += encounter.total_charge_cents
    counts["appointments"] = _schedule_tomorrow(deps, actor, rng, doctors, facility.id)
    billed = batches.bill_unbilled(deps, actor, options=batches.BatchOptions(usage="T"), out_dir=edi_out)
    cycle = _run_cycle(deps, actor, clearinghouse, edi_out) if clearinghouse is not None else _Cycle({}, 0, 0)
    checked = _check_tomorrow(deps, actor, clearinghouse, edi_out) if clearinghouse is not None else ({}, 0)
    return DemoSummary(
        practice.id,
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
