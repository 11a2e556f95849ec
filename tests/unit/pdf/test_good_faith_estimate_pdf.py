"""The good-faith estimate PDF read back: patient, providers with NPI and TIN, coded items with expected charges,
the diagnosis, the CMS disclaimers and the $400 dispute right; the insured variant shows what the plan pays."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from medbill.domain.good_faith import EstimateItem, EstimateParty, GoodFaithEstimate
from medbill.formats.pdf.good_faith_estimate import render_good_faith_estimate
from tests.unit.pdf.reading import opened

GFE = GoodFaithEstimate(
    number="A1B2C3D4E5F6",
    issued=date(2026, 11, 26),
    patient_name="Testperson, Alex",
    patient_birth_date=date(1980, 1, 2),
    patient_address_lines=("12 Maple St", "Springfield, IL 62701"),
    primary_service="Office visit with Okafor, Ruth",
    scheduled=date(2026, 11, 30),
    parties=(
        EstimateParty(
            role="Rendering provider",
            name="Okafor, Ruth",
            npi="1245319599",
            tin="471234567",
            address_lines=("1 Main St", "Springfield, IL 62701"),
        ),
    ),
    items=(
        EstimateItem(
            code="99213",
            description="Office visit, established patient",
            provider="Okafor, Ruth",
            charge_cents=14000,
            patient_cents=14000,
        ),
        EstimateItem(
            code="93000",
            units=2,
            description="Electrocardiogram (ECG) with report",
            provider="Okafor, Ruth",
            charge_cents=11000,
            patient_cents=11000,
        ),
    ),
    diagnoses=(("I10", "Essential (primary) hypertension"),),
)


def text_of(pdf: bytes) -> str:
    with opened(pdf) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def test_the_self_pay_estimate_names_everything_the_rule_asks_for() -> None:
    text = text_of(render_good_faith_estimate(GFE))
    for expected in (
        "GOOD FAITH ESTIMATE",
        "Estimate A1B2C3D4E5F6 - issued 11/26/2026",
        "Name: Testperson, Alex",
        "Date of birth: 01/02/1980",
        "Office visit with Okafor, Ruth, scheduled for 11/30/2026",
        "Diagnosis: I10 Essential (primary) hypertension",
        "Rendering provider: Okafor, Ruth NPI 1245319599 TIN 471234567",
        "99213 Office visit, established patient (Okafor, Ruth) 1 $140.00",
        "93000 Electrocardiogram (ECG) with report (Okafor, Ruth) 2 $110.00",
        "Total expected charges $250.00",
        "not a contract",
        "$400 or more above its expected charges",
        "a bill of $650.00 or more in all",
        "www.cms.gov/nosurprises",
        "1-800-985-3059",
        "within 120",
    ):
        assert expected in " ".join(text.split()), expected


def test_the_insured_estimate_shows_the_plan_and_the_patient_share_without_the_dispute_section() -> None:
    insured = replace(
        GFE,
        self_pay=False,
        payer_name="Acme Health",
        items=(replace(GFE.items[0], insurance_cents=9500, patient_cents=2500),),
        diagnoses=(),
    )
    text = " ".join(text_of(render_good_faith_estimate(insured)).split())
    assert "PATIENT COST ESTIMATE" in text and "Estimated with the benefits of Acme Health." in text
    assert "99213 Office visit, established patient (Okafor, Ruth) 1 $140.00 $95.00 $25.00" in text
    assert "your expected share $25.00" in text
    assert "Diagnosis: not known when this estimate was prepared." in text
    assert "dispute resolution" not in text


def test_the_same_estimate_renders_the_same_bytes() -> None:
    assert render_good_faith_estimate(GFE) == render_good_faith_estimate(GFE)
