"""Institutional encounters through the doors: the API takes the UB-04 block and answers it back (checked against the
OpenAPI document) and the claim prints as a UB-04; the web form's institutional fieldset records one, and refusals
land at their field."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest

from medbill.bootstrap import Container
from medbill.server import create_app
from medbill.services import encounters, users
from tests.e2e.conftest import Web
from tests.openapi_client import SchemaCheckedClient
from tests.support import Practice, register_with_coverage, seed_practice


@pytest.fixture
def api(container: Container) -> Iterator[tuple[SchemaCheckedClient, Practice]]:
    practice = seed_practice(container)
    _, biller = users.create_token(container.deps, practice.biller, name="tests")
    client = SchemaCheckedClient(create_app(container), token=biller)
    yield client, practice
    client.close()


def test_the_api_records_an_institutional_encounter_and_prints_its_claim_on_a_ub04(
    api: tuple[SchemaCheckedClient, Practice],
) -> None:
    client, practice = api
    patient_id, _ = register_with_coverage(practice)
    body = {
        "patient_id": patient_id,
        "date_of_service": "2026-11-20",
        "rendering_provider_id": practice.provider_id,
        "diagnoses": ["R07.9"],
        "lines": [
            {"procedure_code": "99284", "revenue_code": "0450", "charge": "850.00"},
            {"procedure_code": "", "revenue_code": "0250", "charge": "12.40"},
        ],
        "institutional": {
            "type_of_bill": "131",
            "admission_date": "2026-11-20",
            "admission_type": "1",
            "admission_source": "1",
            "occurrence_codes": [{"code": "11", "on": "2026-11-19"}],
            "value_codes": [{"code": "A1", "amount": "250.00"}],
        },
    }
    made = client.call("POST", "/encounters", json=body)
    assert made.status_code == 201, made.text
    answer = made.json()
    assert (answer["kind"], answer["total_charge"]) == ("I", "862.40")
    assert [(ln["revenue_code"], ln["procedure_code"]) for ln in answer["lines"]] == [("0450", "99284"), ("0250", "")]
    assert answer["institutional"]["type_of_bill"] == "131"
    assert answer["institutional"]["value_codes"] == [{"code": "A1", "amount": "250.00"}]

    built = client.call("POST", "/claims/build", json={"encounter_ids": [answer["id"]]})
    (claim,) = built.json()["created"]
    headers = {"Authorization": f"Bearer {client.token}"}
    pdf = client.http.get(f"/api/v1/claims/{claim['claim_id']}/ub04.pdf", headers=headers)
    assert (pdf.status_code, pdf.headers["content-type"], pdf.content[:5]) == (200, "application/pdf", b"%PDF-")

    refused = client.call("POST", "/encounters", json={**body, "institutional": {"type_of_bill": "136"}})
    assert (refused.status_code, refused.json()["field"]) == (422, "institutional.type_of_bill")
    stored = encounters.list_encounters(practice.container.deps, practice.admin, patient_id=patient_id)
    assert len(stored) == 1


def _form(p: Practice, **changes: str) -> dict[str, str]:
    values = {
        "date_of_service": "2026-11-20",
        "rendering_provider_id": p.provider_id,
        "diagnoses[1]": "R07.9",
        "line_count": "3",
        "lines[1].revenue_code": "0450",
        "lines[1].procedure_code": "99284",
        "lines[1].charge": "850.00",
        "lines[2].revenue_code": "0250",
        "lines[2].charge": "12.40",
        "institutional.type_of_bill": "0131",
        "institutional.admission_date": "2026-11-20",
        "institutional.admission_hour": "09",
        "institutional.admission_type": "1",
        "institutional.admission_source": "1",
        "institutional.condition_codes": "39",
        "institutional.occurrence_codes": "11=11/19/2026",
        "institutional.value_codes": "A1=250.00",
    }
    values.update(changes)
    return values


def test_the_web_form_records_an_institutional_encounter(web: Web) -> None:
    patient_id, _ = register_with_coverage(web.practice)
    done = web.post(f"/patients/{patient_id}/encounters", _form(web.practice))
    assert done.status_code == 303, done.text
    page = web.client.get(done.headers["location"])
    assert '<span id="type-of-bill">0131</span>' in page.text
    assert '<span class="rev">0450</span> 99284' in page.text
    (stored,) = encounters.list_encounters(web.practice.container.deps, web.practice.admin, patient_id=patient_id)
    assert stored.institutional is not None
    assert (stored.institutional.admission_hour, stored.institutional.condition_codes) == ("0900", ("39",))
    assert [(v.code, v.amount_cents) for v in stored.institutional.value_codes] == [("A1", 25_000)]
    assert [(ln.revenue_code, ln.procedure_code, ln.charge_cents) for ln in stored.lines] == [
        ("0450", "99284", 85_000),
        ("0250", "", 1_240),
    ]


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        ({"institutional.type_of_bill": "13"}, "f-institutional-type_of_bill", "the type of bill is 3 digits"),
        ({"institutional.value_codes": "A1 250"}, "f-institutional-value_codes", "write each as code=amount"),
        ({"institutional.value_codes": "A=250"}, "f-institutional-value_codes", "'A' is not a value code"),
        ({"lines[1].revenue_code": ""}, "f-lines-1--revenue_code", "every line of an institutional encounter"),
    ],
)
def test_a_refused_institutional_encounter_shows_the_reason_at_the_field(
    web: Web, changes: dict[str, str], field_id: str, message: str
) -> None:
    patient_id, _ = register_with_coverage(web.practice)
    refused = web.post(f"/patients/{patient_id}/encounters", _form(web.practice, **changes))
    assert refused.status_code == 422
    match = re.search(rf'id="err-{re.escape(field_id)}" role="alert">([^<]*)<', refused.text)
    assert match is not None, refused.text[:3000]
    assert html.unescape(match.group(1)).startswith(message)
    assert encounters.list_encounters(web.practice.container.deps, web.practice.admin, patient_id=patient_id) == []
