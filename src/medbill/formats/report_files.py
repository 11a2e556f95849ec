"""Report tables as files: CSV (RFC 4180, UTF-8) and Excel workbooks (openpyxl), one sheet per table.

A table is a title, a header row and rows of text, whole numbers or ``Decimal``s (amounts arrive as ``Decimal``
dollars, never floats, and are written as numbers with two places so a spreadsheet can add them up)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook

Cell = str | int | Decimal | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Table:
    title: str  # the sheet's name in a workbook (31 characters at most there)
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def _text(value: Cell) -> str:
    return "" if value is None else str(value)


def to_csv(table: Table) -> bytes:
    """The table as CSV: the header, then each row; decimals as written (``151.50``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow([_text(v) for v in row])
    return out.getvalue().encode("utf-8")


def to_xlsx(tables: Sequence[Table]) -> bytes:
    """The tables as one workbook, a sheet each; a ``Decimal`` is a number cell formatted to its own places."""
    book = Workbook()
    first = True
    for table in tables:
        sheet = book.active if first and book.active is not None else book.create_sheet()
        first = False
        sheet.title = table.title[:31]
        sheet.append(list(table.header))
        for row in table.rows:
            sheet.append([v for v in row])
            for column, value in enumerate(row, start=1):
                if isinstance(value, Decimal):
                    exponent = value.as_tuple().exponent
                    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
                    cell = sheet.cell(row=sheet.max_row, column=column)
                    cell.number_format = "0." + "0" * places if places else "0"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
