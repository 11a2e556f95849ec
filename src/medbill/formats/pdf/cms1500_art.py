"""The ruled boxes, captions and printed words of the CMS-1500 (02/12), drawn in red only in ``full`` mode."""

from __future__ import annotations

from medbill.formats.pdf.cms1500_geometry import DIAGNOSIS_COLUMNS, DIAGNOSIS_FIRST_ROW, FIELDS, LINE_PITCH_ROWS
from medbill.formats.pdf.grid import Cell, Frame, Label

LEFT, MIDDLE, RIGHT, EDGE = 2.5, 31.5, 51.5, 82.5  # column rules of the patient and insured section
LINE_RULES = (LEFT, 11.5, 20.5, 23.5, 26.5, 34.5, 37.5, 40.5, 43.5, 46.5, 51.5, 57.5, 60.5, 64.3, 67.0, 69.5)
HEADER_RULES = (LEFT, 20.5, 23.5, 26.5, 46.5, 51.5, 60.5, 64.3, 67.0, 69.5)


def _band(row: float, height: float, cuts: tuple[tuple[float, str], ...], end: float = EDGE) -> list[Frame]:
    """Frames side by side on one band of print lines; ``cuts`` gives each box's left rule and caption."""
    frames = []
    for i, (left, caption) in enumerate(cuts):
        right = cuts[i + 1][0] if i + 1 < len(cuts) else end
        frames.append(Frame(Cell(left, row, right - left, height), caption))
    return frames


def _check_boxes(*names: str) -> list[Frame]:
    return [Frame(FIELDS[name]) for name in names]


def _line_frames() -> list[Frame]:
    """Box 24: the two header lines and six service lines (shaded supplemental line over the unshaded line)."""
    frames = _band(41, 2, tuple((left, "") for left in HEADER_RULES))
    for n in range(6):
        shaded_row = 43 + LINE_PITCH_ROWS * n
        frames += [
            Frame(Cell(LEFT, shaded_row, 67.0 - LEFT, 1), shaded=True),
            Frame(Cell(67.0, shaded_row, 2.5, 1), shaded=True),
            Frame(Cell(69.5, shaded_row, EDGE - 69.5, 1), shaded=True),
        ]
        frames += _band(shaded_row + 1, 1, tuple((left, "") for left in LINE_RULES))
    return frames


