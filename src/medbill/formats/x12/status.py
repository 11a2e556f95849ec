"""276 claim status request (005010X212): read into a ClaimStatusRequest, and written from one."""

from __future__ import annotations

from datetime import date

from medbill.domain.acknowledgements import ClaimStatusQuery, ClaimStatusRequest, LineStatus
from medbill.domain.claims import NamedEntity, ProcedureCode, Reference
from medbill.formats.x12.common import (
    EntityBuilder,
    opt,
    parse_procedure,
    write_nm1,
    write_service_dates,
    write_svc,
)
from medbill.formats.x12.envelope import RawTransaction
from medbill.formats.x12.errors import X12StructureError, X12SyntaxError
from medbill.formats.x12.syntax import (
    ElementError,
    Segment,
    SegmentWriter,
    element,
    fmt_cents,
    fmt_date,
    req_cents,
    required,
    to_date,
)

IMPLEMENTATION = "005010X212"


def _range(seg: Segment) -> tuple[date, date | None]:
    value = required(seg, 3, "the date")
    if element(seg, 2) == "RD8":
        start, _, end = value.partition("-")
        return to_date(start, 3), to_date(end, 3)
    return to_date(value, 3), None


class _Query:
    __slots__ = (
        "account",
        "amount",
        "bill_type",
        "end",
        "lines",
        "patient",
        "patient_dmg",
        "payer_number",
        "provider",
        "refs",
        "start",
        "subscriber",
        "subscriber_dmg",
        "trace",
    )

    def __init__(
        self, provider: NamedEntity, subscriber: EntityBuilder | None, subscriber_dmg: tuple[date | None, str | None]
    ) -> None:
        self.provider = provider
        self.subscriber = subscriber
        self.subscriber_dmg = subscriber_dmg
        self.patient: EntityBuilder | None = None
        self.patient_dmg: tuple[date | None, str | None] = (None, None)
        self.trace: str | None = None
        self.payer_number: str | None = None
        self.bill_type: str | None = None
        self.account: str | None = None
        self.refs: list[Reference] = []
        self.amount: int | None = None
        self.start: date | None = None
        self.end: date | None = None
        self.lines: list[LineStatus] = []


def read_276(raw: RawTransaction) -> ClaimStatusRequest:
    """The questions in one 276 transaction set."""
    segs = raw.segments
    comp = raw.delimiters.component
    bht: Segment | None = None
    payer: EntityBuilder | None = None
    receiver: EntityBuilder | None = None
    provider: NamedEntity | None = None
    level = ""
    subscriber: EntityBuilder | None = None
    dmg: tuple[date | None, str | None] = (None, None)
    query: _Query | None = None
    line: list[object] | None = None
    queries: list[ClaimStatusQuery] = []

    def close_line() -> None:
        nonlocal line
        if line is not None and query is not None:
            s, lcn, start, end = line
            assert isinstance(s, list)
            proc: ProcedureCode | None = parse_procedure(s[1], comp, 1) if element(s, 1) else None
            query.lines.append(
                LineStatus(
                    procedure=proc,
                    charge_cents=req_cents(s, 2, "the line charge"),
                    revenue_code=opt(s, 4),
                    units=opt(s, 7),
                    line_control_number=lcn if isinstance(lcn, str) else None,
                    service_date=start if isinstance(start, date) else None,
                    service_date_end=end if isinstance(end, date) else None,
                )
            )
        line = None

    def close_query() -> None:
        nonlocal query
        close_line()
        if query is not None and query.trace is not None:
            if query.subscriber is None:
                raise ElementError(0, "a claim status query without the subscriber", expected="NM1*IL")
            queries.append(
                ClaimStatusQuery(
                    trace=query.trace,
                    provider=query.provider,
                    subscriber=query.subscriber.build(),
                    subscriber_birth_date=query.subscriber_dmg[0],
                    subscriber_sex=query.subscriber_dmg[1],
                    patient=query.patient.build() if query.patient else None,
                    patient_birth_date=query.patient_dmg[0],
                    patient_sex=query.patient_dmg[1],
                    payer_claim_number=query.payer_number,
                    bill_type=query.bill_type,
                    patient_account_number=query.account,
                    references=tuple(query.refs),
                    charge_cents=query.amount,
                    service_date=query.start,
                    service_date_end=query.end,
                    lines=tuple(query.lines),
                )
            )
        query = None

    pos = 0
    seg = segs[0]
    try:
        for pos in range(1, len(segs) - 1):
            seg = segs[pos]
            sid = seg[0]
            if sid == "HL":
                close_query()
                level = element(seg, 3)
                if level == "22":
                    subscriber = None
                    dmg = (None, None)
                    if provider is None:
                        raise ElementError(0, "a subscriber before the provider", expected="HL*…*19 and NM1*1P")
                    query = _Query(provider, None, dmg)
                elif level == "23":
                    if provider is None or subscriber is None:
                        raise ElementError(0, "a dependent before its subscriber", expected="HL*…*22 and NM1*IL")
                    query = _Query(provider, subscriber, dmg)
                elif level not in ("20", "21", "19"):
                    raise ElementError(3, f"HL03 '{level}' is not a 276 level", expected="20, 21, 19, 22 or 23")
            elif sid == "NM1":
                b = EntityBuilder.from_nm1(seg)
                if level == "20" and payer is None:
                    payer = b
                elif level == "21" and receiver is None:
                    receiver = b
                elif level == "19":
                    provider = b.build()
                elif level == "22" and query is not None and subscriber is None:
                    subscriber = b
                    query.subscriber = b
                    query.subscriber_dmg = dmg
                elif level == "23" and query is not None and query.patient is None:
                    query.patient = b
                else:
                    raise _misplaced(seg, "an NM1 in its loop")
            elif sid == "DMG":
                born = to_date(required(seg, 2, "the birth date"), 2)
                if level == "22":
                    dmg = (born, opt(seg, 3))
                elif level == "23" and query is not None:
                    query.patient_dmg = (born, opt(seg, 3))
                else:
                    raise _misplaced(seg, "DMG in 2000D or 2000E")
            elif sid == "TRN" and query is not None:
                query.trace = required(seg, 2, "the trace number")
            elif sid == "REF" and query is not None:
                q, value = element(seg, 1), required(seg, 2, "the reference")
                if line is not None and q == "FJ":
                    line[1] = value
                elif q == "1K":
                    query.payer_number = value
                elif q == "BLT":
                    query.bill_type = value
                elif q == "EJ":
                    query.account = value
                else:
                    query.refs.append(Reference(qualifier=q, value=value))
            elif sid == "AMT" and query is not None:
                query.amount = req_cents(seg, 2, "the claim charge")
            elif sid == "DTP" and query is not None:
                start, end = _range(seg)
                if line is not None:
                    line[2], line[3] = start, end
                else:
                    query.start, query.end = start, end
            elif sid == "SVC" and query is not None:
                close_line()
                line = [seg, None, None, None]
            elif sid == "BHT" and pos == 1:
                bht = seg
            else:
                raise _misplaced(seg, "a segment of the 276 guide")
        close_query()
        if bht is None or payer is None or receiver is None:
            raise ElementError(0, "the 276 has no BHT, payer or receiver", expected="BHT, NM1*PR, NM1*41")
        created = to_date(required(bht, 4, "the creation date"), 4)
    except ElementError as exc:
        if exc.position <= 0:
            raise X12StructureError(
                exc.message,
                code="x12_unexpected_segment" if exc.position < 0 else "x12_missing_segment",
                segment_position=pos + 1,
                segment_id=seg[0],
                expected=exc.expected,
            ) from None
        raise X12SyntaxError(
            exc.message,
            segment_position=pos + 1,
            segment_id=seg[0],
            element_position=exc.position,
            expected=exc.expected,
        ) from None
    return ClaimStatusRequest(
        reference=element(bht, 3),
        created=created,
        created_time=element(bht, 5),
        payer=payer.build(),
        receiver=receiver.build(),
        queries=tuple(queries),
    )


