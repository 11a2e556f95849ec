"""Renders a good-faith estimate (uninsured or self-pay, No Surprises Act) or an insured patient's cost estimate as a
letter-size PDF (fpdf2, core fonts), following the elements and disclaimers of the CMS standard form
("Good Faith Estimate for Health Care Items and Services", 45 CFR 149.610(c)): patient, the primary service and its
date, each provider or facility with NPI, TIN and location, the itemized services with codes and expected charges,
the diagnoses if known, and the disclaimers with the patient-provider dispute right ($400 or more above the estimate).
"""

from __future__ import annotations

from datetime import UTC, datetime

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from medbill.domain.good_faith import DISPUTE_THRESHOLD_CENTS, EstimateItem, GoodFaithEstimate
from medbill.formats.pdf.statement import day, money, printable

FONT = "Helvetica"
MARGIN_PT = 42.0
WIDTH_PT = 612.0 - 2 * MARGIN_PT
HELP = "www.cms.gov/nosurprises or call 1-800-985-3059"

RIGHT_TO_ESTIMATE = (
    'You are entitled to receive this "Good Faith Estimate" of what the charges could be for medical care. Under '
    "the law, health care providers need to give patients who don't have certain types of health care coverage or who "
    "are not using certain types of health care coverage an estimate of their bill for health care items and services "
    "before those items or services are provided."
)
DISCLAIMERS = (
    "This Good Faith Estimate shows the costs of items and services that are reasonably expected for your health care "
    "needs for an item or service. The estimate is based on information known at the time the estimate was created.",
    "The Good Faith Estimate does not include any unknown or unexpected costs that may arise during treatment. You "
    "could be charged more if complications or special circumstances occur. There may be additional items or services "
    "your provider recommends as part of your care that must be scheduled or requested separately and are not "
    "reflected in this Good Faith Estimate.",
    "This Good Faith Estimate is not a contract and does not require you to obtain the items or services from any of "
    "the providers or facilities listed.",
)
DISPUTE = (
    "If you are billed for more than this Good Faith Estimate, you have the right to dispute the bill. If the billed "
    "charges from any provider or facility listed are $400 or more above its expected charges on this estimate, you "
    "may start the patient-provider dispute resolution process with the U.S. Department of Health and Human Services "
    "(HHS). You may also contact the provider or facility to let them know the billed charges are higher than the "
    "Good Faith Estimate, ask them to update the bill to match it, ask to negotiate the bill, or ask if there is "
    "financial assistance available. If you choose the dispute resolution process, you must start it within 120 "
    "calendar days (about 4 months) of the date on the original bill. There is a $25 fee to use the dispute process. "
    "If the agency reviewing your dispute agrees with you, you will have to pay the price on this Good Faith Estimate. "
    "If the agency disagrees with you and agrees with the provider or facility, you will have to pay the higher "
    f"amount. To learn more and get a form to start the process, go to {HELP}."
)
KEEP = (
    "For questions or more information about your right to a Good Faith Estimate or the dispute process, visit "
    f"{HELP}. Keep a copy of this Good Faith Estimate in a safe place or take pictures of it. You may need it if you "
    "are billed a higher amount."
)
INSURED = (
    "This estimate follows the benefits your plan reported for the date it was prepared (deductible and out-of-pocket "
    "amounts remaining, coinsurance, copay). What you owe is set when your plan processes the claim; it may differ if "
    "other claims are processed first, if the services change, or if your plan's answer was incomplete."
)


def render_good_faith_estimate(gfe: GoodFaithEstimate) -> bytes:
    """The estimate as PDF bytes: a function of the estimate alone (the creation date is the issue date)."""
    pdf = FPDF(orientation="portrait", unit="pt", format="letter")
    pdf.set_margins(MARGIN_PT, MARGIN_PT, MARGIN_PT)
    pdf.set_auto_page_break(True, margin=MARGIN_PT)
    title = "Good Faith Estimate" if gfe.self_pay else "Patient Cost Estimate"
    pdf.set_title(f"{title} {printable(gfe.number)}")
    pdf.set_creator("medbill")
    pdf.set_creation_date(datetime(gfe.issued.year, gfe.issued.month, gfe.issued.day, tzinfo=UTC))
    pdf.add_page()
    _heading(pdf, gfe, title)
    _parties(pdf, gfe)
    _items(pdf, gfe)
    _closing(pdf, gfe)
    return bytes(pdf.output())


