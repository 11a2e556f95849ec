"""Synthetic practices, patients, coverages and encounters (made-up people only), made through the services: the
one generator the demo and the full-cycle benchmark (bench/cycle.py) both draw from, seeded so a run repeats."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TypeVar

from medbill.domain.encounters import Encounter
from medbill.domain.identifiers import npi_check_digit
from medbill.domain.parties import Facility, Payer, Provider
from medbill.domain.users import Actor, Role
from medbill.services import encounters, patients, setup, users
from medbill.services.base import Deps
from medbill.services.encounters import EncounterDraft, FeeScheduleDraft, LineDraft
from medbill.services.patients import CoverageDraft, GuarantorDraft, PatientDraft, SubscriberDraft
from medbill.services.setup import AddressDraft, FacilityDraft, PayerDraft, ProviderDraft

T = TypeVar("T")
CHUNK = 1_000  # patients or visits per bulk service call

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
class SyntheticPractice:
    """A practice made by ``setup_practice``: who acts in it and the parties its encounters name."""

    practice_id: str
    actor: Actor  # its admin
    group: Provider | None  # the billing provider (the group itself)
    doctors: list[Provider]
    facility: Facility
    payers: list[Payer]  # Medicare, Medicaid, two commercial plans


@dataclass(frozen=True, slots=True)
class SyntheticPatient:
    patient_id: str
    age: int
    coverages: int


def make_npi(rng: random.Random, kind: str) -> str:
    body = ("1" if kind == "individual" else "2") + "".join(rng.choice("0123456789") for _ in range(8))
    return body + str(npi_check_digit(body))


def address(rng: random.Random) -> AddressDraft:
    city, state, zip5 = rng.choice(_CITIES)
    return AddressDraft(
        line1=f"{rng.randint(10, 9999)} {rng.choice(_STREETS)} St",
        city=city,
        state=state,
        zip=f"{zip5}{rng.randint(1000, 9999)}",
    )


def setup_practice(
    deps: Deps,
    rng: random.Random,
    *,
    name: str,
    usernames: dict[str, tuple[Role, str]],
    password: str,
    source: str,
) -> SyntheticPractice:
    """A family practice with its users (the first is an admin), a billing group, three doctors, one clinic, four
    payers and a fee schedule, all through the services."""
    today = deps.clock.today()
    practice = setup.create_practice(
        deps,
        name=name,
        npi=make_npi(rng, "organization"),
        tin="47-1234567",
        address=AddressDraft(line1="100 Main St", city="Springfield", state="IL", zip="627011234"),
        phone="2175550100",
        taxonomy="207Q00000X",
    )
    for username, (role, display) in usernames.items():
        users.bootstrap_user(
            deps,
            practice_id=practice.id,
            username=username,
            display_name=display,
            role=role.value,
            password=password,
            source=source,
        )
    admin = users.authenticate(deps, username=next(iter(usernames)), password=password, source=source)
    actor = Actor(
        user_id=admin.user_id, username=admin.username, practice_id=practice.id, role=Role.ADMIN, source=source
    )
    group = setup.add_provider(
        deps,
        actor,
        ProviderDraft(
            kind="organization",
            last_name=name.removesuffix(" (demo)"),
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
                name=payer_name,
                payer_id=code,
                claim_filing_indicator=cfi,
                timely_filing_days=365 if cfi in {"MB", "MC"} else 180,
                address=address(rng),
            ),
        )
        for payer_name, code, cfi in payer_specs
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
    return SyntheticPractice(practice.id, actor, group, doctors, facility, payers)


@dataclass(slots=True)
class _Drafted:
    """One synthetic patient as drafted, before it is registered: its coverages, age, and visits (their
    ``patient_id`` filled in once the patient has one)."""

    patient: PatientDraft
    coverages: list[CoverageDraft]
    age: int
    visits: list[EncounterDraft] = field(default_factory=list)


def _draft_patient(today: date, sp: SyntheticPractice, rng: random.Random, n: int) -> _Drafted:
    """Patient number ``n`` (account D00001 …) with one or two coverages: Medicare (with a BCBS supplement for some)
    from 65, Medicaid for about a quarter of the others, a commercial plan for the rest. About one member ID in 25 is
    mistyped, so the sandbox payer's 277CA rejects some claims."""
    payers = sp.payers
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
            address=address(rng),
            phone=f"217555{rng.randint(1000, 9999)}",
        )
    patient = PatientDraft(
        last_name=last,
        first_name=first,
        birth_date=birth,
        sex=sex,
        address=address(rng),
        phone=f"217555{rng.randint(1000, 9999)}",
        account_number=f"D{n + 1:05d}",
        guarantor=guarantor,
    )
    if age >= 65:
        plans = [payers[0]] + ([payers[3]] if rng.random() < 0.4 else [])
    elif rng.random() < 0.25:
        plans = [payers[1]]
    else:
        plans = [rng.choice(payers[2:])]
    child = age < 18
    coverages = []
    for order, payer in zip(("primary", "secondary"), plans, strict=False):
        public = payer.claim_filing_indicator.value in {"MB", "MC"}
        coverages.append(
            CoverageDraft(
                payer_id=payer.id,
                order=order,
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
                group_number=None if public else f"G{rng.randint(1000, 9999)}",
                plan_name=payer.name.removesuffix(" (demo)"),
                effective_from=date(today.year - 2, 1, 1),
                copay_cents=0 if public else rng.choice((2000, 2500, 3000)),
                deductible_cents=rng.choice((25700, 50000, 150000)),
                coinsurance_percent="20" if order == "primary" else "0",
            )
        )
    return _Drafted(patient, coverages, age)


