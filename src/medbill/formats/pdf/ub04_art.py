"""The ruled boxes, captions and printed words of the UB-04 (CMS-1450), drawn in red only in ``full`` mode."""

from __future__ import annotations

from medbill.formats.pdf.grid import Cell, Frame, Label
from medbill.formats.pdf.ub04_geometry import (
    AUTH_ROWS,
    DX_LEFT,
    DX_SLOT,
    FIRST_LINE_ROW,
    INSURED_ROWS,
    PAYER_ROWS,
    PHYSICIAN_ROWS,
    TOTALS_ROW,
)

LEFT, EDGE = 1.5, 83.5


def _band(row: float, height: float, cuts: tuple[tuple[float, str], ...], end: float = EDGE) -> list[Frame]:
    """Frames side by side on one band of print lines; ``cuts`` gives each box's left rule and caption."""
    frames = []
    for i, (left, caption) in enumerate(cuts):
        right = cuts[i + 1][0] if i + 1 < len(cuts) else end
        frames.append(Frame(Cell(left, row, right - left, height), caption))
    return frames


_LINE_COLUMNS = (
    (LEFT, "42 REV. CD."),
    (7.5, "43 DESCRIPTION"),
    (30.5, "44 HCPCS / RATE / HIPPS CODE"),
    (44.5, "45 SERV. DATE"),
    (51.5, "46 SERV. UNITS"),
    (59.5, "47 TOTAL CHARGES"),
    (71.5, "48 NON-COVERED CHARGES"),
    (81.5, "49"),
)


def _service_lines() -> list[Frame]:
    """FL 42–49: the caption line, 22 service lines (every other one shaded) and line 23."""
    frames = _band(FIRST_LINE_ROW - 1, 1, _LINE_COLUMNS)
    for n in range(23):
        shaded = n % 2 == 1
        frames += [Frame(f.cell, shaded=shaded) for f in _band(FIRST_LINE_ROW + n, 1, _LINE_COLUMNS)]
    return frames


def _physicians() -> list[Frame]:
    captions = {"76": "76 ATTENDING", "77": "77 OPERATING", "78": "78 OTHER", "79": "79 OTHER"}
    return [Frame(Cell(55.5, row, EDGE - 55.5, 2), captions[fl]) for fl, row in PHYSICIAN_ROWS.items()]


FRAMES: tuple[Frame, ...] = (
    Frame(Cell(LEFT, 1, 26, 4), "1"),
    Frame(Cell(27.5, 1, 26, 4), "2"),
    Frame(Cell(53.5, 1, 24, 1), "3a PAT. CNTL #"),
    Frame(Cell(53.5, 2, 24, 1), "b. MED. REC. #"),
    Frame(Cell(77.5, 1, 6, 2), "4 TYPE OF BILL"),
    *_band(3, 2, ((53.5, "5 FED. TAX NO."), (63.5, "6 STATEMENT COVERS"), (77.5, "7"))),
    Frame(Cell(LEFT, 5, 29, 2), "8 PATIENT NAME    a"),
    Frame(Cell(30.5, 5, EDGE - 30.5, 2), "9 PATIENT ADDRESS    a"),
    *_band(
        7,
        2,
        (
            (LEFT, "10 BIRTHDATE"),
            (10.5, "11 SEX"),
            (13.5, "12 DATE"),
            (20.5, "13 HR"),
            (23.5, "14 TYPE"),
            (26.5, "15 SRC"),
            (29.5, "16 DHR"),
            (32.5, "17 STAT"),
            *((35.5 + 3 * k, str(18 + k)) for k in range(11)),
            (68.5, "29 ACDT"),
            (72.5, "30"),
        ),
    ),
    *_band(
        9,
        3,
        (
            (LEFT, "31 OCCURRENCE"),
            (11.5, "32 OCCURRENCE"),
            (21.5, "33 OCCURRENCE"),
            (31.5, "34 OCCURRENCE"),
            (41.5, "35 OCCURRENCE SPAN"),
            (57.5, "36 OCCURRENCE SPAN"),
            (73.5, "37"),
        ),
    ),
    *_band(
        12,
        5,
        ((LEFT, "38"), (41.5, "39 VALUE CODES"), (55.5, "40 VALUE CODES"), (69.5, "41 VALUE CODES")),
    ),
    *_service_lines(),
    *_band(
        41,
        4,
        (
            (LEFT, "50 PAYER NAME"),
            (27.5, "51 HEALTH PLAN ID"),
            (43.5, "52 REL"),
            (46.5, "53 ASG"),
            (49.5, "54 PRIOR PAYMENTS"),
            (61.5, "55 EST. AMOUNT DUE"),
        ),
        end=71.5,
    ),
    Frame(Cell(71.5, 41, 12, 1), "56 NPI"),
    Frame(Cell(71.5, 42, 12, 3), "57"),
    *_band(
        45,
        4,
        (
            (LEFT, "58 INSURED'S NAME"),
            (27.5, "59 P.REL"),
            (30.5, "60 INSURED'S UNIQUE ID"),
            (51.5, "61 GROUP NAME"),
            (66.5, "62 INSURANCE GROUP NO."),
        ),
    ),
    *_band(
        49,
        4,
        ((LEFT, "63 TREATMENT AUTHORIZATION CODES"), (31.5, "64 DOCUMENT CONTROL NUMBER"), (57.5, "65 EMPLOYER NAME")),
    ),
    Frame(Cell(LEFT, 53, 2, 2), "66"),
    *(Frame(Cell(DX_LEFT + DX_SLOT * k, 53, DX_SLOT, 1)) for k in range(9)),
    *(Frame(Cell(DX_LEFT + DX_SLOT * k, 54, DX_SLOT, 1)) for k in range(9)),
    Frame(Cell(DX_LEFT + DX_SLOT * 9, 53, EDGE - DX_LEFT - DX_SLOT * 9, 2), "68"),
    *_band(
        55,
        2,
        (
            (LEFT, "69 ADMIT DX"),
            (12.5, "70 PATIENT REASON DX"),
            (38.5, "71 PPS CODE"),
            (44.5, "72 ECI"),
            (74.5, "73"),
        ),
    ),
    *_band(57, 2, ((LEFT, "74 PRINCIPAL PROCEDURE  CODE  DATE"), (18.5, "a. OTHER PROCEDURE"), (35.5, "b.")), end=52.5),
    *_band(59, 2, ((LEFT, "c. OTHER PROCEDURE"), (18.5, "d."), (35.5, "e.")), end=52.5),
    Frame(Cell(52.5, 57, 3, 4), "75"),
    *_physicians(),
    Frame(Cell(LEFT, 61, 29, 4), "80 REMARKS"),
    Frame(Cell(30.5, 61, 25, 4), "81CC"),
)


