"""Paper EOBs post through the same path as an 835: typed entries, balancing per line, idempotent by check number."""

from __future__ import annotations

from datetime import date

import pytest

from medbill.domain.claim_states import ClaimStatus
from medbill.domain.errors import ValidationError
from medbill.domain.work_items import Queue
from medbill.services import accounts
from medbill.services.paper_eob import EobLine, PaperEob, parse_lines, post_paper_eob
from tests.integration.test_posting import status_of, submitted
from tests.support import Practice


def eob(claim_number: str, *lines: EobLine, check: str = "004512", denied: bool = False) -> PaperEob:
    return PaperEob(claim_id=claim_number, check_number=check, paid_on=date(2026, 11, 24), lines=lines, denied=denied)


def test_a_paper_eob_posts_the_same_typed_entries_as_an_835(practice: Practice) -> None:
    claim = submitted(practice)
    lines = parse_lines(["1:paid=65.00,CO-45=20.00,PR-3=25.00,PR-2=10.00", "2:paid=20.00,CO-45=11.50"])
    report = post_paper_eob(practice.container.deps, practice.biller, eob(claim.patient_control_number, *lines))
    tr = report.transactions[0]
    assert (tr.posted, tr.method, tr.trace_number, tr.amount_cents) == (1, "CHK", "004512", 8500)
    assert tr.totals == {"payer_payment": 8500, "contractual_adjustment": 3150, "transfer_to_patient": 3500}
    assert status_of(practice, claim) is ClaimStatus.PAID
    account = accounts.patient_account(practice.container.deps, practice.biller, claim.patient_id)
    assert (account.balance.insurance_cents, account.balance.patient_cents) == (0, 3500)
    again = post_paper_eob(practice.container.deps, practice.biller, eob(claim.patient_control_number, *lines))
    assert again.already_imported is True


def test_a_line_that_does_not_add_up_is_refused_and_nothing_is_posted(practice: Practice) -> None:
    claim = submitted(practice)
    short = parse_lines(["1:paid=65.00,CO-45=20.00"])
    with pytest.raises(ValidationError, match="leave 3500 cents unexplained") as refused:
        post_paper_eob(practice.container.deps, practice.biller, eob(claim.patient_control_number, *short))
    assert refused.value.field == "lines[1]"
    assert accounts.list_remittances(practice.container.deps, practice.biller) == []
    with pytest.raises(ValidationError, match="GROUP-CARC"):
        parse_and_post = parse_lines(["1:paid=0,XX-1=120.00"])
        post_paper_eob(practice.container.deps, practice.biller, eob(claim.patient_control_number, *parse_and_post))


def test_a_denied_paper_eob_goes_to_the_denial_queue(practice: Practice) -> None:
    claim = submitted(practice)
    lines = parse_lines(["1:paid=0,CO-50=120.00", "2:paid=0,CO-50=31.50"])
    post_paper_eob(practice.container.deps, practice.biller, eob(claim.id, *lines, check="NOPAY1", denied=True))
    assert status_of(practice, claim) is ClaimStatus.DENIED
    [item] = accounts.work_queue(practice.container.deps, practice.biller, Queue.DENIAL)
    assert item.reason.startswith("claim denied: CO-50")
