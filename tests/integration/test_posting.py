"""Importing and posting 835s on both databases: balancing, matching, typed entries, idempotency, held advices,
denials, reversals, PLB, underpayments, and nothing half-written on failure."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from medbill.adapters.db.ledger import SqlWorkQueue
from medbill.domain.claim_records import ClaimRecord
from medbill.domain.claim_states import ClaimEvent, ClaimStatus
from medbill.domain.claims import EntityType, NamedEntity, ProcedureCode
from medbill.domain.errors import FormatError, ValidationError
from medbill.domain.ledger import EntryKind, PatientShare
from medbill.domain.remittance import (
    Adjustment,
    AdjustmentGroup,
    ClaimPayment,
    DateEntry,
    Payment,
    ProviderAdjustment,
    Remark,
    Remittance,
    ServicePayment,
)
from medbill.domain.remittance import ClaimStatus as Clp
from medbill.domain.work_items import Queue
from medbill.formats import x12
from medbill.services import accounts, claims, encounters, posting
from medbill.services.encounters import FeeScheduleDraft
from tests.integration.claims_support import advance, covered_encounter
from tests.support import Practice

DOS = date(2026, 11, 20)
ENVELOPE = x12.Envelope(
    sender_id="ACME1",
    receiver_id="PRACTICE01",
    interchange_control_number=501,
    group_control_number=501,
    created=datetime(2026, 11, 26, 9, 0, tzinfo=UTC),
)


def submitted(p: Practice, last_name: str = "Alder") -> ClaimRecord:
    """A claim (99213 at 120.00, 36415 x2 at 31.50) that the payer has: built, scrubbed, queued, sent."""
    encounter = covered_encounter(p, last_name=last_name)
    built = claims.build_claims(p.container.deps, p.biller, [encounter]).created[0]
    return advance(p, built, ClaimEvent.SCRUB, ClaimEvent.QUEUE, ClaimEvent.SUBMIT)


def cas(code: str, cents: int) -> Adjustment:
    group, carc = code.split("-")
    return Adjustment(group=AdjustmentGroup(group), carc=carc, amount_cents=cents)


def svc(
    claim: ClaimRecord, n: int, paid: int, *adjustments: Adjustment, lcn: bool = True, **kw: object
) -> ServicePayment:
    line = claim.lines[n - 1]
    return ServicePayment(
        procedure=ProcedureCode(qualifier="HC", code=line.procedure_code, modifiers=line.modifiers),
        charge_cents=line.charge_cents,
        paid_cents=paid,
        units_paid=None,
        adjustments=adjustments,
        line_control_number=line.line_control_number if lcn else None,
        dates=(DateEntry(qualifier="472", date=DOS),),
        **kw,  # type: ignore[arg-type]
    )


def clp(claim: ClaimRecord | str, *lines: ServicePayment, status: Clp = Clp.PRIMARY, **kw: object) -> ClaimPayment:
    claim_id = claim if isinstance(claim, str) else claim.patient_control_number
    charge = sum(line.charge_cents for line in lines)
    adjusted = sum(a.amount_cents for line in lines for a in line.adjustments)
    patient = sum(
        a.amount_cents for line in lines for a in line.adjustments if a.group is AdjustmentGroup.PATIENT_RESPONSIBILITY
    )
    values: dict[str, object] = {
        "claim_id": claim_id,
        "status": status,
        "charge_cents": charge,
        "paid_cents": charge - adjusted,
        "patient_responsibility_cents": patient,
        "filing_indicator": "CI",
        "payer_claim_number": f"PCN{claim_id}",
        "lines": lines,
        "entities": (NamedEntity(role="QC", entity_type=EntityType.PERSON, name="ALDER", first_name="JO"),),
    }
    values.update(kw)
    return ClaimPayment(**values)  # type: ignore[arg-type]


def era(
    *payments: ClaimPayment, trace: str = "EFT1001", plb: tuple[ProviderAdjustment, ...] = (), off: int = 0
) -> bytes:
    amount = sum(c.paid_cents for c in payments) - sum(a.amount_cents for a in plb) + off
    remit = Remittance(
        payment=Payment(
            handling="I",
            amount_cents=amount,
            credit_debit="C",
            method="ACH",
            format="CCP",
            date=date(2026, 11, 25),
            trace_number=trace,
            originator_id="1123456789",
            banking=("01", "999999992", "DA", "123456", "1123456789", "", "01", "888888880", "DA", "98765"),
        ),
        payer=NamedEntity(role="PR", entity_type=EntityType.ORGANIZATION, name="ACME HEALTH", identifier="ACME1"),
        payee=NamedEntity(
            role="PE",
            entity_type=EntityType.ORGANIZATION,
            name="TEST FAMILY PRACTICE",
            id_qualifier="XX",
            identifier="1234567893",
        ),
        claims=payments,
        provider_adjustments=plb,
    )
    return x12.write_835([remit], ENVELOPE).encode()


def run(p: Practice, data: bytes, **kw: object) -> posting.ImportReport:
    return posting.import_remittance(p.container.deps, p.biller, data, file_name="acme.835", **kw)  # type: ignore[arg-type]


def status_of(p: Practice, claim: ClaimRecord) -> ClaimStatus:
    return claims.get_claim(p.container.deps, p.biller, claim.id).claim.status


def typical(claim: ClaimRecord) -> ClaimPayment:
    """99213: allowed 100.00 of 120.00, copay 25.00, coinsurance 10.00, paid 65.00; 36415: paid 20.00 of 31.50."""
    return clp(
        claim,
        svc(claim, 1, 6500, cas("CO-45", 2000), cas("PR-3", 2500), cas("PR-2", 1000)),
        svc(claim, 2, 2000, cas("CO-45", 1150)),
    )


def test_a_balanced_remittance_posts_typed_entries_and_leaves_the_patient_what_they_owe(practice: Practice) -> None:
    claim = submitted(practice)
    report = run(practice, era(typical(claim)))
    assert (report.claim_payments, report.posted, report.unmatched, report.balanced) == (1, 1, 0, True)
    assert report.already_imported is False
    assert report.transactions[0].totals == {
        "payer_payment": 8500,
        "contractual_adjustment": 3150,
        "transfer_to_patient": 3500,
    }
    assert status_of(practice, claim) is ClaimStatus.PAID
    ledger = accounts.claim_ledger(practice.container.deps, practice.biller, claim.id)
    assert ledger.visit is not None
    balances = [(li.line_number, li.balance.insurance_cents, li.balance.patient_cents) for li in ledger.visit.lines]
    assert balances == [(1, 0, 3500), (2, 0, 0)]
    assert ledger.visit.owed_by_share == {"copay": 2500, "coinsurance": 1000}
    account = accounts.patient_account(practice.container.deps, practice.biller, claim.patient_id)
    b = account.balance
    assert (b.charges_cents, b.payments_cents, b.adjustments_cents, b.insurance_cents, b.patient_cents) == (
        15150,
        8500,
        3150,
        0,
        3500,
    )
    shares = {e.patient_share for e in ledger.claim_entries if e.kind is EntryKind.TRANSFER_TO_PATIENT}
    assert shares == {PatientShare.COPAY, PatientShare.COINSURANCE}


def test_the_same_advice_imported_twice_posts_once(practice: Practice) -> None:
    claim = submitted(practice)
    data = era(typical(claim))
    run(practice, data)
    again = run(practice, data)
    assert (again.already_imported, again.posted, again.claim_payments) == (True, 0, 1)
    account = accounts.patient_account(practice.container.deps, practice.biller, claim.patient_id)
    assert account.balance.payments_cents == 8500
    assert len(accounts.list_remittances(practice.container.deps, practice.biller)) == 1


def test_a_dry_run_previews_exactly_and_keeps_nothing(practice: Practice) -> None:
    claim = submitted(practice)
    data = era(typical(claim))
    preview = run(practice, data, dry_run=True)
    assert (preview.posted, preview.transactions[0].entries, preview.dry_run) == (1, 6, True)
    assert preview.transactions[0].claims[0].event == "pay"
    assert status_of(practice, claim) is ClaimStatus.SUBMITTED
    assert accounts.list_remittances(practice.container.deps, practice.biller) == []
    assert (
        accounts.patient_account(practice.container.deps, practice.biller, claim.patient_id).balance.payments_cents == 0
    )
    assert run(practice, data).posted == 1  # the real import afterwards is not "already imported"


def test_an_advice_that_does_not_balance_is_held_with_the_difference_and_posts_nothing(practice: Practice) -> None:
    claim = submitted(practice)
    report = run(practice, era(typical(claim), off=1))
    tr = report.transactions[0]
    assert (report.balanced, tr.held, tr.posted, tr.difference_cents) == (False, True, 0, -1)
    assert tr.problems == ["ΣCLP04 − ΣPLB − BPR02 is -1 cents, not 0"]
    held = accounts.work_queue(practice.container.deps, practice.biller, Queue.HELD_REMITTANCE)
    assert [(h.amount_cents, h.reference) for h in held] == [(-1, "EFT1001")]
    assert status_of(practice, claim) is ClaimStatus.SUBMITTED
    assert (
        accounts.patient_account(practice.container.deps, practice.biller, claim.patient_id).balance.payments_cents == 0
    )


def test_a_claim_payment_we_cannot_match_goes_to_the_unmatched_queue_and_the_rest_posts(practice: Practice) -> None:
    claim = submitted(practice)
    stranger = ClaimPayment(
        claim_id="X99",
        status=Clp.PRIMARY,
        charge_cents=5000,
        paid_cents=4000,
        filing_indicator="CI",
        adjustments=(cas("CO-45", 1000),),
    )
    report = run(practice, era(typical(claim), stranger))
    assert (report.posted, report.unmatched) == (1, 1)
    items = accounts.work_queue(practice.container.deps, practice.biller, Queue.UNMATCHED)
    assert [(i.reference, i.amount_cents, i.claim_id) for i in items] == [("X99", 4000, None)]
    assert '"claim_id":"X99"' in items[0].detail


def test_lines_without_ref_6r_are_matched_by_code_date_and_charge(practice: Practice) -> None:
    claim = submitted(practice)
    payment = clp(claim, svc(claim, 2, 3150, lcn=False), svc(claim, 1, 12000, lcn=False))
    report = run(practice, era(payment))
    assert (report.posted, report.transactions[0].unmatched_lines) == (1, 0)
    ledger = accounts.claim_ledger(practice.container.deps, practice.biller, claim.id)
    assert ledger.visit is not None
    assert [li.balance.insurance_cents for li in ledger.visit.lines] == [0, 0]


def test_a_denial_goes_to_the_denial_queue_with_the_reason_in_words(practice: Practice) -> None:
    claim = submitted(practice)
    denied = clp(
        claim,
        svc(claim, 1, 0, cas("CO-50", 12000), remarks=(Remark(qualifier="HE", code="N115"),)),
        svc(claim, 2, 0, cas("CO-50", 3150)),
        status=Clp.DENIED,
    )
    run(practice, era(denied))
    assert status_of(practice, claim) is ClaimStatus.DENIED
    [item] = accounts.work_queue(practice.container.deps, practice.biller, Queue.DENIAL)
    assert item.amount_cents == 15150 and item.claim_id == claim.id
    assert item.reason.startswith("claim denied: CO-50: These are non-covered services because this is not deemed")
    assert "N115" in item.reason
    # triaged: medical necessity is appealed within Acme's window (180 days from the remittance of 11/25/2026)
    assert (item.category, item.next_action, item.due_on) == ("medical_necessity", "appeal", date(2027, 5, 24))
    assert (item.payer_id, item.patient_id) == (practice.commercial_id, claim.patient_id)


def test_a_partly_denied_claim_queues_the_refused_lines(practice: Practice) -> None:
    claim = submitted(practice)
    partly = clp(claim, svc(claim, 1, 10000, cas("CO-45", 2000)), svc(claim, 2, 0, cas("CO-97", 3150)))
    run(practice, era(partly))
    assert status_of(practice, claim) is ClaimStatus.PARTIALLY_PAID
    [item] = accounts.work_queue(practice.container.deps, practice.biller, Queue.DENIAL)
    assert (item.amount_cents, item.reason.split(":")[0]) == (3150, "1 line(s) denied")


def test_a_reversal_and_correction_undo_the_first_posting_by_entries(practice: Practice) -> None:
    claim = submitted(practice)
    run(practice, era(typical(claim), trace="EFT1"))
    first = typical(claim)
    negated = replace(
        first,
        status=Clp.REVERSAL,
        charge_cents=-first.charge_cents,
        paid_cents=-first.paid_cents,
        patient_responsibility_cents=-(first.patient_responsibility_cents or 0),
        lines=tuple(
            replace(
                line,
                charge_cents=-line.charge_cents,
                paid_cents=-line.paid_cents,
                adjustments=tuple(replace(a, amount_cents=-a.amount_cents) for a in line.adjustments),
            )
            for line in first.lines
        ),
    )
    corrected = clp(claim, svc(claim, 1, 9500, cas("CO-45", 2500)), svc(claim, 2, 2000, cas("CO-45", 1150)))
    report = run(practice, era(negated, corrected, trace="EFT2"))
    tr = report.transactions[0]
    assert (tr.reversed, tr.posted, report.balanced) == (1, 1, True)
    assert status_of(practice, claim) is ClaimStatus.PAID
    ledger = accounts.claim_ledger(practice.container.deps, practice.biller, claim.id)
    assert ledger.visit is not None
    b = ledger.visit.balance
    assert (b.payments_cents, b.adjustments_cents, b.insurance_cents, b.patient_cents) == (11500, 3650, 0, 0)
    reversals = [e for e in ledger.claim_entries if e.reverses]
    assert len(reversals) == 6 and all(e.amount_cents < 0 for e in reversals)
    history = [h.event for h in claims.get_claim(practice.container.deps, practice.biller, claim.id).history]
    assert history[-3:] == [ClaimEvent.PAY, ClaimEvent.REVERSE, ClaimEvent.PAY]


def test_provider_level_adjustments_are_kept_on_the_payment(practice: Practice) -> None:
    claim = submitted(practice)
    recovery = ProviderAdjustment(
        provider_id="1234567893",
        fiscal_period_end=date(2026, 12, 31),
        reason="WO",
        reference="C0000001X",
        amount_cents=1500,
    )
    interest = ProviderAdjustment(
        provider_id="1234567893", fiscal_period_end=date(2026, 12, 31), reason="L6", amount_cents=-212
    )
    report = run(practice, era(typical(claim), plb=(recovery, interest)))
    tr = report.transactions[0]
    assert (report.balanced, tr.amount_cents) == (True, 8500 - 1500 + 212)
    detail = accounts.get_remittance(practice.container.deps, practice.biller, tr.remittance_id or "")
    assert [(a.reason, a.reference, a.amount_cents) for a in detail.provider_adjustments] == [
        ("WO", "C0000001X", 1500),
        ("L6", None, -212),
    ]
    assert detail.record.provider_adjustment_cents == 1288


def test_a_line_paid_below_the_contract_goes_to_the_underpayment_queue(practice: Practice) -> None:
    deps = practice.container.deps
    encounters.add_fee_schedule(
        deps,
        practice.admin,
        FeeScheduleDraft(
            name="Acme allowed 2026",
            payer_id=practice.commercial_id,
            kind="contract",
            effective_from=date(2026, 1, 1),
            entries=(("99213", "", 10000), ("36415", "", 1000)),
        ),
    )
    claim = submitted(practice)
    short = clp(
        claim,
        svc(claim, 1, 6000, cas("CO-45", 3000), cas("PR-3", 2500), cas("PR-2", 500)),  # allowed 90.00 of 100.00
        svc(claim, 2, 1950, cas("CO-45", 1200)),  # allowed 19.50 of 20.00: inside the 1.00 tolerance
    )
    report = run(practice, era(short))
    assert report.transactions[0].underpaid == 1
    [item] = accounts.work_queue(deps, practice.biller, Queue.UNDERPAYMENT)
    assert item.amount_cents == 1000
    assert item.reason == "line 1 99213: allowed $90.00, contracted $100.00, short $10.00"
    # the contract schedule does not price charges: a new encounter still charges the Acme charge schedule's 120.00
    assert submitted(practice, last_name="Birch").total_charge_cents == 15150


def test_a_failure_mid_import_leaves_nothing_posted(practice: Practice, monkeypatch: pytest.MonkeyPatch) -> None:
    claim = submitted(practice)
    denied = clp(claim, svc(claim, 1, 0, cas("CO-50", 12000)), svc(claim, 2, 0, cas("CO-50", 3150)))

    def broken(self: SqlWorkQueue, items: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(SqlWorkQueue, "add", broken)
    with pytest.raises(RuntimeError):
        run(practice, era(denied))
    monkeypatch.undo()
    assert status_of(practice, claim) is ClaimStatus.SUBMITTED
    assert accounts.list_remittances(practice.container.deps, practice.biller) == []
    assert (
        accounts.patient_account(practice.container.deps, practice.biller, claim.patient_id).balance.adjustments_cents
        == 0
    )


def test_a_file_that_is_not_an_835_or_is_broken_is_refused_with_its_name(practice: Practice) -> None:
    with pytest.raises(FormatError, match=r"^acme\.835: "):
        run(practice, b"ISA*00*nonsense")
    ack = (Path(__file__).parents[1] / "fixtures/x12/999/imsweb__x12_999_rejected.txt").read_bytes()
    with pytest.raises(ValidationError, match=r"acme\.835: transaction set \w+ is a 999, not an 835"):
        run(practice, ack)


def test_only_people_who_post_payments_may_import(practice: Practice) -> None:
    from medbill.domain.errors import PermissionDenied
    from medbill.domain.users import Role

    viewer = replace(practice.biller, role=Role.VIEWER)
    with pytest.raises(PermissionDenied):
        posting.import_remittance(practice.container.deps, viewer, b"", file_name="x.835")
