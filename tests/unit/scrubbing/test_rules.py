"""Every rule: a claim that breaks it gives exactly the expected findings; the clean claim gives none."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from medbill.domain.claims import Claim, ClaimFrequency, Diagnosis, Reference
from medbill.services.scrubbing import RULES, ClaimFacts, CoveragePeriod, ScrubContext, line_signatures, scrub_batch
from tests.unit.scrubbing.builders import (
    REFERRING_NPI,
    RENDERING_NPI,
    clean_claim,
    context,
    findings,
    found,
    line,
    person,
    with_dx,
    with_lines,
)
from tests.unit.scrubbing.cases import CASES

EXPECTED: dict[str, list[tuple[str, int | None, str]]] = {
    "completeness.subscriber_id": [("completeness.subscriber_id", None, "error")],
    "completeness.subscriber_name": [("completeness.subscriber_name", None, "error")],
    "completeness.patient_name": [("completeness.patient_name", None, "error")],
    "completeness.patient_address": [("completeness.patient_address", None, "error")],
    "completeness.patient_birth_date": [("completeness.patient_birth_date", None, "error")],
    "completeness.patient_sex": [("completeness.patient_sex", None, "error")],
    "completeness.payer_id": [("completeness.payer_id", None, "error")],
    "completeness.billing_npi": [("completeness.billing_npi", None, "error")],
    "completeness.billing_tin": [("completeness.billing_tin", None, "error")],
    "completeness.billing_address": [("completeness.billing_address", None, "error")],
    "completeness.billing_zip4": [("completeness.billing_zip4", None, "error")],
    "completeness.billing_po_box": [("completeness.billing_po_box", None, "error")],
    "completeness.rendering_provider": [("completeness.rendering_provider", None, "warning")],
    "completeness.referring_provider": [("completeness.referring_provider", 2, "error")],
    "completeness.attending_provider": [("completeness.attending_provider", None, "error")],
    "completeness.place_of_service": [("completeness.place_of_service", None, "error")],
    "completeness.type_of_bill": [("completeness.type_of_bill", None, "error")],
    "completeness.statement_dates": [("completeness.statement_dates", None, "error")],
    "completeness.admission": [("completeness.admission", None, "error")],
    "completeness.patient_status": [("completeness.patient_status", None, "error")],
    "completeness.service_date": [("completeness.service_date", 2, "error")],
    "completeness.service_date_future": [("completeness.service_date_future", 1, "error")],
    "completeness.procedure": [("completeness.procedure", 2, "error")],
    "completeness.revenue_code": [("completeness.revenue_code", 1, "error")],
    "completeness.diagnosis": [
        ("completeness.diagnosis", None, "error"),
        ("arithmetic.pointer_invalid", 1, "error"),
        ("arithmetic.pointer_invalid", 2, "error"),
    ],
    "completeness.diagnosis_pointer": [("completeness.diagnosis_pointer", 1, "error")],
    "completeness.too_many_diagnoses": [("completeness.too_many_diagnoses", None, "error")],
    "identifiers.npi_check_digit": [("identifiers.npi_check_digit", None, "error")],
    "identifiers.npi_entity_type": [("identifiers.npi_entity_type", None, "error")],
    "identifiers.tin_shape": [("identifiers.tin_shape", None, "error")],
    "identifiers.taxonomy_shape": [("identifiers.taxonomy_shape", None, "error")],
    "identifiers.taxonomy_unknown": [("identifiers.taxonomy_unknown", None, "warning")],
    "identifiers.member_id_shape": [("identifiers.member_id_shape", None, "error")],
    "codes.icd9_qualifier": [("codes.icd9_qualifier", None, "error"), ("arithmetic.pointer_invalid", 1, "error")],
    "codes.icd10_no_edition": [("codes.icd10_no_edition", None, "warning")],
    "codes.icd10_malformed": [("codes.icd10_malformed", None, "error")],
    "codes.icd10_unknown": [("codes.icd10_unknown", None, "error")],
    "codes.icd10_header": [("codes.icd10_header", None, "error")],
    "codes.icd10_seventh_missing": [("codes.icd10_seventh_missing", None, "error")],
    "codes.icd10_seventh_invalid": [("codes.icd10_seventh_invalid", None, "error")],
    "codes.icd10_deleted": [("codes.icd10_deleted", None, "error")],
    "codes.icd10_not_yet_valid": [("codes.icd10_not_yet_valid", None, "error")],
    "codes.procedure_qualifier": [("codes.procedure_qualifier", 2, "error")],
    "codes.procedure_malformed": [("codes.procedure_malformed", 2, "error")],
    "codes.hcpcs_unknown": [("codes.hcpcs_unknown", 2, "error")],
    "codes.hcpcs_not_valid_on_date": [("codes.hcpcs_not_valid_on_date", 2, "error")],
    "codes.cpt_unknown": [("codes.cpt_unknown", 2, "warning")],
    "codes.modifier_malformed": [("codes.modifier_malformed", 1, "error")],
    "codes.modifier_unknown": [("codes.modifier_unknown", 1, "warning")],
    "codes.pos_unknown": [("codes.pos_unknown", None, "error")],
    "codes.revenue_code_malformed": [("codes.revenue_code_malformed", 1, "error")],
    "conventions.excludes1": [("conventions.excludes1", None, "error")],
    "conventions.manifestation_first": [
        ("conventions.manifestation_first", None, "error"),
        ("conventions.code_first_order", None, "warning"),
    ],
    "conventions.code_first_order": [("conventions.code_first_order", None, "warning")],
    "conventions.code_first_missing": [("conventions.code_first_missing", None, "warning")],
    "conventions.use_additional_order": [("conventions.use_additional_order", None, "warning")],
    "conventions.age": [("conventions.age", None, "error")],
    "conventions.sex": [("conventions.sex", None, "warning")],
    "ncci.ptp_pair": [("ncci.ptp_pair", 2, "error")],
    "ncci.ptp_pair_no_bypass": [("ncci.ptp_pair_no_bypass", 2, "error")],
    "ncci.mue_line": [("ncci.mue_line", 2, "error")],
    "ncci.mue_date": [("ncci.mue_date", 3, "error")],
    "arithmetic.total_mismatch": [("arithmetic.total_mismatch", None, "error")],
    "arithmetic.units_positive": [("arithmetic.units_positive", 1, "error")],
    "arithmetic.line_charge_negative": [("arithmetic.line_charge_negative", 2, "error")],
    "arithmetic.pointer_invalid": [("arithmetic.pointer_invalid", 1, "error")],
    "coverage.inactive": [("coverage.inactive", 1, "error"), ("coverage.inactive", 2, "error")],
    "coverage.timely_filing": [("coverage.timely_filing", None, "error")],
    "coverage.duplicate": [("coverage.duplicate", 1, "error"), ("coverage.duplicate", 2, "error")],
    "payer.member_id_pattern": [("payer.member_id_pattern", None, "error")],
    "payer.max_diagnoses": [("payer.max_diagnoses", None, "error")],
    "payer.referring_required": [("payer.referring_required", 1, "error")],
    "payer.modifier_required": [("payer.modifier_required", 1, "error")],
    "payer.prior_authorization": [("payer.prior_authorization", 2, "error")],
    "payer.rendering_required": [("payer.rendering_required", None, "error")],
}


@pytest.mark.parametrize(("rule", "claim", "ctx"), CASES, ids=[c[0] for c in CASES])
def test_a_claim_that_breaks_a_rule_gets_exactly_its_findings(rule: str, claim: Claim, ctx: ScrubContext) -> None:
    assert found(claim, ctx) == EXPECTED[rule]


def test_every_registered_rule_has_a_triggering_case() -> None:
    covered = {rule for rule, _, _ in CASES} | {"identifiers.duplicate_claim_id"}  # the batch test below
    assert covered == set(RULES)


def test_every_finding_names_its_family_severity_and_location() -> None:
    for rule, claim, ctx in CASES:
        for f in findings(claim, ctx):
            assert f.family is RULES[f.rule].family
            assert f.severity is RULES[f.rule].severity
            assert f.location and f.field and f.message.endswith("."), (rule, f)


FULL_CONTEXT = context(
    facts={"PCN0001": ClaimFacts(coverage=(CoveragePeriod(start=date(2026, 1, 1)),), timely_filing_days=90)},
    timely_filing_days={"87726": 365},
    sent={sig: "PCN0001" for _, sig in line_signatures(clean_claim())},  # the claim itself was sent before
)


def test_the_clean_claim_passes_every_rule_with_a_full_context() -> None:
    assert found(clean_claim(), FULL_CONTEXT) == []
    assert found(clean_claim(), ScrubContext()) == []


@pytest.mark.parametrize(
    ("name", "claim"),
    [
        (
            "ptp indicator 1 with modifier 59",
            with_lines(clean_claim(), line(1, "93000", 5000), line(2, "93010", 2000, modifiers=("59",))),
        ),
        (
            "ptp pair on different dates",
            with_lines(clean_claim(), line(1, "93000", 5000), line(2, "93010", 2000, on=date(2026, 5, 5))),
        ),
        ("mue at the limit", with_lines(clean_claim(), line(1, "99213", 12000), line(2, "36415", 1500, units="2"))),
        ("etiology before manifestation", with_dx(clean_claim(), "G300", "F0280")),
        ("use-additional code after its code", with_dx(clean_claim(), "E119", "Z794")),
        (
            "newborn code on a newborn",
            replace(
                with_dx(clean_claim(), "H04531", "I10"),
                subscriber=replace(clean_claim().subscriber, birth_date=date(2026, 4, 20)),
            ),
        ),
        ("female code on a female patient", with_dx(clean_claim(), "N8030", "I10")),
        (
            "imaging with its referring provider",
            with_lines(
                clean_claim(providers=(person("82", RENDERING_NPI), person("DN", REFERRING_NPI))),
                line(1, "70551", 9000),
            ),
        ),
        (
            "lab with a line-level ordering provider",
            with_lines(clean_claim(), line(1, "83036", 3000, providers=(person("DK", REFERRING_NPI),))),
        ),
        (
            "icd-9 before the transition",
            replace(
                with_lines(clean_claim(), line(1, "99213", 12000, on=date(2014, 5, 1))),
                diagnoses=(Diagnosis(qualifier="BK", code="25000"),),
            ),
        ),
    ],
)
def test_a_near_miss_raises_nothing(name: str, claim: Claim) -> None:
    assert found(claim, FULL_CONTEXT if name != "icd-9 before the transition" else ScrubContext()) == []  # type: ignore[arg-type]


def test_a_replacement_claim_is_not_a_duplicate_of_the_claim_it_replaces() -> None:
    ctx = context(sent={sig: "PCN0000" for _, sig in line_signatures(clean_claim(patient_control_number="PCN0000"))})
    replacement = clean_claim(frequency=ClaimFrequency.REPLACEMENT, original_claim_number="PAYER123")
    assert found(replacement, ctx) == []


def test_payer_rules_are_satisfied_by_a_claim_that_follows_them() -> None:
    claim = clean_claim(
        lines=(line(1, "97110", 12000, modifiers=("GP",)), line(2, "70551", 1500)),
        providers=(person("82", RENDERING_NPI), person("DN", REFERRING_NPI)),
        prior_authorization="AUTH778",
        references=(Reference(qualifier="G1", value="AUTH778"),),
    )
    claim = replace(
        claim,
        subscriber=replace(
            claim.subscriber,
            payer=replace(claim.subscriber.payer, identifier="MBSBX"),
            subscriber=replace(claim.subscriber.subscriber, identifier="SBX123456789"),
        ),
    )
    assert found(claim) == []


def test_a_batch_reports_a_reused_claim_id_and_a_line_billed_twice() -> None:
    first = clean_claim()
    again = clean_claim(lines=(line(1, "99213", 12000, pointers=(1, 2)),), total_charge_cents=12000)
    results = scrub_batch([first, again], context())
    assert [(c.patient_control_number, [(f.rule, f.line) for f in fs]) for c, fs in results] == [
        ("PCN0001", []),
        ("PCN0001", [("identifiers.duplicate_claim_id", None)]),
    ]
    other = replace(again, patient_control_number="PCN0002")
    results = scrub_batch([first, other], context())
    assert [(f.rule, f.line, f.severity.value) for f in results[1][1]] == [("coverage.duplicate", 1, "error")]


def test_a_rule_a_practice_switched_off_is_not_reported() -> None:
    claim = clean_claim(providers=())
    assert found(claim, context(disabled=frozenset({"completeness.rendering_provider"}))) == []
