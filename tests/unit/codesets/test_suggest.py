"""Suggestions from a note: ranked codes with their evidence, negation, 7th characters, E/M hints."""

from __future__ import annotations

import pytest

from medbill.codesets.suggest import em_hints, suggest
from tests.unit.codesets.conftest import FY2027

NOTE = """Established patient returns for follow-up of type 2 diabetes with diabetic neuropathy and
essential hypertension. Denies chest pain or shortness of breath. Family history of colon cancer.
Reviewed A1c and BMP. Ordered lipid panel. Increase metformin to 1000 mg daily.
Left ankle sprain last week, initial encounter. Total time spent 32 minutes."""


def test_suggest_ranks_the_conditions_the_note_states() -> None:
    result = suggest(NOTE, on=FY2027)
    assert [s.code for s in result.suggestions[:3]] == ["E11.40", "I10", "S93.402A"]
    assert result.suggestions[0].evidence == ("2", "diabetes", "neuropathy")
    assert result.suggestions[0].score == 1.0


def test_suggest_leaves_out_negated_and_family_history_findings() -> None:
    codes = {s.code[:3] for s in suggest(NOTE, on=FY2027).suggestions}
    assert codes.isdisjoint({"R07", "R06", "C18", "Z80"})


def test_suggest_names_the_note_words_behind_an_abbreviation() -> None:
    result = suggest("COPD with acute exacerbation.", on=FY2027)
    assert result.suggestions[0].code == "J44.1"
    assert "COPD" in result.suggestions[0].evidence


def test_suggest_says_when_it_assumed_a_seventh_character() -> None:
    s = suggest("Sprain of left ankle.", on=FY2027).suggestions[0]
    assert (s.code, s.notes) == ("S93.402A", ("7th character A (initial encounter) assumed",))


def test_em_hints_prefill_what_the_note_says() -> None:
    hints = em_hints(NOTE)
    assert (hints.patient, hints.total_minutes, hints.risk, hints.data) == ("established", 32, "moderate", "limited")


def test_an_empty_note_gives_no_suggestions() -> None:
    assert suggest("   ", on=FY2027).suggestions == ()


@pytest.mark.parametrize(
    ("note", "expected", "set_aside"),
    [
        ("History of colon cancer.", [], ["History of colon cancer"]),
        ("Possible pneumonia.", [], ["Possible pneumonia"]),
        ("Family history of diabetes.", ["Z83.3"], []),
        ("Personal history of nicotine dependence.", ["Z87.891"], []),
    ],
)
def test_past_family_and_uncertain_conditions_are_not_coded_as_current(
    note: str, expected: list[str], set_aside: list[str]
) -> None:
    result = suggest(note, on=FY2027)
    assert [s.code for s in result.suggestions] == expected
    assert list(result.negated) == set_aside
