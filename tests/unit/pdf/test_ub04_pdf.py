"""UB-04 PDF: form locators read back from their rectangles, line 23 page numbering and totals, both modes."""

from __future__ import annotations

from typing import Any

import pytest

from medbill.formats.pdf import RenderMode, render_ub04
from medbill.formats.pdf.ub04_geometry import locator
from tests.unit.pdf.reading import opened, text_in
from tests.unit.pdf.samples import FACILITY_NPI, RENDERING_NPI, ub04_claim

MODES = [RenderMode.FULL, RenderMode.DATA_ONLY]


def read(page: Any, name: str, index: int = 0) -> str:
    return text_in(page, locator(name, index))


@pytest.mark.parametrize("mode", MODES)
def test_form_locators_hold_the_claims_values(mode: RenderMode) -> None:
    # given a synthetic outpatient claim with four lines
    claim = ub04_claim(lines=4)
    # when it is rendered and read back
    with opened(render_ub04(claim, mode=mode)) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        # then each form locator holds exactly its value
        assert read(page, "1_0") == "EXAMPLE COMMUNITY HOSPITAL"
        assert read(page, "3a") == "PCN-UB-0001"
        assert read(page, "4") == "0131"
        assert read(page, "5") == "987654321"
        assert (read(page, "6_from"), read(page, "6_through")) == ("030126", "030426")
        assert read(page, "8b") == "TESTPERSON, JORDAN, L"
        assert read(page, "10") == "11231975"
        assert read(page, "11") == "M"
        assert read(page, "12") == "030126"
        assert read(page, "17") == "01"
        assert read(page, "18") == "39"
        assert (read(page, "31a_code"), read(page, "31a_date")) == ("11", "022726")
        assert (read(page, "35a_code"), read(page, "35a_from"), read(page, "35a_through")) == ("74", "020126", "020326")
        assert (read(page, "39a_code"), read(page, "39a_dollars"), read(page, "39a_cents")) == ("A1", "250", "00")
        assert read(page, "50") == "SAMPLE HEALTH PLAN"
        assert (read(page, "55_dollars"), read(page, "55_cents")) == ("100", "00")
        assert read(page, "56") == FACILITY_NPI
        assert read(page, "60") == "XYZ987654321"
        assert read(page, "66") == "0"
        assert (read(page, "67"), read(page, "67_poa")) == ("R079", "Y")
        assert (read(page, "67A"), read(page, "67B"), read(page, "67B_poa")) == ("I10", "E785", "N")
        assert read(page, "70a") == "R079"
        assert (read(page, "74_code"), read(page, "74_date")) == ("4A02X4Z", "030126")
        assert (read(page, "76_npi"), read(page, "76_last"), read(page, "76_first")) == (
            RENDERING_NPI,
            "DOCTOR",
            "CASEY",
        )
        assert (read(page, "81a_qual"), read(page, "81a_code")) == ("B3", "282N00000X")


@pytest.mark.parametrize("mode", MODES)
def test_service_lines_and_line_23_totals(mode: RenderMode) -> None:
    claim = ub04_claim(lines=4)
    with opened(render_ub04(claim, mode=mode)) as pdf:
        page = pdf.pages[0]
        assert [read(page, "42", i) for i in range(5)] == ["0450", "0300", "0320", "0250", ""]
        assert [read(page, "44", i) for i in range(4)] == ["99281", "", "99283", ""]
        assert [read(page, "45", i) for i in range(4)] == ["030126", "030226", "030326", "030426"]
        assert [read(page, "46", i) for i in range(4)] == ["1", "2", "3", "4"]
        assert [read(page, "47_dollars", i) for i in range(4)] == ["123", "246", "370", "493"]
        assert [read(page, "47_cents", i) for i in range(4)] == ["45", "90", "35", "80"]
        assert (read(page, "48_dollars", 2), read(page, "48_cents", 2)) == ("5", "00")
        # line 23: revenue code 0001, page 1 of 1, the creation date and the totals
        assert read(page, "42_total") == "0001"
        assert read(page, "43_page") == "1 OF 1"
        assert read(page, "45_created") == "031226"
        assert (read(page, "47_total_dollars"), read(page, "47_total_cents")) == ("1234", "50")
        assert (read(page, "48_total_dollars"), read(page, "48_total_cents")) == ("5", "00")


@pytest.mark.parametrize("mode", MODES)
def test_more_than_22_lines_continue_with_totals_on_the_last_page(mode: RenderMode) -> None:
    claim = ub04_claim(lines=24)
    with opened(render_ub04(claim, mode=mode)) as pdf:
        assert len(pdf.pages) == 2
        first, second = pdf.pages
        assert read(first, "43_page") == "1 OF 2"
        assert read(first, "45_created") == "031226"
        assert read(first, "42_total") == read(first, "47_total_dollars") == ""
        assert read(first, "42", 21) == "0250"  # line 22
        assert read(second, "43_page") == "2 OF 2"
        assert [read(second, "47_dollars", i) for i in range(3)] == ["2839", "2962", ""]
        assert read(second, "42_total") == "0001"
        assert (read(second, "47_total_dollars"), read(second, "47_total_cents")) == ("37035", "00")
        assert read(first, "4") == read(second, "4") == "0131"


def test_data_only_prints_no_form_art() -> None:
    with opened(render_ub04(ub04_claim(lines=1), mode="data_only")) as pdf:
        page = pdf.pages[0]
        assert page.rects == [] and page.lines == []
        assert {c["fontname"] for c in page.chars} == {"Courier"}
