"""Synthetic 837s for the sandbox payer tests: one billing clinic, synthetic members, lines given as tuples."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

from medbill.adapters.clearinghouse.sandbox import Answers, SandboxPayerEngine, SandboxState, load_payers
from medbill.domain.claims import (
    Claim,
    ClaimBatch,
    ClaimKind,
    Diagnosis,
    EntityType,
    Insured,
    NamedEntity,
    ProcedureCode,
    ServiceLine,
)
from medbill.domain.remittance import Remittance, balancing_errors
from medbill.formats import x12
from tests.unit.x12.x12_helpers import CLINIC, RECEIVER, SUBMITTER, person

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
DOS = date(2026, 3, 2)
ENVELOPE = x12.Envelope(
    sender_id="SUBMIT01", receiver_id="SANDBOX", interchange_control_number=501, group_control_number=501, created=NOW
)

Line = tuple[str, tuple[str, ...], int] | tuple[str, tuple[str, ...], int, date]


def payer_entity(payer_id: str) -> NamedEntity:
    return NamedEntity(
        role="PR", entity_type=EntityType.ORGANIZATION, name="SANDBOX PLAN", id_qualifier="PI", identifier=payer_id
    )


def claim(
    pcn: str, payer_id: str, member_id: str, lines: list[Line], *, diagnoses: bool = True, pointers: bool = True
) -> Claim:
    items = tuple(
        ServiceLine(
            number=n,
            procedure=ProcedureCode(qualifier="HC", code=spec[0], modifiers=spec[1]),
            charge_cents=spec[2],
            units=Decimal(1),
            diagnosis_pointers=(1,) if pointers else (),
            service_date=spec[3] if len(spec) > 3 else DOS,
            line_control_number=f"{pcn}-L{n}",
        )
        for n, spec in enumerate(lines, start=1)
    )
    return Claim(
        kind=ClaimKind.PROFESSIONAL,
        patient_control_number=pcn,
        total_charge_cents=sum(x.charge_cents for x in items),
        facility_code="11",
        billing_provider=CLINIC,
        subscriber=Insured(
            responsibility="P",
            relationship="18",
            group_number="GRP100",
            filing_indicator="CI",
            subscriber=person("IL", "TESTMEMBER", "JORDAN", member_id),
            payer=payer_entity(payer_id),
            birth_date=date(1970, 4, 1),
            sex="F",
        ),
        diagnoses=(Diagnosis(qualifier="ABK", code="M25561"),) if diagnoses else (),
        lines=items,
    )


def file_of(*claims: Claim, icn: int = 501) -> bytes:
    batch = ClaimBatch(
        kind=ClaimKind.PROFESSIONAL,
        reference=f"BATCH{icn}",
        created=NOW.date(),
        created_time="0930",
        submitter=SUBMITTER,
        receiver=RECEIVER,
        claims=claims,
    )
    return x12.write_837([batch], replace(ENVELOPE, interchange_control_number=icn)).encode("ascii")


def answer(data: bytes, state: SandboxState | None = None, *, seed: int = 7, now: datetime = NOW) -> Answers:
    return SandboxPayerEngine(load_payers(), seed=seed).answer(data, state or SandboxState(), now)


def remittances(answers: Answers) -> list[Remittance]:
    assert answers.remittance_835 is not None
    docs = [t.document for t in x12.read(answers.remittance_835)]
    assert all(isinstance(d, Remittance) for d in docs)
    for d in docs:
        assert balancing_errors(d) == []  # type: ignore[arg-type]
    return docs  # type: ignore[return-value]