def _misplaced(seg: Segment, expected: str) -> ElementError:
    exc = ElementError(0, f"segment {seg[0]} is out of place", expected)
    exc.position = -1
    return exc


def write_276_body(w: SegmentWriter, request: ClaimStatusRequest) -> None:
    """The segments of a 276: payer, receiver, then each provider's subscribers and dependents with their claims."""
    w.seg("BHT", "0010", "13", request.reference, fmt_date(request.created), request.created_time)
    w.seg("HL", "1", "", "20", "1")
    write_nm1(w, request.payer)
    w.seg("HL", "2", "1", "21", "1")
    write_nm1(w, request.receiver)
    hl = 2
    queries = request.queries
    i = 0
    while i < len(queries):
        provider = queries[i].provider
        hl += 1
        provider_hl = hl
        w.seg("HL", str(hl), "2", "19", "1")
        write_nm1(w, provider)
        while i < len(queries) and queries[i].provider == provider:
            q = queries[i]
            i += 1
            hl += 1
            w.seg("HL", str(hl), str(provider_hl), "22", "0" if q.patient is None else "1")
            if q.subscriber_birth_date is not None:
                w.seg("DMG", "D8", fmt_date(q.subscriber_birth_date), q.subscriber_sex or "")
            write_nm1(w, q.subscriber)
            if q.patient is not None:
                hl += 1
                w.seg("HL", str(hl), str(hl - 1), "23")
                if q.patient_birth_date is not None:
                    w.seg("DMG", "D8", fmt_date(q.patient_birth_date), q.patient_sex or "")
                write_nm1(w, q.patient)
            w.seg("TRN", "1", q.trace)
            if q.payer_claim_number:
                w.seg("REF", "1K", q.payer_claim_number)
            if q.bill_type:
                w.seg("REF", "BLT", q.bill_type)
            if q.patient_account_number:
                w.seg("REF", "EJ", q.patient_account_number)
            for r in q.references:
                w.seg("REF", r.qualifier, r.value)
            if q.charge_cents is not None:
                w.seg("AMT", "T3", fmt_cents(q.charge_cents))
            write_service_dates(w, q.service_date, q.service_date_end)
            for line in q.lines:
                write_svc(w, line)
                if line.line_control_number:
                    w.seg("REF", "FJ", line.line_control_number)
                write_service_dates(w, line.service_date, line.service_date_end)
