"""The appeal letter PDF read back: letterhead, payer, the claim's numbers, the denial in words, the argument's
paragraphs, the enclosures and the signature; a long argument flows onto a second page; text outside Latin-1."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from medbill.domain.appeals import AppealLetter, default_argument, default_attachments, paragraphs_of
from medbill.formats.pdf.appeal_letter import render_appeal_letter
from tests.unit.pdf.reading import opened

DENIAL = (
    'CO-50: These are non-covered services because this is not deemed a "medical necessity" by the payer.; '
    "N115: This decision was based on a Local Coverage Determination (LCD)."
)


def letter(**changes: object) -> AppealLetter:
    base = AppealLetter(
        practice_name="Test Family Practice",
        practice_address=("1 Main St", "Springfield, IL 62701-1234"),
        practice_phone="2175550100",
        practice_npi="1234567893",
        practice_tin="471234567",
        letter_date=date(2026, 11, 26),
        payer_name="Acme Health",
        payer_address=("PO Box 4000", "Hartford, CT 06101"),
        payer_identifier="ACME1",
        patient_name="Ada Alder",
        patient_birth_date=date(1950, 3, 14),
        member_id="ACM123456789",
        claim_number="C00000018",
        payer_claim_number="2026330000123",
        service_from=date(2026, 11, 20),
        service_to=date(2026, 11, 20),
        billed_cents=15150,
        denial=DENIAL,
        argument=tuple(paragraphs_of(default_argument("medical_necessity"))),
        enclosures=default_attachments("medical_necessity"),
        signer_name="Bea Biller",
        provider_name="Ruth Okafor",
        provider_npi="1245319599",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def read(pdf: bytes) -> tuple[int, str]:
    with opened(pdf) as document:
        pages = [page.extract_text() or "" for page in document.pages]
    return len(pages), " ".join(" ".join(pages).split())


def test_the_letter_reads_back_with_every_fact_the_payer_needs() -> None:
    pages, text = read(render_appeal_letter(letter()))
    assert pages == 1
    for expected in (
        "Test Family Practice",
        "Springfield, IL 62701-1234",
        "Phone (217) 555-0100 NPI 1234567893",
        "November 26, 2026",
        "Acme Health Attn: Appeals / Provider Disputes PO Box 4000 Hartford, CT 06101",
        "RE: First-level appeal",
        "Patient Ada Alder",
        "Date of birth 03/14/1950",
        "Member ID ACM123456789",
        "Claim number C00000018",
        "Payer claim number 2026330000123",
        "Date(s) of service 11/20/2026",
        "Billed amount $151.50",
        'not deemed a "medical necessity" by the payer',
        "N115: This decision was based on a Local Coverage Determination",
        "Provider Ruth Okafor (NPI 1245319599)",
        "We are writing on behalf of Ruth Okafor to request a first-level appeal",
        "The services were medically necessary for the patient's condition",
        "Please reprocess the claim for payment under the patient's benefits.",
        "Sincerely, Bea Biller Billing office Test Family Practice",
        "Enclosures (4): 1. Copy of the claim 2. Explanation of benefits / remittance advice",
        "4. Letter of medical necessity from the treating provider",
        "Appeal of claim C00000018 Page 1 of 1",
    ):
        assert expected in text, expected


def test_a_range_of_dates_a_second_level_and_a_missing_payer_address_are_said_so() -> None:
    _, text = read(
        render_appeal_letter(
            letter(level=2, service_to=date(2026, 11, 22), payer_address=(), payer_claim_number=None, enclosures=())
        )
    )
    assert "RE: Second-level appeal" in text and "Date(s) of service 11/20/2026 - 11/22/2026" in text
    assert "(appeals address from the payer's remittance advice)" in text
    assert "Payer claim number not assigned" in text and "Enclosures" not in text


def test_a_long_argument_flows_onto_more_pages_numbered_of_the_total() -> None:
    paragraph = "The records show the patient's symptoms over six months of care. " * 12
    pages, text = read(render_appeal_letter(letter(argument=(paragraph,) * 6)))
    assert pages == 2 and "Page 1 of 2" in text and "Page 2 of 2" in text


def test_text_outside_latin_1_is_drawn_plainly_and_the_output_is_deterministic() -> None:
    made = letter(patient_name="Zoë Dvořák", argument=("It’s “necessary” — see notes…",))
    first = render_appeal_letter(made)
    assert first == render_appeal_letter(made)
    _, text = read(first)
    assert "Zoë Dvorák" in text and 'It\'s "necessary" - see notes...' in text
