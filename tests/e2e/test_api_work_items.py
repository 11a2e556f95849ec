"""The work-queue API: filters, assignment, bulk close, notes and the follow-up refresh, against the OpenAPI document."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from medbill.bootstrap import Container
from medbill.server import create_app
from medbill.services import users
from tests.integration.test_follow_up import denials
from tests.openapi_client import SchemaCheckedClient
from tests.support import Practice, seed_practice


@pytest.fixture
def api(container: Container) -> Iterator[tuple[SchemaCheckedClient, Practice]]:
    practice = seed_practice(container)
    _, biller = users.create_token(container.deps, practice.biller, name="tests")
    client = SchemaCheckedClient(create_app(container), token=biller)
    yield client, practice
    client.close()


def test_a_biller_filters_assigns_notes_and_closes_work(api: tuple[SchemaCheckedClient, Practice]) -> None:
    client, practice = api
    necessity, bundling = denials(practice)
    found = client.call("GET", "/work-items", params={"category": "medical_necessity"}).json()
    assert [(i["id"], i["next_action"], i["due_on"]) for i in found] == [(necessity, "appeal", "2027-05-24")]
    by_provider = client.call("GET", "/work-items", params={"provider_id": practice.provider_id}).json()
    assert sorted(i["id"] for i in by_provider) == sorted([necessity, bundling])
    assert client.call("GET", "/work-items", params={"provider_id": "nobody"}).json() == []
    big = client.call("GET", "/work-items", params={"min_amount": "100.00", "order": "amount"}).json()
    assert [i["amount"] for i in big] == ["151.50"]
    assigned = client.call("POST", "/work-items/assign", json={"ids": [necessity, bundling], "owner": "biller"})
    assert assigned.json() == {"count": 2}
    assert client.call("GET", "/work-items", params={"owner": "none"}).json() == []
    note = client.call(
        "POST", "/work-items/{item_id}/notes", path={"item_id": necessity}, json={"text": "appeal drafted"}
    )
    assert note.json()["author"] == "biller"
    detail = client.call("GET", "/work-items/{item_id}", path={"item_id": necessity}).json()
    assert [n["text"] for n in detail["notes"]] == ["appeal drafted"]
    closed = client.call("POST", "/work-items/close", json={"ids": [necessity, bundling], "resolution": "appealed"})
    assert closed.json() == {"count": 2}
    assert client.call("GET", "/work-items").json() == []
    unknown = client.call("POST", "/work-items/assign", json={"ids": [necessity], "owner": "ghost"})
    assert (unknown.status_code, unknown.json()["field"]) == (422, "owner")
    refreshed = client.call("POST", "/work-items/refresh", json={"no_response_days": 30, "past_due_days": 60})
    assert refreshed.json() == {"no_response": 0, "past_due": 0}


def test_chosen_denials_are_written_off_or_appealed_in_bulk(api: tuple[SchemaCheckedClient, Practice]) -> None:
    client, practice = api
    necessity, bundling = denials(practice)  # Alder denied whole 151.50; Birch's line 2 denied 31.50

    drafted = client.call("POST", "/work-items/appeals", json={"ids": [necessity]})
    assert drafted.status_code == 200, drafted.text
    [appeal] = drafted.json()
    assert appeal["work_item_id"] == necessity
    again = client.call("POST", "/work-items/appeals", json={"ids": [bundling, necessity]})
    assert (again.status_code, again.json()["field"]) == (409, "ids[1]")  # one open appeal per claim: none drafted
    assert len(client.call("GET", "/appeals").json()) == 1

    unknown = client.call("POST", "/work-items/write-off", json={"ids": [necessity], "reason": "because", "note": "x"})
    assert (unknown.status_code, unknown.json()["field"]) == (422, "reason")
    done = client.call(
        "POST", "/work-items/write-off", json={"ids": [necessity, bundling], "reason": "appeal_lost", "note": "upheld"}
    )
    assert done.status_code == 200, done.text
    assert [(d["amount"], d["closed_items"]) for d in done.json()] == [("151.50", [necessity]), ("31.50", [bundling])]
    assert client.call("GET", "/work-items").json() == []
