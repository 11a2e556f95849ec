"""Statement runs on both databases: one statement per guarantor, the skip rules (minimum, hold, cycle), unapplied
credits, the stored PDF read back, the email body, dry runs that keep nothing, refusals that change nothing."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pdfplumber
import pytest
from sqlalchemy import insert

from medbill.adapters.db import tables as t
from medbill.domain.claim_records import ClaimRecord
from medbill.domain.claim_states import ClaimEvent
from medbill.domain.errors import NotFound, PermissionDenied, ValidationError
from medbill.domain.fields import new_id
from medbill.domain.statements import StatementRules
from medbill.domain.users import Actor, Role
from medbill.services import claims, statements
from medbill.services.patients import GuarantorDraft
from medbill.services.setup import AddressDraft
from tests.integration.claims_support import advance, encounter_for
from tests.integration.test_posting import cas, clp, era, run, submitted, svc, typical
from tests.support import FixedClock, Practice, register_with_coverage

RULES = StatementRules()  # 5.00 minimum, 28-day cycle, due in 21 days
TODAY = date(2026, 11, 26)


def parent() -> GuarantorDraft:
    return GuarantorDraft(
        last_name="Cedar",
        first_name="Clara",
        relationship="parent",
        address=AddressDraft(line1="40 Oak Ave", city="Springfield", state="IL", zip="62704"),
        phone="217-555-0199",
    )


def dependant(p: Practice, first_name: str, born: date) -> ClaimRecord:
    """A child whose mother is the guarantor, with a claim the payer has."""
    patient_id, _ = register_with_coverage(
        p, last_name="Cedar", first_name=first_name, birth_date=born, guarantor=parent()
    )
    encounter = encounter_for(p, patient_id)
    built = claims.build_claims(p.container.deps, p.biller, [encounter]).created[0]
    return advance(p, built, ClaimEvent.SCRUB, ClaimEvent.QUEUE, ClaimEvent.SUBMIT)


def family(p: Practice) -> tuple[ClaimRecord, ClaimRecord, ClaimRecord]:
    """Ada Alder pays her own bills; Cora and Cole Cedar's mother pays theirs. Each owes copay 25.00 + 10.00."""
    alder = submitted(p)
    cora = dependant(p, "Cora", date(2015, 6, 1))
    cole = dependant(p, "Cole", date(2018, 9, 9))
    run(p, era(typical(alder), typical(cora), typical(cole)))
    return alder, cora, cole


def go(p: Practice, rules: StatementRules = RULES, **kw: object) -> statements.RunReport:
    return statements.run_statements(p.container.deps, p.biller, rules=rules, **kw)  # type: ignore[arg-type]


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_one_statement_per_guarantor_lists_both_dependants_visits(practice: Practice) -> None:
    alder, cora, cole = family(practice)

    report = go(practice)

    assert (report.sent, report.total_due_cents, report.dry_run) == (2, 10500, False)
    assert report.skipped == {"on_hold": 0, "nothing_due": 0, "below_minimum": 0, "in_cycle": 0, "cannot_build": 0}
    by_name = {s.guarantor_name: s for s in report.statements}
    assert sorted(by_name) == ["Ada Alder", "Clara Cedar"]
    assert by_name["Ada Alder"].amount_due_cents == 3500
    assert by_name["Ada Alder"].patient_ids == (alder.patient_id,)
    assert by_name["Clara Cedar"].amount_due_cents == 7000
    assert set(by_name["Clara Cedar"].patient_ids) == {cora.patient_id, cole.patient_id}
    assert [s.statement_number for s in report.statements] == ["S00000001", "S00000002"]

    [run_row] = statements.list_runs(practice.container.deps, practice.biller)
    assert (run_row.id, run_row.sent_count, run_row.skipped_count, run_row.total_due_cents) == (
        report.run_id,
        2,
        0,
        10500,
    )
    listed = statements.list_statements(practice.container.deps, practice.biller, cora.patient_id)
    assert [(s.guarantor_name, s.record.amount_due_cents, s.record.due_date) for s in listed] == [
        ("Clara Cedar", 7000, date(2026, 12, 17))
    ]
    record, pdf = statements.get_statement_pdf(practice.container.deps, practice.biller, listed[0].record.id)
    text = pdf_text(pdf)
    assert "Patient: Cora Cedar" in text and "Patient: Cole Cedar" in text
    assert "Clara Cedar" in text and "40 Oak Ave" in text
    assert record.statement_number in text


def test_the_pdf_shows_the_amount_due_and_why_the_patient_owes(practice: Practice) -> None:
    family(practice)
    report = go(practice)
    alder = next(s for s in report.statements if s.guarantor_name == "Ada Alder")

    _, pdf = statements.get_statement_pdf(practice.container.deps, practice.biller, alder.statement_id)

    text = pdf_text(pdf)
    assert "PATIENT STATEMENT" in text
    assert "Amount due $35.00" in text
    assert "Your share: Copay $25.00, Coinsurance $10.00." in text
    assert "Test Family Practice" in text and "Springfield, IL 62701-1234" in text  # header and remit-to
    assert "12/17/2026" in text  # due in 21 days


