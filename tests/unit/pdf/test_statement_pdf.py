"""Patient statement PDF and email: the amounts, visits, reasons and coupon read back; pagination; escaping."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from medbill.domain.statements import (
    Aging,
    Owed,
    Statement,
    StatementLine,
    StatementParty,
    StatementVisit,
)
from medbill.formats.pdf.statement import BODY_BOTTOM_PT, COUPON_TOP_PT, PAGE_WIDTH_PT, render_statement
from medbill.formats.statement_email import statement_html, statement_text
from tests.unit.pdf.reading import opened

STATEMENT_DATE = date(2026, 4, 15)


def office_visit(on: date = date(2026, 3, 2), **changes: object) -> StatementVisit:
    """$200.00 charged; insurance paid $100.00 and adjusted $47.65; the patient owes $52.35."""
    base = StatementVisit(
        date_of_service=on,
        patient_name="Alex Testperson",
        provider_name="Robin Example, MD",
        lines=(
            StatementLine(procedure_code="99213", description="Office visit", charge_cents=15_000),
            StatementLine(procedure_code="36415", description="Blood draw", charge_cents=5_000),
        ),
        charges_cents=20_000,
        insurance_paid_cents=10_000,
        insurance_adjusted_cents=4_765,
        owed=Owed(deductible_cents=4_000, coinsurance_cents=1_235),
        patient_balance_cents=5_235,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def injection_visit() -> StatementVisit:
    """$1,500.00 charged; not covered: the patient owes $1,250.00 after a $250.00 adjustment."""
    return StatementVisit(
        date_of_service=date(2026, 3, 9),
        patient_name="Jamie Testperson",
        provider_name="Sam Sample, DO",
        lines=(StatementLine(procedure_code="20610", description="Joint injection", charge_cents=150_000),),
        charges_cents=150_000,
        insurance_adjusted_cents=25_000,
        owed=Owed(non_covered_cents=125_000),
        patient_balance_cents=125_000,
    )


def pending_visit() -> StatementVisit:
    """A copay collected at check-in; the rest still with insurance."""
    return StatementVisit(
        date_of_service=date(2026, 4, 1),
        patient_name="Alex Testperson",
        provider_name="Robin Example, MD",
        lines=(StatementLine(procedure_code="99214", description="Office visit", charge_cents=22_500),),
        charges_cents=22_500,
        insurance_pending_cents=20_000,
        owed=Owed(copay_cents=2_500),
        patient_paid_cents=2_500,
        patient_balance_cents=0,
    )


def party(name: str, *lines: str, phone: str = "") -> StatementParty:
    return StatementParty(name=name, address_lines=lines, phone=phone)


def sample(**changes: object) -> Statement:
    """Two owing visits and one pending: balances $1,302.35, credits $20.00, amount due $1,282.35."""
    base = Statement(
        statement_number="S-0042",
        account_number="A-1001",
        statement_date=STATEMENT_DATE,
        due_date=date(2026, 5, 6),
        practice=party("Example Medical Group", "100 Main Street", "Springfield IL 62704", phone="(217) 555-0100"),
        remit_to=party("Example Medical Group", "PO Box 99", "Springfield IL 62701"),
        guarantor=party("Alex Testperson", "1 Sample Way", "Springfield IL 62704"),
        visits=(office_visit(), injection_visit(), pending_visit()),
        credits_cents=2_000,
        aging=Aging(current_cents=125_000, days_31_60_cents=5_235),
        amount_due_cents=128_235,
        message="Your account is past due. Please pay the amount due today.",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def text_of(page: Any, top: float = 0, bottom: float | None = None, *, x0: float = 0, x1: float = PAGE_WIDTH_PT) -> str:
    """The text pdfplumber reads inside a rectangle of the page, line by line."""
    region = page.within_bbox((x0, top, x1, bottom if bottom is not None else page.height))
    return str(region.extract_text())


def many_visits(count: int) -> Statement:
    visits = tuple(office_visit(date(2025, 11, 1) + timedelta(days=i)) for i in range(count))
    return sample(
        visits=visits,
        credits_cents=0,
        aging=Aging(over_120_cents=5_235 * count),
        amount_due_cents=5_235 * count,
    )


def test_the_first_page_shows_the_practice_the_account_the_guarantor_and_the_amount_due() -> None:
    with opened(render_statement(sample())) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        practice = text_of(page, 0, 100, x1=300).splitlines()
        facts = text_of(page, 0, 150, x0=370).splitlines()
        window = text_of(page, 140, 210, x0=60, x1=320).splitlines()
    assert practice == ["Example Medical Group", "100 Main Street", "Springfield IL 62704", "(217) 555-0100"]
    assert facts == [
        "PATIENT STATEMENT",
        "Statement date 04/15/2026",
        "Statement number S-0042",
        "Account number A-1001",
        "Amount due $1,282.35",
        "Due date 05/06/2026",
        "Page 1 of 1",
    ]
    assert window == ["Alex Testperson", "1 Sample Way", "Springfield IL 62704"]


def test_each_visit_prints_its_date_lines_what_insurance_did_and_why_the_patient_owes() -> None:
    with opened(render_statement(sample())) as pdf:
        lines = text_of(pdf.pages[0], 0, COUPON_TOP_PT).splitlines()
    assert "03/02/2026 Patient: Alex Testperson Provider: Robin Example, MD" in lines
    assert "99213 Office visit $150.00" in lines
    assert "36415 Blood draw $50.00" in lines
    assert "Visit total $200.00 $100.00 $47.65 $0.00 $0.00 $52.35" in lines
    assert "Your share: Deductible $40.00, Coinsurance $12.35." in lines
    assert "03/09/2026 Patient: Jamie Testperson Provider: Sam Sample, DO" in lines
    assert "Visit total $1,500.00 $0.00 $250.00 $0.00 $0.00 $1,250.00" in lines
    assert "Your share: Not covered $1,250.00." in lines
    assert "Visit total $225.00 $0.00 $0.00 $200.00 $25.00 $0.00" in lines
    assert "Your share: Copay $25.00. Still with your insurance, not yet due: $200.00." in lines


def test_the_totals_show_aging_credits_pending_amount_due_due_date_and_the_dunning_message() -> None:
    with opened(render_statement(sample())) as pdf:
        left = text_of(pdf.pages[0], 0, COUPON_TOP_PT, x1=360).splitlines()
        right = text_of(pdf.pages[0], 0, COUPON_TOP_PT, x0=360).splitlines()
    aging = left.index("Account aging (days since you became responsible)")
    assert left[aging + 1 : aging + 5] == [
        "Current 31-60 61-90 91-120 Over 120 Total",
        "$1,250.00 $52.35 $0.00 $0.00 $0.00 $1,302.35",
        "Your account is past due. Please pay the amount due today.",
        "Questions about this statement? Call (217) 555-0100.",
    ]
    assert right[-5:] == [
        "Your visit balances $1,302.35",
        "Unapplied credits -$20.00",
        "Insurance pending (not due) $200.00",
        "Amount due $1,282.35",
        "Please pay by 05/06/2026",
    ]


def test_the_coupon_below_the_perforation_carries_what_the_payment_needs() -> None:
    with opened(render_statement(sample())) as pdf:
        coupon = text_of(pdf.pages[0], COUPON_TOP_PT).splitlines()
    assert coupon[0] == "Please detach and return this portion with your payment."
    for expected in (
        "Account number A-1001",
        "Statement date 04/15/2026",
        "Statement number S-0042",
        "Due date 05/06/2026",
        "Amount due $1,282.35",
        "Amount enclosed $",
    ):
        assert any(line.endswith(expected) for line in coupon), expected
    assert coupon[-3:] == ["Example Medical Group", "PO Box 99", "Springfield IL 62701"]


def test_forty_visits_paginate_each_visit_once_and_the_coupon_only_on_the_last_page() -> None:
    statement = many_visits(40)
    with opened(render_statement(statement)) as pdf:
        pages = pdf.pages
        count = len(pages)
        texts = [text_of(page) for page in pages]
        lowest = max(c["bottom"] for page in pages[:-1] for c in page.chars)
        last = pages[-1]
        totals_bottom = max(c["bottom"] for c in last.chars if c["top"] < COUPON_TOP_PT)
    assert count == 5
    assert [f"Page {n} of {count}" in text for n, text in enumerate(texts, start=1)] == [True] * count
    for i in range(40):
        day = (date(2025, 11, 1) + timedelta(days=i)).strftime("%m/%d/%Y")
        assert sum(text.count(f"{day} Patient:") for text in texts) == 1, day
    assert sum(text.count("Your share: Deductible $40.00, Coinsurance $12.35.") for text in texts) == 40
    assert ["Amount enclosed" in text for text in texts] == [False] * (count - 1) + [True]
    assert "Amount due $2,094.00" in texts[-1]
    assert lowest <= BODY_BOTTOM_PT
    assert totals_bottom < COUPON_TOP_PT


def test_a_visit_longer_than_a_page_continues_on_the_next_with_its_heading() -> None:
    lines = tuple(
        StatementLine(procedure_code=f"8{n:04d}", description=f"Lab test {n}", charge_cents=1_000) for n in range(80)
    )
    long_visit = office_visit(
        lines=lines,
        charges_cents=80_000,
        insurance_paid_cents=60_000,
        insurance_adjusted_cents=14_765,
    )
    statement = sample(visits=(long_visit,), credits_cents=0, aging=Aging(current_cents=5_235), amount_due_cents=5_235)
    with opened(render_statement(statement)) as pdf:
        texts = [text_of(page) for page in pdf.pages]
    joined = "\n".join(texts)
    assert len(texts) == 3  # lines 1-45, then 46-80 with the visit total, then the totals and the coupon
    assert [sum(f"8{n:04d} Lab test {n} $10.00" in text for text in texts) for n in range(80)] == [1] * 80
    assert "03/02/2026 Patient: Alex Testperson Provider: Robin Example, MD (continued)" in texts[1]
    assert "Visit total $800.00 $600.00 $147.65 $0.00 $0.00 $52.35" in texts[1]
    assert "Amount enclosed" in texts[2]
    assert joined.count("(continued)") == 1


def test_names_outside_the_core_fonts_print_in_plain_letters() -> None:
    guarantor = party("Nguyễn Văn Zoë O’Brien", "1 Sample Way", "Springfield IL 62704")
    with opened(render_statement(sample(guarantor=guarantor))) as pdf:
        text = text_of(pdf.pages[0])
    assert "Nguyen Van Zoë O'Brien" in text


def test_the_pdf_is_a_function_of_the_statement_alone() -> None:
    assert render_statement(sample()) == render_statement(sample())


def test_the_text_email_carries_the_statement_without_the_coupon() -> None:
    text = statement_text(sample())
    lines = text.splitlines()
    assert "Amount due: $1,282.35" in lines
    assert "Due date: 05/06/2026" in lines
    assert "03/02/2026  Patient: Alex Testperson    Provider: Robin Example, MD" in lines
    assert "  Your share: Deductible $40.00, Coinsurance $12.35." in lines
    assert "  Your share: Not covered $1,250.00." in lines
    assert (
        "  Charges $200.00 | Insurance paid $100.00 | Insurance adjusted $47.65 | Insurance pending $0.00"
        " | You paid $0.00 | Your balance $52.35"
    ) in lines
    assert (
        "Account aging: Current $1,250.00 | 31-60 days $52.35 | 61-90 days $0.00 | 91-120 days $0.00"
        " | Over 120 days $0.00 | Total $1,302.35"
    ) in lines
    assert "Unapplied credits: -$20.00" in lines
    assert "Your account is past due. Please pay the amount due today." in lines
    assert "Amount enclosed" not in text


def test_the_html_email_escapes_every_value() -> None:
    hostile = "O'Brien <b>"
    visit = replace(office_visit(), patient_name=hostile, provider_name="Lee & <i>Sons</i>")
    statement = sample(
        guarantor=party(hostile, "1 <Sample> Way", "Springfield IL 62704"),
        practice=party("Example & Co <script>", "100 Main Street", phone='555 "0100"'),
        visits=(visit, injection_visit(), pending_visit()),
        message="Pay <now>",
    )
    html = statement_html(statement)
    for raw in ("<b>", "<i>", "<script>", "<Sample>", "<now>", "O'Brien", '"0100"'):
        assert raw not in html
    assert "O&#x27;Brien &lt;b&gt;" in html
    assert "Lee &amp; &lt;i&gt;Sons&lt;/i&gt;" in html
    assert "Example &amp; Co &lt;script&gt;" in html
    assert "Pay &lt;now&gt;" in html
    assert "$1,282.35" in html
    assert "Amount enclosed" not in html
    assert "O'Brien <b>" in statement_text(statement)


def test_the_pdf_prints_markup_in_a_name_as_plain_text() -> None:
    statement = sample(guarantor=party("O'Brien <b>", "1 Sample Way", "Springfield IL 62704"))
    with opened(render_statement(statement)) as pdf:
        assert "O'Brien <b>" in text_of(pdf.pages[0])
