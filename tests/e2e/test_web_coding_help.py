"""The coding help pages: the E/M calculator (page and htmx fragment) and suggestions from a pasted note."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Web


@pytest.mark.parametrize(
    ("query", "code", "method"),
    [
        ({"patient": "established", "total_minutes": "32"}, "99214", "total time"),
        ({"patient": "new", "total_minutes": "61"}, "99205", "total time"),
        (
            {"patient": "established", "problems": "moderate", "data": "limited", "risk": "moderate"},
            "99214",
            "medical decision making",
        ),
        ({"patient": "new", "problems": "low", "data": "minimal", "risk": "low"}, "99203", "medical decision making"),
    ],
)
def test_the_em_calculator_gives_the_level_and_how(web: Web, query: dict[str, str], code: str, method: str) -> None:
    page = web.client.get("/coding/em", params=query)
    assert page.status_code == 200
    assert f'<strong class="em-code">{code}</strong> by {method}' in page.text
    fragment = web.client.get("/coding/em", params=query, headers={"HX-Request": "true"})
    assert fragment.text.strip().startswith('<div id="em-result"')
    assert f">{code}</strong>" in fragment.text


def test_the_em_calculator_names_a_bad_field(web: Web) -> None:
    page = web.client.get("/coding/em", params={"patient": "new", "total_minutes": "ten"})
    assert "total_minutes: total time is whole minutes" in page.text


def test_the_encounter_form_carries_the_em_panel(web: Web) -> None:
    from tests.support import register_with_coverage

    patient_id, _ = register_with_coverage(web.practice)
    form = web.client.get(f"/patients/{patient_id}/encounters/new")
    assert 'id="em-panel"' in form.text and 'hx-get="/coding/em"' in form.text


def test_suggestions_from_a_note_show_codes_with_the_words_that_support_them(web: Web) -> None:
    note = "Established patient with type 2 diabetes mellitus without complications. Denies chest pain."
    answer = web.post("/coding/suggest", {"note": note})
    assert answer.status_code == 200
    assert "<td>E11.9</td>" in answer.text
    assert "chest pain" not in answer.text.split('id="suggestions"')[1].split("</table>")[0].lower()
