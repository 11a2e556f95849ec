"""Reads a rendered claim form back with pdfplumber: the data text printed inside one cell of the geometry table."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pdfplumber

from medbill.formats.pdf.grid import DATA_FONT, Cell


@contextmanager
def opened(pdf: bytes) -> Iterator[Any]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        yield document


def text_in(page: Any, cell: Cell) -> str:
    """The data characters (Courier, never the Helvetica captions) whose centre lies inside ``cell``, in reading
    order, with one space wherever a gap between two characters is wider than a third of a character."""
    x0, top, x1, bottom = cell.bbox()
    chars = [
        c
        for c in page.chars
        if DATA_FONT in c["fontname"]
        and c["text"].strip()
        and x0 <= (c["x0"] + c["x1"]) / 2 <= x1
        and top <= (c["top"] + c["bottom"]) / 2 <= bottom
    ]
    chars.sort(key=lambda c: (round(c["top"]), c["x0"]))
    out = ""
    previous: dict[str, Any] | None = None
    for c in chars:
        if previous is not None:
            new_line = round(c["top"]) != round(previous["top"])
            gap = c["x0"] - previous["x1"]
            if new_line or gap > (c["x1"] - c["x0"]) / 3:
                out += " "
        out += c["text"]
        previous = c
    return out