FRAMES: tuple[Frame, ...] = (
    Frame(Cell(42.5, 1, EDGE - 42.5, 5), "CARRIER"),
    *_band(7, 2, ((LEFT, "1."), (RIGHT, "1a. INSURED'S I.D. NUMBER                (For Program in Item 1)"))),
    *_check_boxes("1_medicare", "1_medicaid", "1_tricare", "1_champva", "1_group", "1_feca", "1_other"),
    *_band(
        9,
        2,
        (
            (LEFT, "2. PATIENT'S NAME (Last Name, First Name, Middle Initial)"),
            (MIDDLE, "3. PATIENT'S BIRTH DATE                        SEX"),
            (RIGHT, "4. INSURED'S NAME (Last Name, First Name, Middle Initial)"),
        ),
    ),
    *_check_boxes("3_male", "3_female"),
    *_band(
        11,
        2,
        (
            (LEFT, "5. PATIENT'S ADDRESS (No., Street)"),
            (MIDDLE, "6. PATIENT RELATIONSHIP TO INSURED"),
            (RIGHT, "7. INSURED'S ADDRESS (No., Street)"),
        ),
    ),
    *_check_boxes("6_self", "6_spouse", "6_child", "6_other"),
    *_band(13, 2, ((LEFT, "CITY"), (27.5, "STATE")), end=MIDDLE),
    Frame(Cell(MIDDLE, 13, RIGHT - MIDDLE, 4), "8. RESERVED FOR NUCC USE"),
    *_band(13, 2, ((RIGHT, "CITY"), (75.5, "STATE"))),
    *_band(15, 2, ((LEFT, "ZIP CODE"), (14.5, "TELEPHONE (Include Area Code)")), end=MIDDLE),
    *_band(15, 2, ((RIGHT, "ZIP CODE"), (63.5, "TELEPHONE (Include Area Code)"))),
    *_band(
        17,
        2,
        (
            (LEFT, "9. OTHER INSURED'S NAME (Last Name, First Name, Middle Initial)"),
            (MIDDLE, "10. IS PATIENT'S CONDITION RELATED TO:"),
            (RIGHT, "11. INSURED'S POLICY GROUP OR FECA NUMBER"),
        ),
    ),
    *_band(
        19,
        2,
        (
            (LEFT, "a. OTHER INSURED'S POLICY OR GROUP NUMBER"),
            (MIDDLE, "a. EMPLOYMENT? (Current or Previous)"),
            (RIGHT, "a. INSURED'S DATE OF BIRTH                                      SEX"),
        ),
    ),
    *_band(
        21,
        2,
        (
            (LEFT, "b. RESERVED FOR NUCC USE"),
            (MIDDLE, "b. AUTO ACCIDENT?                           PLACE (State)"),
            (RIGHT, "b. OTHER CLAIM ID (Designated by NUCC)"),
        ),
    ),
    *_band(
        23,
        2,
        (
            (LEFT, "c. RESERVED FOR NUCC USE"),
            (MIDDLE, "c. OTHER ACCIDENT?"),
            (RIGHT, "c. INSURANCE PLAN NAME OR PROGRAM NAME"),
        ),
    ),
    *_band(
        25,
        2,
        (
            (LEFT, "d. INSURANCE PLAN NAME OR PROGRAM NAME"),
            (MIDDLE, "10d. CLAIM CODES (Designated by NUCC)"),
            (RIGHT, "d. IS THERE ANOTHER HEALTH BENEFIT PLAN?"),
        ),
    ),
    *_check_boxes("10a_yes", "10a_no", "10b_yes", "10b_no", "10c_yes", "10c_no", "11a_male", "11a_female"),
    *_check_boxes("11d_yes", "11d_no", "20_yes", "20_no", "25_ssn", "25_ein", "27_yes", "27_no"),
    *_band(
        28,
        3,
        (
            (
                LEFT,
                "12. PATIENT'S OR AUTHORIZED PERSON'S SIGNATURE  I authorize the release of any medical or other information necessary",
            ),
            (RIGHT, "13. INSURED'S OR AUTHORIZED PERSON'S SIGNATURE  I authorize payment of medical"),
        ),
    ),
    *_band(
        31,
        2,
        (
            (LEFT, "14. DATE OF CURRENT ILLNESS, INJURY, or PREGNANCY (LMP)"),
            (MIDDLE, "15. OTHER DATE"),
            (RIGHT, "16. DATES PATIENT UNABLE TO WORK IN CURRENT OCCUPATION"),
        ),
    ),
    *_band(33, 2, ((LEFT, "17. NAME OF REFERRING PROVIDER OR OTHER SOURCE"),), end=MIDDLE),
    Frame(Cell(MIDDLE, 33, RIGHT - MIDDLE, 1), "", shaded=True),
    Frame(Cell(MIDDLE, 34, RIGHT - MIDDLE, 1), ""),
    *_band(33, 2, ((RIGHT, "18. HOSPITALIZATION DATES RELATED TO CURRENT SERVICES"),)),
    *_band(35, 2, ((LEFT, "19. ADDITIONAL CLAIM INFORMATION (Designated by NUCC)"), (RIGHT, "20. OUTSIDE LAB?"))),
    Frame(
        Cell(LEFT, 37, RIGHT - LEFT, 4),
        "21. DIAGNOSIS OR NATURE OF ILLNESS OR INJURY  Relate A-L to service line below (24E)",
    ),
    *_band(37, 2, ((RIGHT, "22. RESUBMISSION CODE"), (63.5, "ORIGINAL REF. NO."))),
    *_band(39, 2, ((RIGHT, "23. PRIOR AUTHORIZATION NUMBER"),)),
    *_line_frames(),
    *_band(
        55,
        2,
        (
            (LEFT, "25. FEDERAL TAX I.D. NUMBER"),
            (23.5, "26. PATIENT'S ACCOUNT NO."),
            (38.5, "27. ACCEPT ASSIGNMENT?"),
            (RIGHT, "28. TOTAL CHARGE"),
            (63.5, "29. AMOUNT PAID"),
            (73.5, "30. Rsvd for NUCC Use"),
        ),
    ),
    Frame(Cell(LEFT, 57, 24.5 - LEFT, 5), "31. SIGNATURE OF PHYSICIAN OR SUPPLIER"),
    *_band(57, 4, ((24.5, "32. SERVICE FACILITY LOCATION INFORMATION"), (RIGHT, "33. BILLING PROVIDER INFO & PH #"))),
    Frame(Cell(24.5, 61, 12, 1), "a."),
    Frame(Cell(36.5, 61, RIGHT - 36.5, 1), "b.", shaded=True),
    Frame(Cell(RIGHT, 61, 12, 1), "a."),
    Frame(Cell(63.5, 61, EDGE - 63.5, 1), "b.", shaded=True),
)

# the printed word of each check box, and where it sits: after the box, before it, or over it in the caption line
_CHECK_WORDS: dict[str, tuple[str, str]] = {
    "1_medicare": ("MEDICARE", "after"),
    "1_medicaid": ("MEDICAID", "after"),
    "1_tricare": ("TRICARE", "after"),
    "1_champva": ("CHAMPVA", "after"),
    "1_group": ("GROUP HEALTH PLAN", "after"),
    "1_feca": ("FECA BLK LUNG", "after"),
    "1_other": ("OTHER", "after"),
    "3_male": ("M", "before"),
    "3_female": ("F", "before"),
    "6_self": ("Self", "before"),
    "6_spouse": ("Spouse", "before"),
    "6_child": ("Child", "before"),
    "6_other": ("Other", "before"),
    "11a_male": ("M", "before"),
    "11a_female": ("F", "before"),
    "25_ssn": ("SSN", "over"),
    "25_ein": ("EIN", "over"),
    **{
        f"{box}_{answer}": (answer.upper(), "after")
        for box in ("10a", "10b", "10c", "11d", "20", "27")
        for answer in ("yes", "no")
    },
}

