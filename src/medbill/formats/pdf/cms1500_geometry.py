"""Where each CMS-1500 (02/12) box's data prints: one table (``FIELDS``), box id → cell on the 10-pitch, 6 lines-per-inch grid.

Columns count tenths of an inch from the left edge of the sheet, rows count sixths of an inch (print lines 1–66)
from the top. The NUCC printing facts the table follows: the first print position is 0.3 in from the left edge
(column 3) and print line 8 (1.33 in down) carries box 1 and 1a; boxes 2–11 take the even lines 10–26, box 12/13
signatures line 29, boxes 14–20 lines 32–36, box 21 lines 37–40, and the six service lines of box 24 lines 43–54
(each a shaded supplemental line over its unshaded line, 1/3 in a line), boxes 25–30 line 56, boxes 31–33 lines
57–61. Both render modes print from this table; the full form's rules (``cms1500_art``) are drawn on the same grid.
"""

from __future__ import annotations

from medbill.formats.pdf.grid import Cell

LINE_PITCH_ROWS = 2  # box 24: each service line takes two print lines (shaded + unshaded)
DIAGNOSIS_COLUMNS = (3.0, 16.0, 29.0, 42.0)  # box 21: where the printed letters A., B., C., D. stand
DIAGNOSIS_FIRST_ROW = 38  # box 21: A–D on line 38, E–H on 39, I–L on 40

