"""Renders a patient statement as a letter-size PDF (fpdf2, core fonts): visits, aging, amount due, payment coupon.

Page one carries the practice header, the statement facts and the guarantor's address where a #10 window envelope
shows it; visits follow, as many pages as they need; the last page ends with the totals and a detachable coupon.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import partial

from fpdf import FPDF

from medbill.domain.money import Money
from medbill.domain.statements import Statement, StatementVisit

PAGE_WIDTH_PT = 612.0  # 8.5 in
PAGE_HEIGHT_PT = 792.0  # 11 in
MARGIN_PT = 36.0
RIGHT_PT = PAGE_WIDTH_PT - MARGIN_PT
BODY_BOTTOM_PT = PAGE_HEIGHT_PT - MARGIN_PT
COUPON_TOP_PT = PAGE_HEIGHT_PT - 3.5 * 72  # the perforation: the bottom 3.5 in of the last page
WINDOW_X_PT, WINDOW_Y_PT = 0.9 * 72, 2.0 * 72  # guarantor block inside a #10 envelope window (7/8 in from the left)
FONT = "Helvetica"
ROW_PT = 11.0
SIZE_PT = 8.0

# table columns: (left, width); the six amounts are right aligned
DATE_COL = (MARGIN_PT, 50.0)
CODE_COL = (86.0, 42.0)
DESC_COL = (128.0, 128.0)
_MONEY_LEFT = 256.0
_MONEY_W = (RIGHT_PT - _MONEY_LEFT) / 6
MONEY_COLS = tuple((_MONEY_LEFT + i * _MONEY_W, _MONEY_W) for i in range(6))
MONEY_HEADINGS = (
    ("", "Charges"),
    ("Insurance", "paid"),
    ("Insurance", "adjusted"),
    ("Insurance", "pending"),
    ("You", "paid"),
    ("Your", "balance"),
)
SUMMARY_LEFT_W = 318.0
AGING_HEADINGS = ("Current", "31-60", "61-90", "91-120", "Over 120", "Total")
_REPLACEMENTS = {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "€": "EUR"}


def printable(text: str) -> str:
    """Text the core fonts can draw (Latin-1): typographic quotes and dashes plain, accents outside Latin-1 dropped,
    anything else as ``?``."""
    out = []
    for ch in text:
        if ord(ch) < 256:
            out.append(ch)
        elif ch in _REPLACEMENTS:
            out.append(_REPLACEMENTS[ch])
        else:
            plain = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            out.append(plain if plain and all(ord(c) < 256 for c in plain) else "?")
    return "".join(out)


def money(cents: int) -> str:
    return Money(cents).display()


def day(value: date) -> str:
    return value.strftime("%m/%d/%Y")


def render_statement(statement: Statement) -> bytes:
    """The statement as PDF bytes: a function of the statement alone (the creation date is the statement date).

    Laid out twice: the first pass counts the pages that "Page n of N" names."""
    pages = _StatementPdf(statement, pages=0).layout().page_no()
    return bytes(_StatementPdf(statement, pages=pages).layout().output())


class _StatementPdf:
    def __init__(self, statement: Statement, *, pages: int) -> None:
        self.s = statement
        self.pages = pages
        pdf = FPDF(orientation="portrait", unit="pt", format="letter")
        pdf.set_auto_page_break(False)
        pdf.set_margins(MARGIN_PT, MARGIN_PT, MARGIN_PT)
        pdf.set_title(f"Statement {printable(statement.statement_number)}")
        pdf.set_creator("medbill")
        when = statement.statement_date
        pdf.set_creation_date(datetime(when.year, when.month, when.day, tzinfo=UTC))
        self.pdf = pdf
        self.y = MARGIN_PT

    # ---- drawing primitives -------------------------------------------------------------------------------------

    def font(self, size: float = SIZE_PT, style: str = "") -> None:
        self.pdf.set_font(FONT, style=style, size=size)

    def fit(self, text: str, width: float) -> str:
        """``text`` cut (with ``...``) to ``width`` points in the current font."""
        text = printable(text)
        if self.pdf.get_string_width(text) <= width:
            return text
        while text and self.pdf.get_string_width(text + "...") > width:
            text = text[:-1]
        return text + "..."

    def wrap(self, text: str, width: float) -> list[str]:
        """``text`` broken at spaces into lines no wider than ``width`` (a longer word is cut)."""
        lines: list[str] = []
        current = ""
        for word in printable(text).split():
            candidate = f"{current} {word}" if current else word
            if self.pdf.get_string_width(candidate) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = self.fit(word, width)
        if current:
            lines.append(current)
        return lines

    def put(self, x: float, baseline: float, text: str, *, width: float | None = None, right: bool = False) -> None:
        if not text:
            return
        shown = self.fit(text, width) if width is not None else printable(text)
        if right:
            x = x + (width or 0.0) - self.pdf.get_string_width(shown)
        self.pdf.text(x, baseline, shown)

    def lines_at(
        self, x: float, top: float, lines: list[str], *, leading: float = ROW_PT, width: float = 240.0
    ) -> float:
        """Print ``lines`` one below the other from ``top``; the y below the last."""
        for line in lines:
            top += leading
            self.put(x, top - 2.5, line, width=width)
        return top

    def rule(self, y: float, *, x0: float = MARGIN_PT, x1: float = RIGHT_PT, width: float = 0.4) -> None:
        self.pdf.set_line_width(width)
        self.pdf.line(x0, y, x1, y)

    # ---- pages --------------------------------------------------------------------------------------------------

    def page_label(self) -> str:
        return f"Page {self.pdf.page_no()} of {self.pages}"

    def layout(self) -> FPDF:
        self.first_page()
        for visit in self.s.visits:
            self.visit(visit)
        if self.y + self.summary_height() > COUPON_TOP_PT - 12:
            self.continuation_page(table=False)
        self.summary()
        self.coupon()
        return self.pdf

    def first_page(self) -> None:
        s, pdf = self.s, self.pdf
        pdf.add_page()
        self.font(13, "B")
        self.put(MARGIN_PT, MARGIN_PT + 10, s.practice.name, width=300)
        self.font(9)
        practice = [*s.practice.address_lines, s.practice.phone]
        self.lines_at(MARGIN_PT, MARGIN_PT + 14, [line for line in practice if line], width=300)
        self.font(14, "B")
        self.put(380, MARGIN_PT + 10, "PATIENT STATEMENT", width=RIGHT_PT - 380, right=True)
        facts = [
            ("Statement date", day(s.statement_date)),
            ("Statement number", s.statement_number),
            ("Account number", s.account_number),
            ("Amount due", money(s.amount_due_cents)),
            ("Due date", day(s.due_date)),
        ]
        top = MARGIN_PT + 20
        for label, value in facts:
            top += 13
            self.font(9, "B" if label == "Amount due" else "")
            self.put(380, top, label, width=90)
            self.put(470, top, value, width=RIGHT_PT - 470, right=True)
        self.font(8)
        self.put(380, top + 13, self.page_label())
        self.font(10)
        guarantor = [s.guarantor.name, *s.guarantor.address_lines]
        self.lines_at(WINDOW_X_PT, WINDOW_Y_PT, guarantor, leading=12, width=3.5 * 72)
        self.y = WINDOW_Y_PT + 5 * 12 + 12  # below the window: a name and four address lines
        self.table_heading()

    def continuation_page(self, *, table: bool = True) -> None:
        self.pdf.add_page()
        self.font(10, "B")
        self.put(MARGIN_PT, MARGIN_PT + 10, self.s.practice.name, width=300)
        self.font(8)
        self.put(
            350,
            MARGIN_PT + 10,
            f"Statement {self.s.statement_number}  Account {self.s.account_number}",
            width=RIGHT_PT - 350 - 50,
        )
        self.put(RIGHT_PT - 48, MARGIN_PT + 10, self.page_label())
        self.rule(MARGIN_PT + 16)
        self.y = MARGIN_PT + 28
        if table:
            self.table_heading()

    def table_heading(self) -> None:
        self.font(7.5, "B")
        top = self.y
        self.put(DATE_COL[0], top + 17, "Date", width=DATE_COL[1])
        self.put(CODE_COL[0], top + 17, "Service", width=CODE_COL[1])
        self.put(DESC_COL[0], top + 17, "Description", width=DESC_COL[1])
        for (x, w), (first, second) in zip(MONEY_COLS, MONEY_HEADINGS, strict=True):
            self.put(x, top + 8, first, width=w, right=True)
            self.put(x, top + 17, second, width=w, right=True)
        self.rule(top + 21, width=0.8)
        self.y = top + 24

    # ---- visits -------------------------------------------------------------------------------------------------

    def visit(self, visit: StatementVisit) -> None:
        rows = self.visit_rows(visit)
        height = sum(h for h, _ in rows)
        if self.y + height > BODY_BOTTOM_PT:
            if height <= BODY_BOTTOM_PT - (MARGIN_PT + 28 + 24):
                self.continuation_page()  # the whole visit fits on a fresh page: keep it together
            else:
                for index, (row_height, draw) in enumerate(rows):
                    if self.y + row_height > BODY_BOTTOM_PT:
                        self.continuation_page()
                        if index:
                            self.visit_heading(visit, continued=True)
                    draw()
                return
        for _, draw in rows:
            draw()

    def visit_rows(self, visit: StatementVisit) -> list[tuple[float, Callable[[], None]]]:
        rows: list[tuple[float, Callable[[], None]]] = [(ROW_PT + 3, partial(self.visit_heading, visit))]
        for line in visit.lines:
            draw = partial(self.row, code=line.procedure_code, text=line.description, amounts=(line.charge_cents,))
            rows.append((ROW_PT, draw))
        amounts = (
            visit.charges_cents,
            visit.insurance_paid_cents,
            visit.insurance_adjusted_cents,
            visit.insurance_pending_cents,
            visit.patient_paid_cents,
            visit.patient_balance_cents,
        )
        rows.append((ROW_PT, partial(self.row, code="", text="Visit total", amounts=amounts, bold=True)))
        self.font(SIZE_PT, "I")
        for text in self.wrap(visit.explanation(), RIGHT_PT - CODE_COL[0]):
            rows.append((ROW_PT, partial(self.note, text)))
        rows.append((6.0, self.separator))
        return rows

    def visit_heading(self, visit: StatementVisit, *, continued: bool = False) -> None:
        self.font(SIZE_PT, "B")
        base = self.y + 3 + ROW_PT - 2.5
        self.put(DATE_COL[0], base, day(visit.date_of_service), width=DATE_COL[1])
        who = f"Patient: {visit.patient_name}    Provider: {visit.provider_name}"
        self.put(CODE_COL[0], base, who + ("  (continued)" if continued else ""), width=RIGHT_PT - CODE_COL[0])
        self.y += ROW_PT + 3

    def row(self, *, code: str, text: str, amounts: tuple[int, ...], bold: bool = False) -> None:
        self.font(SIZE_PT, "B" if bold else "")
        base = self.y + ROW_PT - 2.5
        self.put(CODE_COL[0], base, code, width=CODE_COL[1])
        self.put(DESC_COL[0], base, text, width=DESC_COL[1])
        for (x, w), cents in zip(MONEY_COLS, amounts, strict=False):
            self.put(x, base, money(cents), width=w, right=True)
        self.y += ROW_PT

    def note(self, text: str) -> None:
        self.font(SIZE_PT, "I")
        self.put(CODE_COL[0], self.y + ROW_PT - 2.5, text, width=RIGHT_PT - CODE_COL[0])
        self.y += ROW_PT

    def separator(self) -> None:
        self.pdf.set_draw_color(170, 170, 170)
        self.rule(self.y + 3, width=0.3)
        self.pdf.set_draw_color(0, 0, 0)
        self.y += 6

    # ---- totals and coupon --------------------------------------------------------------------------------------

    def totals(self) -> list[tuple[str, str]]:
        s = self.s
        rows = [("Your visit balances", money(s.balance_cents))]
        if s.credits_cents:
            rows.append(("Unapplied credits", money(-s.credits_cents)))
        if s.insurance_pending_cents:
            rows.append(("Insurance pending (not due)", money(s.insurance_pending_cents)))
        return rows

    def summary_height(self) -> float:
        """The totals' height: aging, message and questions on the left, the amounts on the right."""
        self.font(10, "B")
        left = 46 + len(self.wrap(self.s.message, SUMMARY_LEFT_W)) * 13 + (16 if self.s.practice.phone else 0)
        right = len(self.totals()) * 13 + 40
        return 8 + max(left, right)

    def summary(self) -> None:
        s = self.s
        top = self.y + 8
        self.font(8, "B")
        self.put(MARGIN_PT, top + 9, "Account aging (days since you became responsible)", width=SUMMARY_LEFT_W)
        width = SUMMARY_LEFT_W / 6
        amounts = [cents for _, cents in s.aging.buckets()] + [s.aging.total_cents]
        for i, (label, cents) in enumerate(zip(AGING_HEADINGS, amounts, strict=True)):
            x = MARGIN_PT + i * width
            self.font(7.5, "B")
            self.put(x, top + 21, label, width=width - 3, right=True)
            self.font(8)
            self.put(x, top + 33, money(cents), width=width - 3, right=True)
        self.rule(top + 24, x1=MARGIN_PT + SUMMARY_LEFT_W, width=0.3)
        self.font(10, "B")
        after = self.lines_at(MARGIN_PT, top + 40, self.wrap(s.message, SUMMARY_LEFT_W), leading=13, width=999)
        if s.practice.phone:
            self.font(9)
            call = f"Questions about this statement? Call {s.practice.phone}."
            self.put(MARGIN_PT, after + 12, call, width=SUMMARY_LEFT_W)
        left, row = 372.0, top
        for label, value in self.totals():
            row += 13
            self.font(9)
            self.put(left, row, label, width=130)
            self.put(500, row, value, width=RIGHT_PT - 500, right=True)
        self.rule(row + 4, x0=left)
        self.font(12, "B")
        self.put(left, row + 19, "Amount due", width=110)
        self.put(480, row + 19, money(s.amount_due_cents), width=RIGHT_PT - 480, right=True)
        self.font(10, "B")
        self.put(left, row + 33, "Please pay by", width=110)
        self.put(480, row + 33, day(s.due_date), width=RIGHT_PT - 480, right=True)

    def coupon(self) -> None:
        s, pdf = self.s, self.pdf
        pdf.set_dash_pattern(dash=4, gap=3)
        self.rule(COUPON_TOP_PT, x0=0, x1=PAGE_WIDTH_PT, width=0.6)
        pdf.set_dash_pattern()
        self.font(7.5, "I")
        self.put(MARGIN_PT, COUPON_TOP_PT + 11, "Please detach and return this portion with your payment.")
        self.font(10, "B")
        self.put(MARGIN_PT, COUPON_TOP_PT + 30, s.practice.name, width=280)
        self.font(9)
        self.put(MARGIN_PT, COUPON_TOP_PT + 48, "Statement for", width=280)
        self.lines_at(MARGIN_PT, COUPON_TOP_PT + 50, [s.guarantor.name, *s.guarantor.address_lines], width=280)
        pdf.rect(MARGIN_PT, COUPON_TOP_PT + 128, 8, 8)
        self.font(7.5)
        self.put(MARGIN_PT + 13, COUPON_TOP_PT + 135, "Check here if your address or insurance has changed;")
        self.put(MARGIN_PT + 13, COUPON_TOP_PT + 144, "write the change on the back.")
        left, top = 330.0, COUPON_TOP_PT + 20
        facts = [
            ("Account number", s.account_number),
            ("Statement date", day(s.statement_date)),
            ("Statement number", s.statement_number),
            ("Due date", day(s.due_date)),
            ("Amount due", money(s.amount_due_cents)),
            ("Amount enclosed", "$"),
        ]
        pdf.set_line_width(0.6)
        for label, value in facts:
            pdf.rect(left, top, RIGHT_PT - left, 17)
            self.font(8.5, "B" if label in ("Amount due", "Amount enclosed") else "")
            self.put(left + 4, top + 12, label, width=105)
            self.put(left + 112, top + 12, value, width=RIGHT_PT - left - 116, right=value != "$")
            top += 17
        self.font(8)
        self.put(left, top + 20, "Make checks payable to and mail to:")
        self.font(10)
        self.lines_at(left + 20, top + 24, [s.remit_to.name, *s.remit_to.address_lines], leading=12, width=200)