_BOX_24_HEADER = (
    Label(3, 41, "24. A.           DATE(S) OF SERVICE"),
    Label(3.5, 42, "From   MM  DD  YY"),
    Label(12.5, 42, "To   MM  DD  YY"),
    Label(21, 41, "B."),
    Label(20.8, 42, "POS", size=5),
    Label(24, 41, "C."),
    Label(23.7, 42, "EMG", size=5),
    Label(27, 41, "D. PROCEDURES, SERVICES, OR SUPPLIES"),
    Label(27, 42, "CPT/HCPCS"),
    Label(36, 42, "MODIFIER"),
    Label(47, 41, "E."),
    Label(47, 41.5, "DIAGNOSIS", size=5),
    Label(47.3, 42, "POINTER", size=5),
    Label(52, 41, "F."),
    Label(52.5, 42, "$ CHARGES"),
    Label(60.8, 41, "G. DAYS"),
    Label(60.8, 42, "OR UNITS"),
    Label(64.5, 41, "H."),
    Label(64.4, 41.6, "EPSDT", size=4),
    Label(64.4, 42, "Family", size=4),
    Label(67.2, 41, "I."),
    Label(67.1, 41.6, "ID.", size=4),
    Label(67.1, 42, "QUAL.", size=4),
    Label(70, 41, "J. RENDERING"),
    Label(70, 42, "PROVIDER ID. #"),
)


def _labels() -> list[Label]:
    labels = [
        Label(3, 6, "HEALTH INSURANCE CLAIM FORM", size=11, bold=True),
        Label(3, 4.6, "APPROVED BY NATIONAL UNIFORM CLAIM COMMITTEE (NUCC) 02/12"),
        Label(3, 27, "READ BACK OF FORM BEFORE COMPLETING & SIGNING THIS FORM.", size=6, bold=True),
        Label(
            2.7,
            28.05,
            "to process this claim. I also request payment of government benefits either to myself or to the party who "
            "accepts assignment below.",
            size=4.5,
        ),
        Label(51.7, 28.05, "benefits to the undersigned physician or supplier for services described below.", size=4.5),
        Label(3, 29, "SIGNED"),
        Label(34, 29, "DATE"),
        Label(52.5, 29, "SIGNED"),
        Label(14.5, 32, "QUAL."),
        Label(32.3, 31.05, "QUAL.", size=4.5),
        Label(39.3, 31.05, "MM  DD  YY", size=4.5),
        *(Label(col, row, word) for row in (32, 34) for col, word in ((52.3, "FROM"), (66.5, "TO"))),
        Label(31.7, 33, "17a.", size=4.5),
        Label(31.7, 34, "17b.", size=4.5),
        Label(33.2, 34, "NPI", size=4.5),
        Label(63, 35, "$ CHARGES"),
        Label(39.5, 37, "ICD Ind."),
        Label(3, 61, "DATE"),
        *_BOX_24_HEADER,
        *(Label(col, row, "(") for col, row in ((16.4, 16), (66.4, 16), (67.4, 57))),
        *(Label(col, row, ")") for col, row in ((20.1, 16), (70.1, 16), (71.1, 57))),
        Label(62, 26, "If yes, complete items 9, 9a, and 9d.", size=5),
        Label(3, 63, "NUCC Instruction Manual available at: www.nucc.org      PLEASE PRINT OR TYPE", size=6),
        Label(56, 63, "APPROVED OMB-0938-1197 FORM 1500 (02-12)", size=6, bold=True),
    ]
    for name, (word, where) in _CHECK_WORDS.items():
        cell = FIELDS[name]
        size = 4.5 if name.startswith("1_") else 5.0
        if where == "after":
            labels.append(Label(cell.col + 1.3, cell.row, word, size=size))
        elif where == "before":
            labels.append(Label(cell.col - 0.45 * len(word) - 0.4, cell.row, word, size=size))
        else:
            labels.append(Label(cell.col - 0.3, cell.row - 1, word, size=size))
    for i, letter in enumerate("ABCDEFGHIJKL"):
        labels.append(Label(DIAGNOSIS_COLUMNS[i % 4], DIAGNOSIS_FIRST_ROW + i // 4, f"{letter}.", size=7))
    for n in range(6):
        labels.append(Label(1.2, 44 + LINE_PITCH_ROWS * n, str(n + 1), size=8, bold=True))
        labels.append(Label(67.3, 44 + LINE_PITCH_ROWS * n, "NPI", size=5))
    return labels


LABELS: tuple[Label, ...] = tuple(_labels())