def _labels() -> list[Label]:
    labels = [
        Label(38, TOTALS_ROW, "CREATION DATE", size=5),
        Label(8, TOTALS_ROW, "PAGE", size=6, bold=True),
        Label(52, TOTALS_ROW, "TOTALS", size=6, bold=True),
        Label(2, 5.95, "b", size=5),
        Label(31, 5.95, "b", size=5),
        Label(60, 5.95, "c", size=5),
        Label(64, 5.95, "d", size=5),
        Label(77, 5.95, "e", size=5),
        Label(64, 3.05, "FROM", size=4.5),
        Label(71, 3.05, "THROUGH", size=4.5),
        Label(71.7, 43, "OTHER", size=4),
        Label(71.7, 44, "PRV ID", size=4),
        Label(LEFT + 0.2, 65.2, "UB-04 CMS-1450", size=7, bold=True),
        Label(20, 65.2, "APPROVED OMB NO. 0938-0997", size=5),
        Label(55, 65.2, "NUBC  National Uniform Billing Committee", size=5, bold=True),
    ]
    for n in range(23):
        labels.append(Label(0.1, FIRST_LINE_ROW + n, str(n + 1), size=5))
    for rows in (PAYER_ROWS, INSURED_ROWS, AUTH_ROWS):
        for letter, row in zip("ABC", rows, strict=True):
            labels.append(Label(0.5, row, letter, size=6, bold=True))
    for letter_row, letters in ((53, ("67", *"ABCDEFGH")), (54, tuple("IJKLMNOPQ"))):
        for k, letter in enumerate(letters):
            labels.append(Label(DX_LEFT + DX_SLOT * k + 0.15, letter_row, letter, size=4.5))
    for row in PHYSICIAN_ROWS.values():
        labels += [
            Label(60, row, "NPI", size=4.5),
            Label(72.5, row, "QUAL", size=4.5),
            Label(55.7, row + 1, "LAST", size=4.5),
            Label(70.5, row + 1, "FIRST", size=4.5),
        ]
    for k, letter in enumerate("abcd"):
        labels.append(Label(30.8, 61 + k, letter, size=5))
        labels.append(Label(41.7, 13 + k, letter, size=5))
        labels.append(Label(55.7, 13 + k, letter, size=5))
        labels.append(Label(69.7, 13 + k, letter, size=5))
    return labels


LABELS: tuple[Label, ...] = tuple(_labels())
