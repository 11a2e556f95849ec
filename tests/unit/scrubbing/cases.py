"""One claim per rule that breaks exactly that rule (built from the clean claim), for the rule-by-rule tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from medbill.domain.claims import (
    Claim,
    ClaimKind,
    DatedEvent,
    Diagnosis,
    EntityType,
    NamedEntity,
    Patient,
    PostalAddress,
    ProcedureCode,
    Reference,
    ServiceLine,
)
from medbill.services.scrubbing import ClaimFacts, CoveragePeriod, ScrubContext, line_signatures
from tests.unit.scrubbing.builders import (
    DOS,
    REFERRING_NPI,
    RENDERING_NPI,
    clean_claim,
    context,
    line,
    person,
    with_dx,
    with_lines,
)

C = clean_claim()
SUB = C.subscriber
BP = C.billing_provider


def _sub(**kw: object) -> Claim:
    return clean_claim(subscriber=replace(SUB, **kw))  # type: ignore[arg-type]


def _subscriber_entity(**kw: object) -> Claim:
    return _sub(subscriber=replace(SUB.subscriber, **kw))  # type: ignore[arg-type]


def _bp(**kw: object) -> Claim:
    return clean_claim(billing_provider=replace(BP, **kw))  # type: ignore[arg-type]


def _institutional(**kw: object) -> Claim:
    lines = (
        ServiceLine(
            number=1,
            procedure=None,
            revenue_code="0450",
            charge_cents=50000,
            units=Decimal("1"),
            service_date=DOS,
        ),
    )
    base = dict(
        kind=ClaimKind.INSTITUTIONAL,
        facility_code="13",
        provider_signature=None,
        admission=("1", "7", "01"),
        dates=(DatedEvent(qualifier="434", start=DOS, end=DOS),),
        providers=(person("71", RENDERING_NPI),),
        lines=lines,
        total_charge_cents=50000,
    )
    base.update(kw)
    return clean_claim(**base)


def _payer(member: str = "SBX123456789", **kw: object) -> Claim:
    claim = clean_claim(**kw)
    return replace(
        claim,
        subscriber=replace(
            claim.subscriber,
            payer=replace(claim.subscriber.payer, identifier="MBSBX"),
            subscriber=replace(claim.subscriber.subscriber, identifier=member),
        ),
    )


def _demo01(claim: Claim) -> Claim:
    """The claim sent to the demonstration commercial plan (payer DEMO01), with a member ID of its shape."""
    return replace(
        claim,
        subscriber=replace(
            claim.subscriber,
            payer=replace(SUB.payer, identifier="DEMO01"),
            subscriber=replace(SUB.subscriber, identifier="ABC12345678"),
        ),
    )


def _sent_before() -> ScrubContext:
    earlier = clean_claim(patient_control_number="PCN0000")
    return context(sent={sig: "PCN0000" for _, sig in line_signatures(earlier)})


X = context()
NO_RENDERING = dict(providers=())


def _dx9() -> Claim:
    return clean_claim(diagnoses=(Diagnosis(qualifier="BK", code="25000"),))


# (rule id, claim that breaks it, context)
CASES: list[tuple[str, Claim, ScrubContext]] = [
    ("completeness.subscriber_id", _subscriber_entity(identifier=None), X),
    ("completeness.subscriber_name", _subscriber_entity(first_name=None), X),
    (
        "completeness.patient_name",
        clean_claim(
            patient=Patient(
                relationship="19",
                person=NamedEntity(
                    role="QC",
                    entity_type=EntityType.PERSON,
                    name="TESTCHILD",
                    address=PostalAddress(line1="1 ELM ST", city="SPRINGFIELD", state="IL", postal_code="62701"),
                ),
                birth_date=date(2015, 6, 1),
                sex="M",
            )
        ),
        X,
    ),
    (
        "completeness.patient_address",
        _subscriber_entity(address=PostalAddress(line1="1 ELM ST", city="SPRINGFIELD")),
        X,
    ),
    ("completeness.patient_birth_date", _sub(birth_date=None), X),
    ("completeness.patient_sex", _sub(sex="U"), X),
    ("completeness.payer_id", _sub(payer=replace(SUB.payer, identifier=None)), X),
    ("completeness.billing_npi", _bp(identifier=None, id_qualifier=None), X),
    ("completeness.billing_tin", _bp(references=()), X),
    ("completeness.billing_address", _bp(address=None), X),
    ("completeness.billing_zip4", _bp(address=replace(BP.address, postal_code="62701")), X),  # type: ignore[arg-type]
    ("completeness.billing_po_box", _bp(address=replace(BP.address, line1="PO BOX 12")), X),  # type: ignore[arg-type]
    ("completeness.rendering_provider", clean_claim(**NO_RENDERING), X),
    ("completeness.referring_provider", with_lines(clean_claim(), line(1, "99213", 12000), line(2, "83036", 3000)), X),
    ("completeness.attending_provider", _institutional(providers=()), X),
    ("completeness.place_of_service", clean_claim(facility_code=""), X),
    ("completeness.type_of_bill", _institutional(facility_code="1"), X),
    ("completeness.statement_dates", _institutional(dates=()), X),
    ("completeness.admission", _institutional(facility_code="11"), X),
    ("completeness.patient_status", _institutional(admission=("1", "7", "")), X),
    (
        "completeness.service_date",
        with_lines(clean_claim(), line(1, "99213", 12000), line(2, "36415", 1500, on=None)),
        X,
    ),
    ("completeness.service_date_future", with_lines(clean_claim(), line(1, "99213", 12000, on=date(2026, 6, 1))), X),
    (
        "completeness.procedure",
        with_lines(clean_claim(), line(1, "99213", 12000), replace(line(2, "36415", 1500), procedure=None)),
        X,
    ),
    ("completeness.revenue_code", _institutional(lines=(replace(_institutional().lines[0], revenue_code=None),)), X),  # type: ignore[attr-defined]
    (
        "codes.revenue_code_malformed",
        _institutional(lines=(replace(_institutional().lines[0], revenue_code="450"),)),  # type: ignore[attr-defined]
        X,
    ),
    ("completeness.diagnosis", clean_claim(diagnoses=()), X),
    ("completeness.diagnosis_pointer", with_lines(clean_claim(), line(1, "99213", 12000, pointers=())), X),
    (
        "completeness.too_many_diagnoses",
        with_dx(
            clean_claim(),
            "E119",
            "I10",
            "J449",
            "K219",
            "M5450",
            "R519",
            "Z7984",
            "E785",
            "F419",
            "G4700",
            "H6590",
            "L309",
            "N390",
        ),
        X,
    ),
    ("identifiers.npi_check_digit", _bp(identifier="1234567890"), X),
    (
        "identifiers.npi_entity_type",
        clean_claim(providers=(replace(person("82", RENDERING_NPI), entity_type=EntityType.ORGANIZATION),)),
        X,
    ),
    ("identifiers.tin_shape", _bp(references=(Reference(qualifier="EI", value="001234567"),)), X),
    ("identifiers.taxonomy_shape", _bp(taxonomy="207Q00000"), X),
    ("identifiers.taxonomy_unknown", _bp(taxonomy="999Q00000X"), X),
    ("identifiers.member_id_shape", _subscriber_entity(identifier="W 1234"), X),
    ("codes.icd9_qualifier", _dx9(), X),
    (
        "codes.icd10_no_edition",
        with_lines(clean_claim(), line(1, "99213", 12000, pointers=(1, 2), on=date(2025, 12, 1))),
        context(today=date(2025, 12, 5)),
    ),
    ("codes.icd10_malformed", with_dx(clean_claim(), "E119", "I1O"), X),
    ("codes.icd10_unknown", with_dx(clean_claim(), "E119", "R999"), X),
    ("codes.icd10_header", with_dx(clean_claim(), "E119", "I50"), X),
    ("codes.icd10_seventh_missing", with_dx(clean_claim(), "E119", "S52521"), X),
    ("codes.icd10_seventh_invalid", with_dx(clean_claim(), "E119", "S52521Z"), X),
    (
        "codes.icd10_deleted",
        with_lines(
            with_dx(clean_claim(), "E119", "T528X1A"), line(1, "99213", 12000, pointers=(1, 2), on=date(2026, 11, 2))
        ),
        context(today=date(2026, 11, 20)),
    ),
    ("codes.icd10_not_yet_valid", with_dx(clean_claim(), "E119", "C7831"), X),
    (
        "codes.procedure_qualifier",
        with_lines(
            clean_claim(),
            line(1, "99213", 12000),
            replace(line(2, "36415", 1500), procedure=ProcedureCode(qualifier="XX", code="36415")),
        ),
        X,
    ),
    ("codes.procedure_malformed", with_lines(clean_claim(), line(1, "99213", 12000), line(2, "X9999", 1500)), X),
    ("codes.hcpcs_unknown", with_lines(clean_claim(), line(1, "99213", 12000), line(2, "J9998", 1500)), X),
    ("codes.hcpcs_not_valid_on_date", with_lines(clean_claim(), line(1, "99213", 12000), line(2, "A9155", 1500)), X),
    ("codes.cpt_unknown", with_lines(clean_claim(), line(1, "99213", 12000), line(2, "99999", 1500)), X),
    ("codes.modifier_malformed", with_lines(clean_claim(), line(1, "99213", 12000, modifiers=("2",))), X),
    ("codes.modifier_unknown", with_lines(clean_claim(), line(1, "99213", 12000, modifiers=("ZZ",))), X),
    ("codes.pos_unknown", clean_claim(facility_code="30"), X),
    ("conventions.excludes1", with_dx(clean_claim(), "E119", "E109"), X),
    ("conventions.manifestation_first", with_dx(clean_claim(), "F0280", "G300"), X),
    ("conventions.code_first_order", with_dx(clean_claim(), "I10", "N184", "I120"), X),
    ("conventions.code_first_missing", with_dx(clean_claim(), "E119", "F0280"), X),
    ("conventions.use_additional_order", with_dx(clean_claim(), "Z794", "E119"), X),
    ("conventions.age", with_dx(clean_claim(), "E119", "H04531"), X),
    ("conventions.sex", with_dx(clean_claim(), "E119", "C61"), X),
    ("ncci.ptp_pair", with_lines(clean_claim(), line(1, "93000", 5000), line(2, "93010", 2000)), X),
    (
        "ncci.ptp_pair_no_bypass",
        with_lines(clean_claim(), line(1, "99091", 5000), line(2, "93241", 2000, modifiers=("59",))),
        X,
    ),
    ("ncci.mue_line", with_lines(clean_claim(), line(1, "99213", 12000), line(2, "A6460", 1500, units="2")), X),
    (
        "ncci.mue_date",
        with_lines(clean_claim(), line(1, "99213", 12000), line(2, "36415", 1500, units="2"), line(3, "36415", 1500)),
        X,
    ),
    ("arithmetic.total_mismatch", clean_claim(total_charge_cents=13400), X),
    ("arithmetic.units_positive", with_lines(clean_claim(), line(1, "99213", 12000, units="0")), X),
    ("arithmetic.line_charge_negative", with_lines(clean_claim(), line(1, "99213", 12000), line(2, "36415", -1500)), X),
    ("arithmetic.pointer_invalid", with_lines(clean_claim(), line(1, "99213", 12000, pointers=(1, 3))), X),
    (
        "coverage.inactive",
        clean_claim(),
        context(
            facts={"PCN0001": ClaimFacts(coverage=(CoveragePeriod(start=date(2025, 1, 1), end=date(2026, 4, 30)),))}
        ),
    ),
    ("coverage.timely_filing", clean_claim(), context(today=date(2026, 9, 1), timely_filing_days={"87726": 90})),
    ("coverage.duplicate", clean_claim(), _sent_before()),
    ("payer.member_id_pattern", _payer(member="SBX12"), X),
    ("payer.max_diagnoses", _demo01(with_dx(clean_claim(), "E119", "I10", "J449", "K219", "E785")), X),
    (
        "payer.referring_required",
        _demo01(with_lines(clean_claim(), line(1, "97110", 12000), line(2, "36415", 1500))),
        X,
    ),
    (
        "payer.modifier_required",
        _payer(lines=(line(1, "97110", 12000), line(2, "36415", 1500)), total_charge_cents=13500),
        X,
    ),
    (
        "payer.prior_authorization",
        _payer(
            lines=(line(1, "99213", 12000), line(2, "70551", 1500)),
            total_charge_cents=13500,
            providers=(person("82", RENDERING_NPI), person("DN", REFERRING_NPI)),
        ),
        X,
    ),
    (
        "payer.rendering_required",
        _payer(providers=(), billing_provider=replace(BP, entity_type=EntityType.PERSON, first_name="PAT")),
        X,
    ),
]
