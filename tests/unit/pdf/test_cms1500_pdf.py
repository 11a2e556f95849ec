"""CMS-1500 (02/12) PDF: the values read back from each box's rectangle, in both modes, on one page and on two."""

from __future__ import annotations

from typing import Any

import pytest

from medbill.domain.errors import ValidationError
from medbill.formats.pdf import RenderMode, render_cms1500
from medbill.formats.pdf.cms1500_geometry import box
from tests.unit.pdf.reading import opened, text_in
from tests.unit.pdf.samples import BILLING_NPI, REFERRING_NPI, RENDERING_NPI, cms1500_claim

MODES = [RenderMode.FULL, RenderMode.DATA_ONLY]


def read(page: Any, name: str, index: int = 0) -> str:
    return text_in(page, box(name, index))


@pytest.mark.parametrize("mode", MODES)
def test_claim_boxes_hold_the_claims_values(mode: RenderMode) -> None:
    # given a synthetic claim with three lines
    claim = cms1500_claim(lines=3)
    # when it is rendered and read back
    with opened(render_cms1500(claim, mode=mode)) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        # then each box holds exactly its value
        assert read(page, "1_group") == "X"
        assert read(page, "1_medicare") == ""
        assert read(page, "1a") == "XYZ123456789"
        assert read(page, "2") == "TESTPERSON, ALEX, Q"
        assert read(page, "3_birth") == "07 04 1980"
        assert read(page, "3_female") == "X"
        assert read(page, "3_male") == ""
        assert read(page, "5_zip") == "62704"
        assert read(page, "6_self") == "X"
        assert read(page, "14_date") == "02 27 26"
        assert read(page, "14_qual") == "431"
        assert read(page, "17_name") == "REFERRER, ROBIN"
        assert read(page, "17b") == REFERRING_NPI
        assert read(page, "21_ind") == "0"
        assert read(page, "21A") == "E1165"
        assert read(page, "21B") == "I10"
        assert read(page, "21C") == "Z794"
        assert read(page, "21D") == ""
        assert read(page, "25") == "123456789"
        assert read(page, "25_ein") == "X"
        assert read(page, "26") == "PCN-0001"
        assert read(page, "27_yes") == "X"
        assert read(page, "28_dollars") == "601"
        assert read(page, "28_cents") == "50"
        assert read(page, "29_dollars") == "0"
        assert read(page, "31_date") == "031026"
        assert read(page, "32a") == "1112223338"
        assert read(page, "33a") == BILLING_NPI
        assert read(page, "33_name") == "EXAMPLE MEDICAL GROUP"
        assert read(page, "33_city_state_zip") == "SPRINGFIELD IL 627040001"


@pytest.mark.parametrize("mode", MODES)
def test_each_service_line_prints_in_its_own_row_of_box_24(mode: RenderMode) -> None:
    claim = cms1500_claim(lines=3)
    with opened(render_cms1500(claim, mode=mode)) as pdf:
        page = pdf.pages[0]
        expected = [
            ("03 01 26", "99211", ("25", "59"), "AB", "100", "50", "1"),
            ("03 02 26", "99212", ("", ""), "B", "200", "50", "2"),
            ("03 03 26", "99213", ("", ""), "AB", "300", "50", "3"),
        ]
        for i, (day, code, modifiers, pointers, dollars, cents, units) in enumerate(expected):
            assert read(page, "24A_from", i) == day
            assert read(page, "24A_to", i) == day
            assert read(page, "24B", i) == "11"
            assert read(page, "24D_code", i) == code
            assert (read(page, "24D_mod1", i), read(page, "24D_mod2", i)) == modifiers
            assert read(page, "24E", i) == pointers
            assert read(page, "24F_dollars", i) == dollars
            assert read(page, "24F_cents", i) == cents
            assert read(page, "24G", i) == units
            assert read(page, "24J", i) == RENDERING_NPI
        # the shaded supplemental line above line 2 carries its NDC; lines 4–6 stay empty
        assert read(page, "24_shaded", 1) == "N412345678901 UN1"
        assert read(page, "24_shaded", 0) == ""
        for i in range(3, 6):
            assert read(page, "24A_from", i) == ""
            assert read(page, "24F_dollars", i) == ""


