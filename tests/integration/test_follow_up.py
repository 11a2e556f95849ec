"""Working the queues: filters, assignment, bulk close, notes, and the follow-up items for silence and past-due
balances (queued once, however often the refresh runs)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from medbill.domain.errors import NotFound, ValidationError
from medbill.domain.remittance import ClaimStatus as Clp
from medbill.domain.work_items import Queue, WorkQuery, WorkStatus
from medbill.services import follow_up
from tests.integration.test_posting import cas, clp, era, run, submitted, svc, typical
from tests.support import FixedClock, Practice


def denials(p: Practice) -> list[str]:
    """Two denied claims (medical necessity for Alder, bundling for Birch); their work item ids in that order."""
    a = submitted(p)
    b = submitted(p, last_name="Birch")
    run(
        p,
        era(
            clp(a, svc(a, 1, 0, cas("CO-50", 12000)), svc(a, 2, 0, cas("CO-50", 3150)), status=Clp.DENIED),
            clp(b, svc(b, 1, 12000), svc(b, 2, 0, cas("CO-97", 3150))),
        ),
    )
    items = {i.category: i.id for i in follow_up.find_work(p.container.deps, p.biller, WorkQuery(queue=Queue.DENIAL))}
    return [items["medical_necessity"], items["bundling"]]


def test_items_are_found_by_category_amount_words_and_owner(practice: Practice) -> None:
    deps, biller = practice.container.deps, practice.biller
    necessity, bundling = denials(practice)
    found = follow_up.find_work(deps, biller, WorkQuery(category="medical_necessity"))
    assert [i.id for i in found] == [necessity]
    assert [i.id for i in follow_up.find_work(deps, biller, WorkQuery(min_amount_cents=5000))] == [necessity]
    assert [i.id for i in follow_up.find_work(deps, biller, WorkQuery(text="co-97"))] == [bundling]
    by_amount = follow_up.find_work(deps, biller, WorkQuery(queue=Queue.DENIAL, order="amount"))
    assert [i.amount_cents for i in by_amount] == [15150, 3150]
    assert follow_up.assign(deps, biller, [bundling], "biller") == 1
    assert [i.id for i in follow_up.find_work(deps, biller, WorkQuery(owner="biller"))] == [bundling]
    assert [i.id for i in follow_up.find_work(deps, biller, WorkQuery(queue=Queue.DENIAL, owner=""))] == [necessity]


def test_assigning_to_someone_outside_the_practice_is_refused_and_changes_nothing(practice: Practice) -> None:
    deps, biller = practice.container.deps, practice.biller
    ids = denials(practice)
    with pytest.raises(NotFound) as refused:
        follow_up.assign(deps, biller, ids, "nobody-here")
    assert refused.value.field == "owner"
    assert all(i.owner is None for i in follow_up.find_work(deps, biller, WorkQuery(queue=Queue.DENIAL)))


def test_many_items_close_with_one_resolution_and_notes_stay_in_order(practice: Practice) -> None:
    deps, biller = practice.container.deps, practice.biller
    ids = denials(practice)
    follow_up.add_note(deps, biller, ids[0], "called Acme, reference 7731")
    follow_up.add_note(deps, biller, ids[0], "records requested")
    assert [n.text for n in follow_up.item_detail(deps, biller, ids[0]).notes] == [
        "called Acme, reference 7731",
        "records requested",
    ]
    with pytest.raises(ValidationError):
        follow_up.close_items(deps, biller, ids, "  ")
    assert follow_up.close_items(deps, biller, ids, "written off per policy") == 2
    closed = follow_up.find_work(deps, biller, WorkQuery(queue=Queue.DENIAL, status=WorkStatus.CLOSED))
    assert [(i.resolution, i.closed_by) for i in closed] == [("written off per policy", "biller")] * 2


def test_silence_and_past_due_balances_are_queued_once(practice: Practice) -> None:
    deps, biller = practice.container.deps, practice.biller
    quiet = submitted(practice)  # sent 11/26/2026 and never answered
    paid = submitted(practice, last_name="Birch")
    run(practice, era(typical(paid)))  # the patient owes 35.00 from 11/26/2026
    assert follow_up.refresh_follow_up(deps, biller) == follow_up.FollowUpReport(no_response=0, past_due=0)
    clock = deps.clock
    assert isinstance(clock, FixedClock)
    clock.current = datetime(2026, 11, 26, 15, 30, tzinfo=UTC) + timedelta(days=61)
    made = follow_up.refresh_follow_up(deps, biller, no_response_days=30, past_due_days=60)
    assert made == follow_up.FollowUpReport(no_response=1, past_due=1)
    [silent] = follow_up.find_work(deps, biller, WorkQuery(queue=Queue.NO_RESPONSE))
    assert (silent.claim_id, silent.amount_cents, silent.reason.split(":")[0]) == (
        quiet.id,
        15150,
        "submitted with Acme Health since 2026-11-26 (61 days) and no answer",
    )
    [owed] = follow_up.find_work(deps, biller, WorkQuery(queue=Queue.PAST_DUE))
    assert (owed.reference, owed.amount_cents, owed.reason) == (
        paid.patient_id,
        3500,
        "the patient has owed $35.00 for 61 days",
    )
    assert follow_up.refresh_follow_up(deps, biller) == follow_up.FollowUpReport(no_response=0, past_due=0)