def _text(pdf: FPDF, text: str, *, size: float = 9, style: str = "", gap: float = 4) -> None:
    pdf.set_font(FONT, style=style, size=size)
    pdf.multi_cell(WIDTH_PT, size + 2.5, printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(gap)


def _section(pdf: FPDF, title: str) -> None:
    pdf.ln(4)
    pdf.set_font(FONT, style="B", size=10.5)
    pdf.cell(WIDTH_PT, 14, printable(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_line_width(0.5)
    pdf.line(MARGIN_PT, pdf.get_y(), MARGIN_PT + WIDTH_PT, pdf.get_y())
    pdf.ln(4)


def _heading(pdf: FPDF, gfe: GoodFaithEstimate, title: str) -> None:
    pdf.set_font(FONT, style="B", size=16)
    pdf.cell(WIDTH_PT, 20, title.upper(), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _text(pdf, f"Estimate {gfe.number} - issued {day(gfe.issued)}", size=9)
    if gfe.self_pay:
        _text(pdf, RIGHT_TO_ESTIMATE, size=9)
    else:
        _text(pdf, f"Estimated with the benefits of {gfe.payer_name or 'your plan'}.", size=9)
    _section(pdf, "Patient")
    lines = [
        f"Name: {gfe.patient_name}",
        f"Date of birth: {day(gfe.patient_birth_date)}",
        *(f"{'Address: ' if i == 0 else '         '}{line}" for i, line in enumerate(gfe.patient_address_lines)),
    ]
    _text(pdf, "\n".join(lines), gap=2)
    _section(pdf, "Primary service")
    when = f", scheduled for {day(gfe.scheduled)}" if gfe.scheduled else ""
    _text(pdf, f"{gfe.primary_service}{when}", gap=2)
    if gfe.diagnoses:
        _text(pdf, "Diagnosis: " + "; ".join(f"{code} {title}" for code, title in gfe.diagnoses), gap=2)
    else:
        _text(pdf, "Diagnosis: not known when this estimate was prepared.", gap=2)


def _parties(pdf: FPDF, gfe: GoodFaithEstimate) -> None:
    _section(pdf, "Providers and facilities")
    for p in gfe.parties:
        ids = "   ".join(x for x in (f"NPI {p.npi}" if p.npi else "", f"TIN {p.tin}" if p.tin else "") if x)
        where = ", ".join(p.address_lines)
        _text(pdf, f"{p.role}: {p.name}" + (f"   {ids}" if ids else "") + (f"\nLocation: {where}" if where else ""))


def _columns(gfe: GoodFaithEstimate) -> list[tuple[str, float, str]]:
    """(heading, width, align) of the item table."""
    amounts = [("Expected charge", 80.0, "R")]
    if not gfe.self_pay:
        amounts += [("Plan pays", 66.0, "R"), ("You pay", 66.0, "R")]
    fixed = 58.0 + 30.0 + sum(w for _, w, _ in amounts)
    return [("Code", 58.0, "L"), ("Service and provider", WIDTH_PT - fixed, "L"), ("Units", 30.0, "R"), *amounts]


def _row(gfe: GoodFaithEstimate, item: EstimateItem) -> list[str]:
    code = item.code + "".join(f"-{m}" for m in item.modifiers)
    cells = [code, f"{item.description} ({item.provider})", str(item.units), money(item.charge_cents)]
    if not gfe.self_pay:
        cells += [money(item.insurance_cents or 0), money(item.patient_cents)]
    return cells


def _items(pdf: FPDF, gfe: GoodFaithEstimate) -> None:
    _section(pdf, "Items and services expected")
    columns = _columns(gfe)
    pdf.set_font(FONT, style="B", size=8.5)
    for heading, width, align in columns:
        pdf.cell(width, 13, heading, align=align)
    pdf.ln(13)
    pdf.set_font(FONT, size=8.5)
    for item in gfe.items:
        for (_, width, align), value in zip(columns, _row(gfe, item), strict=True):
            shown = printable(value)
            while pdf.get_string_width(shown) > width - 4 and len(shown) > 4:
                shown = shown[:-4] + "..."
            pdf.cell(width, 12, shown, align=align)
        pdf.ln(12)
    pdf.set_line_width(0.4)
    pdf.line(MARGIN_PT, pdf.get_y() + 1, MARGIN_PT + WIDTH_PT, pdf.get_y() + 1)
    pdf.ln(4)
    pdf.set_font(FONT, style="B", size=9)
    total_label = "Total expected charges" if gfe.self_pay else "Total expected charges / your expected share"
    pdf.cell(WIDTH_PT - 80, 13, total_label)
    value = money(gfe.total_charges_cents) if gfe.self_pay else money(gfe.patient_total_cents)
    pdf.cell(80, 13, value, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if not gfe.self_pay and (gfe.prior_balance_cents or gfe.credits_cents):
        pdf.set_font(FONT, size=9)
        extra = f"Earlier unpaid balance {money(gfe.prior_balance_cents)}; credit on account {money(gfe.credits_cents)}"
        pdf.cell(WIDTH_PT, 13, printable(extra), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _closing(pdf: FPDF, gfe: GoodFaithEstimate) -> None:
    _section(pdf, "Disclaimer")
    if not gfe.self_pay:
        _text(pdf, INSURED)
    for paragraph in DISCLAIMERS:
        _text(pdf, paragraph)
    if gfe.self_pay:
        _section(pdf, "What if I am billed more than this Good Faith Estimate?")
        threshold = money(DISPUTE_THRESHOLD_CENTS)
        _text(pdf, DISPUTE)
        _text(
            pdf,
            f"For this estimate: a bill of {money(gfe.dispute_above_cents)} or more in all (at least {threshold} "
            "above the expected charges) may be disputed.",
            style="B",
        )
        _text(pdf, KEEP)
    for note in gfe.notes:
        _text(pdf, note, size=8)
