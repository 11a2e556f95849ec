"""A clean synthetic professional claim (no finding at all) and small helpers to break it one way at a time."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from medbill.domain.claims import (
    Claim,
    ClaimKind,
    Diagnosis,
    EntityType,
    Insured,
    NamedEntity,
    PostalAddress,
    ProcedureCode,
    Reference,
    ServiceLine,
)
from medbill.domain.scrub import Finding
from medbill.services.scrubbing import ScrubContext, scrub_claim

DOS = date(2026, 5, 4)
TODAY = date(2026, 5, 20)
BILLING_NPI = "1234567893"
RENDERING_NPI = "1987654328"
REFERRING_NPI = "1122334455"


def line(
    number: int,
    code: str,
    cents: int,
    *,
    modifiers: tuple[str, ...] = (),
    units: str = "1",
    pointers: tuple[int, ...] = (1,),
    on: date | None = DOS,
    **kw: object,
) -> ServiceLine:
    return ServiceLine(
        number=number,
        procedure=ProcedureCode(qualifier="HC", code=code, modifiers=modifiers),
        charge_cents=cents,
        units=Decimal(units),
        diagnosis_pointers=pointers,
        service_date=on,
        **kw,  # type: ignore[arg-type]
    )


def person(role: str, npi: str, *, taxonomy: str | None = None) -> NamedEntity:
    return NamedEntity(
        role=role,
        entity_type=EntityType.PERSON,
        name="SYNTHETIC",
        first_name="PAT",
        id_qualifier="XX",
        identifier=npi,
        taxonomy=taxonomy,
    )


def clean_claim(**changes: object) -> Claim:
    """Family practice visit with a venipuncture, 2026-05-04, everything in place; `changes` replace fields."""
    claim = Claim(
        kind=ClaimKind.PROFESSIONAL,
        patient_control_number="PCN0001",
        total_charge_cents=13500,
        facility_code="11",
        billing_provider=NamedEntity(
            role="85",
            entity_type=EntityType.ORGANIZATION,
            name="SYNTHETIC FAMILY PRACTICE",
            id_qualifier="XX",
            identifier=BILLING_NPI,
            address=PostalAddress(line1="100 MAIN ST", city="SPRINGFIELD", state="IL", postal_code="627011234"),
            taxonomy="207Q00000X",
            references=(Reference(qualifier="EI", value="123456789"),),
        ),
        subscriber=Insured(
            responsibility="P",
            relationship="18",
            filing_indicator="CI",
            subscriber=NamedEntity(
                role="IL",
                entity_type=EntityType.PERSON,
                name="TESTPERSON",
                first_name="ALEX",
                id_qualifier="MI",
                identifier="W123456789",
                address=PostalAddress(line1="1 ELM ST", city="SPRINGFIELD", state="IL", postal_code="62701"),
            ),
            payer=NamedEntity(
                role="PR", entity_type=EntityType.ORGANIZATION, name="PLAN", id_qualifier="PI", identifier="87726"
            ),
            birth_date=date(1980, 3, 15),
            sex="F",
        ),
        diagnoses=(Diagnosis(qualifier="ABK", code="E119"), Diagnosis(qualifier="ABF", code="I10")),
        providers=(person("82", RENDERING_NPI, taxonomy="207Q00000X"),),
        lines=(line(1, "99213", 12000, pointers=(1, 2)), line(2, "36415", 1500)),
    )
    return replace(claim, **changes)  # type: ignore[arg-type]


def with_lines(claim: Claim, *lines: ServiceLine) -> Claim:
    return replace(claim, lines=lines, total_charge_cents=sum(ln.charge_cents for ln in lines))


def with_dx(claim: Claim, *codes: str) -> Claim:
    dx = tuple(Diagnosis(qualifier="ABK" if i == 0 else "ABF", code=c) for i, c in enumerate(codes))
    return replace(claim, diagnoses=dx)


def context(**changes: object) -> ScrubContext:
    return replace(ScrubContext(today=TODAY), **changes)  # type: ignore[arg-type]


def found(claim: Claim, ctx: ScrubContext | None = None) -> list[tuple[str, int | None, str]]:
    """(rule, line, severity) of every finding, in the engine's order."""
    return [(f.rule, f.line, f.severity.value) for f in scrub_claim(claim, ctx or context())]


def findings(claim: Claim, ctx: ScrubContext | None = None) -> tuple[Finding, ...]:
    return scrub_claim(claim, ctx or context())
