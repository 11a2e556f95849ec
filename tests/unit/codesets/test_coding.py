"""Code value objects: shapes, canonical forms and the precise reasons a text is not a code."""

from __future__ import annotations

import pytest

from medbill.domain.coding import Code, CodeSystem, MalformedCode, dotted_icd10cm, normalize_icd10cm, system_of


@pytest.mark.parametrize(
    ("text", "bare"), [("E11.9", "E119"), ("e119", "E119"), (" S52.501A ", "S52501A"), ("I10", "I10")]
)
def test_icd10cm_codes_are_held_without_the_dot(text: str, bare: str) -> None:
    assert normalize_icd10cm(text) == bare


@pytest.mark.parametrize(("bare", "dotted"), [("E119", "E11.9"), ("I10", "I10"), ("S52501A", "S52.501A")])
def test_icd10cm_codes_are_shown_with_the_dot(bare: str, dotted: str) -> None:
    assert dotted_icd10cm(bare) == dotted


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("E1", "it has 2 characters"),
        ("E11.12345", "it has 8 characters"),
        ("E1I.9", "did you mean 'E11.9'?"),
        ("EO1", "did you mean 'E01'?"),
        ("E1.19", "the dot goes after the third character"),
        ("E11-9", "only letters and digits"),
    ],
)
def test_malformed_icd10cm_codes_say_why(text: str, reason: str) -> None:
    with pytest.raises(MalformedCode) as caught:
        normalize_icd10cm(text)
    assert reason in caught.value.message
    assert caught.value.code == "malformed_code"


@pytest.mark.parametrize(
    ("text", "system"),
    [("99213", CodeSystem.CPT), ("0001F", CodeSystem.CPT), ("J3490", CodeSystem.HCPCS), ("E11.9", CodeSystem.ICD10CM)],
)
def test_system_of_reads_the_shape(text: str, system: CodeSystem) -> None:
    assert system_of(text) is system


def test_code_value_object_displays_its_canonical_form() -> None:
    assert str(Code.icd10cm("e11.9")) == "E11.9"
    assert Code.hcpcs("j3490") == Code(system=CodeSystem.HCPCS, value="J3490")
    assert Code.cpt("99213").display == "99213"
