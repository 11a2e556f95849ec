"""277CA (005010X214) and 277 (005010X212): the payer's claim-by-claim status, read and written."""

from __future__ import annotations

from datetime import date

from medbill.domain.acknowledgements import (
    ClaimAcknowledgement,
    ClaimStatusReport,
    LineStatus,
    ProviderStatus,
    StatusInfo,
)
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
from medbill.formats.x12.errors import X12StructureError
from medbill.formats.x12.functional_ack import _located, _unexpected
from medbill.formats.x12.syntax import (
    ElementError,
    Segment,
    SegmentWriter,
    element,
    fmt_cents,
    fmt_date,
    opt_cents,
    req_cents,
    required,
    to_cents,
    to_date,
)

# --- 277CA ------------------------------------------------------------------------------------------------


def parse_stc(seg: Segment, comp: str) -> StatusInfo:
    first = required(seg, 1, "the status").split(comp)
    if len(first) < 2:
        raise ElementError(1, f"STC01 '{seg[1]}' is not a status composite", expected="category:status[:entity]")
    more: list[tuple[str, str, str | None]] = []
    for i in (10, 11):
        text = element(seg, i)
        if text:
            p = text.split(comp)
            more.append((p[0], p[1] if len(p) > 1 else "", p[2] if len(p) > 2 and p[2] else None))
    when = element(seg, 2)
    paid = element(seg, 5)
    return StatusInfo(
        paid_cents=to_cents(paid, 5) if paid else None,
        payment=_trim(seg[6:10]),
        category=first[0],
        code=first[1],
        entity=first[2] if len(first) > 2 and first[2] else None,
        effective_date=to_date(when, 2) if when else None,
        action=opt(seg, 3),
        amount_cents=opt_cents(seg, 4),
        more=tuple(more),
        message=opt(seg, 12),
    )


def _trim(values: list[str]) -> tuple[str, ...]:
    n = len(values)
    while n and not values[n - 1]:
        n -= 1
    return tuple(values[:n])


def _dtp_range(seg: Segment) -> tuple[date, date | None]:
    fmt = element(seg, 2)
    value = required(seg, 3, "the date")
    if fmt == "RD8":
        start, _, end = value.partition("-")
        return to_date(start, 3), to_date(end, 3)
    return to_date(value, 3), None


class _ClaimAcc:
    __slots__ = (
        "account",
        "bill_type",
        "claim_id",
        "end",
        "level",
        "lines",
        "patient",
        "payer_number",
        "provider",
        "refs",
        "start",
        "statuses",
        "subscriber",
        "trace",
    )

    def __init__(self, level: str, provider: NamedEntity | None, subscriber: NamedEntity | None = None) -> None:
        self.level = level
        self.patient: EntityBuilder | None = None
        self.subscriber = subscriber
        self.account: str | None = None
        self.refs: list[Reference] = []
        self.provider = provider
        self.claim_id: str | None = None
        self.statuses: list[StatusInfo] = []
        self.payer_number: str | None = None
        self.trace: str | None = None
        self.bill_type: str | None = None
        self.start: date | None = None
        self.end: date | None = None
        self.lines: list[LineStatus] = []


class _LineAcc:
    __slots__ = ("end", "lcn", "seg", "start", "statuses")

    def __init__(self, seg: Segment) -> None:
        self.seg = seg
        self.statuses: list[StatusInfo] = []
        self.lcn: str | None = None
        self.start: date | None = None
        self.end: date | None = None


def read_277ca(raw: RawTransaction) -> ClaimAcknowledgement:
    """The claim-by-claim verdict in one 277CA (005010X214) transaction set."""
    return _read_277(raw, "277CA")


def read_277(raw: RawTransaction) -> ClaimAcknowledgement:
    """The claim status response in one 277 (005010X212) transaction set: the same shape as a 277CA."""
    return _read_277(raw, "277")


