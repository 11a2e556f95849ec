"""The /codes router: search, show, E/M and suggestions as pydantic models."""

from __future__ import annotations

import warnings

import pytest
from fastapi import FastAPI

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

from medbill.api.routes.codes import router

app = FastAPI()
app.include_router(router)
client = TestClient(app)


def test_search_returns_ranked_results() -> None:
    r = client.get("/codes/search", params={"q": "essential hypertension", "limit": 2, "date": "2026-11-01"})
    assert r.status_code == 200
    body = r.json()
    assert body["results"][0] == {
        "code": "I10",
        "title": "Essential (primary) hypertension",
        "billable": True,
        "score": body["results"][0]["score"],
        "kind": "category",
    }
    assert len(body["results"]) == 2


@pytest.mark.parametrize(("code", "date", "valid"), [("D69.11", "2026-05-01", False), ("D69.11", "2026-11-01", True)])
def test_show_answers_for_a_date(code: str, date: str, valid: bool) -> None:
    r = client.get(f"/codes/{code}", params={"date": date})
    assert r.status_code == 200
    assert (r.json()["code"], r.json()["valid_on_date"]) == ("D69.11", valid)


def test_show_of_a_seven_character_header_lists_the_characters() -> None:
    body = client.get("/codes/S52.501", params={"date": "2026-05-01"}).json()
    assert body["needs_seventh_character"] is True
    assert body["seventh_characters"][0] == {"character": "A", "meaning": "initial encounter for closed fracture"}
    assert body["reason"]["code"] == "missing_seventh_character"


def test_em_by_time() -> None:
    r = client.get("/codes/em", params={"patient": "new", "total_minutes": 80})
    assert r.status_code == 200
    assert {k: r.json()[k] for k in ("code", "method", "prolonged_code", "prolonged_units")} == {
        "code": "99205",
        "method": "time",
        "prolonged_code": "99417",
        "prolonged_units": 1,
    }


def test_suggest_takes_a_note_in_the_body() -> None:
    r = client.post(
        "/codes/suggest", json={"note": "Acute cystitis without hematuria.", "date_of_service": "2026-11-01"}
    )
    assert r.status_code == 200
    assert r.json()["suggestions"][0]["code"] == "N30.00"


def test_search_hcpcs_descriptions() -> None:
    body = client.get("/codes/search", params={"q": "unclassified injection", "system": "HCPCS"}).json()
    assert "J3490" in [r["code"] for r in body["results"]]


def test_show_of_an_unknown_code_raises_the_domain_error() -> None:
    from medbill.domain.coding import UnknownCode

    with pytest.raises(UnknownCode):
        client.get("/codes/E99.9")


@pytest.mark.parametrize(
    ("code_set", "code", "description"),
    [
        ("pos", "11", "Office"),
        ("group", "CO", "Contractual Obligations"),
        ("status-category", "A1", "Acknowledgement/Receipt"),
    ],
)
def test_reference_codes_are_looked_up_by_list(code_set: str, code: str, description: str) -> None:
    body = client.get(f"/codes/reference/{code_set}/{code}").json()
    assert (body["code"], body["description"].startswith(description)) == (code, True)
