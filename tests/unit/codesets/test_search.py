"""Code search: words ranked by title and inclusion terms, code prefixes, edition filtering."""

from __future__ import annotations

import pytest

from medbill.codesets.search import CodeSearch
from tests.unit.codesets.conftest import FY2026, FY2027


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("type 2 diabetes with neuropathy", "E11.40"),
        ("essential hypertension", "I10"),
        ("chest pain", "R07.9"),
        ("acute kidney failure", "N17.9"),
        ("fracture lower end right radius initial encounter", "S52.501A"),
        ("pneumonia", "J18.9"),
    ],
)
def test_search_ranks_the_expected_code_first(search: CodeSearch, query: str, first: str) -> None:
    assert search.search(query, limit=5, on=FY2026)[0].code == first


def test_search_expands_abbreviations(search: CodeSearch) -> None:
    assert {h.code[:3] for h in search.search("T2DM", limit=5, on=FY2026)} == {"E11"}


def test_search_does_not_invent_a_seventh_character_the_query_does_not_name(search: CodeSearch) -> None:
    hit = search.search("unspecified fracture of left femur", limit=1, on=FY2026)[0]
    assert (hit.code, hit.billable) == ("S72.92", False)


def test_search_scores_are_best_first(search: CodeSearch) -> None:
    scores = [h.score for h in search.search("diabetes with neuropathy", limit=20, on=FY2026)]
    assert scores == sorted(scores, reverse=True)


def test_search_shows_header_codes_as_not_billable(search: CodeSearch) -> None:
    hits = search.search("E11.4", limit=3, on=FY2026)
    assert [(h.code, h.billable) for h in hits] == [("E11.4", False), ("E11.40", True), ("E11.41", True)]


@pytest.mark.parametrize("prefix", ["E11.4", "e114", "E114"])
def test_search_by_code_prefix_accepts_any_dotting(search: CodeSearch, prefix: str) -> None:
    assert search.search(prefix, limit=1, on=FY2026)[0].code == "E11.4"


@pytest.mark.parametrize(("on", "present"), [(FY2026, False), (FY2027, True)])
def test_search_only_offers_codes_of_the_edition_in_force(search: CodeSearch, on: object, present: bool) -> None:
    codes = [h.code for h in search.search("Glanzmann thrombasthenia", limit=5, on=on)]  # type: ignore[arg-type]
    assert ("D69.11" in codes) is present


def test_search_prefix_of_a_word_works_as_type_ahead(search: CodeSearch) -> None:
    assert any(h.code.startswith("J45") for h in search.search("asthm", limit=10, on=FY2026))


@pytest.mark.parametrize("query", ["", "   ", "of the and"])
def test_search_without_meaningful_words_returns_nothing(search: CodeSearch, query: str) -> None:
    assert search.search(query, on=FY2026) == []