def _read_277(raw: RawTransaction, what: str) -> ClaimAcknowledgement:
    segs = raw.segments
    comp = raw.delimiters.component
    level = ""
    source: EntityBuilder | None = None
    receiver: EntityBuilder | None = None
    provider: EntityBuilder | None = None
    source_trace = receiver_trace = None
    received = processed = None
    receiver_statuses: list[StatusInfo] = []
    providers: list[ProviderStatus] = []
    provider_acc: list[StatusInfo] = []
    provider_trace: str | None = None
    claims_before = 0
    claims: list[ClaimStatusReport] = []
    claim: _ClaimAcc | None = None
    line: _LineAcc | None = None
    subscriber: NamedEntity | None = None

    def close_line() -> None:
        nonlocal line
        if line is not None and claim is not None:
            s = line.seg
            proc: ProcedureCode | None = parse_procedure(s[1], comp, 1) if element(s, 1) else None
            claim.lines.append(
                LineStatus(
                    procedure=proc,
                    charge_cents=req_cents(s, 2, "the line charge"),
                    revenue_code=opt(s, 4),
                    units=opt(s, 7),
                    statuses=tuple(line.statuses),
                    line_control_number=line.lcn,
                    service_date=line.start,
                    service_date_end=line.end,
                )
            )
        line = None

    def close_claim() -> None:
        nonlocal claim
        close_line()
        if claim is not None and not (claim.level == "22" and claim.claim_id is None and not claim.statuses):
            if claim.patient is None or claim.claim_id is None:
                raise ElementError(0, "a patient loop without NM1*QC or TRN", expected="NM1*QC and TRN*2*CLM01")
            claims.append(
                ClaimStatusReport(
                    claim_id=claim.claim_id,
                    billing_provider=claim.provider,
                    patient=claim.patient.build(),
                    subscriber=claim.subscriber,
                    patient_account_number=claim.account,
                    references=tuple(claim.refs),
                    statuses=tuple(claim.statuses),
                    payer_claim_number=claim.payer_number,
                    clearinghouse_trace=claim.trace,
                    bill_type=claim.bill_type,
                    service_date=claim.start,
                    service_date_end=claim.end,
                    lines=tuple(claim.lines),
                )
            )
        claim = None

    def close_provider() -> None:
        nonlocal provider, provider_trace, claims_before
        # a provider loop is kept when it says something beyond its claims: a trace, statuses, or no claims at all
        if provider is not None and (provider_trace is not None or provider_acc or len(claims) == claims_before):
            providers.append(
                ProviderStatus(provider=provider.build(), trace=provider_trace, statuses=tuple(provider_acc))
            )
        provider_acc.clear()
        provider_trace = None
        claims_before = len(claims)

    bht: Segment | None = None
    pos = 0
    seg = segs[0]
    try:
        for pos in range(1, len(segs) - 1):
            seg = segs[pos]
            sid = seg[0]
            if sid == "HL":
                close_claim()
                level = element(seg, 3)
                if level == "19":
                    close_provider()
                    provider = None
                elif level in ("PT", "22", "23"):
                    claim = _ClaimAcc(
                        level, provider.build() if provider is not None else None, subscriber if level == "23" else None
                    )
                elif level not in ("20", "21"):
                    raise ElementError(3, f"HL03 '{level}' is not a {what} level", expected="20, 21, 19, 22, 23 or PT")
            elif sid == "STC":
                info = parse_stc(seg, comp)
                if line is not None:
                    line.statuses.append(info)
                elif claim is not None:
                    claim.statuses.append(info)
                elif level == "19":
                    provider_acc.append(info)
                elif level == "21":
                    receiver_statuses.append(info)
                else:
                    raise _unexpected(seg, pos + 1, what)
            elif sid == "NM1":
                b = EntityBuilder.from_nm1(seg)
                if level == "20" and source is None:
                    source = b
                elif level == "21" and receiver is None:
                    receiver = b
                elif level == "19" and provider is None:
                    provider = b
                elif claim is not None and claim.patient is None:
                    claim.patient = b
                    if level == "22":
                        subscriber = b.build()
                else:
                    raise _unexpected(seg, pos + 1, what)
            elif sid == "TRN":
                value = required(seg, 2, "the trace number")
                if level == "20":
                    source_trace = value
                elif level == "21":
                    receiver_trace = value
                elif level == "19":
                    provider_trace = value
                elif claim is not None:
                    claim.claim_id = value
            elif sid == "REF":
                q, value = element(seg, 1), required(seg, 2, "the reference")
                if line is not None and q == "FJ":
                    line.lcn = value
                elif claim is not None and q == "1K":
                    claim.payer_number = value
                elif claim is not None and q == "D9":
                    claim.trace = value
                elif claim is not None and q == "BLT":
                    claim.bill_type = value
                elif claim is not None and q == "EJ":
                    claim.account = value
                elif claim is not None and line is None:
                    claim.refs.append(Reference(qualifier=q, value=value))
                elif level == "19" and provider is not None:
                    provider.add(seg)
                else:
                    raise _unexpected(seg, pos + 1, what)
            elif sid == "DTP":
                q = element(seg, 1)
                start, end = _dtp_range(seg)
                if line is not None:
                    line.start, line.end = start, end
                elif claim is not None:
                    claim.start, claim.end = start, end
                elif level == "20" and q == "050":
                    received = start
                elif level == "20" and q == "009":
                    processed = start
                else:
                    raise _unexpected(seg, pos + 1, what)
            elif sid == "SVC" and claim is not None:
                close_line()
                line = _LineAcc(seg)
            elif sid in ("QTY", "AMT") and level in ("21", "19"):
                continue  # batch totals (accepted/rejected counts and amounts): derived from the claims
            elif sid == "BHT" and pos == 1:
                bht = seg
            else:
                raise _unexpected(seg, pos + 1, what)
        close_claim()
        close_provider()
    except ElementError as exc:
        raise _located(exc, seg, pos + 1) from None
    if source is None or receiver is None:
        raise X12StructureError(
            f"the {what} has no information source or receiver",
            code="x12_missing_segment",
            segment_position=len(segs),
            segment_id="SE",
            expected="HL*…*20 and HL*…*21 loops",
        )
    created = None
    if bht is not None and element(bht, 4):
        try:
            created = to_date(bht[4], 4)
        except ElementError as exc:
            raise _located(exc, bht, 2) from None
    return ClaimAcknowledgement(
        source=source.build(),
        receiver=receiver.build(),
        reference=element(bht, 3) if bht else "",
        created=created,
        created_time=element(bht, 5) if bht else "",
        source_trace=source_trace,
        received=received,
        processed=processed,
        receiver_trace=receiver_trace,
        receiver_statuses=tuple(receiver_statuses),
        providers=tuple(providers),
        claims=tuple(claims),
    )


