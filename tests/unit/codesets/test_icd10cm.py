"""ICD-10-CM editions: counts against the official list, billability, 7th characters, dated validity."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from medbill.codesets import store
from medbill.codesets.editions import Edition
from medbill.codesets.icd10cm import Icd10cm
from medbill.codesets.icd10cm_compile import apply_addenda, parse_addenda
from medbill.domain.coding import (
    InvalidSeventhCharacter,
    MalformedCode,
    MissingSeventhCharacter,
    NoEditionForDate,
    NotBillable,
    NotValidOnDate,
    UnknownCode,
)
from medbill.domain.errors import CodeSetError
from tests.unit.codesets.conftest import FY2026, FY2027


def _official_billable() -> set[str]:
    """Leaves of the official April-2026 code list: entries no other entry extends."""
    lines = store.official_code_list().read_text(encoding="utf-8").split()
    codes = sorted({c for c in lines if "-" not in c and not c.isdigit()})
    return {c for i, c in enumerate(codes) if not (i + 1 < len(codes) and codes[i + 1].startswith(c))}


def test_fy2026_billable_codes_are_exactly_the_official_code_list_leaves(icd: Icd10cm) -> None:
    ours = set(icd.edition("FY2026-April").billable_codes())
    official = _official_billable()
    assert len(official) == 74_719
    assert ours == official


def test_is_billable_agrees_with_the_official_list_for_every_code(icd: Icd10cm) -> None:
    lines = store.official_code_list().read_text(encoding="utf-8").split()
    listed = {c for c in lines if "-" not in c and not c.isdigit()}
    official = _official_billable()
    fy2026 = icd.edition("FY2026-April")
    assert {c for c in listed if fy2026.is_billable(c)} == official


def test_fy2027_has_the_addenda_count_of_billable_codes(icd: Icd10cm) -> None:
    assert sum(1 for _ in icd.edition("FY2027").billable_codes()) == 74_879


def test_editions_have_their_official_windows(icd: Icd10cm) -> None:
    assert [(e.name, e.effective_from, e.effective_to) for e in icd.editions] == [
        ("FY2026-April", date(2026, 4, 1), date(2026, 9, 30)),
        ("FY2027", date(2026, 10, 1), date(2027, 9, 30)),
    ]


@pytest.mark.parametrize(
    ("code", "on", "billable"),
    [
        ("E11.9", FY2026, True),
        ("E119", FY2026, True),
        ("e11.9", FY2027, True),
        ("E11", FY2026, False),
        ("S52.501A", FY2026, True),
        ("S52501A", FY2027, True),
        ("S52.501", FY2026, False),
        ("T36.0X1A", FY2026, True),
        ("O40.1XX0", FY2026, True),
        ("S06.307A", FY2026, True),
        ("S06.307D", FY2026, False),
        ("D69.1", FY2026, True),
        ("D69.1", FY2027, False),
        ("D69.11", FY2026, False),
        ("D69.11", FY2027, True),
        ("T52.8X1A", FY2026, True),
        ("T52.8X1A", FY2027, False),
    ],
)
def test_is_billable_answers_for_the_edition_in_force_on_the_date(
    icd: Icd10cm, code: str, on: date, billable: bool
) -> None:
    assert icd.is_billable(code, on) is billable


@pytest.mark.parametrize(
    ("code", "on", "error", "message"),
    [
        ("E1I.9", FY2026, MalformedCode, "character 3 is the letter 'I'"),
        ("E11.9.1", FY2026, MalformedCode, "the dot goes after the third character"),
        ("1E1.9", FY2026, MalformedCode, "must start with a letter"),
        ("E99.9", FY2026, UnknownCode, "E99.9 is not an ICD-10-CM code in any loaded edition"),
        ("E11", FY2026, NotBillable, "E11 is a header (category), not billable"),
        ("S52.501", FY2026, MissingSeventhCharacter, "S52.501 needs a 7th character (A, B, C, D, E, F, G, H, J, K"),
        ("O40.1", FY2026, MissingSeventhCharacter, "use e.g. O40.1XX0"),
        ("S52.501Z", FY2026, InvalidSeventhCharacter, "7th character 'Z' is not allowed for S52.501"),
        ("S06.307D", FY2026, InvalidSeventhCharacter, "allowed: A"),
        ("D69.11", FY2026, NotValidOnDate, "not valid for a date of service of 2026-05-01 (edition FY2026-April)"),
        ("T52.8X1A", FY2027, NotValidOnDate, "it is valid in FY2026-April (2026-04-01 to 2026-09-30)"),
        ("E11.9", date(2025, 1, 1), NoEditionForDate, "no loaded ICD-10-CM edition covers 2025-01-01"),
    ],
)
def test_each_bad_code_gets_its_own_error_and_message(
    icd: Icd10cm, code: str, on: date, error: type[CodeSetError], message: str
) -> None:
    with pytest.raises(error) as caught:
        icd.check_billable(code, on)
    assert type(caught.value) is error
    assert message in caught.value.message


def test_error_codes_are_distinct_and_stable() -> None:
    codes = [
        e.code
        for e in (
            MalformedCode,
            UnknownCode,
            NotBillable,
            MissingSeventhCharacter,
            InvalidSeventhCharacter,
            NotValidOnDate,
            NoEditionForDate,
        )
    ]
    assert codes == [
        "malformed_code",
        "unknown_code",
        "not_billable",
        "missing_seventh_character",
        "invalid_seventh_character",
        "not_valid_on_date",
        "no_edition_for_date",
    ]


def test_check_billable_returns_the_code_without_its_dot(icd: Icd10cm) -> None:
    assert icd.check_billable("s52.501a", FY2026) == "S52501A"


@pytest.mark.parametrize(
    ("on", "title"),
    [
        (FY2026, "Cellulitis of back [any part except buttock]"),
        (FY2027, "Cellulitis of back [any part except buttock and flank]"),
    ],
)
def test_a_revised_title_is_dated(icd: Icd10cm, on: date, title: str) -> None:
    assert icd.title("L03.312", on) == title


def test_a_code_deleted_then_is_a_header_when_the_addenda_gives_it_children(icd: Icd10cm) -> None:
    ed = icd.edition("FY2027")
    assert ed.children_of("D691") == ["D6911", "D6919"]
    assert icd.edition("FY2026-April").children_of("D691") == []


def test_seven_character_codes_get_the_parent_title_and_the_meaning(icd: Icd10cm) -> None:
    assert icd.title("S52.501A", FY2026) == (
        "Unspecified fracture of the lower end of right radius, initial encounter for closed fracture"
    )


def test_loading_another_edition_adds_it_and_leaves_the_others(icd: Icd10cm, tmp_path: Path) -> None:
    addenda = tmp_path / "addenda.txt"
    addenda.write_text("Add:         E1191   Synthetic test code\nDelete:      E119    Type 2 DM\n")
    fy27 = icd.edition("FY2027")
    overlay, deleted = apply_addenda(
        {c: r for c in ("E11", "E119") if (r := fy27.record(c)) is not None},
        fy27.tabular.seventh_of,
        parse_addenda(addenda),
    )
    later = Edition(
        name="FY2028-test",
        effective_from=date(2027, 10, 1),
        effective_to=date(2028, 9, 30),
        tabular=fy27.tabular,
        base=fy27,
        overlay=overlay,
        deleted=frozenset(deleted),
    )
    both = Icd10cm([*icd.editions, later])
    assert [e.name for e in both.editions] == ["FY2026-April", "FY2027", "FY2028-test"]
    assert both.is_billable("E11.9", FY2027) is True
    assert both.is_billable("E11.9", date(2028, 1, 1)) is False
    assert both.is_billable("E11.91", date(2028, 1, 1)) is True
    assert both.is_billable("E11.91", FY2027) is False
    assert both.edition("FY2028-test").children_of("E119") == ["E1191"]


def test_an_overlapping_edition_is_refused(icd: Icd10cm) -> None:
    fy27 = icd.edition("FY2027")
    clash = Edition(
        name="clash", effective_from=date(2027, 1, 1), effective_to=date(2027, 12, 31), tabular=fy27.tabular, base=fy27
    )
    with pytest.raises(ValueError, match="overlaps FY2027"):
        Icd10cm([*icd.editions, clash])


@pytest.mark.parametrize(
    ("starts", "ends", "base", "message"),
    [
        (date(2027, 1, 1), date(2027, 2, 1), None, "overlaps FY2027 (2026-10-01 to 2027-09-30)"),
        (date(2028, 1, 1), date(2027, 12, 1), None, "ends (2027-12-01) before it starts (2028-01-01)"),
        (date(2027, 10, 1), date(2028, 9, 30), "FY1999", "no edition named 'FY1999'"),
    ],
)
def test_registering_an_edition_refuses_what_would_clash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, starts: date, ends: date, base: str | None, message: str
) -> None:
    monkeypatch.setenv("MEDBILL_CACHE_DIR", str(tmp_path))
    addenda = tmp_path / "addenda.txt"
    addenda.write_text("Add:         E1191   Synthetic test code\n")
    with pytest.raises(ValueError, match=re.escape(message)):
        store.register_edition(addenda, name="FY2028", effective_from=starts, effective_to=ends, base=base)
    assert store.user_editions() == []


def test_a_registered_edition_is_listed_with_a_copy_of_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDBILL_CACHE_DIR", str(tmp_path))
    addenda = tmp_path / "addenda.txt"
    addenda.write_text("Add:         E1191   Synthetic test code\n")
    spec = store.register_edition(
        addenda, name="FY2028", effective_from=date(2027, 10, 1), effective_to=date(2028, 9, 30)
    )
    assert (spec.base, spec.addenda) == ("FY2027", tmp_path / "editions" / "FY2028.txt")
    assert [e.name for e in store.all_editions()] == ["FY2026-April", "FY2027", "FY2028"]
    for fn in (store._default_cache, store.icd10cm, store.icd10cm_search, store.suggest_tables):
        fn.cache_clear()
