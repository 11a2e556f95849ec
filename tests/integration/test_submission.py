"""Sending batches to the sandbox payer and letting its 999, 277CA and 835 move the claims, on both databases."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from medbill.adapters.clearinghouse.sandbox.adapter import SandboxClearinghouse
from medbill.adapters.clearinghouse.sandbox.config import load_payers
from medbill.domain.claim_states import ClaimEvent, ClaimStatus
from medbill.domain.remittance import Adjustment, AdjustmentGroup, ClaimPayment, ServicePayment
from medbill.services import batches, claims, posting, submission
from tests.integration.claims_support import OPTIONS, covered_encounter
from tests.support import Practice


def sandbox_for(p: Practice, root: Path) -> SandboxClearinghouse:
    """The sandbox's commercial plan, answering as the seeded practice's payer ACME1 (members ACM*)."""
    plans = load_payers()
    acme = replace(plans["DACME"], payer_id="ACME1")
    return SandboxClearinghouse(root, payers={"ACME1": acme}, now=p.container.deps.clock.now)


def test_sent_claims_are_accepted_and_adjudicated_by_the_payers_answers(practice: Practice, tmp_path: Path) -> None:
    deps = practice.container.deps
    first = covered_encounter(practice)
    second = covered_encounter(practice, last_name="Birch", on=date(2026, 11, 19))
    claims.build_claims(deps, practice.biller, [first, second])
    claims.scrub_claims(deps, practice.biller)
    batches.batch_claims(deps, practice.biller, options=OPTIONS)
    sandbox = sandbox_for(practice, tmp_path / "sandbox")

    sent = submission.send_batches(deps, practice.biller, sandbox)
    assert [(s.file_name, s.claims) for s in sent] == [("837P_ACME1_000000001.x12", 2)]
    assert submission.send_batches(deps, practice.biller, sandbox) == []  # nothing is sent twice
    report = submission.ingest_answers(deps, practice.biller, sandbox)
    assert report.files == {"999": 1, "277CA": 1, "835": 1}
    assert report.unmatched == [] and report.problems == []
    listed = claims.list_claims(deps, practice.biller)
    assert sorted(c.status for c in listed) == [ClaimStatus.PAID, ClaimStatus.PAID]
    history = claims.get_claim(deps, practice.biller, listed[0].id).history
    assert [h.event for h in history] == [
        ClaimEvent.SCRUB,
        ClaimEvent.QUEUE,
        ClaimEvent.SUBMIT,
        ClaimEvent.ACCEPT,
        ClaimEvent.PAY,
    ]
    again = submission.ingest_answers(deps, practice.biller, sandbox)
    assert (again.files, again.moves) == ({}, {})  # the same answers are not taken in twice


def _line(paid: int, *adjustments: tuple[str, int]) -> ServicePayment:
    from medbill.domain.claims import ProcedureCode

    return ServicePayment(
        procedure=ProcedureCode(qualifier="HC", code="99213"),
        charge_cents=10000,
        paid_cents=paid,
        adjustments=tuple(
            Adjustment(group=AdjustmentGroup(g), carc=c, amount_cents=a)
            for (g, c), a in ((k.split("-"), v) for k, v in adjustments)
        ),
    )


def test_a_claim_that_went_to_the_deductible_is_paid_not_denied() -> None:
    from medbill.domain.remittance import ClaimStatus as Clp

    def payment(*lines: ServicePayment, status: Clp = Clp.PRIMARY) -> ClaimPayment:
        return ClaimPayment(
            claim_id="C1",
            status=status,
            charge_cents=10000 * len(lines),
            paid_cents=sum(x.paid_cents for x in lines),
            filing_indicator="CI",
            lines=lines,
        )

    deductible = _line(0, ("CO-45", 2000), ("PR-1", 8000))
    paid = _line(6400, ("CO-45", 2000), ("PR-2", 1600))
    refused = _line(0, ("CO-96", 10000))
    assert posting.adjudication_event(payment(deductible)) is ClaimEvent.PAY
    assert posting.adjudication_event(payment(paid, refused)) is ClaimEvent.PAY_PARTIALLY
    assert posting.adjudication_event(payment(refused)) is ClaimEvent.DENY
    assert posting.adjudication_event(payment(paid, status=Clp.DENIED)) is ClaimEvent.DENY
    assert posting.adjudication_event(payment(paid, status=Clp.REVERSAL)) is ClaimEvent.REVERSE
