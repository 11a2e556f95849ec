"""Renders an appeal letter as a letter-size PDF (fpdf2, core fonts): the practice's letterhead, the date, the payer's
appeals address, the RE: block that identifies the claim (patient, member ID, our claim number and the payer's, dates
of service, billed amount, the denial in words), the argument, the enclosures and the signature block.

The layout follows the usual business letter a payer's appeals unit expects; the RE: block carries what the payer
needs to find the claim without opening the enclosures (CMS-20027 asks the same for a Medicare redetermination).
"""

from __future__ import annotations

from datetime import UTC, datetime

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from medbill.domain.appeals import AppealLetter, level_name
from medbill.formats.pdf.statement import day, money, printable

FONT = "Helvetica"
MARGIN_PT = 50.0
WIDTH_PT = 612.0 - 2 * MARGIN_PT
LABEL_PT = 118.0  # the RE: block's label column
SIZE_PT = 9.5
LEADING_PT = 12.0


class _LetterPdf(FPDF):
    """The page footer: the claim number and "page n of N" on every page, so loose pages find their letter."""

    claim_number = ""

    def footer(self) -> None:
        self.set_y(-36)
        self.set_font(FONT, size=7.5)
        self.set_text_color(90, 90, 90)
        self.cell(0, 10, printable(f"Appeal of claim {self.claim_number}"), align="L")
        self.set_x(MARGIN_PT)
        self.cell(0, 10, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0, 0, 0)


def render_appeal_letter(letter: AppealLetter) -> bytes:
    """The letter as PDF bytes: a function of the letter alone (the creation date is the letter's date)."""
    pdf = _LetterPdf(orientation="portrait", unit="pt", format="letter")
    pdf.claim_number = letter.claim_number
    pdf.set_margins(MARGIN_PT, MARGIN_PT, MARGIN_PT)
    pdf.set_auto_page_break(True, margin=MARGIN_PT)
    pdf.alias_nb_pages()
    pdf.set_title(printable(letter.subject))
    pdf.set_creator("medbill")
    when = letter.letter_date
    pdf.set_creation_date(datetime(when.year, when.month, when.day, tzinfo=UTC))
    pdf.add_page()
    _letterhead(pdf, letter)
    _addressee(pdf, letter)
    _regarding(pdf, letter)
    _body(pdf, letter)
    _enclosures(pdf, letter)
    return bytes(pdf.output())


def phone(number: str) -> str:
    """A US number the way people write it: (217) 555-0100; anything else as stored."""
    digits = "".join(ch for ch in number if ch.isdigit())
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}" if len(digits) == 10 else number


def _line(pdf: FPDF, text: str, *, size: float = SIZE_PT, style: str = "", height: float = LEADING_PT) -> None:
    pdf.set_font(FONT, style=style, size=size)
    pdf.cell(WIDTH_PT, height, printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _paragraph(pdf: FPDF, text: str, *, gap: float = 6) -> None:
    pdf.set_font(FONT, size=SIZE_PT)
    pdf.multi_cell(WIDTH_PT, LEADING_PT, printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(gap)


def _letterhead(pdf: FPDF, letter: AppealLetter) -> None:
    _line(pdf, letter.practice_name, size=15, style="B", height=19)
    pdf.set_text_color(60, 60, 60)
    for address_line in letter.practice_address:
        _line(pdf, address_line, size=9, height=11)
    ids = [
        f"Phone {phone(letter.practice_phone)}" if letter.practice_phone else "",
        f"NPI {letter.practice_npi}" if letter.practice_npi else "",
        f"TIN {letter.practice_tin}" if letter.practice_tin else "",
    ]
    if any(ids):
        _line(pdf, "   ".join(x for x in ids if x), size=9, height=11)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(4)
    pdf.set_line_width(0.8)
    pdf.line(MARGIN_PT, pdf.get_y(), MARGIN_PT + WIDTH_PT, pdf.get_y())
    pdf.ln(10)
    _line(pdf, letter.letter_date.strftime("%B %d, %Y").replace(" 0", " "))
    pdf.ln(8)


def _addressee(pdf: FPDF, letter: AppealLetter) -> None:
    _line(pdf, f"{letter.payer_name}")
    _line(pdf, "Attn: Appeals / Provider Disputes")
    if letter.payer_address:
        for address_line in letter.payer_address:
            _line(pdf, address_line)
    else:
        _line(pdf, "(appeals address from the payer's remittance advice)")
    pdf.ln(10)


def _regarding(pdf: FPDF, letter: AppealLetter) -> None:
    rows: list[tuple[str, str]] = [
        ("RE:", level_name(letter.level)),
        ("Patient", letter.patient_name),
    ]
    if letter.patient_birth_date is not None:
        rows.append(("Date of birth", day(letter.patient_birth_date)))
    rows += [
        ("Member ID", letter.member_id),
        ("Claim number", letter.claim_number),
        ("Payer claim number", letter.payer_claim_number or "not assigned"),
        ("Date(s) of service", letter.dates_of_service),
        ("Billed amount", money(letter.billed_cents)),
        ("Denial", letter.denial),
    ]
    if letter.provider_name:
        npi = f" (NPI {letter.provider_npi})" if letter.provider_npi else ""
        rows.append(("Provider", f"{letter.provider_name}{npi}"))
    if letter.payer_identifier:
        rows.append(("Payer ID", letter.payer_identifier))
    for label, value in rows:
        pdf.set_font(FONT, style="B", size=SIZE_PT)
        pdf.cell(LABEL_PT, LEADING_PT, printable(label))
        pdf.set_font(FONT, size=SIZE_PT)
        pdf.multi_cell(WIDTH_PT - LABEL_PT, LEADING_PT, printable(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(10)


def _body(pdf: FPDF, letter: AppealLetter) -> None:
    _paragraph(pdf, "Dear Appeals Reviewer:")
    who = f" on behalf of {letter.provider_name}" if letter.provider_name else ""
    _paragraph(
        pdf,
        f"We are writing{who} to request a {level_name(letter.level).lower()} of the claim identified above, "
        f"which was denied: {letter.denial.rstrip('. ')}.",
    )
    for paragraph in letter.argument:
        _paragraph(pdf, paragraph)
    contact = f" at {phone(letter.practice_phone)}" if letter.practice_phone else ""
    _paragraph(pdf, f"If you need anything further to decide this appeal, please contact our billing office{contact}.")
    _line(pdf, "Sincerely,")
    pdf.ln(24)  # room to sign
    _line(pdf, letter.signer_name, style="B")
    _line(pdf, letter.signer_title)
    _line(pdf, letter.practice_name)


def _enclosures(pdf: FPDF, letter: AppealLetter) -> None:
    if not letter.enclosures:
        return
    pdf.ln(10)
    _line(pdf, f"Enclosures ({len(letter.enclosures)}):", style="B")
    for number, name in enumerate(letter.enclosures, start=1):
        pdf.set_font(FONT, size=SIZE_PT)
        pdf.cell(20, LEADING_PT, f"{number}.")
        pdf.multi_cell(WIDTH_PT - 20, LEADING_PT, printable(name), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
