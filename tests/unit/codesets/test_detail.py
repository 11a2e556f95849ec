"""`Icd10cm.detail`: chapter, block, notes with their references, 7th characters, manifestation codes."""

from __future__ import annotations

import pytest

from medbill.codesets.icd10cm import Icd10cm
from medbill.domain.coding import UnknownCode
from tests.unit.codesets.conftest import FY2026, FY2027


def test_detail_places_a_code_in_its_chapter_and_block(icd: Icd10cm) -> None:
    d = icd.detail("E11.9", FY2027)
    assert (d.code, d.title, d.kind, d.billable, d.valid_on_date, d.edition) == (
        "E11.9",
        "Type 2 diabetes mellitus without complications",
        "code",
        True,
        True,
        "FY2027",
    )
    assert d.chapter == ("4", "Endocrine, nutritional and metabolic diseases (E00-E89)")
    assert d.block == ("E08-E13", "Diabetes mellitus (E08-E13)")
    assert d.parent == "E11"


def test_detail_inherits_excludes_notes_with_the_codes_they_name(icd: Icd10cm) -> None:
    excludes1 = icd.detail("E11.9", FY2026).notes_of("excludes1")
    assert [(n.text, n.source, n.references) for n in excludes1 if n.source == "E11"][-1] == (
        "type 1 diabetes mellitus (E10.-)",
        "E11",
        ("E10.-",),
    )


def test_detail_lists_the_seven_character_options(icd: Icd10cm) -> None:
    d = icd.detail("S52.501", FY2026)
    assert d.billable is False
    assert d.needs_seventh_character is True
    assert d.seventh_characters[0] == ("A", "initial encounter for closed fracture")
    assert len(d.seventh_characters) == 16
    assert d.children[0] == (
        "S52.501A",
        "Unspecified fracture of the lower end of right radius, initial encounter for closed fracture",
    )


def test_detail_flags_a_manifestation_code_and_its_code_first_note(icd: Icd10cm) -> None:
    d = icd.detail("G63", FY2026)
    assert d.manifestation is True
    assert d.notes_of("code_first")[0].source == "G63"


def test_detail_of_a_code_unknown_on_the_date_comes_from_the_edition_that_knows_it(icd: Icd10cm) -> None:
    d = icd.detail("D69.11", FY2026)
    assert (d.edition, d.valid_on_date, d.editions_billable) == ("FY2027", False, ("FY2027",))


@pytest.mark.parametrize("code", ["E99.9", "Z99.999"])
def test_detail_of_an_unknown_code_raises(icd: Icd10cm, code: str) -> None:
    with pytest.raises(UnknownCode):
        icd.detail(code, FY2026)
