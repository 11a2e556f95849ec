"""HCPCS, CPT numbers, modifiers, POS, CARC/RARC/group, claim status, taxonomy, MUE, sex/age conventions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from medbill.codesets import conventions, cpt, lookup, reference
from medbill.codesets.icd10cm import Icd10cm
from medbill.domain.coding import CodeSystem, MalformedCode, UnknownCode
from medbill.domain.errors import FormatError


@pytest.mark.parametrize(
    ("table", "code", "description"),
    [
        (reference.place_of_service, "11", "Office"),
        (
            reference.carc,
            "45",
            "Charge exceeds fee schedule/maximum allowable or contracted/legislated fee arrangement.",
        ),
        (reference.adjustment_groups, "PR", None),
        (
            reference.modifiers,
            "25",
            "Significant, separately identifiable E/M service on the same day as a procedure or other service",
        ),
        (reference.modifiers, "rt", "Right side of the body"),
        (reference.taxonomy, "207Q00000X", "Family Medicine Physician"),
        (reference.hcpcs, "J3490", "Drugs unclassified injection"),
    ],
)
def test_reference_lists_know_their_codes(table: object, code: str, description: str | None) -> None:
    found = table().lookup(code)  # type: ignore[operator]
    assert found.code == code.upper()
    if description is not None:
        assert found.description.startswith(description)


def test_reference_list_counts_match_their_sources() -> None:
    assert (len(reference.place_of_service()), len(reference.carc()), len(reference.rarc())) == (100, 407, 1216)
    assert (len(reference.adjustment_groups()), len(reference.taxonomy())) == (5, 883)
    assert len(reference.hcpcs()) == 9076


def test_an_unknown_reference_code_raises_unknown_code() -> None:
    with pytest.raises(UnknownCode, match="'ZZ' is not a CARC code"):
        reference.carc().lookup("ZZ")


def test_a_deactivated_carc_is_not_valid() -> None:
    deactivated = [c for c in reference.carc().all() if c.status == "deactivated"]
    assert len(deactivated) == 110
    assert deactivated[0].valid_on(date(2026, 11, 1)) is False


def test_hcpcs_codes_carry_their_dates() -> None:
    dropped = [c for c in reference.hcpcs().all() if c.effective_to is not None]
    assert len(dropped) == 820
    assert dropped[0].valid_on(date(2026, 11, 1)) is False


def test_practitioner_mue_gives_units_and_indicator() -> None:
    mue = reference.mue_practitioner()["99213"]
    assert (mue.max_units, mue.adjudication_indicator) == (2, "3")


def test_cpt_numbers_are_known_without_descriptors() -> None:
    assert reference.is_cpt_number("99213") is True
    assert reference.is_cpt_number("0001F") is True
    with pytest.raises(MalformedCode):
        reference.is_cpt_number("9921")


def test_load_cpt_keeps_descriptors_in_the_user_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDBILL_CACHE_DIR", str(tmp_path / "cache"))
    src = tmp_path / "cpt.txt"
    src.write_text("code\tdescriptor\n99213\tSynthetic office visit descriptor\n0001F\tSynthetic measure\n")
    assert cpt.load_cpt_file(src) == 2
    assert cpt.descriptor("99213") == "Synthetic office visit descriptor"
    assert lookup.describe("99213", date(2026, 11, 1))["title"] == "Synthetic office visit descriptor"
    cpt._stored.cache_clear()


def test_load_cpt_refuses_a_file_without_codes(tmp_path: Path) -> None:
    src = tmp_path / "empty.txt"
    src.write_text("nothing here\n")
    with pytest.raises(FormatError, match="no line of the file starts with a CPT code"):
        cpt.load_cpt_file(src)


@pytest.mark.parametrize(
    ("code", "system"),
    [
        ("E11.9", CodeSystem.ICD10CM),
        ("E119", CodeSystem.ICD10CM),
        ("J3490", CodeSystem.HCPCS),
        ("99213", CodeSystem.CPT),
    ],
)
def test_the_system_is_guessed_from_shape_and_code_sets(code: str, system: CodeSystem) -> None:
    assert lookup.guess_system(code) is system


@pytest.mark.parametrize(
    ("code", "sex", "record"),
    [
        ("N40.0", "male", None),
        ("C61", "male", None),
        ("C53.9", "female", None),
        ("O80", "female", "maternal"),
        ("Z3A.20", "female", "maternal"),
        ("P07.30", None, "newborn"),
    ],
)
def test_sex_and_record_conventions_come_with_their_source(
    icd: Icd10cm, code: str, sex: str | None, record: str | None
) -> None:
    conv = conventions.convention(icd, code)
    assert conv is not None
    assert (conv.sex, conv.record) == (sex, record)
    assert conv.source


def test_a_code_without_convention_has_none(icd: Icd10cm) -> None:
    assert conventions.convention(icd, "E11.9") is None


@pytest.mark.parametrize(
    ("code", "lo", "hi", "edit"), [("O80", 9, 64, "maternity"), ("A33", 0, 0, "newborn"), ("N40.0", 15, 124, "adult")]
)
def test_age_ranges_come_from_the_mce_lists(code: str, lo: int, hi: int, edit: str) -> None:
    age = conventions.age_range(code)
    assert age is not None
    assert (age.lo, age.hi, age.edit) == (lo, hi, edit)


@pytest.mark.parametrize(("code", "allowed"), [("D63.1", False), ("E08.00", False), ("G63", False), ("E11.9", True)])
def test_mce_manifestation_codes_are_not_allowed_as_principal(code: str, allowed: bool) -> None:
    assert conventions.allowed_as_principal(code) is allowed


@pytest.mark.parametrize(
    ("code", "sex", "age", "count"),
    [
        ("N40.0", "female", 70, 1),
        ("N40.0", "male", 70, 0),
        ("O80", "female", 70, 1),
        ("O80", "male", 8, 2),
        ("E11.9", "female", 1, 0),
    ],
)
def test_conflicts_name_each_convention_broken(icd: Icd10cm, code: str, sex: str, age: int, count: int) -> None:
    assert len(conventions.conflicts(icd, code, sex=sex, age_years=age)) == count
