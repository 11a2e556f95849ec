"""The print grid both paper claim forms are laid out on: 10 characters per inch, 6 lines per inch, 8.5 × 11 in."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

POINTS_PER_INCH = 72.0
COLUMN_PT = POINTS_PER_INCH / 10  # 10-pitch (pica): one print column is 0.1 in
ROW_PT = POINTS_PER_INCH / 6  # 6 lines per inch: one print line is 1/6 in
PAGE_WIDTH_PT = 8.5 * POINTS_PER_INCH
PAGE_HEIGHT_PT = 11 * POINTS_PER_INCH
COLUMNS = 85  # 8.5 in at 10 characters per inch
ROWS = 66  # 11 in at 6 lines per inch

DATA_FONT = "Courier"  # core PDF font: nothing to embed or download
DATA_SIZE_PT = 10.0  # Courier 10 pt: every field starts on its 10-pitch column; smaller type keeps clear of the rules
CAPTION_FONT = "Helvetica"
BASELINE_RAISE_PT = 2.6  # data baseline sits this far above the bottom of its print line


class RenderMode(StrEnum):
    """``full`` draws the whole form on plain paper; ``data_only`` prints the data for the red pre-printed form."""

    FULL = "full"
    DATA_ONLY = "data_only"


@dataclass(frozen=True, slots=True)
class Cell:
    """A rectangle on the grid: ``col`` (0-based, from the left edge) and ``row`` (1-based print line, from the top),
    ``width`` columns wide and ``height`` print lines high."""

    col: float
    row: float
    width: float
    height: float = 1

    @property
    def x(self) -> float:
        """Left edge in points."""
        return self.col * COLUMN_PT

    @property
    def top(self) -> float:
        """Top edge in points from the top of the page."""
        return (self.row - 1) * ROW_PT

    @property
    def w(self) -> float:
        return self.width * COLUMN_PT

    @property
    def h(self) -> float:
        return self.height * ROW_PT

    @property
    def bottom(self) -> float:
        return self.top + self.h

    @property
    def right(self) -> float:
        return self.x + self.w

    def bbox(self) -> tuple[float, float, float, float]:
        """``(x0, top, x1, bottom)`` in points, the way pdfplumber measures a page."""
        return (self.x, self.top, self.right, self.bottom)

    def line(self, index: int) -> Cell:
        """The ``index``-th (0-based) print line of this cell, as a cell one line high."""
        return Cell(self.col, self.row + index, self.width, 1)

    def shifted(self, *, rows: float = 0, cols: float = 0) -> Cell:
        """The same cell moved down ``rows`` print lines and right ``cols`` columns."""
        return Cell(self.col + cols, self.row + rows, self.width, self.height)


@dataclass(frozen=True, slots=True)
class Frame:
    """A ruled box of the full form with its caption printed small in its top-left corner."""

    cell: Cell
    caption: str = ""
    shaded: bool = False


@dataclass(frozen=True, slots=True)
class Label:
    """Fixed text of the full form (titles, check-box words, line letters) at a grid position."""

    col: float
    row: float
    text: str
    size: float = 6.0
    bold: bool = False
