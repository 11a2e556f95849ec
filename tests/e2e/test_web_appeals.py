"""Appeals in the browser: from the denial queue to the appeal page (argument prefilled from the template), the
letter as PDF, sent, lost, the level 2 draft; a refusal next to its appeal; a write-off by reason."""

from __future__ import annotations

from medbill.domain.appeals import AppealStatus
from medbill.services import accounts, appeals
from tests.e2e.conftest import Web
from tests.integration.test_appeals import denied
from tests.integration.test_posting import submitted


def test_a_denial_is_appealed_from_the_queue_sent_lost_and_taken_to_level_two(web_on_each_database: Web) -> None:
    web = web_on_each_database
    deps, biller = web.practice.container.deps, web.practice.biller
    claim_id = denied(web.practice)
    queue = web.client.get("/queues/denial")
    assert f'<a href="/claims/{claim_id}/appeal" class="appeal-link">Appeal</a>' in queue.text

    page = web.client.get(f"/claims/{claim_id}/appeal")
    assert page.status_code == 200 and 'id="appeal-form"' in page.text
    assert "We ask you to reconsider this denial. The services were medically necessary" in page.text
    assert "Letter of medical necessity from the treating provider" in page.text
    assert '<strong id="appeal-due">05/24/2027</strong>' in page.text
    [item] = accounts.work_queue(deps, biller)
    drafted = web.post(
        f"/claims/{claim_id}/appeal",
        {
            "argument": "The A1c was 11.2%.",
            "attachments": "Lab report\n\nProgress notes",
            "level": "1",
            "work_item_id": item.id,
        },
        follow=True,
    )
    assert drafted.status_code == 200 and 'id="appeal-form"' not in drafted.text  # one open appeal at a time
    [appeal] = appeals.list_appeals(deps, biller, claim_id=claim_id)
    assert (appeal.argument, appeal.attachments) == ("The A1c was 11.2%.", ("Lab report", "Progress notes"))
    letter = web.client.get(f"/appeals/{appeal.id}/letter")
    assert (letter.status_code, letter.headers["content-type"], letter.content[:4]) == (200, "application/pdf", b"%PDF")

    early = web.post(f"/appeals/{appeal.id}/sent", {"sent_on": "2026-11-01"})
    assert early.status_code == 422 and "sent on or after the day it was drafted" in early.text
    web.post(f"/appeals/{appeal.id}/sent", {"sent_on": "2026-11-30"})
    lost = web.post(
        f"/appeals/{appeal.id}/outcome", {"outcome": "lost", "answered_on": "2027-01-10", "note": "upheld"}, follow=True
    )
    assert lost.status_code == 200 and 'data-status="lost"' in lost.text
    assert "Draft the level 2 appeal" in lost.text and accounts.work_queue(deps, biller) == []

    web.post(
        f"/claims/{claim_id}/appeal",
        {"argument": "New evidence.", "attachments": "", "level": "2", "work_item_id": item.id},
    )
    assert [(a.level, a.status) for a in appeals.list_appeals(deps, biller, claim_id=claim_id)] == [
        (2, AppealStatus.DRAFTED),
        (1, AppealStatus.LOST),
    ]
    listing = web.client.get("/appeals?status=drafted")
    assert listing.status_code == 200 and 'href="/appeals" aria-current="page"' in listing.text
    assert listing.text.count("data-appeal=") == 1


def test_an_empty_argument_is_refused_next_to_the_field_and_nothing_is_saved(web: Web) -> None:
    claim_id = denied(web.practice)
    refused = web.post(f"/claims/{claim_id}/appeal", {"argument": "  ", "attachments": "x", "level": "1"})
    assert refused.status_code == 422 and "Nothing was saved." in refused.text and "is required" in refused.text
    assert appeals.list_appeals(web.practice.container.deps, web.practice.biller) == []


def test_insurance_is_written_off_by_reason_from_the_appeal_page(web: Web) -> None:
    claim = submitted(web.practice)
    page = web.client.get(f"/claims/{claim.patient_control_number}/appeal")
    assert 'id="no-denial"' in page.text and '<strong id="insurance-owes">$151.50</strong>' in page.text
    done = web.post(f"/claims/{claim.id}/write-off", {"reason": "timely_filing", "note": "never sent"}, follow=True)
    assert done.status_code == 200 and 'id="written-off"' in done.text
    assert '<strong id="insurance-owes">$0.00</strong>' in done.text
    again = web.post(f"/claims/{claim.id}/write-off", {"reason": "timely_filing", "note": "again"})
    assert again.status_code == 422 and "nothing to write off" in again.text