def test_a_non_covered_service_reads_not_covered_and_credits_reduce_the_amount_due(practice: Practice) -> None:
    claim = submitted(practice)
    denied = clp(claim, svc(claim, 1, 0, cas("PR-96", 12000)), svc(claim, 2, 2000, cas("CO-45", 1150)))
    run(practice, era(denied))
    with practice.container.engine.begin() as conn:
        conn.execute(
            insert(t.patient_payments).values(
                id=new_id(),
                practice_id=practice.admin.practice_id,
                patient_id=claim.patient_id,
                kind="payment",
                received_on=TODAY,
                amount_cents=5000,
                method="cash",
                unapplied_cents=2000,
                created_at=datetime(2026, 11, 26, 9, tzinfo=UTC),
                created_by="front",
            )
        )

    report = go(practice)

    [sent] = report.statements
    assert sent.amount_due_cents == 10000  # 120.00 not covered − 20.00 on account
    text = pdf_text(statements.get_statement_pdf(practice.container.deps, practice.biller, sent.statement_id)[1])
    assert "Your share: Not covered $120.00." in text
    assert "Unapplied credits -$20.00" in text
    plain, html = statements.statement_email(practice.container.deps, practice.biller, sent.statement_id)
    assert "$100.00" in plain and "Not covered $120.00" in plain
    assert "<html" in html.lower() or "<table" in html.lower()


def test_below_the_minimum_is_skipped_with_the_reason(practice: Practice) -> None:
    family(practice)

    report = go(practice, StatementRules(minimum_balance_cents=5000))

    assert [s.guarantor_name for s in report.statements] == ["Clara Cedar"]
    [skip] = report.skipped_guarantors
    assert (skip.guarantor_name, skip.code, skip.reason, skip.amount_due_cents) == (
        "Ada Alder",
        "below_minimum",
        "below minimum balance of $50.00",
        3500,
    )
    assert report.skipped["below_minimum"] == 1


def test_a_patient_on_hold_holds_the_guarantors_statement_until_released(practice: Practice) -> None:
    _, cora, _ = family(practice)
    deps = practice.container.deps
    statements.hold_statements(deps, practice.biller, cora.patient_id, "  disputes   the visit ")
    [(hold, name)] = statements.list_holds(deps, practice.biller)
    assert (hold.reason, name) == ("disputes the visit", "Cora Cedar")

    held = go(practice)
    assert [s.guarantor_name for s in held.statements] == ["Ada Alder"]
    assert [(s.guarantor_name, s.code) for s in held.skipped_guarantors] == [("Clara Cedar", "on_hold")]

    statements.release_hold(deps, practice.biller, cora.patient_id)
    assert statements.list_holds(deps, practice.biller) == []
    released = go(practice)
    assert [(s.guarantor_name, s.amount_due_cents) for s in released.statements] == [("Clara Cedar", 7000)]
    assert [(s.guarantor_name, s.code) for s in released.skipped_guarantors] == [("Ada Alder", "in_cycle")]
    with pytest.raises(NotFound):
        statements.release_hold(deps, practice.biller, cora.patient_id)


def test_a_second_run_inside_the_cycle_skips_and_one_after_it_sends(practice: Practice, clock: FixedClock) -> None:
    family(practice)
    go(practice)

    clock.current += timedelta(days=27)
    inside = go(practice)
    assert (inside.sent, inside.skipped["in_cycle"]) == (0, 2)
    assert inside.skipped_guarantors[0].reason == "statement sent 27 days ago; cycle is 28"

    clock.current += timedelta(days=4)  # 31 days after the patient became responsible: past due
    after = go(practice)
    assert (after.sent, after.total_due_cents) == (2, 10500)
    assert [s.statement_number for s in after.statements] == ["S00000003", "S00000004"]
    assert {s.message for s in after.statements} == {"Your account is past due. Please pay the amount due today."}
    assert [r.sent_count for r in statements.list_runs(practice.container.deps, practice.biller)] == [2, 0, 2]


def test_a_dry_run_decides_and_renders_but_stores_nothing(practice: Practice) -> None:
    family(practice)
    rendered: list[tuple[str, int]] = []
    progress: list[tuple[int, int]] = []

    preview = go(
        practice,
        dry_run=True,
        on_pdf=lambda s, pdf: rendered.append((s.statement_number, len(pdf))),
        on_progress=lambda done, total: progress.append((done, total)),
    )

    assert (preview.run_id, preview.sent, preview.total_due_cents) == (None, 2, 10500)
    assert [n for n, _ in rendered] == ["S00000001", "S00000002"] and all(size > 1000 for _, size in rendered)
    assert progress[-1] == (2, 2)
    deps = practice.container.deps
    assert statements.list_runs(deps, practice.biller) == []
    assert statements.list_statements(deps, practice.biller) == []
    real = go(practice)
    assert [s.statement_number for s in real.statements] == ["S00000001", "S00000002"]  # numbers were given back


def test_refusals_change_nothing(practice: Practice) -> None:
    alder, _, _ = family(practice)
    deps = practice.container.deps
    coder = Actor(user_id="", username="cody", practice_id=practice.admin.practice_id, role=Role.CODER)

    with pytest.raises(PermissionDenied):
        statements.run_statements(deps, coder, rules=RULES)
    with pytest.raises(ValidationError) as refused:
        statements.hold_statements(deps, practice.biller, alder.patient_id, "   ")
    assert refused.value.field == "reason"
    with pytest.raises(NotFound):
        statements.hold_statements(deps, practice.biller, "0" * 32, "dispute")
    with pytest.raises(NotFound):
        statements.get_statement_pdf(deps, practice.biller, "0" * 32)

    assert statements.list_runs(deps, practice.biller) == []
    assert statements.list_holds(deps, practice.biller) == []
