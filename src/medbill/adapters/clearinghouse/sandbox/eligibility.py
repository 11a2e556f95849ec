"""The sandbox payer's 271: each member of a 270 answered from its member plans, deterministically.

Active or inactive by the plan's coverage dates on the date of service asked (DTP*291, else today); the plan's
deductible and out-of-pocket maximum with what remains of them *now* (the sandbox's state, which its 835s consume);
coinsurance; and a copay per visit type (the payer's copay families, each under the X12 service type that names the
visit: 98 office visit, BY well visit). An unknown member ID is answered with AAA*Y**75*C (subscriber not found), a
payer the sandbox does not play with AAA*Y**79*C at the payer (2100A). Every answer is in network, individual level.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date, datetime

from medbill.adapters.clearinghouse.sandbox.adjudicator import SandboxState
from medbill.adapters.clearinghouse.sandbox.config import MemberPlan, SandboxPayer
from medbill.domain.claims import NamedEntity
from medbill.domain.eligibility import (
    Benefit,
    BenefitKind,
    CoverageLevel,
    DatedEntry,
    EligibilityInquiry,
    EligibilityRequest,
    EligibilityResponse,
    MemberEligibility,
    Network,
    ReceiverEligibility,
    Rejection,
    TimePeriod,
    Trace,
)

# The X12 service type (EB03) under which a copay family's copay is reported.
FAMILY_SERVICE_TYPES = {"office visit": "98", "preventive": "BY", "urgent care": "UC", "specialist": "98"}
# 835 CLP06 claim filing indicator → 271 EB04 insurance type code
_INSURANCE_TYPES = {"MB": "MB", "MA": "MA", "MC": "MC", "12": "PR", "HM": "HM", "CI": "C1"}

Digits = Callable[..., str]


def answer_270(
    request: EligibilityRequest,
    payers: Mapping[str, SandboxPayer],
    state: SandboxState,
    now: datetime,
    digits: Digits,
) -> EligibilityResponse:
    """The 271 transaction for one 270 transaction: one member answer per inquiry, receivers kept in order."""
    payer = payers.get(request.payer.identifier or "")
    if payer is None:
        return EligibilityResponse(
            reference=request.reference,
            created=now.date(),
            created_time=now.strftime("%H%M"),
            payer=request.payer,
            rejections=(Rejection(loop="2100A", valid=True, reason_code="79", follow_up_code="C"),),
        )
    receivers: dict[object, list[MemberEligibility]] = {}
    providers: dict[object, NamedEntity] = {}
    for inquiry in request.inquiries:
        key = inquiry.provider
        providers[key] = inquiry.provider
        receivers.setdefault(key, []).append(_member(inquiry, payer, state, now, digits))
    return EligibilityResponse(
        reference=request.reference,
        created=now.date(),
        created_time=now.strftime("%H%M"),
        payer=payer.entity,
        receivers=tuple(ReceiverEligibility(receiver=providers[k], members=tuple(m)) for k, m in receivers.items()),
    )


def _member(
    inquiry: EligibilityInquiry, payer: SandboxPayer, state: SandboxState, now: datetime, digits: Digits
) -> MemberEligibility:
    member_id = inquiry.subscriber.identifier or ""
    echoed = tuple(
        Trace(type_code="2", number=t.number, originator=t.originator, reference=t.reference)
        for t in inquiry.traces
        if t.type_code == "1"
    )
    own = Trace(
        type_code="1",
        number=digits("271", member_id, *(t.number for t in echoed), length=15),
        originator="1" + payer.tax_id,
    )
    base = MemberEligibility(
        provider=inquiry.provider,
        subscriber=inquiry.subscriber,
        subscriber_birth_date=inquiry.subscriber_birth_date,
        subscriber_sex=inquiry.subscriber_sex,
        dependent=inquiry.dependent,
        dependent_birth_date=inquiry.dependent_birth_date,
        dependent_sex=inquiry.dependent_sex,
        relationship=inquiry.relationship,
        traces=(*echoed, own),
    )
    plan = payer.member(member_id)
    if plan is None:
        loop = "2100D" if inquiry.dependent else "2100C"
        return replace(base, rejections=(Rejection(loop=loop, valid=True, reason_code="75", follow_up_code="C"),))
    day = inquiry.service_date or now.date()
    begin, end = _plan_dates(plan, day)
    kind = _INSURANCE_TYPES.get(payer.filing_indicator, "C1")
    name = payer.name[:50]
    if not _covered(plan, day):
        words = f"COVERAGE ENDED {plan.terminated.isoformat()}" if plan.terminated and plan.terminated < day else ""
        if plan.effective and day < plan.effective:
            words = f"COVERAGE BEGINS {plan.effective.isoformat()}"
        inactive = Benefit(
            kind=BenefitKind.INACTIVE,
            coverage_level=CoverageLevel.INDIVIDUAL,
            service_types=("30",),
            insurance_type=kind,
            plan_description=name,
            messages=(words,) if words else (),
        )
        return replace(base, dates=_dates(begin, end), benefits=(inactive,))
    return replace(base, dates=_dates(begin, end), benefits=_active_benefits(payer, plan, state, member_id, kind))


def _active_benefits(
    payer: SandboxPayer, plan: MemberPlan, state: SandboxState, member_id: str, kind: str
) -> tuple[Benefit, ...]:
    now = state.benefit_state(payer, member_id, plan)

    def eb(code: BenefitKind, service: str = "30", **values: object) -> Benefit:
        return Benefit(
            kind=code,
            coverage_level=CoverageLevel.INDIVIDUAL,
            service_types=(service,),
            insurance_type=kind,
            network=Network.IN,
            **values,  # type: ignore[arg-type]
        )

    found = [
        Benefit(
            kind=BenefitKind.ACTIVE,
            coverage_level=CoverageLevel.INDIVIDUAL,
            service_types=("30",),
            insurance_type=kind,
            plan_description=payer.name[:50],
        ),
        eb(BenefitKind.DEDUCTIBLE, time_period=TimePeriod.CALENDAR_YEAR, amount_cents=plan.deductible_cents),
        eb(BenefitKind.DEDUCTIBLE, time_period=TimePeriod.REMAINING, amount_cents=now.deductible_remaining_cents),
        eb(BenefitKind.COINSURANCE, percent=plan.coinsurance_percent),
    ]
    if plan.out_of_pocket_max_cents is not None:
        remaining = now.out_of_pocket_remaining_cents
        found += [
            eb(
                BenefitKind.OUT_OF_POCKET,
                time_period=TimePeriod.CALENDAR_YEAR,
                amount_cents=plan.out_of_pocket_max_cents,
            ),
            eb(BenefitKind.OUT_OF_POCKET, time_period=TimePeriod.REMAINING, amount_cents=max(0, remaining or 0)),
        ]
    if plan.copays:
        for family in payer.copays:
            service = FAMILY_SERVICE_TYPES.get(family.family, "1")
            found.append(eb(BenefitKind.COPAY, service, time_period=TimePeriod.VISIT, amount_cents=family.copay_cents))
    return tuple(found)


def _covered(plan: MemberPlan, day: date) -> bool:
    return (plan.effective is None or plan.effective <= day) and (plan.terminated is None or day <= plan.terminated)


def _plan_dates(plan: MemberPlan, day: date) -> tuple[date, date]:
    """DTP*346 plan begin and DTP*347 plan end: the calendar year of the date asked, cut by the coverage dates."""
    year = plan.terminated.year if plan.terminated and plan.terminated < day else day.year
    begin = max(plan.effective, date(year, 1, 1)) if plan.effective else date(year, 1, 1)
    end = min(plan.terminated, date(year, 12, 31)) if plan.terminated else date(year, 12, 31)
    return begin, max(begin, end)


def _dates(begin: date, end: date) -> tuple[DatedEntry, ...]:
    return (DatedEntry(qualifier="346", start=begin), DatedEntry(qualifier="347", start=end))
