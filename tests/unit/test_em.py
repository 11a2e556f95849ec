"""E/M office/outpatient level: time thresholds (CPT 2024), MDM two of three, prolonged service, refusals."""

from __future__ import annotations

import pytest

from medbill.domain.em import (
    DataReviewed,
    EmInput,
    MdmLevel,
    PatientStatus,
    by_time,
    calculate,
    mdm_level,
)
from medbill.domain.errors import ValidationError

NEW, EST = PatientStatus.NEW, PatientStatus.ESTABLISHED
SF, LOW, MOD, HIGH = MdmLevel.STRAIGHTFORWARD, MdmLevel.LOW, MdmLevel.MODERATE, MdmLevel.HIGH


@pytest.mark.parametrize(
    ("patient", "minutes", "code"),
    [
        (NEW, 15, "99202"),
        (NEW, 29, "99202"),
        (NEW, 30, "99203"),
        (NEW, 45, "99204"),
        (NEW, 60, "99205"),
        (EST, 10, "99212"),
        (EST, 19, "99212"),
        (EST, 20, "99213"),
        (EST, 30, "99214"),
        (EST, 39, "99214"),
        (EST, 40, "99215"),
    ],
)
def test_time_thresholds_are_met_or_exceeded(patient: PatientStatus, minutes: int, code: str) -> None:
    result = calculate(EmInput(patient=patient, total_minutes=minutes))
    assert (result.code, result.method) == (code, "time")


@pytest.mark.parametrize(("patient", "minutes"), [(NEW, 14), (EST, 9)])
def test_time_below_the_lowest_threshold_is_refused_with_the_threshold(patient: PatientStatus, minutes: int) -> None:
    with pytest.raises(ValidationError, match=r"is below (15|10) min"):
        calculate(EmInput(patient=patient, total_minutes=minutes))


@pytest.mark.parametrize(
    ("patient", "minutes", "units"),
    [(NEW, 74, 0), (NEW, 75, 1), (NEW, 89, 1), (NEW, 90, 2), (EST, 54, 0), (EST, 55, 1), (EST, 70, 2)],
)
def test_prolonged_service_counts_full_fifteen_minutes_beyond_the_top_level(
    patient: PatientStatus, minutes: int, units: int
) -> None:
    result = by_time(patient, minutes)
    assert result is not None
    assert result.prolonged_units == units
    assert result.prolonged_code == ("99417" if units else None)


@pytest.mark.parametrize(
    ("problems", "data", "risk", "level"),
    [
        (SF, SF, SF, SF),
        (LOW, LOW, SF, LOW),
        (MOD, SF, MOD, MOD),
        (HIGH, SF, MOD, MOD),
        (HIGH, HIGH, SF, HIGH),
        (LOW, HIGH, MOD, MOD),
    ],
)
def test_mdm_is_the_level_two_of_three_elements_meet(
    problems: MdmLevel, data: MdmLevel, risk: MdmLevel, level: MdmLevel
) -> None:
    assert mdm_level(problems, data, risk) is level


@pytest.mark.parametrize(
    ("patient", "level", "code"),
    [
        (NEW, SF, "99202"),
        (NEW, LOW, "99203"),
        (NEW, MOD, "99204"),
        (NEW, HIGH, "99205"),
        (EST, SF, "99212"),
        (EST, HIGH, "99215"),
    ],
)
def test_mdm_level_maps_to_the_code(patient: PatientStatus, level: MdmLevel, code: str) -> None:
    result = calculate(EmInput(patient=patient, problems=level, data=level, risk=level))
    assert (result.code, result.method, result.mdm_level) == (code, "mdm", level)


def test_mdm_reasons_say_which_elements_met_the_level() -> None:
    result = calculate(EmInput(patient=EST, problems=MOD, data=LOW, risk=MOD))
    assert result.reasons == (
        "problems: moderate",
        "data: low",
        "risk: moderate",
        "MDM moderate: met by problems and risk (two of three elements needed) → 99214",
    )


def test_with_time_and_mdm_the_more_favourable_level_is_reported() -> None:
    by_mdm = calculate(EmInput(patient=EST, total_minutes=20, problems=MOD, data=MOD, risk=LOW))
    by_minutes = calculate(EmInput(patient=EST, total_minutes=41, problems=LOW, data=LOW, risk=LOW))
    assert (by_mdm.code, by_mdm.method) == ("99214", "mdm")
    assert (by_minutes.code, by_minutes.method) == ("99215", "time")


def test_mdm_needs_all_three_elements() -> None:
    with pytest.raises(ValidationError, match="missing: data, risk"):
        calculate(EmInput(patient=NEW, problems=LOW))


def test_neither_time_nor_mdm_is_refused() -> None:
    with pytest.raises(ValidationError, match="give the total time"):
        calculate(EmInput(patient=NEW))


@pytest.mark.parametrize(("text", "level"), [("minimal", SF), ("Limited", LOW), ("moderate", MOD), ("extensive", HIGH)])
def test_levels_parse_from_the_ama_table_words(text: str, level: MdmLevel) -> None:
    assert MdmLevel.parse(text, element="data") is level


def test_an_unknown_level_word_is_refused() -> None:
    with pytest.raises(ValidationError, match="unknown risk level 'severe'"):
        MdmLevel.parse("severe", element="risk")


@pytest.mark.parametrize(
    ("data", "level"),
    [
        (DataReviewed(), SF),
        (DataReviewed(unique_results_reviewed=2), LOW),
        (DataReviewed(independent_historian=True), LOW),
        (DataReviewed(unique_results_reviewed=2, independent_historian=True), MOD),
        (DataReviewed(independent_interpretation=True), MOD),
        (DataReviewed(unique_tests_ordered=3, discussion_with_external_physician=True), HIGH),
    ],
)
def test_data_level_counts_categories_as_the_ama_table_does(data: DataReviewed, level: MdmLevel) -> None:
    assert data.level() is level