def _draft_visit(today: date, sp: SyntheticPractice, rng: random.Random, age: int) -> EncounterDraft | None:
    """One typical office visit in the last 90 days, coded and priced (``patient_id`` left empty); None when the
    visit drawn does not suit the patient (a preventive visit code for adults drawn for a child)."""
    diagnoses, lines = rng.choice(_VISITS)
    if age < 18 and lines[0][0] == "99396":
        return None
    on = today - timedelta(days=rng.randint(1, 90))
    doctor = rng.choice(sp.doctors)
    return EncounterDraft(
        patient_id="",
        date_of_service=on,
        rendering_provider_id=doctor.id,
        referring_provider_id=doctor.id,  # the visit's doctor orders its labs and tests
        facility_id=sp.facility.id,
        diagnoses=diagnoses,
        lines=tuple(
            LineDraft(procedure_code=code, modifiers=mods, units=units, diagnosis_pointers=ptrs)
            for code, mods, units, ptrs in lines
        ),
    )


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _register(deps: Deps, sp: SyntheticPractice, drafted: Sequence[_Drafted]) -> list[SyntheticPatient]:
    """The drafted patients registered with their coverages (``register_patients``, a chunk a call); their visits get
    the patient's id."""
    made: list[SyntheticPatient] = []
    for chunk in _chunks(drafted):
        done = patients.register_patients(deps, sp.actor, [(d.patient, d.coverages) for d in chunk])
        for d, registered in zip(chunk, done, strict=True):
            pid = registered.patient.id
            d.visits = [replace(v, patient_id=pid) for v in d.visits]
            made.append(SyntheticPatient(pid, d.age, len(registered.coverages)))
    return made


def _record(deps: Deps, sp: SyntheticPractice, visits: Sequence[EncounterDraft]) -> list[Encounter]:
    """The visits recorded (``record_encounters``, a chunk a call), in order."""
    return [e for chunk in _chunks(visits) for e in encounters.record_encounters(deps, sp.actor, chunk)]


def add_patients(
    deps: Deps, sp: SyntheticPractice, rng: random.Random, numbers: Iterable[int]
) -> list[SyntheticPatient]:
    """Patients number ``numbers`` registered with their coverages, drafted in order from ``rng`` and registered in
    bulk by the thousand."""
    today = deps.clock.today()
    return _register(deps, sp, [_draft_patient(today, sp, rng, n) for n in numbers])


def one_visit_each(
    deps: Deps, sp: SyntheticPractice, rng: random.Random, patients_: Sequence[SyntheticPatient]
) -> list[Encounter]:
    """One office visit for each patient (a child's preventive visit drawn again), recorded in bulk by the thousand."""
    today = deps.clock.today()
    visits: list[EncounterDraft] = []
    for patient in patients_:
        visit = None
        while visit is None:
            visit = _draft_visit(today, sp, rng, patient.age)
        visits.append(replace(visit, patient_id=patient.patient_id))
    return _record(deps, sp, visits)


def add_patients_with_visits(
    deps: Deps, sp: SyntheticPractice, rng: random.Random, count: int, visits: Callable[[random.Random], int]
) -> list[tuple[SyntheticPatient, list[Encounter]]]:
    """``count`` patients, each drafted with ``visits(rng)`` visit draws (a draw that does not suit the patient is
    skipped), all from ``rng`` in that order; then registered and recorded in bulk (the demo's practice)."""
    today = deps.clock.today()
    drafted: list[_Drafted] = []
    for n in range(count):
        d = _draft_patient(today, sp, rng, n)
        for _ in range(visits(rng)):
            visit = _draft_visit(today, sp, rng, d.age)
            if visit is not None:
                d.visits.append(visit)
        drafted.append(d)
    made = _register(deps, sp, drafted)
    recorded = iter(_record(deps, sp, [v for d in drafted for v in d.visits]))
    return [(patient, [next(recorded) for _ in d.visits]) for patient, d in zip(made, drafted, strict=True)]
