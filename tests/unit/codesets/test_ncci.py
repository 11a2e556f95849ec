"""NCCI PTP edits: pairs found in either order, dated, with their modifier indicator."""

from __future__ import annotations

import gzip
from datetime import date

import pytest

from medbill.codesets.ncci import PtpTable, _compile

ROWS = """column1,column2,effective_date,deletion_date,modifier_indicator,oce_first_version,oce_last_version
29880,29881,20190701,,1,20.2.27,27.1.0
0001A,0591T,20220101,20231231,1,23.0.17,24.3.10
0001A,96160,20220101,20231231,0,23.0.17,24.3.10
0001A,96160,20240101,,1,25.0.0,27.1.0
"""


@pytest.fixture(scope="module")
def table() -> PtpTable:
    return PtpTable(_compile(gzip.compress(ROWS.encode())))


def test_the_table_counts_every_row(table: PtpTable) -> None:
    assert len(table) == 4


@pytest.mark.parametrize(("first", "second"), [("29880", "29881"), ("29881", "29880")])
def test_a_pair_is_found_whichever_code_comes_first(table: PtpTable, first: str, second: str) -> None:
    edit = table.edit_on(first, second, date(2026, 5, 1))
    assert edit is not None
    assert (edit.column1, edit.column2, edit.modifier_allowed) == ("29880", "29881", True)


@pytest.mark.parametrize(
    ("on", "indicator"), [(date(2021, 12, 31), None), (date(2023, 6, 1), "0"), (date(2024, 6, 1), "1")]
)
def test_the_edit_in_effect_depends_on_the_date(table: PtpTable, on: date, indicator: str | None) -> None:
    edit = table.edit_on("0001A", "96160", on)
    assert (edit.modifier_indicator if edit else None) == indicator


def test_a_deleted_pair_is_not_in_effect_after_its_last_day(table: PtpTable) -> None:
    assert table.edit_on("0001A", "0591T", date(2023, 12, 31)) is not None
    assert table.edit_on("0001A", "0591T", date(2024, 1, 1)) is None


def test_codes_without_an_edit_return_none(table: PtpTable) -> None:
    assert table.edits("99213", "36415") == []
