"""Posting an 835 claim payment: line matching, typed entries by group and CARC, claim-level spreading, reversals,
and the ledger identity over random remittance sequences."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medbill.domain.claim_records import ClaimLineRecord
from medbill.domain.claim_states import ClaimStatus
from medbill.domain.claims import ProcedureCode
from medbill.domain.coverage import CoverageOrder
from medbill.domain.ledger import EntryKind, LedgerEntry, PatientShare, balance
from medbill.domain.posting import PostingTarget, match_lines, post_claim_payment, spread
from medbill.domain.remittance import (
    Adjustment,
    AdjustmentGroup,
    Amount,
    ClaimPayment,
    DateEntry,
    Remark,
    ServicePayment,
)
from medbill.domain.remittance import ClaimStatus as Clp

AT = datetime(2026, 11, 26, 12, tzinfo=UTC)
DOS = date(2026, 11, 20)
LINES = (
    ClaimLineRecord(
        line_number=1,
        line_control_number="C00000018-1",
        procedure_code="99213",
        modifiers=("25",),
        charge_cents=12000,
        service_date=DOS,
    ),
    ClaimLineRecord(
        line_number=2,
        line_control_number="C00000018-2",
        procedure_code="36415",
        units=2,
        charge_cents=3150,
        service_date=DOS,
    ),
)
TARGET = PostingTarget(
    claim_id="claim1",
    patient_control_number="C00000018",
    patient_id="pat1",
    encounter_id="enc1",
    payer_id="payer1",
    order=CoverageOrder.PRIMARY,
    status=ClaimStatus.SUBMITTED,
    date_of_service=DOS,
    lines=LINES,
)


def cas(code: str, cents: int) -> Adjustment:
    group, carc = code.split("-")
    return Adjustment(group=AdjustmentGroup(group), carc=carc, amount_cents=cents)


def svc(
    code: str, charge: int, paid: int, *adjustments: Adjustment, lcn: str | None = None, mods: tuple[str, ...] = ()
) -> ServicePayment:
    return ServicePayment(
        procedure=ProcedureCode(qualifier="HC", code=code, modifiers=mods),
        charge_cents=charge,
        paid_cents=paid,
        adjustments=adjustments,
        line_control_number=lcn,
        dates=(DateEntry(qualifier="472", date=DOS),),
    )


def clp(*lines: ServicePayment, status: Clp = Clp.PRIMARY, claim_cas: tuple[Adjustment, ...] = (), **kw: object):  # type: ignore[no-untyped-def]
    charge = sum(line.charge_cents for line in lines) if lines else int(kw.pop("charge", 15150))  # type: ignore[call-overload]
    adjusted = sum(a.amount_cents for a in claim_cas) + sum(a.amount_cents for li in lines for a in li.adjustments)
    return ClaimPayment(
        claim_id="C00000018",
        status=status,
        charge_cents=charge,
        paid_cents=int(kw.pop("paid", charge - adjusted)),  # type: ignore[call-overload]
        filing_indicator="CI",
        adjustments=claim_cas,
        lines=lines,
        **kw,  # type: ignore[arg-type]
    )


def post(payment: ClaimPayment, earlier: tuple[LedgerEntry, ...] = (), rid: str = "r1") -> list[LedgerEntry]:
    return list(
        post_claim_payment(
            payment, TARGET, practice_id="p", remittance_id=rid, at=AT, source="835 TRN 1", earlier=earlier
        ).entries
    )


def charges() -> list[LedgerEntry]:
    return [
        LedgerEntry(
            practice_id="p",
            patient_id="pat1",
            encounter_id="enc1",
            line_number=line.line_number,
            kind=EntryKind.CHARGE,
            amount_cents=line.charge_cents,
            at=AT,
        )
        for line in LINES
    ]


def line_balance(entries: list[LedgerEntry], number: int) -> tuple[int, int]:
    b = balance(e for e in entries if e.line_number == number)
    return b.insurance_cents, b.patient_cents


def test_each_cas_group_becomes_its_own_typed_entry_and_the_patient_owes_by_kind() -> None:
    payment = clp(
        svc("99213", 12000, 7000, cas("CO-45", 3000), cas("PR-2", 1000), cas("PR-3", 1000), lcn="C00000018-1"),
        svc("36415", 3150, 2000, cas("CO-45", 1150), cas("OA-23", 0), lcn="C00000018-2"),
    )
    entries = post(payment)
    kinds = [(e.line_number, e.kind, e.group_code, e.reason_code, e.amount_cents, e.patient_share) for e in entries]
    assert kinds == [
        (1, EntryKind.PAYER_PAYMENT, None, None, 7000, None),
        (1, EntryKind.CONTRACTUAL_ADJUSTMENT, "CO", "45", 3000, None),
        (1, EntryKind.TRANSFER_TO_PATIENT, "PR", "2", 1000, PatientShare.COINSURANCE),
        (1, EntryKind.TRANSFER_TO_PATIENT, "PR", "3", 1000, PatientShare.COPAY),
        (2, EntryKind.PAYER_PAYMENT, None, None, 2000, None),
        (2, EntryKind.CONTRACTUAL_ADJUSTMENT, "CO", "45", 1150, None),
    ]
    everything = charges() + entries
    assert line_balance(everything, 1) == (0, 2000)
    assert line_balance(everything, 2) == (0, 0)
    assert all(e.claim_id == "claim1" and e.payer_id == "payer1" and e.remittance_id == "r1" for e in entries)


def test_remark_codes_are_kept_as_data_on_the_line_entries() -> None:
    remarked = ServicePayment(
        procedure=ProcedureCode(qualifier="HC", code="99213", modifiers=("25",)),
        charge_cents=12000,
        paid_cents=8000,
        adjustments=(cas("CO-45", 4000),),
        line_control_number="C00000018-1",
        remarks=(Remark(qualifier="HE", code="N130"), Remark(qualifier="HE", code="M15")),
    )
    posting = post_claim_payment(clp(remarked), TARGET, practice_id="p", remittance_id="r1", at=AT, source="835 TRN 1")
    assert [(e.kind, e.reason_code, e.remark_codes) for e in posting.entries] == [
        (EntryKind.PAYER_PAYMENT, None, ("N130", "M15")),
        (EntryKind.CONTRACTUAL_ADJUSTMENT, "45", ("N130", "M15")),
    ]


def test_a_denial_moves_no_money_and_stays_owed_by_insurance_until_worked() -> None:
    paid = svc("36415", 3150, 3150, lcn="C00000018-2")
    refused = svc("99213", 12000, 0, cas("CO-97", 12000), lcn="C00000018-1", mods=("25",))
    posting = post_claim_payment(
        clp(refused, paid, claim_cas=(cas("OA-94", 0),)),
        TARGET,
        practice_id="p",
        remittance_id="r1",
        at=AT,
        source="835 TRN 1",
    )
    assert [line.line_number for line, _ in posting.denied_lines] == [1]
    assert [(e.line_number, e.kind, e.group_code, e.reason_code, e.amount_cents) for e in posting.entries] == [
        (1, EntryKind.DENIAL, "CO", "97", 12000),  # kept as data, moving no money
        (2, EntryKind.PAYER_PAYMENT, None, None, 3150),
    ]
    assert line_balance(charges() + list(posting.entries), 1) == (12000, 0)
    whole = post_claim_payment(
        clp(status=Clp.DENIED, charge=15150, paid=0, claim_cas=(cas("CO-50", 15150),)),
        TARGET,
        practice_id="p",
        remittance_id="r2",
        at=AT,
        source="835 TRN 2",
    )
    assert [(e.line_number, e.kind, e.reason_code, e.amount_cents) for e in whole.entries] == [
        (1, EntryKind.DENIAL, "50", 12000),
        (2, EntryKind.DENIAL, "50", 3150),
    ]
    assert line_balance(charges() + list(whole.entries), 1) == (12000, 0)


def test_lines_match_by_ref_6r_then_by_code_date_and_charge_when_the_payer_drops_it() -> None:
    by_ref = svc("36415", 3150, 3150, lcn="C00000018-2")
    dropped_ref = svc("99213", 12000, 12000, mods=("25",))
    dropped_modifier = svc("99213", 12000, 12000)
    matches, unmatched = match_lines(clp(by_ref, dropped_ref), LINES)
    assert [(m.line.line_number, m.how) for m in matches] == [
        (2, "REF*6R"),
        (1, "code, modifiers, date and charge"),
    ]
    matches, unmatched = match_lines(clp(dropped_modifier), LINES)
    assert [(m.line.line_number, m.how) for m in matches] == [(1, "code, date and charge (modifiers differ)")]
    stranger = svc("99214", 15000, 9000, cas("CO-45", 6000))
    matches, unmatched = match_lines(clp(stranger), LINES)
    assert (matches, unmatched) == ([], [stranger])


def test_a_line_charge_that_differs_does_not_match_by_fallback() -> None:
    other_charge = svc("99213", 11000, 11000, mods=("25",))
    assert match_lines(clp(other_charge), LINES)[1] == [other_charge]


def test_claim_level_adjustments_and_payments_without_lines_are_spread_by_charge_to_the_cent() -> None:
    payment = clp(charge=15150, paid=10000, claim_cas=(cas("CO-45", 4150), cas("PR-1", 1000)))
    entries = post(payment)
    pay = {e.line_number: e.amount_cents for e in entries if e.kind is EntryKind.PAYER_PAYMENT}
    co = {e.line_number: e.amount_cents for e in entries if e.kind is EntryKind.CONTRACTUAL_ADJUSTMENT}
    pr = {e.line_number: e.amount_cents for e in entries if e.kind is EntryKind.TRANSFER_TO_PATIENT}
    assert pay == {1: 7921, 2: 2079}  # 10000 × 12000/15150 = 7920.79 → 7921
    assert co == {1: 3287, 2: 863}
    assert pr == {1: 792, 2: 208}
    everything = charges() + entries
    assert line_balance(everything, 1) == (0, 792)
    assert line_balance(everything, 2) == (0, 208)


def test_interest_is_its_own_entry_and_does_not_touch_the_balances() -> None:
    payment = clp(
        svc("99213", 12000, 12000, lcn="C00000018-1"),
        amounts=(Amount(qualifier="I", amount_cents=37),),
    )
    entries = post(payment)
    assert [(e.kind, e.amount_cents) for e in entries] == [
        (EntryKind.PAYER_PAYMENT, 12000),
        (EntryKind.INTEREST, 37),
    ]
    b = balance(charges()[:1] + entries)
    assert (b.insurance_cents, b.patient_cents, b.interest_cents) == (0, 0, 37)


def test_a_reversal_undoes_every_entry_posted_from_remittances_by_new_entries() -> None:
    first = post(clp(svc("99213", 12000, 9000, cas("CO-45", 2000), cas("PR-3", 1000), lcn="C00000018-1")))
    undo = post(clp(status=Clp.REVERSAL, charge=-12000, paid=-9000), earlier=tuple(charges() + first), rid="r2")
    assert [(e.kind, e.amount_cents, e.reverses) for e in undo] == [(e.kind, -e.amount_cents, e.id) for e in first]
    assert all(e.remittance_id == "r2" for e in undo)
    assert line_balance(charges() + first + undo, 1) == (12000, 0)
    # a second reversal finds nothing left to undo
    assert post(clp(status=Clp.REVERSAL, charge=-12000, paid=-9000), earlier=tuple(first + undo)) == []


def test_on_a_secondary_claim_the_prior_payers_impact_is_not_posted_again() -> None:
    secondary = PostingTarget(**{**{s: getattr(TARGET, s) for s in TARGET.__slots__}, "order": CoverageOrder.SECONDARY})  # type: ignore[arg-type]
    payment = clp(svc("99213", 12000, 800, cas("OA-23", 11000), cas("PR-2", 200), lcn="C00000018-1"))
    entries = post_claim_payment(payment, secondary, practice_id="p", remittance_id="r", at=AT, source="s").entries
    assert [(e.kind, e.amount_cents) for e in entries] == [
        (EntryKind.PAYER_PAYMENT, 800),
        (EntryKind.TRANSFER_TO_PATIENT, 200),
    ]


@pytest.mark.parametrize(
    ("amount", "weights", "expected"),
    [(100, [1, 1, 1], [34, 33, 33]), (-100, [1, 1, 1], [-34, -33, -33]), (7, [0, 0], [7, 0]), (5, [], [])],
)
def test_spread_splits_exactly(amount: int, weights: list[int], expected: list[int]) -> None:
    assert spread(amount, weights) == expected


@st.composite
def line_payments(draw: st.DrawFn, line: ClaimLineRecord) -> ServicePayment:
    """A balanced 835 service payment for ``line``: the charge split into paid, CO, PR-1/2/3 and OA."""
    charge = line.charge_cents
    cuts = sorted(draw(st.lists(st.integers(0, charge), min_size=5, max_size=5)))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, charge], strict=True)]
    paid, co, ded, coins, copay, oa = parts
    adjustments = [
        cas(f"{g}", c) for g, c in (("CO-45", co), ("PR-1", ded), ("PR-2", coins), ("PR-3", copay), ("OA-94", oa)) if c
    ]
    return svc(line.procedure_code, charge, paid, *adjustments, lcn=line.line_control_number, mods=line.modifiers)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_the_ledger_identity_holds_over_random_remittance_sequences_with_reversals(data: st.DataObject) -> None:
    entries = charges()
    posted: list[LedgerEntry] = []
    steps = data.draw(st.lists(st.sampled_from(["pay", "reverse"]), min_size=1, max_size=6))
    current: ClaimPayment | None = None
    for n, step in enumerate(steps):
        if step == "pay":
            current = clp(*(data.draw(line_payments(line)) for line in LINES))
            new = post(current, rid=f"r{n}")
        else:
            new = post(clp(status=Clp.REVERSAL, charge=-15150, paid=0), earlier=tuple(entries), rid=f"r{n}")
            current = None
        entries += new
        posted += new
        for number in (1, 2):
            b = balance(e for e in entries if e.line_number == number)
            assert b.charges_cents - b.payments_cents - b.adjustments_cents + b.refunds_cents == b.total_cents
        if step == "reverse":
            assert [line_balance(entries, 1), line_balance(entries, 2)] == [(12000, 0), (3150, 0)]
    # after the last step the patient owes exactly the PR of the payments still standing
    assert all(e.id for e in posted)
