"""Encounter entry in the web UI: diagnoses A–L, lines priced or charged, the total, refusals at their field."""

from __future__ import annotations

import logging
import re

import pytest

from medbill.services import encounters, patients
from tests.e2e.conftest import Web
from tests.support import Practice, register_with_coverage


def _error_at(html: str, field_id: str) -> str:
    match = re.search(rf'id="err-{re.escape(field_id)}" role="alert">([^<]*)<', html)
    return match.group(1) if match else ""


def _form(p: Practice, **changes: str) -> dict[str, str]:
    values = {
        "date_of_service": "2026-11-20",
        "rendering_provider_id": p.provider_id,
        "facility_id": p.facility_id,
        "diagnoses[1]": "E11.9",
        "diagnoses[2]": "I10",
        "line_count": "3",
        "lines[1].procedure_code": "99213",
        "lines[1].modifier1": "25",
        "lines[1].diagnosis_pointers": "A,B",
        "lines[2].procedure_code": "36415",
        "lines[2].units": "2",
        "lines[2].charge": "31.50",
        "lines[2].diagnosis_pointers": "1",
        "lines[2].note": "two draws",
    }
    values.update(changes)
    return values


def _stored(p: Practice, patient_id: str) -> int:
    return len(encounters.list_encounters(p.container.deps, p.admin, patient_id=patient_id))


def test_an_encounter_with_a_priced_and_a_charged_line_shows_its_total_to_the_cent(web_on_each_database: Web) -> None:
    web = web_on_each_database
    patient_id, _ = register_with_coverage(web.practice)
    done = web.post(f"/patients/{patient_id}/encounters", _form(web.practice))
    assert done.status_code == 303
    page = web.client.get(done.headers["location"])
    assert '<td class="num" id="total"><strong>$151.50</strong></td>' in page.text
    rows = re.findall(r"<tr>\s*<td>(\d)</td>(.*?)</tr>", page.text.split('id="line-table"')[1], re.S)
    cells = [[c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)] for _, body in rows]
    assert cells == [
        ["99213", "25", "1", "A,B", "", "$120.00"],  # priced from the payer's contract schedule
        ["36415", "", "2", "A", "two draws", "$31.50"],
    ]
    assert "Type 2 diabetes mellitus without complications" in page.text
    (stored,) = encounters.list_encounters(web.practice.container.deps, web.practice.admin, patient_id=patient_id)
    assert stored.total_charge_cents == 15150
    assert [(ln.procedure_code, ln.charge_cents, ln.diagnosis_pointers) for ln in stored.lines] == [
        ("99213", 12000, (1, 2)),
        ("36415", 3150, (1,)),
    ]
    assert stored.place_of_service == "11" and stored.diagnoses == ("E119", "I10")


def test_empty_rows_are_skipped_and_errors_point_at_the_row_typed_in(web: Web) -> None:
    patient_id, _ = register_with_coverage(web.practice)
    values = _form(
        web.practice, **{"lines[1].procedure_code": "", "lines[1].modifier1": "", "lines[1].diagnosis_pointers": ""}
    )
    values.update({"lines[3].procedure_code": "93000", "lines[3].units": "-1"})
    refused = web.post(f"/patients/{patient_id}/encounters", values)
    assert refused.status_code == 422
    assert _error_at(refused.text, "f-lines-3--units") == "units must be at least 1"
    assert _stored(web.practice, patient_id) == 0


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        (
            {"lines[2].diagnosis_pointers": "C"},
            "f-lines-2--diagnosis_pointers",
            "pointer 3 names no diagnosis: this encounter has 2",
        ),
        (
            {"lines[2].diagnosis_pointers": "A,Z"},
            "f-lines-2--diagnosis_pointers",
            "use letters A–L or numbers 1–12, separated by commas",
        ),
        ({"lines[1].units": "1.5"}, "f-lines-1--units", "is a whole number such as 1"),
        ({"lines[2].charge": "31.505"}, "f-lines-2--charge", "&#39;31.505&#39; has a fraction of a cent"),
        ({"lines[2].charge": "-5"}, "f-lines-2--charge", "a charge cannot be negative"),
        (
            {"lines[1].procedure_code": "9921"},
            "f-lines-1--procedure_code",
            "&#39;9921&#39; is not a CPT or HCPCS code (5 characters such as 99213 or G0439)",
        ),
        (
            {"lines[2].procedure_code": "99499", "lines[2].charge": ""},
            "f-lines-2--charge",
            "no fee schedule in effect on 2026-11-20 prices 99499; enter the charge or add the code to a fee schedule",
        ),
        ({"lines[1].modifier2": "25"}, "f-lines-1--modifiers", "a modifier is repeated"),
        (
            {"diagnoses[1]": "", "lines[1].diagnosis_pointers": "B"},
            "f-diagnoses-1",
            "is empty but a later diagnosis is filled; fill A first (pointers count from A)",
        ),
        ({"diagnoses[2]": "E11.9"}, "f-diagnoses", "a diagnosis is listed twice"),
        (
            {"diagnoses[2]": "1234"},
            "f-diagnoses-2",
            "&#39;1234&#39; is not shaped like an ICD-10-CM code (letter, digit, digit or A/B, then up to four characters)",
        ),
        ({"date_of_service": "2026-11-27"}, "f-date_of_service", "the date of service is in the future"),
        ({"rendering_provider_id": ""}, "f-rendering_provider_id", "is required; choose one"),
        (
            {"place_of_service": "1234"},
            "f-place_of_service",
            "a place of service is a two-digit CMS code such as 11 (office)",
        ),
    ],
)
def test_a_refused_encounter_shows_the_reason_at_the_field_keeps_the_values_and_stores_nothing(
    web: Web, changes: dict[str, str], field_id: str, message: str
) -> None:
    patient_id, _ = register_with_coverage(web.practice)
    refused = web.post(f"/patients/{patient_id}/encounters", _form(web.practice, **changes))
    assert refused.status_code == 422
    assert _error_at(refused.text, field_id) == message
    assert 'value="two draws"' in refused.text
    assert _stored(web.practice, patient_id) == 0


