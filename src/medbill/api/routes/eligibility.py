"""Eligibility and estimates: a patient's checks (270 sent, 271 normalized), the raw 271, the printable estimate of an
appointment (a good-faith estimate for self-pay patients), and estimate accuracy by payer."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from medbill import bootstrap
from medbill.api.deps import ActorDep, DepsDep
from medbill.api.schemas import Strict
from medbill.domain.eligibility_checks import EligibilityCheck
from medbill.domain.money import Money
from medbill.services import eligibility, estimate_accuracy, good_faith

router = APIRouter(tags=["eligibility"])
X12 = "application/edi-x12"
PDF = "application/pdf"


def _money(cents: int | None) -> str | None:
    return None if cents is None else str(Money(cents))


class CostShareOut(BaseModel):
    service_type: str
    network: str = Field(description="in, out, or any (stated for both networks or not stated)")
    level: str = Field(description="individual or family")
    copay: str | None
    coinsurance_percent: str | None
    deductible: str | None
    deductible_remaining: str | None
    out_of_pocket: str | None
    out_of_pocket_remaining: str | None
    authorization_required: bool
    non_covered: bool
    limitations: list[str]


class OtherPayerOut(BaseModel):
    name: str
    payer_id: str | None
    member_id: str | None


class RejectionOut(BaseModel):
    loop: str
    code: str
    reason: str
    follow_up: str


class BenefitsOut(BaseModel):
    status: str
    member_id: str | None
    plan_name: str | None
    group_number: str | None
    plan_begin: date | None
    plan_end: date | None
    deductible_remaining: str | None = Field(description="in network, the lesser of individual and family")
    out_of_pocket_remaining: str | None
    coinsurance_percent: str | None
    shares: list[CostShareOut]
    other_payers: list[OtherPayerOut]
    rejections: list[RejectionOut]
    messages: list[str]


class EligibilityCheckOut(BaseModel):
    id: str
    patient_id: str
    coverage_id: str
    payer_id: str
    appointment_id: str | None
    status: str = Field(description="pending, active, inactive, rejected or error")
    member_id: str
    service_types: list[str]
    trace_number: str
    requested_at: datetime
    answered_at: datetime | None
    benefits: BenefitsOut | None
    problems: list[str]

    @classmethod
    def of(cls, c: EligibilityCheck) -> EligibilityCheckOut:
        b = c.benefits
        benefits = None
        if b is not None:
            percent = b.coinsurance_percent()
            benefits = BenefitsOut(
                status=b.status.value,
                member_id=b.member_id,
                plan_name=b.plan_name,
                group_number=b.group_number,
                plan_begin=b.plan_begin,
                plan_end=b.plan_end,
                deductible_remaining=_money(b.deductible_remaining_cents()),
                out_of_pocket_remaining=_money(b.out_of_pocket_remaining_cents()),
                coinsurance_percent=None if percent is None else f"{percent:f}",
                shares=[
                    CostShareOut(
                        service_type=s.service_type,
                        network=s.network.value,
                        level=s.level.value,
                        copay=_money(s.copay_cents),
                        coinsurance_percent=None if s.coinsurance_percent is None else f"{s.coinsurance_percent:f}",
                        deductible=_money(s.deductible_cents),
                        deductible_remaining=_money(s.deductible_remaining_cents),
                        out_of_pocket=_money(s.out_of_pocket_cents),
                        out_of_pocket_remaining=_money(s.out_of_pocket_remaining_cents),
                        authorization_required=s.authorization_required,
                        non_covered=s.non_covered,
                        limitations=list(s.limitations),
                    )
                    for s in b.shares
                ],
                other_payers=[
                    OtherPayerOut(name=p.name, payer_id=p.payer_id, member_id=p.member_id) for p in b.other_payers
                ],
                rejections=[
                    RejectionOut(loop=r.loop, code=r.code, reason=r.reason, follow_up=r.follow_up) for r in b.rejections
                ],
                messages=list(b.messages),
            )
        return cls(
            id=c.id,
            patient_id=c.patient_id,
            coverage_id=c.coverage_id,
            payer_id=c.payer_id,
            appointment_id=c.appointment_id,
            status=c.status.value,
            member_id=c.member_id,
            service_types=list(c.service_types),
            trace_number=c.trace_number,
            requested_at=c.requested_at,
            answered_at=c.answered_at,
            benefits=benefits,
            problems=list(c.problems),
        )


class EligibilityCheckIn(Strict):
    coverage_id: str | None = Field(None, description="default: the primary coverage in force on the day")
    service_types: list[str] = Field(default=["30"], examples=[["30", "98"]], description="X12 EQ01 codes")
    appointment_id: str | None = Field(None, description="the visit asked about: its day is the date of service")
    mailbox: str | None = Field(
        None, description="clearinghouse connection name (default: the only one, or the sandbox)"
    )


@router.post("/patients/{patient_id}/eligibility", response_model=EligibilityCheckOut, status_code=201)
def check(
    patient_id: str, body: EligibilityCheckIn, request: Request, deps: DepsDep, actor: ActorDep
) -> EligibilityCheckOut:
    """Send a 270 for the coverage and take in the 271 (pending when the mailbox answers later)."""
    box = bootstrap.clearinghouse(request.app.state.container, body.mailbox)
    done = eligibility.check_eligibility(
        deps,
        actor,
        box,
        patient_id,
        coverage_id=body.coverage_id,
        service_types=tuple(body.service_types),
        appointment_id=body.appointment_id,
    )
    return EligibilityCheckOut.of(done)


@router.get("/patients/{patient_id}/eligibility", response_model=list[EligibilityCheckOut])
def checks(
    patient_id: str, deps: DepsDep, actor: ActorDep, limit: int = Query(50, ge=1, le=500)
) -> list[EligibilityCheckOut]:
    """The patient's checks, newest first."""
    return [EligibilityCheckOut.of(c) for c in eligibility.patient_checks(deps, actor, patient_id, limit=limit)]