@pytest.mark.parametrize("mode", MODES)
def test_eight_lines_take_two_pages_with_the_total_on_the_last(mode: RenderMode) -> None:
    claim = cms1500_claim(lines=8)
    with opened(render_cms1500(claim, mode=mode)) as pdf:
        assert len(pdf.pages) == 2
        first, second = pdf.pages
        # page 1: lines 1–6, box 28 says CONTINUED, no amounts in 28 or 29
        assert [read(first, "24A_from", i) for i in range(6)] == [f"03 0{n} 26" for n in range(1, 7)]
        assert read(first, "28") == "CONTINUED"
        assert read(first, "29_dollars") == ""
        # page 2: lines 7 and 8 in rows 1 and 2, then the claim's total
        assert [read(second, "24A_from", i) for i in range(2)] == ["03 07 26", "03 08 26"]
        assert [read(second, "24F_dollars", i) for i in range(2)] == ["700", "800"]
        assert read(second, "24A_from", 2) == ""
        assert read(second, "28_dollars") == "3604"
        assert read(second, "28_cents") == "00"
        # the claim-level boxes repeat on every page
        assert read(first, "2") == read(second, "2") == "TESTPERSON, ALEX, Q"
        assert read(first, "33a") == read(second, "33a") == BILLING_NPI


def test_data_only_prints_no_form_art_and_full_draws_it() -> None:
    claim = cms1500_claim(lines=1)
    with opened(render_cms1500(claim, mode=RenderMode.DATA_ONLY)) as pdf:
        page = pdf.pages[0]
        assert page.rects == [] and page.lines == []
        assert {c["fontname"] for c in page.chars} == {"Courier"}
    with opened(render_cms1500(claim, mode=RenderMode.FULL)) as pdf:
        page = pdf.pages[0]
        assert len(page.rects) > 100
        assert "HEALTH INSURANCE CLAIM FORM" in page.extract_text()


def test_page_is_letter_size_and_rendering_is_deterministic() -> None:
    claim = cms1500_claim(lines=2)
    pdf_bytes = render_cms1500(claim, mode="full")
    assert pdf_bytes == render_cms1500(claim, mode="full")
    assert pdf_bytes.startswith(b"%PDF-")
    with opened(pdf_bytes) as pdf:
        assert (pdf.pages[0].width, pdf.pages[0].height) == (612, 792)


def test_long_free_text_is_cut_to_its_box() -> None:
    claim = cms1500_claim(lines=1, additional_info="X" * 200)
    with opened(render_cms1500(claim, mode="data_only")) as pdf:
        assert read(pdf.pages[0], "19") == "X" * 57  # 48 columns of 10-pitch hold 57 Courier-10 characters


def test_a_printer_nudge_moves_every_data_item_by_exactly_that_much() -> None:
    claim = cms1500_claim(lines=1)
    with opened(render_cms1500(claim, mode="data_only")) as pdf:
        plain = {(c["text"], round(c["x0"], 2), round(c["top"], 2)) for c in pdf.pages[0].chars}
    with opened(render_cms1500(claim, mode="data_only", nudge=(0.1, -1 / 6))) as pdf:
        moved = {(c["text"], round(c["x0"] - 7.2, 2), round(c["top"] + 12, 2)) for c in pdf.pages[0].chars}
    assert moved == plain


@pytest.mark.parametrize(
    ("mode", "nudge"),
    [(RenderMode.DATA_ONLY, (0.6, 0.0)), (RenderMode.DATA_ONLY, (0.0, -0.51)), (RenderMode.FULL, (0.1, 0.0))],
)
def test_a_nudge_too_far_or_on_the_full_form_is_refused(mode: RenderMode, nudge: tuple[float, float]) -> None:
    with pytest.raises(ValidationError) as refused:
        render_cms1500(cms1500_claim(lines=1), mode=mode, nudge=nudge)
    assert refused.value.field == "nudge"