def _stc(w: SegmentWriter, s: StatusInfo) -> None:
    items = [
        "STC",
        w.comp(s.category, s.code, s.entity or ""),
        fmt_date(s.effective_date),
        s.action or "",
        "" if s.amount_cents is None else fmt_cents(s.amount_cents),
        "" if s.paid_cents is None else fmt_cents(s.paid_cents),
        *(list(s.payment) + [""] * (4 - len(s.payment))),
    ]
    for cat, code, ent in s.more:
        items.append(w.comp(cat, code, ent or ""))
    if s.message:
        items += [""] * (12 - len(items)) + [s.message]
    w.seg(*items)


def _charge(c: ClaimStatusReport) -> int:
    return next((s.amount_cents for s in c.statuses if s.amount_cents is not None), 0)


def _totals(w: SegmentWriter, claims: list[ClaimStatusReport], provider: bool) -> None:
    """2200B QTY*90/AA or 2200C QTY*QA/QC counts, then AMT*YU/YY amounts, of accepted and rejected claims."""
    accepted = [c for c in claims if c.accepted]
    rejected = [c for c in claims if not c.accepted]
    if accepted:
        w.seg("QTY", "QA" if provider else "90", str(len(accepted)))
    if rejected:
        w.seg("QTY", "QC" if provider else "AA", str(len(rejected)))
    if accepted:
        w.seg("AMT", "YU", fmt_cents(sum(_charge(c) for c in accepted)))
    if rejected:
        w.seg("AMT", "YY", fmt_cents(sum(_charge(c) for c in rejected)))


def _claim_status(w: SegmentWriter, c: ClaimStatusReport) -> None:
    write_nm1(w, c.patient)
    w.seg("TRN", "2", c.claim_id)
    for s in c.statuses:
        _stc(w, s)
    if c.payer_claim_number:
        w.seg("REF", "1K", c.payer_claim_number)
    if c.clearinghouse_trace:
        w.seg("REF", "D9", c.clearinghouse_trace)
    if c.bill_type:
        w.seg("REF", "BLT", c.bill_type)
    if c.patient_account_number:
        w.seg("REF", "EJ", c.patient_account_number)
    for r in c.references:
        w.seg("REF", r.qualifier, r.value)
    write_service_dates(w, c.service_date, c.service_date_end)
    for line in c.lines:
        write_svc(w, line)
        for s in line.statuses:
            _stc(w, s)
        if line.line_control_number:
            w.seg("REF", "FJ", line.line_control_number)
        write_service_dates(w, line.service_date, line.service_date_end)


