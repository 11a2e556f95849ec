"""The geometry tables: every data cell on the page, and no two cells of a form printing over each other."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from medbill.formats.pdf import cms1500_geometry, ub04_geometry
from medbill.formats.pdf.grid import PAGE_HEIGHT_PT, PAGE_WIDTH_PT, Cell


def _cms1500_cells() -> Iterator[tuple[str, Cell]]:
    for name in cms1500_geometry.FIELDS:
        repeats = 6 if name in cms1500_geometry.LINE_BOXES else 1
        for index in range(repeats):
            yield f"{name}[{index}]", cms1500_geometry.box(name, index)


def _ub04_cells() -> Iterator[tuple[str, Cell]]:
    for name in ub04_geometry.FIELDS:
        if name in ub04_geometry.LINE_LOCATORS:
            repeats = 22
        elif name in ub04_geometry.PAYER_LOCATORS:
            repeats = 3
        else:
            repeats = 1
        for index in range(repeats):
            yield f"{name}[{index}]", ub04_geometry.locator(name, index)


def _overlap(a: Cell, b: Cell) -> bool:
    return a.x < b.right - 0.01 and b.x < a.right - 0.01 and a.top < b.bottom - 0.01 and b.top < a.bottom - 0.01


FORMS = [
    pytest.param(_cms1500_cells, {("28[0]", "28_dollars[0]"), ("28[0]", "28_cents[0]")}, id="cms1500"),
    pytest.param(_ub04_cells, set(), id="ub04"),
]


@pytest.mark.parametrize(("cells", "allowed"), FORMS)
def test_every_cell_lies_on_the_printable_page(
    cells: Callable[[], Iterator[tuple[str, Cell]]], allowed: set[tuple[str, str]]
) -> None:
    for name, cell in cells():
        assert cell.x >= 0.15 * 72 and cell.right <= PAGE_WIDTH_PT - 0.15 * 72, name
        assert cell.top >= 0 and cell.bottom <= PAGE_HEIGHT_PT - 0.25 * 72, name


@pytest.mark.parametrize(("cells", "allowed"), FORMS)
def test_no_two_cells_overlap_except_the_alternatives_of_one_box(
    cells: Callable[[], Iterator[tuple[str, Cell]]], allowed: set[tuple[str, str]]
) -> None:
    every = list(cells())
    overlapping = {
        (a_name, b_name) for i, (a_name, a) in enumerate(every) for b_name, b in every[i + 1 :] if _overlap(a, b)
    }
    assert overlapping == allowed
