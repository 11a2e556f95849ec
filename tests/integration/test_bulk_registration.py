"""Bulk registration and bulk encounters (a practice-management export) on both databases: the rows and audit rows
they write, all or nothing with the refused item's index and field, and the same records the single services make."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Table, func, select

from medbill.adapters.db import tables as t
from medbill.domain.errors import CodeSetError, Conflict, MedbillError, NotFound, ValidationError
from medbill.services import encounters, patients
from medbill.services.encounters import EncounterDraft, LineDraft
from medbill.services.patients import CoverageDraft, GuarantorDraft, PatientDraft, SubscriberDraft
from tests.support import ALDER_ADDRESS, Practice, patient_draft, register_with_coverage

# columns that differ between two records made from the same draft: their own ids and what points at them
_IDS = {"id", "seq", "patient_id", "encounter_id", "entity_id", "detail", "account_number"}


def _counts(p: Practice) -> dict[str, int]:
    with p.container.engine.connect() as conn:
        return {
            name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in t.metadata.tables.items()
        }


def _rows(p: Practice, table: Table, column: str, value: str) -> list[dict[str, Any]]:
    order = [c for c in ("seq", "position", "line_number", "kind") if c in table.c]
    with p.container.engine.connect() as conn:
        found = conn.execute(select(table).where(table.c[column] == value).order_by(*(table.c[c] for c in order)))
        return [{k: v for k, v in row._mapping.items() if k not in _IDS} for row in found]


def _audit(p: Practice, entity_type: str) -> list[tuple[str, str | None, str]]:
    c = t.audit_events.c
    with p.container.engine.connect() as conn:
        rows = conn.execute(
            select(c.action, c.entity_id, c.detail, c.username)
            .where(c.entity_type == entity_type, c.action == "create")
            .order_by(c.seq)
        )
        return [(r.entity_id, r.detail, r.username) for r in rows]


def _medicare(p: Practice, **overrides: object) -> CoverageDraft:
    values: dict[str, object] = {
        "payer_id": p.medicare_id,
        "order": "primary",
        "member_id": "1EG4TE5MK72",
        "effective_from": date(2026, 1, 1),
        "deductible_cents": 25700,
        "coinsurance_percent": "20",
    }
    values.update(overrides)
    return CoverageDraft(**values)  # type: ignore[arg-type]


def _acme(p: Practice, **overrides: object) -> CoverageDraft:
    values: dict[str, object] = {
        "payer_id": p.commercial_id,
        "order": "secondary",
        "member_id": "ACM123456789",
        "effective_from": date(2026, 1, 1),
        "group_number": "G1234",
        "copay_cents": 2500,
    }
    values.update(overrides)
    return CoverageDraft(**values)  # type: ignore[arg-type]


def _child() -> PatientDraft:
    return patient_draft(
        first_name="Kit",
        birth_date=date(2015, 5, 1),
        guarantor=GuarantorDraft(
            last_name="Alder", first_name="June", relationship="parent", address=ALDER_ADDRESS(), phone="2175550101"
        ),
    )


def _child_coverage(p: Practice) -> CoverageDraft:
    return _acme(
        p,
        order="primary",
        relationship="19",
        subscriber=SubscriberDraft(last_name="Alder", first_name="June", birth_date=date(1985, 2, 3), sex="F"),
    )


def test_bulk_registration_writes_every_patient_coverage_and_audit_row(practice: Practice) -> None:
    deps = practice.container.deps
    before = _counts(practice)
    done = patients.register_patients(
        deps,
        practice.biller,
        [
            (patient_draft(), [_medicare(practice), _acme(practice)]),
            (_child(), [_child_coverage(practice)]),
            (patient_draft(first_name="Otto", sex="M", account_number="x-77 "), []),
        ],
    )
    assert [r.patient.account_number for r in done] == ["A000001", "A000002", "X-77"]
    assert [[c.order.value for c in r.coverages] for r in done] == [["primary", "secondary"], ["primary"], []]
    after = _counts(practice)
    grown = {name: after[name] - before[name] for name in after if after[name] != before[name]}
    assert grown == {"patients": 3, "coverages": 3, "audit_events": 6}
    ids = [r.patient.id for r in done]
    coverage_ids = [c.id for r in done for c in r.coverages]
    assert _audit(practice, "patient") == [(i, "", "biller") for i in ids]
    assert _audit(practice, "coverage") == [
        (coverage_ids[0], f"patient={ids[0]}", "biller"),
        (coverage_ids[1], f"patient={ids[0]}", "biller"),
        (coverage_ids[2], f"patient={ids[1]}", "biller"),
    ]
    for r in done:
        assert patients.get_patient(deps, practice.biller, r.patient.id) == r.patient
        stored = patients.list_coverages(deps, practice.biller, r.patient.id)
        assert [c.id for c in stored] == [c.id for c in r.coverages]
        assert list(stored) == list(r.coverages)
    child = done[1]
    assert child.patient.guarantor is not None and child.patient.guarantor.name.first == "June"
    assert child.coverages[0].subscriber is not None and child.coverages[0].subscriber.birth_date == date(1985, 2, 3)


def test_assigned_account_numbers_skip_those_in_use_and_those_given_in_the_call(practice: Practice) -> None:
    deps = practice.container.deps
    patients.register_patient(deps, practice.biller, patient_draft(account_number="A000002"))
    done = patients.register_patients(
        deps,
        practice.biller,
        [(patient_draft(), []), (patient_draft(), []), (patient_draft(account_number="a000005"), [])],
    )
    # as three register_patient calls in a row would: count + 1, skipping numbers taken
    assert [r.patient.account_number for r in done] == ["A000003", "A000004", "A000005"]


@pytest.mark.parametrize(
    ("items", "field", "error"),
    [
        (
            lambda p: [(patient_draft(), [_medicare(p, member_id="has space")])],
            "patients[0].coverages[0].member_id",
            ValidationError,
        ),
        (
            lambda p: [(patient_draft(), [_medicare(p)]), (patient_draft(), [_medicare(p), _acme(p, payer_id="nope")])],
            "patients[1].coverages[1].payer_id",
            NotFound,
        ),
        (
            lambda p: [(patient_draft(), [_medicare(p), _acme(p, order="primary")])],
            "patients[0].coverages[1].order",
            Conflict,
        ),
        (
            lambda p: [
                (patient_draft(account_number="Z1"), []),
                (patient_draft(), []),
                (patient_draft(account_number=" z1"), []),
            ],
            "patients[2].account_number",
            Conflict,
        ),
        (
            lambda p: [(patient_draft(), []), (patient_draft(account_number="TAKEN"), [])],
            "patients[1].account_number",
            Conflict,
        ),
        (
            lambda p: [(patient_draft(), []), (patient_draft(birth_date=date(2027, 1, 1)), [])],
            "patients[1].birth_date",
            ValidationError,
        ),
        (lambda p: [(patient_draft(sex="Q"), [])], "patients[0].sex", ValidationError),
        (
            lambda p: [(_child(), [_acme(p, order="primary", relationship="19")])],
            "patients[0].coverages[0].subscriber",
            ValidationError,
        ),
    ],
)
def test_a_refused_item_is_named_by_index_and_field_and_nothing_is_stored(  # type: ignore[no-untyped-def]
    practice: Practice, items, field, error
) -> None:
    deps = practice.container.deps
    patients.register_patient(deps, practice.biller, patient_draft(account_number="TAKEN"))
    before = _counts(practice)
    with pytest.raises(error) as caught:
        patients.register_patients(deps, practice.biller, items(practice))
    assert caught.value.field == field
    assert _counts(practice) == before


def test_single_and_bulk_registration_store_the_same_records(practice: Practice) -> None:
    deps = practice.container.deps
    single = patients.register_patient(deps, practice.biller, replace(_child(), account_number="S1"))
    patients.add_coverage(deps, practice.biller, single.id, _child_coverage(practice))
    patients.add_coverage(deps, practice.biller, single.id, _medicare(practice, order="secondary"))
    [bulk] = patients.register_patients(
        deps,
        practice.biller,
        [
            (
                replace(_child(), account_number="B1"),
                [_child_coverage(practice), _medicare(practice, order="secondary")],
            )
        ],
    )
    assert replace(bulk.patient, id=single.id, account_number="S1") == single
    assert _rows(practice, t.patients, "id", bulk.patient.id) == _rows(practice, t.patients, "id", single.id)
    assert _rows(practice, t.coverages, "patient_id", bulk.patient.id) == _rows(
        practice, t.coverages, "patient_id", single.id
    )
    assert len(_rows(practice, t.coverages, "patient_id", single.id)) == 2
    assert _rows(practice, t.audit_events, "entity_id", bulk.patient.id) == _rows(
        practice, t.audit_events, "entity_id", single.id
    )
    single_coverages = patients.list_coverages(deps, practice.biller, single.id)
    for mine, theirs in zip(bulk.coverages, single_coverages, strict=True):
        assert _rows(practice, t.audit_events, "entity_id", mine.id) == _rows(
            practice, t.audit_events, "entity_id", theirs.id
        )


def _visit(p: Practice, patient_id: str, *lines: LineDraft, **overrides: object) -> EncounterDraft:
    values: dict[str, object] = {
        "patient_id": patient_id,
        "date_of_service": date(2026, 11, 20),
        "rendering_provider_id": p.provider_id,
        "referring_provider_id": p.provider_id,
        "facility_id": p.facility_id,
        "diagnoses": ("E11.9", "I10"),
        "lines": lines or (LineDraft(procedure_code="99213", diagnosis_pointers=(1, 2)),),
    }
    values.update(overrides)
    return EncounterDraft(**values)  # type: ignore[arg-type]


def test_bulk_encounters_are_priced_and_written_with_their_charges_and_audit_rows(practice: Practice) -> None:
    deps = practice.container.deps
    acme_patient, _ = register_with_coverage(practice)
    self_pay = patients.register_patient(deps, practice.biller, patient_draft(first_name="Otto", sex="M")).id
    before = _counts(practice)
    done = encounters.record_encounters(
        deps,
        practice.biller,
        [
            _visit(
                practice,
                acme_patient,
                LineDraft(procedure_code="99213", diagnosis_pointers=(1, 2)),
                LineDraft(procedure_code="36415", units=2, diagnosis_pointers=(1,)),
            ),
            _visit(practice, self_pay, date_of_service=date(2026, 11, 18)),
            _visit(
                practice, acme_patient, LineDraft(procedure_code="93000", charge_cents=6123, diagnosis_pointers=(2,))
            ),
        ],
    )
    # the Acme contract prices 99213 for the Acme patient (12000), the practice's schedule for the self-pay one
    assert [[ln.charge_cents for ln in e.lines] for e in done] == [[12000, 3000], [14000], [6123]]
    assert [e.total_charge_cents for e in done] == [15000, 14000, 6123]
    after = _counts(practice)
    grown = {name: after[name] - before[name] for name in after if after[name] != before[name]}
    assert grown == {
        "encounters": 3,
        "encounter_lines": 4,
        "encounter_diagnoses": 6,
        "ledger_entries": 4,
        "audit_events": 3,
    }
    assert _audit(practice, "encounter") == [(e.id, f"patient={e.patient_id}", "biller") for e in done]
    for e in done:
        assert encounters.get_encounter(deps, practice.biller, e.id) == e
    charges = _rows(practice, t.ledger_entries, "encounter_id", done[0].id)
    assert [(r["kind"], r["line_number"], r["amount_cents"]) for r in charges] == [
        ("charge", 1, 12000),
        ("charge", 2, 3000),
    ]


@pytest.mark.parametrize(
    ("second", "field", "error"),
    [
        (lambda p, pid: _visit(p, pid, LineDraft(procedure_code="99215")), "encounters[1].lines[1].charge", NotFound),
        (lambda p, pid: _visit(p, pid, rendering_provider_id="nope"), "encounters[1].rendering_provider_id", NotFound),
        (lambda p, pid: _visit(p, "nope"), "encounters[1].patient_id", NotFound),
        (lambda p, pid: _visit(p, pid, facility_id="nope"), "encounters[1].facility_id", NotFound),
        (
            lambda p, pid: _visit(p, pid, date_of_service=date(2026, 12, 1)),
            "encounters[1].date_of_service",
            ValidationError,
        ),
        (lambda p, pid: _visit(p, pid, diagnoses=("I10", "E11")), "encounters[1].diagnoses[2]", CodeSetError),
        (
            lambda p, pid: _visit(p, pid, LineDraft(procedure_code="99213", units=-2)),
            "encounters[1].lines[1].units",
            ValidationError,
        ),
    ],
)
def test_a_refused_encounter_is_named_by_index_and_field_and_nothing_is_stored(  # type: ignore[no-untyped-def]
    practice: Practice, second, field, error
) -> None:
    patient_id, _ = register_with_coverage(practice)
    before = _counts(practice)
    drafts = [_visit(practice, patient_id), second(practice, patient_id), _visit(practice, patient_id)]
    with pytest.raises(MedbillError) as caught:
        encounters.record_encounters(practice.container.deps, practice.biller, drafts)
    assert isinstance(caught.value, error)
    assert caught.value.field == field
    assert _counts(practice) == before


def test_single_and_bulk_encounters_store_the_same_records(practice: Practice) -> None:
    deps = practice.container.deps
    patient_id, _ = register_with_coverage(practice)
    draft = _visit(
        practice,
        patient_id,
        LineDraft(procedure_code="99213", diagnosis_pointers=(1, 2)),
        LineDraft(procedure_code="93000", modifiers=("59",), charge_cents=6123, diagnosis_pointers=(2,), note="strip"),
    )
    single = encounters.record_encounter(deps, practice.biller, draft)
    [bulk] = encounters.record_encounters(deps, practice.biller, [draft])
    assert replace(bulk, id=single.id) == single
    for table in (t.encounter_lines, t.encounter_diagnoses, t.ledger_entries):
        assert _rows(practice, table, "encounter_id", bulk.id) == _rows(practice, table, "encounter_id", single.id)
    assert len(_rows(practice, t.ledger_entries, "encounter_id", single.id)) == 2
    assert _rows(practice, t.encounters, "id", bulk.id) == _rows(practice, t.encounters, "id", single.id)
    assert _rows(practice, t.audit_events, "entity_id", bulk.id) == _rows(
        practice, t.audit_events, "entity_id", single.id
    )
