"""Helpers for the X12 tests: fixture files and hand-built interchanges with correct counts."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "x12"

ISA = "ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *260105*1200*^*00501*000000101*0*T*:~"


def fixture(rel: str) -> bytes:
    return (FIXTURES / rel).read_bytes()


def build(
    *transactions: list[str],
    set_id: str = "835",
    version: str = "005010X221A1",
    functional_id: str = "HP",
    icn: str = "000000101",
) -> str:
    """An interchange of one group whose transaction sets hold the given body segments, counts correct."""
    out = [ISA.replace("000000101", icn), f"GS*{functional_id}*SUBMITTER*RECEIVER*20260105*1200*7*X*{version}~"]
    for n, body in enumerate(transactions, start=1):
        control = f"{n:04d}"
        out.append(f"ST*{set_id}*{control}~")
        out += [s + "~" for s in body]
        out.append(f"SE*{len(body) + 2}*{control}~")
    out.append(f"GE*{len(transactions)}*7~")
    out.append(f"IEA*1*{icn}~")
    return "".join(out)


# A small synthetic 835 (synthetic people): one claim with two lines, paid by ACH, with a PLB.
REMIT_BODY = [
    "BPR*I*150.5*C*ACH*CCP*01*999999992*DA*123456*1512345678**01*999988880*DA*98765*20260110",
    "TRN*1*EFT0001*1512345678",
    "REF*EV*SUBMITTER",
    "DTM*405*20260109",
    "N1*PR*SYNTHETIC HEALTH PLAN",
    "N3*1 PAYER WAY",
    "N4*SPRINGFIELD*IL*62701",
    "PER*BL*EDI DESK*TE*8005550100",
    "N1*PE*EXAMPLE CLINIC*XX*1234567893",
    "REF*TJ*123456789",
    "LX*1",
    "CLP*PCN-0001*1*250*160.5*20*12*PAYERCLM01*11*1",
    "NM1*QC*1*TESTPATIENT*ALEX****MI*MBR0001",
    "DTM*050*20260102",
    "SVC*HC:99213:25*150*100.5**1",
    "DTM*472*20260101",
    "CAS*CO*45*29.5",
    "CAS*PR*2*20",
    "REF*6R*LCN-0001-1",
    "AMT*B6*120.5",
    "SVC*HC:85025*100*60**1",
    "DTM*472*20260101",
    "CAS*CO*45*40",
    "REF*6R*LCN-0001-2",
    "LQ*HE*N130",
    "PLB*1234567893*20261231*WO:PCN-0000*10",
]


# --- synthetic claims (synthetic people and organisations only) ---------------------------------------------

from datetime import date  # noqa: E402
from decimal import Decimal  # noqa: E402

from medbill.domain.claims import (  # noqa: E402
    Claim,
    ClaimAdjustment,
    ClaimBatch,
    ClaimFrequency,
    ClaimKind,
    Contact,
    DatedEvent,
    Diagnosis,
    EntityType,
    Insured,
    LineAdjudication,
    NamedEntity,
    Patient,
    PostalAddress,
    ProcedureCode,
    Reference,
    ServiceLine,
)

CLINIC = NamedEntity(
    role="85",
    entity_type=EntityType.ORGANIZATION,
    name="EXAMPLE FAMILY CLINIC",
    id_qualifier="XX",
    identifier="1234567893",
    taxonomy="207Q00000X",
    address=PostalAddress(line1="100 MAIN ST", city="SPRINGFIELD", state="IL", postal_code="627010001"),
    references=(Reference(qualifier="EI", value="371234567"),),
)
HOSPITAL = NamedEntity(
    role="85",
    entity_type=EntityType.ORGANIZATION,
    name="EXAMPLE COMMUNITY HOSPITAL",
    id_qualifier="XX",
    identifier="1245319599",
    taxonomy="282N00000X",
    address=PostalAddress(line1="1 HOSPITAL DR", city="SPRINGFIELD", state="IL", postal_code="627020002"),
    references=(Reference(qualifier="EI", value="371234568"),),
)
SUBMITTER = NamedEntity(
    role="41",
    entity_type=EntityType.ORGANIZATION,
    name="EXAMPLE BILLING",
    id_qualifier="46",
    identifier="SUBMIT01",
    contacts=(Contact(function="IC", name="BILLING DESK", numbers=(("TE", "2175550100"),)),),
)
RECEIVER = NamedEntity(
    role="40",
    entity_type=EntityType.ORGANIZATION,
    name="SYNTHETIC CLEARINGHOUSE",
    id_qualifier="46",
    identifier="CLEAR01",
)
PAYER = NamedEntity(
    role="PR",
    entity_type=EntityType.ORGANIZATION,
    name="SYNTHETIC HEALTH PLAN",
    id_qualifier="PI",
    identifier="SYNPAYER1",
)
SECOND_PAYER = NamedEntity(
    role="PR",
    entity_type=EntityType.ORGANIZATION,
    name="SYNTHETIC SECONDARY PLAN",
    id_qualifier="PI",
    identifier="SYNPAYER2",
)


def person(role: str, last: str, first: str, member: str | None = None) -> NamedEntity:
    return NamedEntity(
        role=role,
        entity_type=EntityType.PERSON,
        name=last,
        first_name=first,
        id_qualifier="MI" if member else None,
        identifier=member,
        address=PostalAddress(line1="12 ELM ST", city="SPRINGFIELD", state="IL", postal_code="62704"),
    )


def subscriber(responsibility: str = "P", *, self_: bool = True, payer: NamedEntity = PAYER) -> Insured:
    return Insured(
        responsibility=responsibility,
        relationship="18" if self_ else None,
        group_number="GRP100",
        filing_indicator="CI",
        subscriber=person("IL", "TESTSUBSCRIBER", "PAT", "MBR10001"),
        payer=payer,
        birth_date=date(1980, 5, 17),
        sex="F",
    )


def professional_claim(
    pcn: str = "PCN-1",
    *,
    lines: int = 1,
    with_patient: bool = False,
    secondary: bool = False,
    frequency: ClaimFrequency = ClaimFrequency.ORIGINAL,
    original: str | None = None,
) -> Claim:
    items = tuple(
        ServiceLine(
            number=n,
            procedure=ProcedureCode(
                qualifier="HC", code=("99213", "85025", "36415")[n % 3 - 1], modifiers=("25",) if n == 1 else ()
            ),
            charge_cents=10000 + n * 1234,
            units=Decimal(1),
            diagnosis_pointers=(1, 2) if n == 1 else (1,),
            service_date=date(2026, 1, 5),
            line_control_number=f"{pcn}-L{n}",
            other_payer_adjudications=(
                LineAdjudication(
                    payer_identifier="SYNPAYER1",
                    paid_cents=5000,
                    procedure=ProcedureCode(qualifier="HC", code="99213"),
                    paid_units=Decimal(1),
                    adjustments=(ClaimAdjustment(group="CO", carc="45", amount_cents=10000 + n * 1234 - 5000),),
                    adjudication_date=date(2026, 2, 1),
                ),
            )
            if secondary
            else (),
        )
        for n in range(1, lines + 1)
    )
    return Claim(
        kind=ClaimKind.PROFESSIONAL,
        patient_control_number=pcn,
        total_charge_cents=sum(x.charge_cents for x in items),
        facility_code="11",
        frequency=frequency,
        billing_provider=CLINIC,
        subscriber=subscriber(
            "S" if secondary else "P", self_=not with_patient, payer=SECOND_PAYER if secondary else PAYER
        ),
        patient=Patient(
            relationship="19", person=person("QC", "TESTCHILD", "SAM"), birth_date=date(2015, 3, 2), sex="M"
        )
        if with_patient
        else None,
        diagnoses=(Diagnosis(qualifier="ABK", code="J069"), Diagnosis(qualifier="ABF", code="R509")),
        original_claim_number=original,
        providers=(
            NamedEntity(
                role="82",
                entity_type=EntityType.PERSON,
                name="TESTDOCTOR",
                first_name="RILEY",
                id_qualifier="XX",
                identifier="1679576722",
                taxonomy="207Q00000X",
            ),
        ),
        other_insurance=(
            Insured(
                responsibility="P",
                relationship="18",
                group_number="GRP100",
                filing_indicator="CI",
                subscriber=person("IL", "TESTSUBSCRIBER", "PAT", "MBR10001"),
                payer=PAYER,
                paid_cents=5000 * lines,
                benefits_assigned="Y",
                release_of_information="Y",
                adjudication_date=date(2026, 2, 1),
            ),
        )
        if secondary
        else (),
        lines=items,
    )


def institutional_claim(
    pcn: str = "ICN-1",
    *,
    lines: int = 2,
    frequency: ClaimFrequency = ClaimFrequency.ORIGINAL,
    original: str | None = None,
) -> Claim:
    items = tuple(
        ServiceLine(
            number=n,
            revenue_code=("0450", "0300", "0250")[n % 3 - 1],
            procedure=ProcedureCode(qualifier="HC", code="99283") if n == 1 else None,
            charge_cents=25000 + n * 100,
            units=Decimal(n),
            service_date=date(2026, 1, 6),
            line_control_number=f"{pcn}-L{n}",
        )
        for n in range(1, lines + 1)
    )
    return Claim(
        kind=ClaimKind.INSTITUTIONAL,
        patient_control_number=pcn,
        total_charge_cents=sum(x.charge_cents for x in items),
        facility_code="13",
        frequency=frequency,
        provider_signature=None,
        billing_provider=HOSPITAL,
        subscriber=subscriber(),
        diagnoses=(Diagnosis(qualifier="ABK", code="S93401A"), Diagnosis(qualifier="ABF", code="W010XXA")),
        dates=(DatedEvent(qualifier="434", start=date(2026, 1, 6), end=date(2026, 1, 6)),),
        admission=("1", "7", "01"),
        original_claim_number=original,
        providers=(
            NamedEntity(
                role="71",
                entity_type=EntityType.PERSON,
                name="TESTATTENDING",
                first_name="MORGAN",
                id_qualifier="XX",
                identifier="1679576722",
                taxonomy="207P00000X",
            ),
        ),
        lines=items,
    )


def claim_batch(claims: list[Claim], kind: ClaimKind = ClaimKind.PROFESSIONAL) -> ClaimBatch:
    return ClaimBatch(
        kind=kind,
        reference="BATCH0001",
        created=date(2026, 1, 7),
        created_time="1015",
        submitter=SUBMITTER,
        receiver=RECEIVER,
        claims=tuple(claims),
    )


def representative_batches() -> dict[str, ClaimBatch]:
    """The claims the issue asks pyx12 to judge: one and many lines, patient ≠ subscriber, COB, 837I, 7 and 8."""
    return {
        "837P single line": claim_batch([professional_claim()]),
        "837P many lines": claim_batch([professional_claim(lines=12)]),
        "837P patient not subscriber": claim_batch([professional_claim(with_patient=True, lines=2)]),
        "837P secondary with COB": claim_batch([professional_claim(secondary=True, lines=2)]),
        "837P replacement and void": claim_batch(
            [
                professional_claim("PCN-7", frequency=ClaimFrequency.REPLACEMENT, original="PAYERICN1"),
                professional_claim("PCN-8", frequency=ClaimFrequency.VOID, original="PAYERICN2"),
            ]
        ),
        "837P several claims and subscribers": claim_batch(
            [professional_claim("PCN-A"), professional_claim("PCN-B"), professional_claim("PCN-C", with_patient=True)]
        ),
        "837I with revenue codes": claim_batch([institutional_claim(lines=3)], ClaimKind.INSTITUTIONAL),
        "837I replacement": claim_batch(
            [institutional_claim(frequency=ClaimFrequency.REPLACEMENT, original="PAYERICN3")], ClaimKind.INSTITUTIONAL
        ),
    }


def claim_acknowledgement() -> ClaimAcknowledgement:
    """A 277CA as the sandbox payer would answer a batch: one claim accepted, one rejected with a line status."""
    accepted = StatusInfo(
        category="A2", code="20", entity="PR", effective_date=date(2026, 1, 8), action="WQ", amount_cents=11234
    )
    rejected = StatusInfo(
        category="A7", code="562", entity="85", effective_date=date(2026, 1, 8), action="U", amount_cents=24690
    )
    return ClaimAcknowledgement(
        source=NamedEntity(
            role="PR",
            entity_type=EntityType.ORGANIZATION,
            name="SYNTHETIC HEALTH PLAN",
            id_qualifier="PI",
            identifier="SYNPAYER1",
        ),
        receiver=NamedEntity(
            role="41",
            entity_type=EntityType.ORGANIZATION,
            name="EXAMPLE BILLING",
            id_qualifier="46",
            identifier="SUBMIT01",
        ),
        reference="BATCH0001",
        created=date(2026, 1, 8),
        created_time="0930",
        source_trace="TRACE01",
        received=date(2026, 1, 8),
        processed=date(2026, 1, 8),
        receiver_trace="BATCH0001",
        receiver_statuses=(
            StatusInfo(
                category="A1", code="19", entity="PR", effective_date=date(2026, 1, 8), action="WQ", amount_cents=35924
            ),
        ),
        providers=(
            ProviderStatus(
                provider=BILLING_NM1,
                trace="PROVTRACE1",
                statuses=(StatusInfo(category="A1", code="19", entity="PR", action="WQ", amount_cents=35924),),
            ),
        ),
        claims=(
            ClaimStatusReport(
                claim_id="PCN-A",
                billing_provider=BILLING_NM1,
                patient=PATIENT_NM1,
                statuses=(accepted,),
                payer_claim_number="PAYERICN9",
                clearinghouse_trace="CH001",
                service_date=date(2026, 1, 5),
            ),
            ClaimStatusReport(
                claim_id="PCN-B",
                billing_provider=BILLING_NM1,
                patient=PATIENT_NM1,
                statuses=(rejected,),
                clearinghouse_trace="CH002",
                service_date=date(2026, 1, 5),
                service_date_end=date(2026, 1, 6),
                lines=(
                    LineStatus(
                        procedure=ProcedureCode(qualifier="HC", code="99213"),
                        charge_cents=24690,
                        statuses=(
                            StatusInfo(
                                category="A7", code="562", entity="85", effective_date=date(2026, 1, 8), action="U"
                            ),
                        ),
                        line_control_number="PCN-B-L1",
                        service_date=date(2026, 1, 5),
                    ),
                ),
            ),
        ),
    )


from medbill.domain.acknowledgements import (  # noqa: E402
    ClaimAcknowledgement,
    ClaimStatusReport,
    LineStatus,
    ProviderStatus,
    StatusInfo,
)

BILLING_NM1 = NamedEntity(
    role="85",
    entity_type=EntityType.ORGANIZATION,
    name="EXAMPLE FAMILY CLINIC",
    id_qualifier="XX",
    identifier="1234567893",
)
PATIENT_NM1 = NamedEntity(
    role="QC",
    entity_type=EntityType.PERSON,
    name="TESTPATIENT",
    first_name="ALEX",
    id_qualifier="MI",
    identifier="MBR10001",
)