def write_277ca_body(w: SegmentWriter, ack: ClaimAcknowledgement) -> None:
    """The segments between ST and SE of a 277CA: source, receiver, then each provider with its claims."""
    w.seg("BHT", "0085", "08", ack.reference, fmt_date(ack.created), ack.created_time, "TH")
    w.seg("HL", "1", "", "20", "1")
    write_nm1(w, ack.source)
    w.seg("TRN", "1", ack.source_trace or "0")
    if ack.received is not None:
        w.seg("DTP", "050", "D8", fmt_date(ack.received))
    if ack.processed is not None:
        w.seg("DTP", "009", "D8", fmt_date(ack.processed))
    w.seg("HL", "2", "1", "21", "1")
    write_nm1(w, ack.receiver)
    w.seg("TRN", "2", ack.receiver_trace or "0")
    for s in ack.receiver_statuses:
        _stc(w, s)
    _totals(w, list(ack.claims), provider=False)
    _providers_and_claims(w, ack, ca=True)


def _providers_and_claims(w: SegmentWriter, ack: ClaimAcknowledgement, *, ca: bool) -> None:
    """2000C provider loops, each with its claims (2000D PT in a 277CA; 2000D/2000E 22/23 in a 277)."""
    hl = 2
    claims = ack.claims
    written: set[int] = set()
    i = 0
    while i < len(claims):
        provider = claims[i].billing_provider
        group: list[ClaimStatusReport] = []
        while i < len(claims) and claims[i].billing_provider == provider:
            group.append(claims[i])
            i += 1
        known = next((n for n, p in enumerate(ack.providers) if p.provider == provider and n not in written), None)
        if known is not None:
            written.add(known)
        hl = _provider(w, hl, provider, ack.providers[known] if known is not None else None, group, ca=ca)
    for n, p in enumerate(ack.providers):
        if n not in written:
            hl = _provider(w, hl, p.provider, p, [], ca=ca)


def _provider(
    w: SegmentWriter,
    hl: int,
    provider: NamedEntity | None,
    status: ProviderStatus | None,
    group: list[ClaimStatusReport],
    *,
    ca: bool,
) -> int:
    hl += 1
    provider_hl = hl
    w.seg("HL", str(hl), "2", "19", "1" if group else "0")
    if provider is not None:
        write_nm1(w, provider)
    if ca or (status is not None and status.trace is not None):
        w.seg("TRN", "1", status.trace if status is not None and status.trace is not None else "0")
    for s in status.statuses if status is not None else ():
        _stc(w, s)
    if ca:
        _totals(w, group, provider=True)
    for c in group:
        hl += 1
        if ca:
            w.seg("HL", str(hl), str(provider_hl), "PT")
        elif c.subscriber is None:
            w.seg("HL", str(hl), str(provider_hl), "22", "0")
        else:
            w.seg("HL", str(hl), str(provider_hl), "22", "1")
            write_nm1(w, c.subscriber)
            hl += 1
            w.seg("HL", str(hl), str(hl - 1), "23")
        _claim_status(w, c)
    return hl


def write_277_body(w: SegmentWriter, ack: ClaimAcknowledgement) -> None:
    """The segments of a 277 claim status response (005010X212): payer, receiver, providers, then claims."""
    w.seg("BHT", "0010", "08", ack.reference, fmt_date(ack.created), ack.created_time, "DG")
    w.seg("HL", "1", "", "20", "1")
    write_nm1(w, ack.source)
    w.seg("HL", "2", "1", "21", "1" if ack.claims or ack.providers else "0")
    write_nm1(w, ack.receiver)
    if ack.receiver_trace is not None:
        w.seg("TRN", "2", ack.receiver_trace)
    for s in ack.receiver_statuses:
        _stc(w, s)
    _providers_and_claims(w, ack, ca=False)
