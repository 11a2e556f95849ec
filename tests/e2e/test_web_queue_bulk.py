"""The queue page's bulk actions on denials: draft an appeal for each ticked item, write the ticked claims off for
one reason; a refusal writes nothing."""

from __future__ import annotations

from typing import Any

from medbill.domain.work_items import Queue, WorkQuery, WorkStatus
from medbill.services import accounts, appeals, follow_up
from tests.e2e.conftest import Web
from tests.integration.test_follow_up import denials


def _bulk(web: Web, ids: list[str], **fields: str) -> Any:
    data: dict[str, Any] = {**fields, "ids": ids, "csrf_token": web.csrf}
    return web.client.post("/queues/denial/bulk", data=data, follow_redirects=True)


def test_ticked_denials_are_appealed_then_written_off_from_the_queue(web: Web) -> None:
    deps, biller = web.practice.container.deps, web.practice.biller
    necessity, bundling = denials(web.practice)
    page = web.client.get("/queues/denial")
    assert '<select id="bulk-reason" name="reason">' in page.text
    assert '<option value="appeal_lost">' in page.text
    assert '<button type="submit" name="action" value="appeal">Draft appeals</button>' in page.text

    drafted = _bulk(web, [necessity], action="appeal")
    assert drafted.status_code == 200
    [appeal] = appeals.list_appeals(deps, biller)
    assert appeal.work_item_id == necessity

    refused = _bulk(web, [bundling, necessity], action="appeal")  # the first claim already has its appeal
    assert refused.status_code == 409
    assert len(appeals.list_appeals(deps, biller)) == 1

    done = _bulk(web, [necessity, bundling], action="write_off", reason="appeal_lost", resolution="upheld")
    assert done.status_code == 200
    assert follow_up.find_work(deps, biller, WorkQuery(queue=Queue.DENIAL)) == []
    closed = accounts.work_queue(deps, biller, Queue.DENIAL, status=WorkStatus.CLOSED)
    assert {w.resolution for w in closed} == {"written off (appeal lost): upheld"}