FIELDS: dict[str, Cell] = {
    # carrier block (top right): payer name and address
    "carrier_name": Cell(43, 2, 38),
    "carrier_street": Cell(43, 4, 38),
    "carrier_city_state_zip": Cell(43, 5, 38),
    # box 1: type of coverage, one check box each
    "1_medicare": Cell(3, 8, 1),
    "1_medicaid": Cell(10, 8, 1),
    "1_tricare": Cell(17, 8, 1),
    "1_champva": Cell(26, 8, 1),
    "1_group": Cell(33, 8, 1),
    "1_feca": Cell(41, 8, 1),
    "1_other": Cell(47, 8, 1),
    "1a": Cell(52, 8, 30),  # box 1a insured's ID number
    "2": Cell(3, 10, 28),  # box 2 patient's name
    "3_birth": Cell(33, 10, 10),  # box 3 patient's birth date MM DD YYYY
    "3_male": Cell(44, 10, 1),  # box 3 sex M
    "3_female": Cell(49, 10, 1),  # box 3 sex F
    "4": Cell(52, 10, 30),  # box 4 insured's name
    "5_street": Cell(3, 12, 28),  # box 5 patient's address, street
    "5_city": Cell(3, 14, 24),  # box 5 city
    "5_state": Cell(28, 14, 3),  # box 5 state
    "5_zip": Cell(3, 16, 11),  # box 5 ZIP code
    "5_area": Cell(17, 16, 3),  # box 5 telephone, area code inside the printed parentheses
    "5_phone": Cell(21, 16, 9),  # box 5 telephone number
    "6_self": Cell(35, 12, 1),  # box 6 relationship: self
    "6_spouse": Cell(40, 12, 1),  # box 6 spouse
    "6_child": Cell(44, 12, 1),  # box 6 child
    "6_other": Cell(49, 12, 1),  # box 6 other
    "7_street": Cell(52, 12, 30),  # box 7 insured's address, street
    "7_city": Cell(52, 14, 23),  # box 7 city
    "7_state": Cell(76, 14, 3),  # box 7 state
    "7_zip": Cell(52, 16, 11),  # box 7 ZIP code
    "7_area": Cell(67, 16, 3),  # box 7 telephone area code
    "7_phone": Cell(71, 16, 9),  # box 7 telephone number
    "8": Cell(32, 14, 19, 3),  # box 8 reserved for NUCC use
    "9": Cell(3, 18, 28),  # box 9 other insured's name
    "9a": Cell(3, 20, 28),  # box 9a other insured's policy or group number
    "9b": Cell(3, 22, 28),  # box 9b reserved for NUCC use
    "9c": Cell(3, 24, 28),  # box 9c reserved for NUCC use
    "9d": Cell(3, 26, 28),  # box 9d other insured's plan name
    "10a_yes": Cell(37, 20, 1),  # box 10a employment: yes
    "10a_no": Cell(43, 20, 1),  # box 10a no
    "10b_yes": Cell(37, 22, 1),  # box 10b auto accident: yes
    "10b_no": Cell(43, 22, 1),  # box 10b no
    "10b_state": Cell(47, 22, 3),  # box 10b place (state)
    "10c_yes": Cell(37, 24, 1),  # box 10c other accident: yes
    "10c_no": Cell(43, 24, 1),  # box 10c no
    "10d": Cell(36, 26, 15),  # box 10d claim codes
    "11": Cell(52, 18, 30),  # box 11 insured's policy group or FECA number
    "11a_birth": Cell(55, 20, 10),  # box 11a insured's date of birth MM DD YYYY
    "11a_male": Cell(70, 20, 1),  # box 11a sex M
    "11a_female": Cell(77, 20, 1),  # box 11a sex F
    "11b": Cell(52, 22, 30),  # box 11b other claim ID (qualifier and ID)
    "11c": Cell(52, 24, 30),  # box 11c insurance plan or program name
    "11d_yes": Cell(54, 26, 1),  # box 11d another health benefit plan: yes
    "11d_no": Cell(59, 26, 1),  # box 11d no
    "12_signed": Cell(9, 29, 24),  # box 12 patient's signature
    "12_date": Cell(38, 29, 12),  # box 12 date MMDDYY
    "13_signed": Cell(57, 29, 25),  # box 13 insured's signature
    "14_date": Cell(4, 32, 8),  # box 14 date of current illness MM DD YY
    "14_qual": Cell(18, 32, 3),  # box 14 qualifier (431, 484)
    "15_qual": Cell(33, 32, 3),  # box 15 qualifier
    "15_date": Cell(39, 32, 8),  # box 15 other date MM DD YY
    "16_from": Cell(56, 32, 8),  # box 16 unable to work from MM DD YY
    "16_to": Cell(70, 32, 8),  # box 16 to
    "17_qual": Cell(3, 34, 2),  # box 17 qualifier (DN, DK, DQ)
    "17_name": Cell(6, 34, 25),  # box 17 name of referring provider
    "17a_qual": Cell(33.5, 33, 2),  # box 17a other ID qualifier (shaded)
    "17a_id": Cell(36.5, 33, 14.5),  # box 17a other ID (shaded)
    "17b": Cell(35, 34, 16),  # box 17b NPI
    "18_from": Cell(56, 34, 8),  # box 18 hospitalization from MM DD YY
    "18_to": Cell(70, 34, 8),  # box 18 to
    "19": Cell(3, 36, 48),  # box 19 additional claim information
    "20_yes": Cell(54, 36, 1),  # box 20 outside lab: yes
    "20_no": Cell(59, 36, 1),  # box 20 no
    "20_dollars": Cell(63, 36, 6),  # box 20 charges, dollars (right aligned)
    "20_cents": Cell(70, 36, 2),  # box 20 charges, cents
    "21_ind": Cell(44, 37, 1),  # box 21 ICD indicator
    "22_code": Cell(52, 38, 11),  # box 22 resubmission code
    "22_original": Cell(64, 38, 18),  # box 22 original reference number
    "23": Cell(52, 40, 30),  # box 23 prior authorization number
    "25": Cell(3, 56, 15),  # box 25 federal tax ID number
    "25_ssn": Cell(19, 56, 1),  # box 25 SSN
    "25_ein": Cell(21, 56, 1),  # box 25 EIN
    "26": Cell(25, 56, 13),  # box 26 patient's account number
    "27_yes": Cell(40, 56, 1),  # box 27 accept assignment: yes
    "27_no": Cell(45, 56, 1),  # box 27 no
    "28": Cell(52, 56, 11),  # box 28 total charge, whole box ("CONTINUED" on earlier pages)
    "28_dollars": Cell(52, 56, 7),  # box 28 total charge, dollars (right aligned)
    "28_cents": Cell(60, 56, 2),  # box 28 total charge, cents
    "29_dollars": Cell(64, 56, 5),  # box 29 amount paid, dollars
    "29_cents": Cell(70, 56, 2),  # box 29 amount paid, cents
    "31_signed": Cell(3, 60, 21),  # box 31 signature of physician or supplier
    "31_date": Cell(8, 61, 8),  # box 31 date MMDDYY
    "32_name": Cell(25, 58, 26),  # box 32 service facility name
    "32_street": Cell(25, 59, 26),  # box 32 street
    "32_city_state_zip": Cell(25, 60, 26),  # box 32 city, state, ZIP
    "32a": Cell(25.6, 61, 10),  # box 32a facility NPI
    "32b": Cell(38, 61, 13),  # box 32b facility other ID (shaded)
    "33_area": Cell(68, 57, 3),  # box 33 phone area code
    "33_phone": Cell(72, 57, 9),  # box 33 phone number
    "33_name": Cell(52, 58, 30),  # box 33 billing provider name
    "33_street": Cell(52, 59, 30),  # box 33 street
    "33_city_state_zip": Cell(52, 60, 30),  # box 33 city, state, ZIP
    "33a": Cell(52.6, 61, 10),  # box 33a billing provider NPI
    "33b": Cell(65, 61, 17),  # box 33b billing provider other ID (shaded)
    **{  # box 21 A–L: the code cell two columns right of its printed letter
        f"21{letter}": Cell(DIAGNOSIS_COLUMNS[i % 4] + 2, DIAGNOSIS_FIRST_ROW + i // 4, 8)
        for i, letter in enumerate("ABCDEFGHIJKL")
    },
    # box 24, service line 1 (shaded print line 43, unshaded 44); line n is the same cell 2 × (n − 1) lines down
    "24_shaded": Cell(3, 43, 61),  # box 24 shaded supplemental information (over 24A–24G)
    "24A_from": Cell(3, 44, 8),  # box 24A from MM DD YY
    "24A_to": Cell(12, 44, 8),  # box 24A to MM DD YY
    "24B": Cell(21, 44, 2),  # box 24B place of service
    "24C": Cell(24, 44, 2),  # box 24C EMG
    "24D_code": Cell(27, 44, 7),  # box 24D CPT/HCPCS
    "24D_mod1": Cell(35, 44, 2),  # box 24D modifier 1
    "24D_mod2": Cell(38, 44, 2),  # box 24D modifier 2
    "24D_mod3": Cell(41, 44, 2),  # box 24D modifier 3
    "24D_mod4": Cell(44, 44, 2),  # box 24D modifier 4
    "24E": Cell(47, 44, 4),  # box 24E diagnosis pointer
    "24F_dollars": Cell(52, 44, 5),  # box 24F charges, dollars (right aligned)
    "24F_cents": Cell(58, 44, 2),  # box 24F charges, cents
    "24G": Cell(61, 44, 3),  # box 24G days or units (left justified)
    "24H": Cell(65, 44, 2),  # box 24H EPSDT / family plan
    "24I_shaded": Cell(67.3, 43, 2),  # box 24I ID qualifier (shaded)
    "24J_shaded": Cell(70, 43, 12),  # box 24J rendering provider other ID (shaded)
    "24J": Cell(70, 44, 12),  # box 24J rendering provider NPI
}

LINE_BOXES = frozenset(name for name in FIELDS if name.startswith("24"))  # repeat on each of the six lines


def box(name: str, index: int = 0) -> Cell:
    """Any data cell by box id: ``"2"``, ``"21B"``, ``"33a"``; a box 24 cell on service line ``index`` (0–5)."""
    if name in LINE_BOXES:
        return FIELDS[name].shifted(rows=LINE_PITCH_ROWS * index)
    return FIELDS[name]
