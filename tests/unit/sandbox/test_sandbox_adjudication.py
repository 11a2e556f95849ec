"""The sandbox payer's 835: exact amounts for each benefit and denial scenario, balanced at every level."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from medbill.adapters.clearinghouse.sandbox import SandboxState
from medbill.domain.claims import ClaimBatch, ClaimKind
from medbill.domain.remittance import ClaimPayment, ClaimStatus
from medbill.formats import x12
from tests.unit.sandbox.sandbox_helpers import DOS, ENVELOPE, NOW, answer, claim, file_of, payer_entity, remittances
from tests.unit.x12.x12_helpers import RECEIVER, SUBMITTER, institutional_claim

# Allowed amounts (CY2026 PFS, Manhattan 13202-01, non-facility; see tests/unit/test_pricing.py for the formula):
# 99213 at 125 % (SBXCOMM) 142.87; 99214 at 100 % (SBXMCR) 162.22; 93000 at 125 % 23.48.


def one_claim(*claims_: object, state: SandboxState | None = None) -> list[ClaimPayment]:
    return [c for r in remittances(answer(file_of(*claims_), state)) for c in r.claims]  # type: ignore[arg-type]


def cas(line_or_claim: object) -> list[tuple[str, str, int]]:
    return [(a.group.value, a.carc, a.amount_cents) for a in line_or_claim.adjustments]  # type: ignore[attr-defined]


def test_deductible_partly_met_then_coinsurance_on_the_rest() -> None:
    (paid,) = one_claim(claim("PCN-D", "SBXCOMM", "COMM-DEDPART", [("99213", (), 20000)]))
    line = paid.lines[0]
    assert cas(line) == [("CO", "45", 5713), ("PR", "1", 5000), ("PR", "2", 1857)]  # 20 % of 92.87 = 18.574
    assert (line.paid_cents, paid.paid_cents, paid.patient_responsibility_cents) == (7430, 7430, 6857)
    assert [(a.qualifier, a.amount_cents) for a in line.amounts] == [("B6", 14287)]
    assert (paid.status, line.line_control_number, paid.filing_indicator) == (ClaimStatus.PRIMARY, "PCN-D-L1", "12")


def test_the_deductible_runs_out_on_the_second_line_and_coinsurance_follows() -> None:
    (paid,) = one_claim(
        claim("PCN-C", "SBXMCR", "MCR-UNMET", [("99214", (), 25000), ("99214", (), 25000, date(2026, 3, 3))])
    )
    first, second = paid.lines
    assert cas(first) == [("CO", "45", 8778), ("PR", "1", 16222)] and first.paid_cents == 0
    assert cas(second) == [("CO", "45", 8778), ("PR", "1", 12078), ("PR", "2", 829)]  # 20 % of 41.44 = 8.288
    assert (second.paid_cents, paid.paid_cents, paid.patient_responsibility_cents) == (3315, 3315, 29129)
    assert paid.filing_indicator == "MB"


def test_copay_only_member_pays_the_office_visit_copay() -> None:
    (paid,) = one_claim(claim("PCN-P", "SBXCOMM", "COMM-COPAY", [("99213", (), 20000)]))
    assert cas(paid.lines[0]) == [("CO", "45", 5713), ("PR", "3", 2500)]
    assert paid.paid_cents == 11787


def test_out_of_pocket_maximum_caps_coinsurance_then_the_plan_pays_everything() -> None:
    state = SandboxState()
    (first,) = one_claim(claim("PCN-O1", "SBXCOMM", "COMM-OOPMAX", [("99213", (), 20000)]), state=state)
    assert cas(first.lines[0]) == [("CO", "45", 5713), ("PR", "2", 1000)]  # 30 % would be 42.86; 10.00 remained
    assert first.paid_cents == 13287
    later = claim("PCN-O2", "SBXCOMM", "COMM-OOPMAX", [("99213", (), 20000, date(2026, 3, 4))])
    (second,) = one_claim(later, state=state)
    assert cas(second.lines[0]) == [("CO", "45", 5713)] and second.paid_cents == 14287
    assert state.benefits["SBXCOMM|COMM-OOPMAX"] == [0, 0]


def test_a_non_covered_service_is_denied_co_96_with_n130() -> None:
    (paid,) = one_claim(claim("PCN-N", "SBXCOMM", "COMM-COPAY", [("G0438", (), 9000)]))
    assert paid.status is ClaimStatus.DENIED and paid.paid_cents == 0 and paid.patient_responsibility_cents == 0
    assert cas(paid.lines[0]) == [("CO", "96", 9000)]
    assert [r.code for r in paid.lines[0].remarks] == ["N130"]


def test_a_bundled_ncci_pair_denies_column_two_unless_a_modifier_bypasses_it() -> None:
    (paid,) = one_claim(claim("PCN-B", "SBXCOMM", "COMM-COPAY", [("93000", (), 8000), ("93010", (), 5000)]))
    assert cas(paid.lines[0]) == [("CO", "45", 5652)] and paid.lines[0].paid_cents == 2348
    assert cas(paid.lines[1]) == [("CO", "97", 5000)] and [r.code for r in paid.lines[1].remarks] == ["M15"]
    (bypassed,) = one_claim(claim("PCN-B59", "SBXCOMM", "COMM-COPAY", [("93000", (), 8000), ("93010", ("59",), 5000)]))
    assert [x.paid_cents for x in bypassed.lines] == [2348, 1193]  # 93010: 0.28582 × 33.4009 × 1.25 = 11.933


def test_a_pair_with_modifier_indicator_0_is_never_paid_separately() -> None:
    (paid,) = one_claim(claim("PCN-Z", "SBXCOMM", "COMM-COPAY", [("11104", (), 30000), ("11102", ("59",), 20000)]))
    assert cas(paid.lines[1]) == [("CO", "234", 20000)] and [r.code for r in paid.lines[1].remarks] == ["N20"]
    assert paid.lines[0].paid_cents > 0


@pytest.mark.parametrize(
    ("member", "dos", "carc"),
    [("MCR-TERM", DOS, "27"), ("MCR-0001", date(2025, 2, 1), "29")],
)
def test_terminated_coverage_and_late_filing_deny_the_claim(member: str, dos: date, carc: str) -> None:
    (paid,) = one_claim(claim("PCN-T", "SBXMCR", member, [("99213", (), 20000, dos)]))
    assert paid.status is ClaimStatus.DENIED and cas(paid.lines[0]) == [("CO", carc, 20000)]


def test_missing_diagnosis_pointer_is_co_16_with_m76_and_ma130_on_the_claim() -> None:
    (paid,) = one_claim(claim("PCN-M", "SBXCOMM", "COMM-COPAY", [("99213", (), 20000)], pointers=False))
    assert cas(paid.lines[0]) == [("CO", "16", 20000)] and [r.code for r in paid.lines[0].remarks] == ["M76"]
    assert paid.outpatient == ("", "", "MA130")


def test_the_same_service_sent_again_is_a_duplicate() -> None:
    state = SandboxState()
    first = one_claim(claim("PCN-1", "SBXCOMM", "COMM-COPAY", [("99213", (), 20000)]), state=state)
    again = one_claim(claim("PCN-1B", "SBXCOMM", "COMM-COPAY", [("99213", (), 20000)]), state=state)
    assert first[0].paid_cents == 11787
    assert cas(again[0].lines[0]) == [("OA", "18", 20000)] and again[0].status is ClaimStatus.DENIED


def test_codes_outside_the_pfs_use_the_payers_own_fee_and_pfs_statuses_pick_the_denial() -> None:
    lines = [("85025", (), 2500), ("99499", (), 3000), ("99450", (), 4000), ("99080", (), 1500), ("36415", (), 900)]
    (paid,) = one_claim(claim("PCN-L", "SBXMCR", "MCR-0001", lines))  # type: ignore[arg-type]
    assert cas(paid.lines[0]) == [("CO", "45", 1750), ("PR", "2", 150)] and paid.lines[0].paid_cents == 600
    # 99499 status C (carrier priced, no fee here), 99450 N (non-covered; also on the payer's list), 99080 B (bundled)
    assert [(cas(x)[0][1], [r.code for r in x.remarks]) for x in paid.lines[1:4]] == [
        ("16", ["N56"]),
        ("96", ["N130"]),
        ("97", ["M15"]),
    ]
    assert cas(paid.lines[4]) == [("CO", "45", 600), ("PR", "2", 60)]  # 36415 (status X) has a payer fee: 3.00


def test_a_file_with_many_claims_balances_at_the_transaction_level() -> None:
    answers = answer(
        file_of(
            claim("PCN-1", "SBXCOMM", "COMM-DEDPART", [("99213", (), 20000)]),
            claim("PCN-2", "SBXCOMM", "COMM-COPAY", [("93000", (), 8000), ("93010", (), 5000), ("G0438", (), 9000)]),
            claim("PCN-3", "SBXMCR", "MCR-0001", [("99213", (), 20000)]),
            claim("PCN-4", "SBXCOMM", "NOBODY-1", [("99213", (), 20000)]),
        )
    )
    remits = remittances(answers)  # balancing_errors() is empty for each
    by_payer = {r.payer.name: (r.payment.amount_cents, [c.claim_id for c in r.claims]) for r in remits}
    assert by_payer == {
        "SANDBOX COMMERCIAL PPO": (7430 + 2348, ["PCN-1", "PCN-2"]),
        "SANDBOX MEDICARE-LIKE PLAN": (9143, ["PCN-3"]),  # 114.29 − 20 % (22.86)
    }


def test_an_837i_is_paid_a_percent_of_charge_with_revenue_code_lines() -> None:
    inst = institutional_claim(lines=2)
    subscriber = replace(inst.subscriber.subscriber, identifier="MCR-0001")
    inst = replace(
        inst,
        subscriber=replace(inst.subscriber, payer=payer_entity("SBXMCR"), subscriber=subscriber),
        lines=tuple(replace(x, service_date=DOS) for x in inst.lines),
    )
    batch = ClaimBatch(
        kind=ClaimKind.INSTITUTIONAL,
        reference="I1",
        created=NOW.date(),
        created_time="0930",
        submitter=SUBMITTER,
        receiver=RECEIVER,
        claims=(inst,),
    )
    (remit,) = remittances(answer(x12.write_837([batch], ENVELOPE).encode()))
    first, second = remit.claims[0].lines
    assert cas(first) == [("CO", "45", 11295), ("PR", "2", 2761)]  # 55 % of 251.00 = 138.05; 20 % of it 27.61
    assert (first.paid_cents, first.revenue_code, second.procedure.qualifier, second.procedure.code) == (
        11044,
        "0450",
        "NU",
        "0300",
    )
    assert remit.claims[0].facility_type == "13"
