"""Domain records refuse bad input with the field and the reason: providers, coverage, encounters, fee schedules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from medbill.domain.coverage import Coverage, CoverageOrder, Relationship, Subscriber
from medbill.domain.encounters import Encounter, ServiceLine, build_line, dotted
from medbill.domain.errors import MedbillError, NotFound, ValidationError
from medbill.domain.fees import FeeSchedule, FeeScheduleEntry, price_line
from medbill.domain.parties import Address, PersonName, Provider, ProviderKind, ProviderRole, Sex
from medbill.domain.users import Actor, Permission, Role


def test_address_normalises_state_and_zip_plus_4() -> None:
    address = Address(line1=" 12  Maple St ", city="Springfield", state="il", zip="62701-1234")
    assert (address.line1, address.state, address.zip, address.has_zip_plus_4) == (
        "12 Maple St",
        "IL",
        "627011234",
        True,
    )


def test_individual_provider_needs_a_type_1_npi() -> None:
    with pytest.raises(ValidationError) as caught:
        Provider(practice_id="p", kind=ProviderKind.INDIVIDUAL, last_name="Okafor", first_name="Ruth", npi="2000000002")
    assert caught.value.field == "npi"


def test_billing_provider_needs_a_tax_id() -> None:
    with pytest.raises(ValidationError) as caught:
        Provider(
            practice_id="p",
            kind=ProviderKind.ORGANIZATION,
            last_name="Group",
            npi="2000000002",
            roles=frozenset({ProviderRole.BILLING}),
        )
    assert caught.value.field == "tin"


def _coverage(**overrides: object) -> Coverage:
    values: dict[str, object] = {
        "practice_id": "p",
        "patient_id": "pt",
        "payer_id": "py",
        "order": CoverageOrder.PRIMARY,
        "member_id": "M123",
        "effective_from": date(2026, 1, 1),
    }
    values.update(overrides)
    return Coverage(**values)  # type: ignore[arg-type]


def test_coverage_dates_reversed_are_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        _coverage(effective_to=date(2025, 12, 31))
    assert caught.value.field == "effective_to"
    assert "ends before it starts" in caught.value.message


def test_coverage_for_a_dependent_needs_the_subscriber() -> None:
    with pytest.raises(ValidationError) as caught:
        _coverage(relationship=Relationship.CHILD)
    assert caught.value.field == "subscriber"
    sub = Subscriber(name=PersonName(last="Alder", first="June"), birth_date=date(1980, 1, 2), sex=Sex.FEMALE)
    assert _coverage(relationship=Relationship.CHILD, subscriber=sub).subscriber == sub


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("copay_cents", -1),
        ("deductible_cents", -100),
        ("coinsurance_percent", Decimal("100.5")),
        ("coinsurance_percent", Decimal("20.125")),
    ],
)
def test_coverage_benefit_amounts_are_checked(field: str, value: object) -> None:
    with pytest.raises(ValidationError):
        _coverage(**{field: value})


def test_coverage_activity_and_overlap() -> None:
    first = _coverage(effective_to=date(2026, 6, 30))
    later = _coverage(effective_from=date(2026, 7, 1))
    assert first.is_active_on(date(2026, 6, 30)) and not first.is_active_on(date(2026, 7, 1))
    assert not first.overlaps(later)
    assert _coverage().overlaps(later)
    assert CoverageOrder.SECONDARY.x12 == "S"


def _line(**overrides: object) -> ServiceLine:
    values: dict[str, object] = {"procedure_code": "99213", "charge_cents": 14000}
    values.update(overrides)
    return build_line(1, **values)


@pytest.mark.parametrize(
    ("overrides", "field", "reason"),
    [
        ({"modifiers": ("25", "59", "XU", "76", "77")}, "lines[1].modifiers", "at most 4"),
        ({"units": -1}, "lines[1].units", "at least 1"),
        ({"units": 0}, "lines[1].units", "at least 1"),
        ({"charge_cents": -5}, "lines[1].charge", "negative"),
        ({"procedure_code": "9921"}, "lines[1].procedure_code", "not a CPT or HCPCS"),
        ({"diagnosis_pointers": (1, 2, 3, 4, 5)}, "lines[1].diagnosis_pointers", "at most 4"),
        ({"diagnosis_pointers": (13,)}, "lines[1].diagnosis_pointers", "outside"),
        ({"modifiers": ("2",)}, "lines[1].modifiers", "not a modifier"),
    ],
)
def test_service_line_refusals_name_the_line_and_field(overrides: dict[str, object], field: str, reason: str) -> None:
    with pytest.raises(MedbillError) as caught:
        _line(**overrides)
    assert caught.value.field == field
    assert reason in caught.value.message


def _encounter(**overrides: object) -> Encounter:
    values: dict[str, object] = {
        "practice_id": "p",
        "patient_id": "pt",
        "date_of_service": date(2026, 11, 2),
        "rendering_provider_id": "dr",
        "diagnoses": ("E11.9", "i10"),
        "lines": (_line(),),
    }
    values.update(overrides)
    return Encounter(**values)  # type: ignore[arg-type]


def test_encounter_keeps_diagnoses_undotted_in_order() -> None:
    encounter = _encounter()
    assert encounter.diagnoses == ("E119", "I10")
    assert [dotted(d) for d in encounter.diagnoses] == ["E11.9", "I10"]
    assert encounter.total_charge_cents == 14000


def test_a_pointer_to_a_missing_diagnosis_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        _encounter(lines=(_line(diagnosis_pointers=(1, 3)),))
    assert caught.value.field == "lines[1].diagnosis_pointers"
    assert "pointer 3 names no diagnosis" in caught.value.message


@pytest.mark.parametrize(
    ("diagnoses", "field"),
    [
        ((), "diagnoses"),
        (tuple(f"Z{n:02d}" for n in range(13)), "diagnoses"),
        (("E11.9", "E119"), "diagnoses"),
        (("E1I.9",), "diagnoses[1]"),
    ],
)
def test_diagnosis_lists_are_checked(diagnoses: tuple[str, ...], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _encounter(diagnoses=diagnoses)
    assert caught.value.field == field


def _schedule(name: str, payer_id: str | None, start: date, end: date | None, fees: dict[str, int]) -> FeeSchedule:
    entries = [
        FeeScheduleEntry(procedure_code=c.split("-")[0], modifier=[*c.split("-"), ""][1], charge_cents=v)
        for c, v in fees.items()
    ]
    return FeeSchedule.with_entries(
        entries, practice_id="p", name=name, payer_id=payer_id, effective_from=start, effective_to=end
    )


def test_fee_schedule_prices_payer_first_then_practice_by_date_and_modifier() -> None:
    schedules = [
        _schedule("2025", None, date(2025, 1, 1), date(2025, 12, 31), {"99213": 13000}),
        _schedule("2026", None, date(2026, 1, 1), None, {"99213": 14000, "93000": 5500, "93000-26": 1800}),
        _schedule("Acme", "acme", date(2026, 1, 1), None, {"99213": 12000}),
    ]

    def price(code: str, mods: tuple[str, ...], units: int, day: date, payer: str | None) -> int:
        return price_line(
            schedules, procedure_code=code, modifiers=mods, units=units, date_of_service=day, payer_id=payer
        )

    assert price("99213", (), 1, date(2025, 6, 1), None) == 13000
    assert price("99213", (), 1, date(2026, 6, 1), None) == 14000
    assert price("99213", (), 1, date(2026, 6, 1), "acme") == 12000
    assert price("99213", (), 2, date(2026, 6, 1), "other") == 28000
    assert price("93000", ("26",), 1, date(2026, 6, 1), "acme") == 1800
    with pytest.raises(NotFound) as caught:
        price("99215", (), 1, date(2026, 6, 1), None)
    assert caught.value.field == "charge"


def test_roles_grant_what_the_job_needs() -> None:
    coder = Actor(user_id="u", username="c", practice_id="p", role=Role.CODER)
    desk = Actor(user_id="u", username="f", practice_id="p", role=Role.FRONT_DESK)
    viewer = Actor(user_id="u", username="v", practice_id="p", role=Role.VIEWER)
    assert coder.can(Permission.ENCOUNTER_WRITE) and not coder.can(Permission.PATIENT_WRITE)
    assert desk.can(Permission.COVERAGE_WRITE) and not desk.can(Permission.ENCOUNTER_WRITE)
    assert viewer.can(Permission.PATIENT_READ) and not viewer.can(Permission.PATIENT_WRITE)
    assert not viewer.can(Permission.USER_ADMIN)
