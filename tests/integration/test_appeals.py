"""Appeals, insurance write-offs and collections status on both databases: a denial appealed, sent and won closes its
item; a lost appeal goes to level 2; write-offs by reason to the cent; permissions; collections status."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pdfplumber
import pytest

from medbill.domain.appeals import AppealStatus
from medbill.domain.collections import CollectionStatus
from medbill.domain.errors import InvalidTransition, NotFound, PermissionDenied, ValidationError
from medbill.domain.ledger import EntryKind
from medbill.domain.remittance import ClaimStatus as Clp
from medbill.domain.remittance import Remark
from medbill.domain.users import Actor
from medbill.domain.work_items import Queue, WorkStatus
from medbill.domain.write_offs import WriteOffReason
from medbill.services import accounts, appeals, collections, patients, users, write_offs
from medbill.services.ports import PatientQuery
from tests.integration.test_posting import cas, clp, era, run, submitted, svc
from tests.support import PASSWORD, Practice

REMITTED = date(2026, 11, 25)  # the 835's payment date (BPR16)


def denied(p: Practice, last_name: str = "Alder") -> str:
    """A claim (151.50) denied CO-50 (medical necessity) with RARC N115 on its first line; returns the claim id."""
    claim = submitted(p, last_name)
    payment = clp(
        claim,
        svc(claim, 1, 0, cas("CO-50", 12000), remarks=(Remark(qualifier="HE", code="N115"),)),
        svc(claim, 2, 0, cas("CO-50", 3150)),
        status=Clp.DENIED,
    )
    run(p, era(payment, trace=f"EFT-{last_name}"))
    return claim.id


def front_desk(p: Practice) -> Actor:
    deps = p.container.deps
    users.bootstrap_user(
        deps,
        practice_id=p.admin.practice_id,
        username="desk",
        display_name="Dee Desk",
        role="front_desk",
        password=PASSWORD,
    )
    return users.authenticate(deps, username="desk", password=PASSWORD, source="test")


def letter_text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return " ".join(" ".join(page.extract_text() or "" for page in document.pages).split())


def denial_items(p: Practice, status: WorkStatus | None = WorkStatus.OPEN) -> list[tuple[str | None, WorkStatus]]:
    items = accounts.work_queue(p.container.deps, p.biller, Queue.DENIAL, status=status)
    return [(w.claim_id, w.status) for w in items]


def test_a_denial_is_appealed_with_a_letter_sent_and_won_which_closes_its_item(practice: Practice) -> None:
    deps = practice.container.deps
    claim_id = denied(practice)
    [item] = accounts.work_queue(deps, practice.biller, Queue.DENIAL)

    appeal = appeals.draft_appeal(deps, practice.biller, claim_id)

    assert (appeal.status, appeal.level, appeal.work_item_id) == (AppealStatus.DRAFTED, 1, item.id)
    assert appeal.reason == item.reason and "CO-50" in appeal.reason and "N115" in appeal.reason
    assert appeal.due_on == REMITTED + timedelta(days=180) == date(2027, 5, 24)  # Acme's appeal window
    assert appeal.argument.startswith("We ask you to reconsider this denial. The services were medically necessary")
    assert "Letter of medical necessity from the treating provider" in appeal.attachments
    got, pdf = appeals.get_letter(deps, practice.biller, appeal.id)
    text = letter_text(pdf)
    claim = accounts.claim_ledger(deps, practice.biller, claim_id)
    assert got.id == appeal.id and pdf.startswith(b"%PDF")
    for expected in ("Acme Health", "Ada Alder", "ACM123456789", "$151.50", "11/20/2026", "Bea Biller", "First-level"):
        assert expected in text
    assert item.reference in text and f"PCN{item.reference}" in text  # CLM01 and the payer's claim number
    assert claim.claim_id == claim_id

    sent = appeals.mark_sent(deps, practice.biller, appeal.id, date(2026, 11, 30))
    assert (sent.status, sent.sent_on) == (AppealStatus.SENT, date(2026, 11, 30))
    won = appeals.record_outcome(
        deps, practice.biller, appeal.id, "won", date(2027, 1, 15), "reprocessed, paid in full"
    )

    assert (won.status, won.answered_on, won.outcome) == (
        AppealStatus.WON,
        date(2027, 1, 15),
        "reprocessed, paid in full",
    )
    [closed] = accounts.work_queue(deps, practice.biller, Queue.DENIAL, status=WorkStatus.CLOSED)
    assert closed.id == item.id and closed.resolution == "level 1 appeal won: reprocessed, paid in full"
    assert [a.status for a in appeals.list_appeals(deps, practice.biller, claim_id=claim_id)] == [AppealStatus.WON]
    trail = [
        (e.action.value, e.detail) for e in reversed(users.audit_trail(deps, practice.admin, entity_type="appeal"))
    ]
    assert [a for a, _ in trail] == ["create", "read", "update", "update"]
    assert trail[-1][1] == "outcome=won on=2027-01-15 work_item=closed"


def test_a_lost_first_level_is_taken_to_level_two_and_no_further_out_of_turn(practice: Practice) -> None:
    deps = practice.container.deps
    claim_id = denied(practice)
    first = appeals.draft_appeal(deps, practice.biller, claim_id, argument="Records enclosed.\n\n\nPlease pay.")
    assert first.argument == "Records enclosed.\n\nPlease pay."
    with pytest.raises(InvalidTransition):  # one open appeal per claim
        appeals.draft_appeal(deps, practice.biller, claim_id, level=2)
    appeals.mark_sent(deps, practice.biller, first.id, date(2026, 12, 1))
    appeals.record_outcome(deps, practice.biller, first.id, "lost", date(2027, 1, 10), "upheld: not necessary")
    assert denial_items(practice) == []  # lost closes the item too

    plan = appeals.plan_appeal(deps, practice.biller, claim_id)
    assert (plan.level, plan.due_on) == (2, date(2027, 1, 10) + timedelta(days=180))
    with pytest.raises(ValidationError, match="level 2"):
        appeals.draft_appeal(deps, practice.biller, claim_id, level=3)
    second = appeals.draft_appeal(deps, practice.biller, claim_id, level=2, attachments=["Peer-reviewed article", " "])

    assert (second.level, second.due_on, second.attachments) == (2, date(2027, 7, 9), ("Peer-reviewed article",))
    assert second.work_item_id == first.work_item_id
    assert "Second-level appeal" in letter_text(appeals.get_letter(deps, practice.biller, second.id)[1])
    listed = appeals.list_appeals(deps, practice.biller, claim_id=claim_id)
    assert [(a.level, a.status) for a in listed] == [(2, AppealStatus.DRAFTED), (1, AppealStatus.LOST)]


def test_an_answered_appeal_cannot_move_again_and_nothing_changes(practice: Practice) -> None:
    deps = practice.container.deps
    appeal = appeals.draft_appeal(deps, practice.biller, denied(practice))
    with pytest.raises(InvalidTransition, match="drafted cannot become won"):
        appeals.record_outcome(deps, practice.biller, appeal.id, "won", date(2027, 1, 1))
    withdrawn = appeals.record_outcome(deps, practice.biller, appeal.id, "withdrawn", date(2026, 11, 27))
    assert (withdrawn.status, withdrawn.outcome) == (AppealStatus.WITHDRAWN, "withdrawn")
    with pytest.raises(InvalidTransition):
        appeals.mark_sent(deps, practice.biller, appeal.id, date(2026, 11, 28))
    assert appeals.get_appeal(deps, practice.biller, appeal.id).status is AppealStatus.WITHDRAWN
    assert len(denial_items(practice)) == 1  # withdrawing leaves the denial to be worked


def test_a_drafted_appeal_can_be_revised_and_its_letter_is_rendered_again(practice: Practice) -> None:
    deps = practice.container.deps
    appeal = appeals.draft_appeal(deps, practice.biller, denied(practice))
    revised = appeals.revise_appeal(
        deps, practice.biller, appeal.id, argument="The patient's A1c was 11.2%.", attachments=["Lab report"]
    )
    text = letter_text(appeals.get_letter(deps, practice.biller, appeal.id)[1])
    assert revised.attachments == ("Lab report",) and "A1c was 11.2%" in text and "1. Lab report" in text


def test_a_claim_with_no_denial_cannot_be_appealed_and_nothing_is_written(practice: Practice) -> None:
    deps = practice.container.deps
    claim = submitted(practice)
    with pytest.raises(ValidationError, match="no denial to appeal"):
        appeals.draft_appeal(deps, practice.biller, claim.id)
    assert appeals.list_appeals(deps, practice.biller) == []
    with pytest.raises(NotFound):
        appeals.draft_appeal(deps, practice.biller, "no-such-claim")


def test_an_unanswered_claim_is_written_off_for_timely_filing_to_the_cent(practice: Practice) -> None:
    deps = practice.container.deps
    claim = submitted(practice)  # 99213 120.00 and 36415 x2 31.50, never answered

    done = write_offs.write_off_claim(deps, practice.biller, claim.id, "timely_filing", note="no 277CA ever came")

    assert (done.reason, done.lines, done.total_cents) == (WriteOffReason.TIMELY_FILING, ((1, 12000), (2, 3150)), 15150)
    ledger = accounts.claim_ledger(deps, practice.biller, claim.id)
    assert ledger.visit is not None
    assert [(li.balance.insurance_cents, li.balance.patient_cents) for li in ledger.visit.lines] == [(0, 0), (0, 0)]
    offs = sorted(
        (e for e in ledger.claim_entries if e.kind is EntryKind.OTHER_ADJUSTMENT), key=lambda e: e.line_number
    )
    assert [(e.amount_cents, e.reason_code, e.group_code, e.payer_id) for e in offs] == [
        (12000, "timely_filing", None, claim.payer_id),
        (3150, "timely_filing", None, claim.payer_id),
    ]
    [event] = users.audit_trail(deps, practice.admin, entity_type="claim", entity_id=claim.id, limit=1)
    assert event.detail == "insurance written off: reason=timely_filing lines=2 cents=15150"
    with pytest.raises(ValidationError, match="nothing to write off"):  # a second time: nothing is owed
        write_offs.write_off_claim(deps, practice.biller, claim.id, "timely_filing", note="again")


def test_a_line_the_payer_left_unanswered_is_written_off_alone_and_closes_nothing_else(practice: Practice) -> None:
    deps = practice.container.deps
    claim = submitted(practice)
    run(practice, era(clp(claim, svc(claim, 1, 10000, cas("CO-45", 2000)))))  # line 2 (31.50) not in the 835

    done = write_offs.write_off_claim(
        deps, practice.biller, claim.id, WriteOffReason.SMALL_BALANCE, note="not worth it"
    )

    assert done.lines == ((2, 3150),)
    visit = accounts.claim_ledger(deps, practice.biller, claim.id).visit
    assert visit is not None and visit.balance.insurance_cents == 0 and visit.balance.adjustments_cents == 5150


def test_writing_off_a_denied_claim_with_a_balance_closes_its_denial_item(practice: Practice) -> None:
    deps = practice.container.deps
    claim = submitted(practice)
    # the payer denied line 2 and said nothing about line 1: insurance still owes 120.00 on line 1, and the denied
    # 31.50 on line 2 stays owed until the biller works the denial
    run(practice, era(clp(claim, svc(claim, 2, 0, cas("CO-97", 3150)))))
    [item] = accounts.work_queue(deps, practice.biller, Queue.DENIAL)

    done = write_offs.write_off_claim(deps, practice.biller, claim.id, "appeal_lost", note="upheld at level 2")

    assert (done.lines, done.closed_items) == (((1, 12000), (2, 3150)), (item.id,))
    [closed] = accounts.work_queue(deps, practice.biller, Queue.DENIAL, status=WorkStatus.CLOSED)
    assert closed.resolution == "written off (appeal lost): upheld at level 2"


def test_a_write_off_is_refused_when_nothing_is_owed_or_the_reason_is_unknown_and_nothing_changes(
    practice: Practice,
) -> None:
    deps = practice.container.deps
    claim_id = denied(practice)  # a CO-50 denial: the charge stays owed by insurance until the denial is worked
    before = accounts.claim_ledger(deps, practice.biller, claim_id)
    with pytest.raises(ValidationError) as refused:
        write_offs.write_off_claim(deps, practice.biller, claim_id, "because", note="x")
    assert refused.value.field == "reason"
    with pytest.raises(ValidationError) as blank:
        write_offs.write_off_claim(deps, practice.biller, claim_id, "courtesy", note="  ")
    assert blank.value.field == "note"
    after = accounts.claim_ledger(deps, practice.biller, claim_id)
    assert after.claim_entries == before.claim_entries and len(denial_items(practice)) == 1
    write_offs.write_off_claim(deps, practice.biller, claim_id, "appeal_lost", note="lost")
    with pytest.raises(ValidationError, match="nothing to write off"):  # a second time: nothing is owed
        write_offs.write_off_claim(deps, practice.biller, claim_id, "appeal_lost", note="lost")


def test_the_front_desk_may_neither_appeal_nor_write_off_nor_send_to_collections(practice: Practice) -> None:
    deps = practice.container.deps
    desk = front_desk(practice)
    claim_id = denied(practice)
    unanswered = submitted(practice, "Birch")
    with pytest.raises(PermissionDenied):
        appeals.draft_appeal(deps, desk, claim_id)
    with pytest.raises(PermissionDenied):
        write_offs.write_off_claim(deps, desk, unanswered.id, "courtesy", note="friend")
    with pytest.raises(PermissionDenied):
        collections.set_collections_status(deps, desk, unanswered.patient_id, "agency", "no answer")
    assert appeals.list_appeals(deps, practice.biller) == []
    visit = accounts.claim_ledger(deps, practice.biller, unanswered.id).visit
    assert visit is not None and visit.balance.insurance_cents == 15150
    assert collections.collections_list(deps, desk) == []  # reading is allowed


def test_collections_status_is_set_moved_and_listed_with_what_the_patient_owes(practice: Practice) -> None:
    deps = practice.container.deps
    clock = practice.container.deps.clock
    claim = submitted(practice)
    patient_id = claim.patient_id

    first = collections.set_collections_status(deps, practice.biller, patient_id, "reminder", "3 statements unpaid")
    assert (first.status, first.since, first.updated_by) == (CollectionStatus.REMINDER, clock.today(), "biller")
    clock.current += timedelta(days=30)  # type: ignore[attr-defined]
    renoted = collections.set_collections_status(deps, practice.biller, patient_id, "reminder", "called, no answer")
    assert renoted.since == first.since  # the same status keeps its date
    moved = collections.set_collections_status(deps, practice.admin, patient_id, "agency", "placed with ACB Agency")
    assert (moved.status, moved.since) == (CollectionStatus.AGENCY, clock.today())

    [listed] = collections.collections_list(deps, practice.biller)
    [patient] = patients.search_patients(deps, practice.biller, PatientQuery(name="Alder"))
    assert (listed.record.status, listed.account_number, listed.patient_balance_cents) == (
        CollectionStatus.AGENCY,
        patient.account_number,
        0,
    )
    collections.set_collections_status(deps, practice.biller, patient_id, "settled", "paid in full")
    assert collections.collections_list(deps, practice.biller) == []
    assert [a.record.status for a in collections.collections_list(deps, practice.biller, status="settled")] == [
        CollectionStatus.SETTLED
    ]
    with pytest.raises(ValidationError) as refused:
        collections.set_collections_status(deps, practice.biller, patient_id, "jail", "no")
    assert refused.value.field == "status"
    with pytest.raises(NotFound):
        collections.set_collections_status(deps, practice.biller, "nobody", "reminder", "x")
