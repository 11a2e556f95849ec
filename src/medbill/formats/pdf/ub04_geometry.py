"""Where each UB-04 form locator's data prints: one table (``FIELDS``), FL id → cell on the 10-pitch, 6 lines-per-inch grid.

Columns count tenths of an inch from the left edge, rows count print lines (1/6 in) from the top, as the NUBC
UB-04 layout is printed: FL 1–4 in the first four lines, FL 42–49 as 22 service lines plus the totals line 23,
payer rows A–C under them, the physicians (FL 76–79) bottom right. Both render modes print from this table; the
full form's rules (``ub04_art``) are drawn on the same grid.
"""

from __future__ import annotations

from medbill.formats.pdf.grid import Cell

FIRST_LINE_ROW = 18  # FL 42–49 line 1; line n is row 17 + n
TOTALS_ROW = 40  # FL 42–49 line 23: page n of m, creation date, totals
PAYER_ROWS = (42, 43, 44)  # FL 50–55, 57 rows A, B, C (FL 56 sits on the caption row 41)
INSURED_ROWS = (46, 47, 48)  # FL 58–62 rows A, B, C
AUTH_ROWS = (50, 51, 52)  # FL 63–65 rows A, B, C
DX_SLOT = 8.75  # FL 67: principal + A–H on the first line, I–Q on the second, 8.75 columns each
DX_LEFT = 3.5
PHYSICIAN_ROWS = {"76": 57, "77": 59, "78": 61, "79": 63}  # FL 76–79: NPI line, then name line