def test_add_a_line_without_script_returns_the_form_one_row_longer_and_saves_nothing(web: Web) -> None:
    patient_id, _ = register_with_coverage(web.practice)
    page = web.post(f"/patients/{patient_id}/encounters", {**_form(web.practice), "action": "add_line"})
    assert page.status_code == 200
    assert 'id="f-lines-4--procedure_code"' in page.text and 'id="f-lines-5--procedure_code"' not in page.text
    assert 'value="4"' in page.text and 'value="31.50"' in page.text
    assert "Nothing was saved" not in page.text
    assert _stored(web.practice, patient_id) == 0


def test_the_entry_form_offers_the_practices_providers_and_todays_date(web: Web) -> None:
    patient_id, _ = register_with_coverage(web.practice)
    page = web.client.get(f"/patients/{patient_id}/encounters/new")
    assert f'<option value="{web.practice.provider_id}">Okafor, Ruth</option>' in page.text
    assert 'name="date_of_service" type="date" value="2026-11-26"' in page.text
    assert page.text.count('class="dx"') == 0 and page.text.count('list="icd10-options"') == 12


def test_the_diagnosis_type_ahead_answers_htmx_with_options(web: Web) -> None:
    answer = web.client.get(
        "/codes/icd10",
        params={"diagnoses[1]": "type 2 diabetes without complication", "date_of_service": "2026-11-20"},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200
    assert '<option value="E11.9">E11.9 Type 2 diabetes mellitus without complications</option>' in answer.text
    assert "<html" not in answer.text


def test_the_code_lookup_works_as_a_plain_page(web: Web) -> None:
    page = web.client.get("/codes/icd10", params={"q": "I10"})
    assert page.status_code == 200 and "<td>I10</td><td>Essential (primary) hypertension</td>" in page.text


def test_no_patient_detail_reaches_the_logs(web: Web, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    patient_id, _ = register_with_coverage(web.practice, last_name="Zebulon", first_name="Xanthe")
    web.client.get("/patients", params={"name": "zebulon, xan"})
    web.client.get(f"/patients/{patient_id}")
    web.post(f"/patients/{patient_id}/encounters", _form(web.practice))
    web.post(
        "/patients",
        {
            "last_name": "Zebulon",
            "first_name": "Yara",
            "birth_date": "1999-09-09",
            "sex": "F",
            "address.line1": "9 Pine St",
            "address.city": "Akron",
            "address.state": "OH",
            "address.zip": "1",
        },
    )
    server_side = [r for r in caplog.records if not r.name.startswith("httpx")]  # the test client's own log is not ours
    text = "\n".join(r.getMessage() for r in server_side)
    for secret in ("Zebulon", "zebulon", "Xanthe", "Yara", "1999-09-09", "Pine St", "E11.9", "E119"):
        assert secret not in text


def test_the_patient_page_lists_the_encounter_with_its_total(web: Web) -> None:
    patient_id, _ = register_with_coverage(web.practice)
    web.post(f"/patients/{patient_id}/encounters", _form(web.practice))
    page = web.client.get(f"/patients/{patient_id}")
    assert "<td>E11.9, I10</td>" in page.text and "<td>99213, 36415</td>" in page.text
    assert '<td class="num">$151.50</td>' in page.text
    assert patients.get_patient(web.practice.container.deps, web.practice.admin, patient_id).name.last == "Alder"
