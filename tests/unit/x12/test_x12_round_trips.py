"""read(write(x)) == x over generated objects for the sets the other test files do not generate: 837I, 277CA,
277, 276 and TA1 (835, 999 and 837P have theirs next to their readers)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medbill.domain.acknowledgements import (
    ClaimAcknowledgement,
    ClaimStatusQuery,
    ClaimStatusReport,
    ClaimStatusRequest,
    InterchangeAckCode,
    InterchangeAcknowledgement,
    LineStatus,
    ProviderStatus,
    StatusInfo,
)
from medbill.domain.claims import ClaimKind, EntityType, NamedEntity, ProcedureCode, ServiceLine
from medbill.formats import x12
from tests.unit.x12.x12_helpers import claim_acknowledgement, claim_batch, institutional_claim

ENVELOPE = x12.Envelope(
    sender_id="SENDER01",
    receiver_id="RECEIVER01",
    interchange_control_number=77,
    group_control_number=77,
    created=datetime(2026, 3, 1, 9, 0),
)
_id = st.text("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=1, max_size=12)
_day = st.dates(date(2000, 1, 1), date(2099, 12, 31))
_cents = st.integers(0, 10**9)
_proc = st.builds(
    ProcedureCode,
    qualifier=st.just("HC"),
    code=st.sampled_from(["99213", "85025", "J3301"]),
    modifiers=st.lists(st.sampled_from(["25", "59", "LT"]), max_size=2).map(tuple),
)
_person = st.builds(
    NamedEntity,
    role=st.just("QC"),
    entity_type=st.just(EntityType.PERSON),
    name=_id,
    first_name=st.one_of(st.none(), _id),
    id_qualifier=st.just("MI"),
    identifier=_id,
)
_provider = st.builds(
    NamedEntity,
    role=st.just("85"),
    entity_type=st.just(EntityType.ORGANIZATION),
    name=_id,
    id_qualifier=st.just("XX"),
    identifier=st.sampled_from(["1234567893", "1245319599"]),
)
_status = st.builds(
    StatusInfo,
    category=st.sampled_from(["A1", "A2", "A3", "A7", "F1"]),
    code=st.sampled_from(["19", "20", "21", "562", "65"]),
    entity=st.one_of(st.none(), st.sampled_from(["PR", "85", "QC"])),
    effective_date=st.one_of(st.none(), _day),
    action=st.one_of(st.none(), st.sampled_from(["WQ", "U"])),
    amount_cents=st.one_of(st.none(), _cents),
    paid_cents=st.one_of(st.none(), _cents),
    message=st.one_of(st.none(), st.just("SEE REMARKS")),
)
_line_status = st.builds(
    LineStatus,
    procedure=_proc,
    charge_cents=_cents,
    statuses=st.lists(_status, max_size=2).map(tuple),
    line_control_number=st.one_of(st.none(), _id),
    service_date=st.one_of(st.none(), _day),
)


@st.composite
def _reports(draw: st.DrawFn, *, with_subscriber: bool) -> tuple[ClaimStatusReport, ...]:
    providers = draw(st.lists(_provider, min_size=1, max_size=2, unique_by=lambda p: p.name))
    out = []
    for provider in providers:  # claims of one provider sit together, as in the file
        for _ in range(draw(st.integers(1, 3))):
            out.append(
                ClaimStatusReport(
                    claim_id=draw(_id),
                    billing_provider=provider,
                    patient=draw(_person),
                    subscriber=dataclasses.replace(draw(_person), role="IL")
                    if with_subscriber and draw(st.booleans())
                    else None,
                    patient_account_number=draw(st.one_of(st.none(), _id)),
                    statuses=tuple(draw(st.lists(_status, min_size=1, max_size=3))),
                    payer_claim_number=draw(st.one_of(st.none(), _id)),
                    service_date=draw(st.one_of(st.none(), _day)),
                    lines=tuple(draw(st.lists(_line_status, max_size=2))),
                )
            )
    return tuple(out)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claims=_reports(with_subscriber=False), statuses=st.lists(_status, max_size=2))
def test_any_277ca_survives_write_then_read(claims: tuple[ClaimStatusReport, ...], statuses: list[StatusInfo]) -> None:
    base = claim_acknowledgement()
    providers = tuple(
        ProviderStatus(provider=p, trace="T" + (p.identifier or ""), statuses=tuple(statuses))
        for p in dict.fromkeys(c.billing_provider for c in claims)
        if p is not None
    )
    ack = dataclasses.replace(base, claims=claims, providers=providers)
    assert [t.document for t in x12.read(x12.write_277ca([ack], ENVELOPE))] == [ack]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claims=_reports(with_subscriber=True))
def test_any_277_survives_write_then_read(claims: tuple[ClaimStatusReport, ...]) -> None:
    base = claim_acknowledgement()
    resp = ClaimAcknowledgement(
        source=base.source,
        receiver=base.receiver,
        reference="R1",
        created=date(2026, 3, 1),
        created_time="0900",
        claims=claims,
    )
    assert [t.document for t in x12.read(x12.write_277([resp], ENVELOPE))] == [resp]


_query = st.builds(
    ClaimStatusQuery,
    trace=_id,
    provider=_provider.map(lambda p: dataclasses.replace(p, role="1P")),
    subscriber=_person.map(lambda p: dataclasses.replace(p, role="IL")),
    subscriber_birth_date=st.one_of(st.none(), _day),
    subscriber_sex=st.sampled_from(["F", "M"]),
    patient=st.one_of(st.none(), _person),
    patient_account_number=st.one_of(st.none(), _id),
    charge_cents=st.one_of(st.none(), _cents),
    service_date=st.one_of(st.none(), _day),
    lines=st.lists(_line_status.map(lambda x: dataclasses.replace(x, statuses=())), max_size=2).map(tuple),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(queries=st.lists(_query, min_size=1, max_size=4))
def test_any_276_survives_write_then_read(queries: list[ClaimStatusQuery]) -> None:
    # DMG carries birth date and sex together: no sex without a birth date
    queries = [dataclasses.replace(q, subscriber_sex=None) if q.subscriber_birth_date is None else q for q in queries]
    base = claim_acknowledgement()
    req = ClaimStatusRequest(
        reference="Q1", created=date(2026, 3, 1), payer=base.source, receiver=base.receiver, queries=tuple(queries)
    )
    assert [t.document for t in x12.read(x12.write_276([req], ENVELOPE))] == [req]


@settings(max_examples=40, deadline=None)
@given(
    lines=st.lists(
        st.tuples(
            st.sampled_from(["0450", "0300", "0250", "0636"]), st.one_of(st.none(), _proc), _cents, st.integers(1, 30)
        ),
        min_size=1,
        max_size=20,
    )
)
def test_any_institutional_claim_survives_write_then_read(
    lines: list[tuple[str, ProcedureCode | None, int, int]],
) -> None:
    items = tuple(
        ServiceLine(
            number=n,
            revenue_code=rev,
            procedure=proc,
            charge_cents=cents,
            units=Decimal(units),
            service_date=date(2026, 1, 6),
            line_control_number=f"L{n}",
        )
        for n, (rev, proc, cents, units) in enumerate(lines, start=1)
    )
    claim = dataclasses.replace(
        institutional_claim(), lines=items, total_charge_cents=sum(x.charge_cents for x in items)
    )
    batch = claim_batch([claim], ClaimKind.INSTITUTIONAL)
    assert [t.document for t in x12.read(x12.write_837([batch], ENVELOPE))] == [batch]


@settings(max_examples=40, deadline=None)
@given(
    acks=st.lists(
        st.builds(
            InterchangeAcknowledgement,
            control_number=st.integers(1, 10**9 - 1).map(lambda n: f"{n:09d}"),
            date=st.dates(date(2000, 1, 1), date(2099, 12, 31)),
            time=st.times().map(lambda t: time(t.hour, t.minute)),
            code=st.sampled_from(InterchangeAckCode),
            note_code=st.sampled_from(["000", "006", "022"]),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_any_ta1_survives_write_then_read(acks: list[InterchangeAcknowledgement]) -> None:
    assert [t.document for t in x12.read(x12.write_ta1(acks, ENVELOPE))] == acks