@router.get(
    "/eligibility-checks/{check_id}/271",
    response_class=Response,
    responses={200: {"content": {X12: {"schema": {"type": "string", "format": "binary"}}}}},
)
def raw_271(check_id: str, deps: DepsDep, actor: ActorDep) -> Response:
    """The 271 byte for byte as the payer sent it (the read is audited)."""
    return Response(
        eligibility.raw_271(deps, actor, check_id),
        media_type=X12,
        headers={"Content-Disposition": f'attachment; filename="271-{check_id}.x12"'},
    )


@router.get(
    "/appointments/{appointment_id}/estimate.pdf",
    response_class=Response,
    responses={200: {"content": {PDF: {"schema": {"type": "string", "format": "binary"}}}}},
)
def estimate_pdf(appointment_id: str, deps: DepsDep, actor: ActorDep) -> Response:
    """The printable estimate: the good-faith estimate (No Surprises Act) for a self-pay patient, else the insured
    patient's cost estimate."""
    found = good_faith.printable_estimate(deps, actor, appointment_id)
    kind = "good-faith-estimate" if found.document.self_pay else "estimate"
    return Response(
        found.pdf, media_type=PDF, headers={"Content-Disposition": f'inline; filename="{kind}-{appointment_id}.pdf"'}
    )


class PayerAccuracyOut(BaseModel):
    payer: str
    visits: int
    estimated_patient: str
    actual_patient: str
    estimated_insurance: str
    actual_insurance: str
    mean_absolute_difference: str
    within_tolerance: int
    over_dispute_threshold: int


class AccuracyOut(BaseModel):
    start: date
    end: date
    tolerance: str
    payers: list[PayerAccuracyOut]
    not_compared: list[str]


@router.get("/reports/estimate-accuracy", response_model=AccuracyOut)
def accuracy(
    deps: DepsDep,
    actor: ActorDep,
    start: date = Query(..., alias="from", description="first appointment day, YYYY-MM-DD"),
    end: date | None = Query(None, alias="to", description="last day (default: the first)"),
    tolerance_cents: int = Query(500, ge=0, alias="tolerance_cents"),
) -> AccuracyOut:
    """Estimates computed again as of each appointment against what the payers paid and put on the patient."""
    report = estimate_accuracy.estimate_accuracy(deps, actor, start, end or start, tolerance_cents=tolerance_cents)
    return AccuracyOut(
        start=report.start,
        end=report.end,
        tolerance=str(Money(report.tolerance_cents)),
        payers=[
            PayerAccuracyOut(
                payer=p.payer,
                visits=p.visits,
                estimated_patient=str(Money(p.estimated_patient_cents)),
                actual_patient=str(Money(p.actual_patient_cents)),
                estimated_insurance=str(Money(p.estimated_insurance_cents)),
                actual_insurance=str(Money(p.actual_insurance_cents)),
                mean_absolute_difference=str(Money(p.mean_absolute_difference_cents)),
                within_tolerance=p.within_tolerance,
                over_dispute_threshold=p.over_dispute_threshold,
            )
            for p in report.payers
        ],
        not_compared=list(report.not_compared),
    )