FIELDS: dict[str, Cell] = {
    **{f"1_{i}": Cell(3, 1 + i, 24) for i in range(4)},  # FL 1 billing provider: name, street, city, phone
    **{f"2_{i}": Cell(29, 1 + i, 24) for i in range(4)},  # FL 2 pay-to name and address
    "3a": Cell(61, 1, 16),  # FL 3a patient control number
    "3b": Cell(61, 2, 16),  # FL 3b medical record number
    "4": Cell(79, 2, 4),  # FL 4 type of bill
    "5": Cell(54, 4, 9),  # FL 5 federal tax number
    "6_from": Cell(64, 4, 6),  # FL 6 statement covers period from MMDDYY
    "6_through": Cell(71, 4, 6),  # FL 6 through MMDDYY
    "8a": Cell(10, 5, 20),  # FL 8a patient ID
    "8b": Cell(3, 6, 27),  # FL 8b patient name
    "9a": Cell(40, 5, 43),  # FL 9a patient street address
    "9b": Cell(32, 6, 28),  # FL 9b city
    "9c": Cell(61, 6, 2),  # FL 9c state
    "9d": Cell(65, 6, 10),  # FL 9d ZIP code
    "9e": Cell(78, 6, 4),  # FL 9e country code
    "10": Cell(2, 8, 8),  # FL 10 birthdate MMDDCCYY
    "11": Cell(11.5, 8, 1),  # FL 11 sex
    "12": Cell(14, 8, 6),  # FL 12 admission date MMDDYY
    "13": Cell(21, 8, 2),  # FL 13 admission hour
    "14": Cell(24.5, 8, 1),  # FL 14 priority (type) of admission or visit
    "15": Cell(27.5, 8, 1),  # FL 15 point of origin (source)
    "16": Cell(30, 8, 2),  # FL 16 discharge hour
    "17": Cell(33, 8, 2),  # FL 17 patient discharge status
    **{f"{18 + k}": Cell(36 + 3 * k, 8, 2) for k in range(11)},  # FL 18–28 condition codes
    "29": Cell(70, 8, 2),  # FL 29 accident state
    **{  # FL 31–34 occurrence code and date, rows a (10) and b (11)
        f"{31 + k}{row}_{part}": Cell(2 + 10 * k + (0 if part == "code" else 3), 10 + r, 2 if part == "code" else 6)
        for k in range(4)
        for r, row in enumerate("ab")
        for part in ("code", "date")
    },
    **{  # FL 35–36 occurrence span code, from and through, rows a and b
        f"{35 + k}{row}_{part}": Cell(42 + 16 * k + offset, 10 + r, width)
        for k in range(2)
        for r, row in enumerate("ab")
        for part, offset, width in (("code", 0, 2), ("from", 3, 6), ("through", 9.5, 6))
    },
    **{f"38_{i}": Cell(3, 12 + i, 38) for i in range(5)},  # FL 38 responsible party name and address
    **{  # FL 39–41 value code and amount, rows a–d (13–16)
        f"{39 + k}{row}_{part}": Cell(42.5 + 14 * k + offset, 13 + r, width)
        for k in range(3)
        for r, row in enumerate("abcd")
        for part, offset, width in (("code", 0, 2), ("dollars", 3, 7.3), ("cents", 10.8, 2))
    },
    "56": Cell(74, 41, 9.5),  # FL 56 billing provider NPI
    "66": Cell(2, 54, 1),  # FL 66 diagnosis code version qualifier
    "69": Cell(3, 56, 8),  # FL 69 admitting diagnosis
    **{f"70{x}": Cell(13.5 + 8.3 * k, 56, 7) for k, x in enumerate("abc")},  # FL 70a–c patient reason dx
    "71": Cell(39.5, 56, 4),  # FL 71 PPS code
    **{f"72{x}": Cell(45.5 + 9.5 * k, 56, 7) for k, x in enumerate("abc")},  # FL 72a–c external cause code
    **{f"72{x}_poa": Cell(53 + 9.5 * k, 56, 1) for k, x in enumerate("abc")},  # FL 72a–c POA indicator
    **{  # FL 74 principal procedure and 74a–e other procedures: code and date
        f"74{x}_{part}": Cell(
            2 + 17 * (k % 3) + (0 if part == "code" else 9), 58 + 2 * (k // 3), 8 if part == "code" else 6
        )
        for k, x in enumerate(("", "a", "b", "c", "d", "e"))
        for part in ("code", "date")
    },
    **{  # FL 76–79 attending, operating, other: NPI, qualifier and ID on the first line, names on the second
        f"{fl}_{part}": Cell(col, row + dy, width)
        for fl, row in PHYSICIAN_ROWS.items()
        for part, col, dy, width in (
            ("npi", 62, 0, 10),
            ("qual", 75, 0, 2),
            ("id", 77.5, 0, 6),
            ("last", 58, 1, 12),
            ("first", 73, 1, 10),
        )
    },
    **{f"80_{i}": Cell(8 if i == 0 else 2, 61 + i, 22 if i == 0 else 28) for i in range(4)},  # FL 80 remarks
    **{  # FL 81 code-code a–d: qualifier, code, value
        f"81{x}_{part}": Cell(col, 61 + k, width)
        for k, x in enumerate("abcd")
        for part, col, width in (("qual", 32, 2), ("code", 35, 10), ("value", 46, 9))
    },
    **{  # FL 67 principal diagnosis (slot 0) and 67A–Q: principal + A–H on print line 53, I–Q on line 54
        ("67" if k == 0 else f"67{'_ABCDEFGHIJKLMNOPQ'[k]}") + part: Cell(
            DX_LEFT + DX_SLOT * (k % 9 if k < 9 else k - 9) + (1 if part == "" else 7.6),
            53 if k < 9 else 54,
            6 if part == "" else 1,
        )
        for k in range(18)
        for part in ("", "_poa")
    },
    # FL 42–49, service line 1; line n (1–22) of a page is the same cell n − 1 print lines down
    "42": Cell(2, FIRST_LINE_ROW, 4),  # FL 42 revenue code
    "43": Cell(8, FIRST_LINE_ROW, 22),  # FL 43 description
    "44": Cell(31, FIRST_LINE_ROW, 13),  # FL 44 HCPCS / rate / HIPPS code
    "45": Cell(45, FIRST_LINE_ROW, 6),  # FL 45 service date MMDDYY
    "46": Cell(52, FIRST_LINE_ROW, 7),  # FL 46 service units (right aligned)
    "47_dollars": Cell(60, FIRST_LINE_ROW, 8.5),  # FL 47 total charges, dollars (right aligned)
    "47_cents": Cell(69, FIRST_LINE_ROW, 2),  # FL 47 total charges, cents
    "48_dollars": Cell(72, FIRST_LINE_ROW, 6.5),  # FL 48 non-covered charges, dollars (right aligned)
    "48_cents": Cell(79, FIRST_LINE_ROW, 2),  # FL 48 non-covered charges, cents
    "49": Cell(82, FIRST_LINE_ROW, 1),  # FL 49 reserved
    # FL 42–49 line 23 (every page: page n of m and creation date; last page: revenue code 0001 and the totals)
    "42_total": Cell(2, TOTALS_ROW, 4),  # FL 42 line 23: 0001
    "43_page": Cell(12, TOTALS_ROW, 12),  # FL 43 line 23: "n OF m"
    "45_created": Cell(45, TOTALS_ROW, 6),  # FL 45 line 23: creation date MMDDYY
    "47_total_dollars": Cell(60, TOTALS_ROW, 8.5),  # FL 47 line 23: total charges, dollars
    "47_total_cents": Cell(69, TOTALS_ROW, 2),  # FL 47 line 23: cents
    "48_total_dollars": Cell(72, TOTALS_ROW, 6.5),  # FL 48 line 23: non-covered total, dollars
    "48_total_cents": Cell(79, TOTALS_ROW, 2),  # FL 48 line 23: cents
    # FL 50–65, payer row A; rows B and C are the same cells on the next print lines
    "50": Cell(2, PAYER_ROWS[0], 25),  # FL 50 payer name
    "51": Cell(28, PAYER_ROWS[0], 15),  # FL 51 health plan ID
    "52": Cell(44.5, PAYER_ROWS[0], 1),  # FL 52 release of information
    "53": Cell(47.5, PAYER_ROWS[0], 1),  # FL 53 assignment of benefits
    "54_dollars": Cell(50, PAYER_ROWS[0], 8),  # FL 54 prior payments, dollars
    "54_cents": Cell(59, PAYER_ROWS[0], 2),  # FL 54 prior payments, cents
    "55_dollars": Cell(62, PAYER_ROWS[0], 6.5),  # FL 55 estimated amount due, dollars
    "55_cents": Cell(69, PAYER_ROWS[0], 2),  # FL 55 estimated amount due, cents
    "57": Cell(74, PAYER_ROWS[0], 9.5),  # FL 57 other provider ID
    "58": Cell(2, INSURED_ROWS[0], 25),  # FL 58 insured's name
    "59": Cell(28.5, INSURED_ROWS[0], 2),  # FL 59 patient's relationship to insured
    "60": Cell(31, INSURED_ROWS[0], 20),  # FL 60 insured's unique ID
    "61": Cell(52, INSURED_ROWS[0], 14),  # FL 61 insurance group name
    "62": Cell(67, INSURED_ROWS[0], 16),  # FL 62 insurance group number
    "63": Cell(2, AUTH_ROWS[0], 29),  # FL 63 treatment authorization code
    "64": Cell(32, AUTH_ROWS[0], 25),  # FL 64 document control number
    "65": Cell(58, AUTH_ROWS[0], 25),  # FL 65 employer name
}

LINE_LOCATORS = frozenset(("42", "43", "44", "45", "46", "47_dollars", "47_cents", "48_dollars", "48_cents", "49"))
PAYER_LOCATORS = frozenset(str(fl) for fl in (50, 51, 52, 53, 57, 58, 59, 60, 61, 62, 63, 64, 65)) | frozenset(
    ("54_dollars", "54_cents", "55_dollars", "55_cents")
)


def locator(name: str, index: int = 0) -> Cell:
    """Any data cell by form locator id: ``"4"``, ``"47_total_dollars"``, ``"56"``; an FL 42–49 cell on service
    line ``index`` (0–21), an FL 50–65 cell on payer row ``index`` (0 = A, 1 = B, 2 = C)."""
    if name in LINE_LOCATORS or name in PAYER_LOCATORS:
        return FIELDS[name].shifted(rows=index)
    return FIELDS[name]
