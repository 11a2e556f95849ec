"""Drawing on a letter page with fpdf2: red form art (frames, captions, labels) and black data on the print grid."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from fpdf import FPDF

from medbill.domain.errors import ValidationError
from medbill.formats.pdf.grid import (
    BASELINE_RAISE_PT,
    CAPTION_FONT,
    COLUMN_PT,
    DATA_FONT,
    DATA_SIZE_PT,
    PAGE_HEIGHT_PT,
    PAGE_WIDTH_PT,
    POINTS_PER_INCH,
    Cell,
    Frame,
    Label,
    RenderMode,
)

FORM_RED = (205, 35, 45)  # close to the OCR drop-out red of the printed forms
SHADE = (252, 226, 226)  # the shaded supplemental rows of CMS-1500 box 24
CAPTION_SIZE_PT = 5.0
CHECK_PT = 7.2  # side of a check box square
MAX_NUDGE_IN = 0.5  # data_only: how far the data may be moved to meet a printer's feed


class FormDocument:
    """A PDF of one or more form pages; ``mode`` decides whether the form art is drawn under the data."""

    def __init__(
        self, *, mode: RenderMode | str, title: str, created: date | None, nudge: tuple[float, float] = (0.0, 0.0)
    ) -> None:
        if mode not in tuple(RenderMode):
            raise ValidationError(f"mode is one of {', '.join(RenderMode)}", field="mode")
        self.mode = RenderMode(mode)
        right, down = nudge
        if max(abs(right), abs(down)) > MAX_NUDGE_IN:
            raise ValidationError(f"a printer nudge is at most {MAX_NUDGE_IN} in either way", field="nudge")
        if self.mode is RenderMode.FULL and (right or down):
            raise ValidationError("the full form needs no nudge: its boxes move with the data", field="nudge")
        self._dx, self._dy = right * POINTS_PER_INCH, down * POINTS_PER_INCH
        self._pdf = FPDF(orientation="portrait", unit="pt", format=(PAGE_WIDTH_PT, PAGE_HEIGHT_PT))
        self._pdf.set_auto_page_break(False)
        self._pdf.set_margins(0, 0, 0)
        self._pdf.set_title(title)
        self._pdf.set_creator("medbill")
        # A fixed creation date keeps the bytes a function of the data alone (no clock in a pure layer).
        when = created or date(2000, 1, 1)
        self._pdf.set_creation_date(datetime(when.year, when.month, when.day, tzinfo=UTC))

    def new_page(self, frames: Iterable[Frame], labels: Iterable[Label]) -> None:
        """Start a page; in ``full`` mode draw the shading, frames, captions and labels first."""
        self._pdf.add_page()
        if self.mode is RenderMode.FULL:
            self._draw_art(tuple(frames), tuple(labels))
        self._pdf.set_text_color(0, 0, 0)
        self._pdf.set_font(DATA_FONT, size=DATA_SIZE_PT)

    def _draw_art(self, frames: tuple[Frame, ...], labels: tuple[Label, ...]) -> None:
        pdf = self._pdf
        pdf.set_draw_color(*FORM_RED)
        pdf.set_fill_color(*SHADE)
        pdf.set_line_width(0.6)
        for frame in frames:
            c = frame.cell
            if c.width == 1 and c.height == 1:  # a check box: a small square on the print line
                pdf.rect(c.x, c.bottom - CHECK_PT - 1.5, CHECK_PT, CHECK_PT)
            else:
                pdf.rect(c.x, c.top, c.w, c.h, style="DF" if frame.shaded else "D")
        pdf.set_text_color(*FORM_RED)
        pdf.set_font(CAPTION_FONT, size=CAPTION_SIZE_PT)
        for frame in frames:
            if frame.caption:
                pdf.text(frame.cell.x + 1.5, frame.cell.top + CAPTION_SIZE_PT + 0.5, frame.caption)
        for label in labels:
            pdf.set_font(CAPTION_FONT, style="B" if label.bold else "", size=label.size)
            x = label.col * Cell(0, 0, 1).w
            pdf.text(x, Cell(0, label.row, 1).bottom - 2.0, label.text)

    def rule(self, x0: float, y: float, x1: float) -> None:
        """A thin red horizontal rule (full mode only), e.g. between the parts of a split box."""
        if self.mode is RenderMode.FULL:
            self._pdf.set_draw_color(*FORM_RED)
            self._pdf.set_line_width(0.4)
            self._pdf.line(x0, y, x1, y)

    def put(self, cell: Cell, text: str, *, align: str = "L", line: int = 0) -> None:
        """Print ``text`` in black on print line ``line`` of ``cell``: left aligned and cut to the cell, or right
        aligned (amounts, whose size the form data has checked)."""
        if not text:
            return
        pdf = self._pdf
        pdf.set_text_color(0, 0, 0)
        pdf.set_font(DATA_FONT, size=DATA_SIZE_PT)
        room = max(int((cell.w + 0.5) // pdf.get_string_width("M")), 1)  # Courier: every character as wide
        shown = text if align == "R" else text[:room]  # amounts are checked to fit; never drop their digits
        width = pdf.get_string_width(shown)
        x = (cell.right - width if align == "R" else cell.x) + self._dx
        y = cell.top + (line + 1) * Cell(0, 0, 1, 1).h - BASELINE_RAISE_PT + self._dy
        pdf.text(x, y, shown)

    def check_mark(self, cell: Cell, ticked: bool) -> None:
        """An ``X`` in a check box cell when ``ticked``."""
        if ticked:
            self.put(cell.shifted(cols=(CHECK_PT - self._pdf.get_string_width("X")) / 2 / COLUMN_PT), "X")

    def output(self) -> bytes:
        return bytes(self._pdf.output())
