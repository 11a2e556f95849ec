"""Bulk actions on the denial and underpayment queues: write off the chosen items' claims for one reason, or draft an
appeal for each; all or nothing (one refused claim refuses the whole action and changes nothing), with the
permissions and audit rows of the one-claim verbs."""

from __future__ import annotations

import pytest

from medbill.domain.errors import InvalidTransition, PermissionDenied, ValidationError
from medbill.domain.ledger import EntryKind
from medbill.domain.work_items import Queue, WorkQuery, WorkStatus
from medbill.domain.write_offs import WriteOffReason, insurance_owed_by_line, write_off_entries
from medbill.services import accounts, appeals, follow_up, users
from tests.integration.test_appeals import front_desk
from tests.integration.test_follow_up import denials
from tests.support import Practice


def _claim_of(p: Practice, item_id: str) -> str:
    claim_id = follow_up.item_detail(p.container.deps, p.biller, item_id).item.claim_id
    assert claim_id is not None
    return claim_id


def _insurance_owed(p: Practice, claim_id: str) -> list[tuple[int, int]]:
    visit = accounts.claim_ledger(p.container.deps, p.biller, claim_id).visit
    assert visit is not None
    return [(li.line_number, li.balance.insurance_cents) for li in visit.lines]


def _adjusted_elsewhere(p: Practice, claim_id: str) -> None:
    """Someone adjusted the claim's insurance balance off without working its denial item (the item stays open)."""
    deps = p.container.deps
    with deps.uow() as uow:
        claim = uow.claims.get(p.biller.practice_id, claim_id)
        owed = insurance_owed_by_line(uow.ledger.for_encounters(claim.practice_id, [claim.encounter_id]), (1, 2))
        uow.ledger.add(
            write_off_entries(
                owed,
                practice_id=claim.practice_id,
                patient_id=claim.patient_id,
                encounter_id=claim.encounter_id,
                claim_id=claim.id,
                payer_id=claim.payer_id,
                reason=WriteOffReason.COURTESY,
                at=deps.clock.now(),
                source="test",
            )
        )
        uow.commit()


def test_chosen_denials_are_written_off_together_to_the_cent(practice: Practice) -> None:
    deps = practice.container.deps
    alder, birch = denials(practice)  # Alder denied whole (120.00 + 31.50); Birch's line 2 denied (31.50)

    done = follow_up.bulk_write_off(deps, practice.biller, [alder, birch], "appeal_lost", "upheld at level 2")

    assert [(d.lines, d.total_cents, d.closed_items) for d in done] == [
        (((1, 12000), (2, 3150)), 15150, (alder,)),
        (((2, 3150),), 3150, (birch,)),
    ]
    for item_id in (alder, birch):
        claim_id = _claim_of(practice, item_id)
        assert all(cents == 0 for _, cents in _insurance_owed(practice, claim_id))
        offs = [
            e
            for e in accounts.claim_ledger(deps, practice.biller, claim_id).claim_entries
            if e.kind is EntryKind.OTHER_ADJUSTMENT
        ]
        assert {e.reason_code for e in offs} == {"appeal_lost"}
        [event] = users.audit_trail(deps, practice.admin, entity_type="claim", entity_id=claim_id, limit=1)
        assert event.detail.startswith("insurance written off: reason=appeal_lost")
    closed = follow_up.find_work(deps, practice.biller, WorkQuery(queue=Queue.DENIAL, status=WorkStatus.CLOSED))
    assert {(w.id, w.resolution) for w in closed} == {
        (alder, "written off (appeal lost): upheld at level 2"),
        (birch, "written off (appeal lost): upheld at level 2"),
    }


def test_one_claim_with_nothing_owed_refuses_the_whole_write_off_and_changes_nothing(practice: Practice) -> None:
    deps = practice.container.deps
    alder, birch = denials(practice)
    _adjusted_elsewhere(practice, _claim_of(practice, birch))  # insurance owes nothing on Birch now
    alder_claim = _claim_of(practice, alder)
    before = accounts.claim_ledger(deps, practice.biller, alder_claim).claim_entries

    with pytest.raises(ValidationError) as refused:
        follow_up.bulk_write_off(deps, practice.biller, [alder, birch], "appeal_lost", "upheld")

    assert refused.value.field == "ids[1]"
    assert "nothing to write off" in refused.value.message
    assert accounts.claim_ledger(deps, practice.biller, alder_claim).claim_entries == before
    assert _insurance_owed(practice, alder_claim) == [(1, 12000), (2, 3150)]
    still_open = follow_up.find_work(deps, practice.biller, WorkQuery(queue=Queue.DENIAL))
    assert {w.id for w in still_open} == {alder, birch}
    with pytest.raises(ValidationError) as unknown:
        follow_up.bulk_write_off(deps, practice.biller, [alder], "because", "x")
    assert unknown.value.field == "reason"
    with pytest.raises(PermissionDenied):
        follow_up.bulk_write_off(deps, front_desk(practice), [alder], "courtesy", "friend")


def test_chosen_denials_get_an_appeal_each_or_none_at_all(practice: Practice) -> None:
    deps = practice.container.deps
    alder, birch = denials(practice)
    appeals.draft_appeal(deps, practice.biller, _claim_of(practice, birch), work_item_id=birch)

    with pytest.raises(InvalidTransition) as refused:  # Birch already has an open appeal
        follow_up.bulk_draft_appeals(deps, practice.biller, [alder, birch])
    assert refused.value.field == "ids[1]"
    assert appeals.list_appeals(deps, practice.biller, claim_id=_claim_of(practice, alder)) == []

    [drafted] = follow_up.bulk_draft_appeals(deps, practice.biller, [alder])
    assert (drafted.claim_id, drafted.work_item_id, drafted.level) == (_claim_of(practice, alder), alder, 1)
    assert drafted.attachments  # the category's usual enclosures
    _, letter = appeals.get_letter(deps, practice.biller, drafted.id)
    assert letter.startswith(b"%PDF")
    with pytest.raises(ValidationError) as closed:  # nothing chosen
        follow_up.bulk_draft_appeals(deps, practice.biller, [])
    assert closed.value.field == "ids"
