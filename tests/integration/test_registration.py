"""The first slice of the cycle on real databases (SQLite and PostgreSQL): register, cover, record, audit."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text

from medbill.adapters.db import tables as t
from medbill.domain.audit import AuditAction
from medbill.domain.errors import (
    AuthenticationFailed,
    CodeSetError,
    Conflict,
    MedbillError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from medbill.services import dashboard, encounters, patients, setup, users
from medbill.services.encounters import EncounterDraft, LineDraft
from medbill.services.patients import CoverageDraft, GuarantorDraft, SubscriberDraft
from medbill.services.ports import PatientQuery
from medbill.services.setup import AddressDraft, PayerDraft, ProviderDraft
from tests.support import ALDER_ADDRESS, PASSWORD, FixedClock, Practice, patient_draft, register_with_coverage


def row_counts(p: Practice) -> dict[str, int]:
    with p.container.engine.connect() as conn:
        return {
            name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in t.metadata.tables.items()
        }


def _visit(
    p: Practice, patient_id: str, *lines: LineDraft, diagnoses: tuple[str, ...] = ("E11.9", "I10"), **overrides: object
) -> EncounterDraft:
    values: dict[str, object] = {
        "patient_id": patient_id,
        "date_of_service": date(2026, 11, 20),
        "rendering_provider_id": p.provider_id,
        "facility_id": p.facility_id,
        "diagnoses": diagnoses,
        "lines": lines,
    }
    values.update(overrides)
    return EncounterDraft(**values)  # type: ignore[arg-type]


def test_registering_a_patient_assigns_an_account_number_and_audits(practice: Practice) -> None:
    deps = practice.container.deps
    patient = patients.register_patient(deps, practice.biller, patient_draft())
    assert patient.account_number == "A000001"
    again = patients.get_patient(deps, practice.biller, patient.id)
    assert again == patient
    trail = users.audit_trail(deps, practice.admin, entity_type="patient", entity_id=patient.id)
    assert [(e.action, e.username) for e in trail] == [(AuditAction.READ, "biller"), (AuditAction.CREATE, "biller")]
    assert all("Alder" not in e.detail for e in trail)


def test_patient_with_guarantor_and_dependent_coverage_round_trips(practice: Practice) -> None:
    deps = practice.container.deps
    child = patients.register_patient(
        deps,
        practice.biller,
        patient_draft(
            first_name="Kit",
            birth_date=date(2015, 5, 1),
            guarantor=GuarantorDraft(
                last_name="Alder", first_name="June", relationship="parent", address=ALDER_ADDRESS(), phone="2175550101"
            ),
        ),
    )
    coverage = patients.add_coverage(
        deps,
        practice.biller,
        child.id,
        CoverageDraft(
            payer_id=practice.commercial_id,
            order="primary",
            member_id="ACM555",
            relationship="19",
            subscriber=SubscriberDraft(last_name="Alder", first_name="June", birth_date=date(1985, 2, 3), sex="F"),
            group_number="G1234",
            plan_name="Acme PPO",
            effective_from=date(2026, 1, 1),
            copay_cents=3000,
            deductible_cents=50000,
            coinsurance_percent="12.5",
        ),
    )
    stored = patients.get_patient(deps, practice.biller, child.id)
    assert stored.guarantor is not None and stored.guarantor.name.first == "June"
    [listed] = patients.list_coverages(deps, practice.biller, child.id)
    assert listed == coverage
    assert (listed.copay_cents, listed.deductible_cents, str(listed.coinsurance_percent)) == (3000, 50000, "12.5")


def test_search_by_name_prefix_birth_date_and_account(practice: Practice) -> None:
    deps = practice.container.deps
    for last, first, born in (
        ("Smith", "John", date(1960, 1, 1)),
        ("Smithers", "Jo", date(1970, 1, 1)),
        ("Smith", "Anna", date(1960, 1, 1)),
        ("Jones", "Ed", date(1960, 1, 1)),
    ):
        patients.register_patient(
            deps, practice.biller, patient_draft(last_name=last, first_name=first, birth_date=born)
        )

    def names(**query: object) -> list[str]:
        found = patients.search_patients(deps, practice.biller, PatientQuery(**query))  # type: ignore[arg-type]
        return [f"{p.name.last}, {p.name.first}" for p in found]

    assert names(name="smi") == ["Smith, Anna", "Smith, John", "Smithers, Jo"]
    assert names(name="smith, jo") == ["Smith, John"]
    assert names(name="smi", birth_date=date(1960, 1, 1)) == ["Smith, Anna", "Smith, John"]
    assert names(account_number="a000004") == ["Jones, Ed"]
    assert names(name="100%_") == []


def test_encounter_is_priced_from_the_primary_payers_schedule_then_the_practices(practice: Practice) -> None:
    deps = practice.container.deps
    patient_id, _ = register_with_coverage(practice)
    encounter = encounters.record_encounter(
        deps,
        practice.biller,
        _visit(
            practice,
            patient_id,
            LineDraft(procedure_code="99213", diagnosis_pointers=(1, 2)),
            LineDraft(procedure_code="36415", units=2, diagnosis_pointers=(1,)),
            LineDraft(
                procedure_code="93000",
                modifiers=("59",),
                charge_cents=6123,
                diagnosis_pointers=(2,),
                note="rhythm strip",
            ),
        ),
    )
    assert [ln.charge_cents for ln in encounter.lines] == [12000, 3000, 6123]
    assert encounter.total_charge_cents == 21123
    assert encounter.place_of_service == "11"
    stored = encounters.get_encounter(deps, practice.biller, encounter.id)
    assert stored == encounter
    assert [e.id for e in encounters.list_encounters(deps, practice.biller, patient_id=patient_id)] == [encounter.id]


@pytest.mark.parametrize(
    ("make_draft", "field", "error"),
    [
        (
            lambda p, pid: _visit(p, pid, LineDraft(procedure_code="99213", diagnosis_pointers=(3,))),
            "lines[1].diagnosis_pointers",
            ValidationError,
        ),
        (
            lambda p, pid: _visit(p, pid, LineDraft(procedure_code="99213", modifiers=("25", "59", "76", "77", "XS"))),
            "lines[1].modifiers",
            ValidationError,
        ),
        (
            lambda p, pid: _visit(
                p, pid, LineDraft(procedure_code="99213"), LineDraft(procedure_code="36415", units=-2)
            ),
            "lines[2].units",
            ValidationError,
        ),
        (lambda p, pid: _visit(p, pid, LineDraft(procedure_code="99215")), "lines[1].charge", NotFound),
        (
            lambda p, pid: _visit(p, pid, LineDraft(procedure_code="99213"), rendering_provider_id="nope"),
            "rendering_provider_id",
            NotFound,
        ),
        (
            lambda p, pid: _visit(p, pid, LineDraft(procedure_code="99213"), date_of_service=date(2026, 12, 1)),
            "date_of_service",
            ValidationError,
        ),
        (
            lambda p, pid: _visit(p, pid, LineDraft(procedure_code="99213"), diagnoses=("E1I.9",)),
            "diagnoses[1]",
            ValidationError,
        ),
        (
            lambda p, pid: _visit(p, pid, LineDraft(procedure_code="99213"), diagnoses=("I10", "E11")),
            "diagnoses[2]",
            CodeSetError,
        ),
        (
            lambda p, pid: _visit(p, pid, LineDraft(procedure_code="99213"), diagnoses=("S52.501",)),
            "diagnoses[1]",
            CodeSetError,
        ),
    ],
)
def test_refused_encounters_name_the_field_and_store_nothing(practice: Practice, make_draft, field, error) -> None:  # type: ignore[no-untyped-def]
    patient_id, _ = register_with_coverage(practice)
    before = row_counts(practice)
    with pytest.raises(error) as caught:
        encounters.record_encounter(practice.container.deps, practice.biller, make_draft(practice, patient_id))
    assert caught.value.field == field
    assert row_counts(practice) == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"payer_id": "no-such-payer"}, "payer_id"),
        ({"effective_to": date(2025, 12, 31)}, "effective_to"),
        ({"relationship": "19"}, "subscriber"),
        ({"order": "quaternary"}, "order"),
        ({"member_id": "has space"}, "member_id"),
        ({"coinsurance_percent": "abc"}, "coinsurance_percent"),
    ],
)
def test_refused_coverages_name_the_field_and_store_nothing(
    practice: Practice, overrides: dict[str, object], field: str
) -> None:
    deps = practice.container.deps
    patient = patients.register_patient(deps, practice.biller, patient_draft())
    draft = CoverageDraft(
        payer_id=practice.medicare_id, order="primary", member_id="1EG4TE5MK72", effective_from=date(2026, 1, 1)
    )
    before = row_counts(practice)
    with pytest.raises(MedbillError) as caught:
        patients.add_coverage(deps, practice.biller, patient.id, replace(draft, **overrides))  # type: ignore[arg-type]
    assert caught.value.field == field
    assert row_counts(practice) == before


def test_two_primary_coverages_for_the_same_dates_conflict(practice: Practice) -> None:
    deps = practice.container.deps
    patient_id, _ = register_with_coverage(practice)
    with pytest.raises(Conflict) as caught:
        patients.add_coverage(
            deps,
            practice.biller,
            patient_id,
            CoverageDraft(
                payer_id=practice.medicare_id, order="primary", member_id="X1", effective_from=date(2026, 6, 1)
            ),
        )
    assert caught.value.field == "order"
    secondary = patients.add_coverage(
        deps,
        practice.biller,
        patient_id,
        CoverageDraft(
            payer_id=practice.medicare_id, order="secondary", member_id="X1", effective_from=date(2026, 6, 1)
        ),
    )
    assert [c.order.value for c in patients.list_coverages(deps, practice.biller, patient_id)] == [
        "primary",
        "secondary",
    ]
    assert secondary.member_id == "X1"


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (ProviderDraft(kind="individual", last_name="Bad", first_name="Npi", npi="1234567890"), "npi"),
        (
            ProviderDraft(kind="individual", last_name="Bad", first_name="Role", npi="1234567893", roles=("chef",)),
            "roles",
        ),
        (ProviderDraft(kind="organization", last_name="Group", npi="2000000002", roles=("billing",)), "tin"),
    ],
)
def test_refused_providers_store_nothing(practice: Practice, draft: ProviderDraft, field: str) -> None:
    before = row_counts(practice)
    with pytest.raises(ValidationError) as caught:
        setup.add_provider(practice.container.deps, practice.admin, draft)
    assert caught.value.field == field
    assert row_counts(practice) == before


def test_refused_patient_names_nested_fields(practice: Practice) -> None:
    deps = practice.container.deps
    before = row_counts(practice)
    bad_zip = replace(ALDER_ADDRESS(), zip="1234")
    with pytest.raises(ValidationError) as caught:
        patients.register_patient(deps, practice.biller, patient_draft(address=bad_zip))
    assert caught.value.field == "address.zip"
    with pytest.raises(ValidationError) as caught:
        patients.register_patient(
            deps,
            practice.biller,
            patient_draft(
                guarantor=GuarantorDraft(last_name="Alder", first_name="June", relationship="parent", address=bad_zip)
            ),
        )
    assert caught.value.field == "guarantor.address.zip"
    with pytest.raises(ValidationError) as caught:
        patients.register_patient(deps, practice.biller, patient_draft(birth_date=date(2027, 1, 1)))
    assert caught.value.field == "birth_date"
    assert row_counts(practice) == before


def test_duplicate_account_number_conflicts(practice: Practice) -> None:
    deps = practice.container.deps
    patients.register_patient(deps, practice.biller, patient_draft(account_number="X-1"))
    with pytest.raises(Conflict) as caught:
        patients.register_patient(deps, practice.biller, patient_draft(account_number="x-1"))
    assert caught.value.field == "account_number"


def test_roles_are_enforced_by_the_services(practice: Practice) -> None:
    deps = practice.container.deps
    users.create_user(
        deps, practice.admin, username="viewer1", display_name="V", role="viewer", password="a long password"
    )
    viewer = users.authenticate(deps, username="viewer1", password="a long password", source="test")
    before = row_counts(practice)
    with pytest.raises(PermissionDenied):
        patients.register_patient(deps, viewer, patient_draft())
    with pytest.raises(PermissionDenied):
        setup.add_payer(deps, viewer, PayerDraft(name="X", payer_id="XX1", claim_filing_indicator="CI"))
    assert row_counts(practice) == before


def test_practices_cannot_see_each_other(practice: Practice) -> None:
    deps = practice.container.deps
    patient_id, _ = register_with_coverage(practice)
    other = setup.create_practice(deps, name="Other Practice")
    users.bootstrap_user(
        deps, practice_id=other.id, username="other", display_name="O", role="admin", password="a long password"
    )
    outsider = users.authenticate(deps, username="other", password="a long password", source="test")
    with pytest.raises(NotFound):
        patients.get_patient(deps, outsider, patient_id)
    assert patients.search_patients(deps, outsider, PatientQuery(name="a")) == []
    with pytest.raises(NotFound):
        setup.get_payer(deps, outsider, practice.commercial_id)


def test_tokens_are_hashed_at_rest_and_revocable(practice: Practice) -> None:
    deps = practice.container.deps
    token, secret = users.create_token(deps, practice.biller, name="laptop")
    with practice.container.engine.connect() as conn:
        stored = conn.execute(select(t.api_tokens.c.token_hash)).scalar_one()
    assert secret not in stored and len(stored) == 64
    assert users.actor_for_token(deps, secret, "api test").username == "biller"
    users.revoke_token(deps, practice.biller, token.id)
    with pytest.raises(MedbillError, match="revoked"):
        users.actor_for_token(deps, secret, "api test")


def test_failed_logins_are_audited_without_saying_which_part_was_wrong(practice: Practice) -> None:
    deps = practice.container.deps
    messages = []
    for username, password in (("biller", "wrong password"), ("nobody", "wrong password")):
        with pytest.raises(MedbillError) as caught:
            users.authenticate(deps, username=username, password=password, source="web 10.0.0.1")
        messages.append(caught.value.message)
    assert messages[0] == messages[1]
    trail = users.audit_trail(deps, practice.admin, entity_type="user")
    assert [e.action for e in trail if e.source == "web 10.0.0.1"] == [AuditAction.LOGIN_FAILED]


def test_the_audit_log_is_append_only_in_the_database(practice: Practice) -> None:
    engine = practice.container.engine
    for statement in ("UPDATE audit_events SET detail = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.audit_events)).scalar_one() > 0


def test_unknown_payer_fee_schedule_is_refused(practice: Practice) -> None:
    from medbill.services.encounters import FeeScheduleDraft

    with pytest.raises(NotFound) as caught:
        encounters.add_fee_schedule(
            practice.container.deps,
            practice.admin,
            FeeScheduleDraft(name="X", payer_id="nope", effective_from=date(2026, 1, 1), entries=(("99213", "", 100),)),
        )
    assert caught.value.field == "payer_id"


def test_address_draft_used_for_practice(practice: Practice) -> None:
    assert (
        setup.get_practice(practice.container.deps, practice.admin).address
        == AddressDraft(line1="1 Main St", city="Springfield", state="IL", zip="627011234").build()
    )


def test_signing_out_everywhere_voids_older_sessions(practice: Practice, clock: FixedClock) -> None:
    deps = practice.container.deps
    issued = clock.now()
    assert users.actor_for_user(deps, practice.biller.user_id, "web", session_issued_at=issued).username == "biller"
    clock.current += timedelta(minutes=5)
    users.end_sessions(deps, practice.biller)
    with pytest.raises(AuthenticationFailed, match="signed out"):
        users.actor_for_user(deps, practice.biller.user_id, "web", session_issued_at=issued)
    clock.current += timedelta(minutes=1)
    fresh = users.actor_for_user(deps, practice.biller.user_id, "web", session_issued_at=clock.now())
    assert fresh.username == "biller"


def test_five_failed_sign_ins_lock_the_account_for_fifteen_minutes(practice: Practice, clock: FixedClock) -> None:
    deps = practice.container.deps
    for _ in range(5):
        with pytest.raises(AuthenticationFailed, match="wrong password"):
            users.authenticate(deps, username="biller", password="not it at all", source="web")
    with pytest.raises(AuthenticationFailed, match="too many failed sign-ins"):
        users.authenticate(deps, username="biller", password=PASSWORD, source="web")
    clock.current += timedelta(minutes=16)
    assert users.authenticate(deps, username="biller", password=PASSWORD, source="web").username == "biller"


def test_home_summary_counts_today_and_names_recent_patients(practice: Practice) -> None:
    deps = practice.container.deps
    patient_id, _ = register_with_coverage(practice)
    encounters.record_encounter(deps, practice.biller, _visit(practice, patient_id, LineDraft(procedure_code="99213")))
    summary = dashboard.work_summary(deps, practice.biller)
    assert (summary.patients, summary.encounters_today, summary.charges_today_cents) == (1, 1, 12000)
    assert [(r.patient_name, r.provider_name, r.total_charge_cents) for r in summary.recent] == [
        ("Alder, Ada", "Okafor, Ruth", 12000)
    ]
    reads = users.audit_trail(deps, practice.admin, entity_type="patient", entity_id=patient_id)
    assert [e.action for e in reads] == [AuditAction.CREATE]
