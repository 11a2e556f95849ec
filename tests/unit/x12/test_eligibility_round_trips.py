"""Any 270 and 271 we can build survives write then read unchanged (hypothesis over generated benefits)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medbill.domain.claims import EntityType, NamedEntity
from medbill.domain.eligibility import (
    REJECT_REASONS,
    Authorization,
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
from medbill.formats import x12
from tests.unit.x12.test_eligibility import ENVELOPE

TEXT = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ", min_size=1, max_size=12).map(str.strip).filter(bool)
PAYER = NamedEntity(role="PR", entity_type=EntityType.ORGANIZATION, name="SYNTHETIC HEALTH PLAN", id_qualifier="PI")
CLINIC = NamedEntity(
    role="1P", entity_type=EntityType.ORGANIZATION, name="EXAMPLE CLINIC", id_qualifier="XX", identifier="1234567893"
)
DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


def person(role: str) -> st.SearchStrategy[NamedEntity]:
    return st.builds(
        NamedEntity,
        role=st.just(role),
        entity_type=st.just(EntityType.PERSON),
        name=TEXT,
        first_name=st.none() | TEXT,
        id_qualifier=st.just("MI") if role == "IL" else st.none(),
        identifier=TEXT if role == "IL" else st.none(),
    )


def rejections(loop: str) -> st.SearchStrategy[tuple[Rejection, ...]]:
    one = st.builds(
        Rejection,
        loop=st.just(loop),
        valid=st.booleans(),
        reason_code=st.sampled_from(sorted(REJECT_REASONS)),
        follow_up_code=st.sampled_from("CNPRSWXY"),
    )
    return st.lists(one, max_size=2).map(tuple)


def benefits(loop: str) -> st.SearchStrategy[Benefit]:
    return st.builds(
        Benefit,
        kind=st.sampled_from(list(BenefitKind)),
        coverage_level=st.none() | st.sampled_from(list(CoverageLevel)),
        service_types=st.lists(st.sampled_from(["30", "1", "33", "98", "AL", "MH"]), max_size=3, unique=True).map(
            tuple
        ),
        plan_description=st.none() | TEXT,
        time_period=st.none() | st.sampled_from(list(TimePeriod)),
        amount_cents=st.none() | st.integers(0, 10**8),
        percent=st.none() | st.integers(0, 100).map(Decimal),
        authorization=st.none() | st.sampled_from(list(Authorization)),
        network=st.none() | st.sampled_from(list(Network)),
        dates=st.lists(st.builds(DatedEntry, qualifier=st.just("291"), start=DAYS), max_size=1).map(tuple),
        rejections=rejections(loop),
        messages=st.lists(TEXT, max_size=2).map(tuple),
        entities=st.lists(person("P3"), max_size=1).map(tuple),
    )


TRACE = st.builds(Trace, type_code=st.just("2"), number=TEXT, originator=st.none() | TEXT)


@st.composite
def members(draw: st.DrawFn) -> MemberEligibility:
    return MemberEligibility(
        provider=CLINIC,
        subscriber=draw(person("IL")),
        subscriber_birth_date=draw(st.none() | DAYS),
        subscriber_sex=draw(st.sampled_from([None, "F", "M"])),
        traces=(draw(TRACE),),
        rejections=draw(rejections("2100C")),
        dates=tuple(draw(st.lists(st.builds(DatedEntry, qualifier=st.just("346"), start=DAYS), max_size=1))),
        benefits=tuple(draw(st.lists(benefits("2110C"), max_size=4))),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(members(), min_size=1, max_size=3), rejections("2100B"), st.data())
def test_any_271_survives_write_then_read(
    answers: list[MemberEligibility], receiver_aaa: tuple[Rejection, ...], data: st.DataObject
) -> None:
    # a dependent of the first subscriber, answered on its own (2000D under that 2000C)
    first = answers[0]
    dependent = MemberEligibility(
        provider=CLINIC,
        subscriber=first.subscriber,
        subscriber_birth_date=first.subscriber_birth_date,
        subscriber_sex=first.subscriber_sex,
        dependent=data.draw(person("03")),
        dependent_birth_date=data.draw(st.none() | DAYS),
        relationship="19",
        traces=(data.draw(TRACE),),
        benefits=tuple(data.draw(st.lists(benefits("2110D"), max_size=2))),
    )
    doc = EligibilityResponse(
        reference="ELIG-1",
        created=date(2026, 3, 10),
        payer=PAYER,
        receivers=(ReceiverEligibility(receiver=CLINIC, rejections=receiver_aaa, members=(*answers, dependent)),),
    )
    (t,) = x12.read(x12.write_271([doc], ENVELOPE))
    assert t.document == doc


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(person("IL"), st.none() | person("03"), TRACE, DAYS), min_size=1, max_size=3))
def test_any_270_survives_write_then_read(asks: list[tuple[NamedEntity, NamedEntity | None, Trace, date]]) -> None:
    inquiries = tuple(
        EligibilityInquiry(
            provider=CLINIC,
            subscriber=sub,
            subscriber_birth_date=day,
            dependent=dep,
            traces=(trace,),
            service_types=("30", "98"),
            dates=(DatedEntry(qualifier="291", start=day),),
        )
        for sub, dep, trace, day in asks
    )
    doc = EligibilityRequest(reference="ELIG-1", created=date(2026, 3, 10), payer=PAYER, inquiries=inquiries)
    (t,) = x12.read(x12.write_270([doc], ENVELOPE))
    assert t.document == doc
