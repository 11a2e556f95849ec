"""835 (005010X221A1) health care claim payment/advice read into a Remittance (writing: ``remittance_write``)."""

from __future__ import annotations

from medbill.domain.claims import Reference
from medbill.domain.remittance import (
    ClaimPayment,
    Payment,
    ProviderAdjustment,
    Quantity,
    Remittance,
)
from medbill.formats.x12.common import (
    EntityBuilder,
    nm1_from_plain,
    opt,
)
from medbill.formats.x12.envelope import RawTransaction
from medbill.formats.x12.errors import X12StructureError
from medbill.formats.x12.remittance_loops import (
    IMPLEMENTATION,
    _build_claim,
    _build_line,
    _Claim,
    _element_error,
    _Line,
    _misplaced,
    _Values,
)
from medbill.formats.x12.syntax import (
    ElementError,
    Segment,
    element,
    req_cents,
    required,
    to_date,
    to_decimal,
)

__all__ = ["IMPLEMENTATION", "read_835"]


_HEADER, _PAYER, _PAYEE, _CLAIMS, _SUMMARY = range(5)


def read_835(raw: RawTransaction) -> Remittance:
    """The remittance in one 835 transaction set; raises X12 errors naming the segment and element."""
    segs = raw.segments
    comp = raw.delimiters.component
    values = _Values(comp)
    state = _HEADER
    bpr: tuple[Segment, int] | None = None
    trn: tuple[Segment, int] | None = None
    production = None
    receiver_id = version_id = None
    currency: tuple[str, ...] = ()
    payer: EntityBuilder | None = None
    payee: EntityBuilder | None = None
    summaries: list[tuple[str, tuple[str, ...]]] = []
    header: str | None = None
    claims: list[ClaimPayment] = []
    plbs: list[ProviderAdjustment] = []
    claim: _Claim | None = None
    line: _Line | None = None
    last = len(segs) - 1
    pos = 1
    seg: Segment = segs[0]
    try:
        for pos in range(1, last):
            seg = segs[pos]
            sid = seg[0]
            if sid == "CAS":
                if line is not None:
                    line.adjustments += values.adjustments(seg)
                elif claim is not None:
                    claim.adjustments += values.adjustments(seg)
                else:
                    raise _misplaced(seg, "CLP or SVC before CAS")
            elif sid == "SVC":
                if claim is None:
                    raise _misplaced(seg, "CLP before SVC")
                if line is not None:
                    claim.lines.append(_build_line(line, values))
                line = _Line(seg, pos)
            elif sid == "DTM":
                entry = values.date_entry(seg)
                if line is not None:
                    line.dates.append(entry)
                elif claim is not None:
                    claim.dates.append(entry)
                elif state == _HEADER and element(seg, 1) == "405":
                    production = entry.date
                else:
                    raise _misplaced(seg, "DTM*405 in the header or a DTM in a claim or line")
            elif sid == "REF":
                q = element(seg, 1)
                value = required(seg, 2, "the reference")
                if line is not None:
                    if q == "6R" and line.lcn is None:
                        line.lcn = value
                    else:
                        line.references.append(Reference(qualifier=q, value=value))
                elif claim is not None:
                    claim.references.append(Reference(qualifier=q, value=value))
                elif state == _PAYER and payer is not None:
                    payer.add(seg)
                elif state == _PAYEE and payee is not None:
                    payee.add(seg)
                elif state == _HEADER and q == "EV":
                    receiver_id = value
                elif state == _HEADER and q == "F2":
                    version_id = value
                else:
                    raise _misplaced(seg, "REF in a known loop")
            elif sid == "CLP":
                if state not in (_CLAIMS,):
                    raise _misplaced(seg, "LX before CLP")
                if claim is not None:
                    if line is not None:
                        claim.lines.append(_build_line(line, values))
                        line = None
                    claims.append(_build_claim(claim, values))
                claim = _Claim(seg, pos, header)
            elif sid == "NM1":
                if claim is None or line is not None:
                    raise _misplaced(seg, "NM1 after CLP, before SVC")
                claim.entities.append(nm1_from_plain(seg))
            elif sid == "AMT":
                amount = values.amount(seg)
                if line is not None:
                    line.amounts.append(amount)
                elif claim is not None:
                    claim.amounts.append(amount)
                else:
                    raise _misplaced(seg, "AMT in a claim or line")
            elif sid == "LQ":
                if line is None:
                    raise _misplaced(seg, "LQ in a service line")
                line.remarks.append(values.remark(seg))
            elif sid == "QTY":
                qty = Quantity(qualifier=element(seg, 1), quantity=to_decimal(required(seg, 2, "a quantity"), 2))
                if line is not None:
                    line.quantities.append(qty)
                elif claim is not None:
                    claim.quantities.append(qty)
                else:
                    raise _misplaced(seg, "QTY in a claim or line")
            elif sid == "LX":
                if state not in (_PAYEE, _CLAIMS):
                    raise _misplaced(seg, "N1*PE before LX")
                if claim is not None:
                    if line is not None:
                        claim.lines.append(_build_line(line, values))
                        line = None
                    claims.append(_build_claim(claim, values))
                    claim = None
                state = _CLAIMS
                header = required(seg, 1, "the header number")
            elif sid in ("MIA", "MOA"):
                if claim is None or line is not None:
                    raise _misplaced(seg, f"{sid} after CLP, before SVC")
                if sid == "MIA":
                    claim.inpatient = tuple(seg[1:])
                else:
                    claim.outpatient = tuple(seg[1:])
            elif sid == "PER":
                if claim is not None and line is None:
                    claim.contacts.append(tuple(seg[1:]))
                elif state == _PAYER and payer is not None:
                    payer.add(seg)
                else:
                    raise _misplaced(seg, "PER in the payer loop or a claim")
            elif sid in ("TS3", "TS2"):
                if state != _CLAIMS or claim is not None or header is None:
                    raise _misplaced(seg, f"{sid} right after LX")
                summaries.append((header, tuple(seg)))
            elif sid == "N1":
                q = element(seg, 1)
                if q == "PR" and state == _HEADER:
                    state = _PAYER
                    payer = EntityBuilder.from_n1(seg)
                elif q == "PE" and state == _PAYER:
                    state = _PAYEE
                    payee = EntityBuilder.from_n1(seg)
                else:
                    raise _misplaced(seg, "N1*PR after the header, then N1*PE")
            elif sid in ("N3", "N4"):
                target = payer if state == _PAYER else payee if state == _PAYEE else None
                if target is None:
                    raise _misplaced(seg, f"{sid} in the payer or payee loop")
                target.add(seg)
            elif sid == "RDM" and state == _PAYEE:
                continue  # remittance delivery method: how the payer delivered this advice, nothing to keep
            elif sid == "PLB":
                if claim is not None:
                    if line is not None:
                        claim.lines.append(_build_line(line, values))
                        line = None
                    claims.append(_build_claim(claim, values))
                    claim = None
                state = _SUMMARY
                plbs += _parse_plb(seg, comp)
            elif sid == "BPR" and state == _HEADER and bpr is None:
                bpr = (seg, pos)
            elif sid == "TRN" and state == _HEADER and trn is None:
                trn = (seg, pos)
            elif sid == "CUR" and state == _HEADER:
                currency = tuple(seg[1:])
            else:
                raise X12StructureError(
                    f"segment {sid} is not expected here in an 835",
                    code="x12_unexpected_segment",
                    segment_position=pos + 1,
                    segment_id=sid,
                    expected="a segment of the 835 guide in order",
                )
        if claim is not None:
            if line is not None:
                claim.lines.append(_build_line(line, values))
            claims.append(_build_claim(claim, values))
        pos = last
        seg = segs[last]
        if bpr is None or trn is None:
            raise X12StructureError(
                "the 835 has no BPR or no TRN",
                code="x12_missing_segment",
                segment_position=2,
                segment_id="BPR",
                expected="BPR then TRN after ST",
            )
        if payer is None or payee is None:
            raise X12StructureError(
                "the 835 has no payer (N1*PR) or no payee (N1*PE)",
                code="x12_missing_segment",
                segment_position=last + 1,
                segment_id="SE",
                expected="N1*PR and N1*PE",
            )
        payment = _payment(bpr, trn)
    except ElementError as exc:
        raise _element_error(exc, seg, pos) from None
    return Remittance(
        payment=payment,
        payer=payer.build(),
        payee=payee.build(),
        production_date=production,
        receiver_id=receiver_id,
        version_id=version_id,
        currency=currency,
        summaries=tuple(summaries),
        claims=tuple(claims),
        provider_adjustments=tuple(plbs),
    )


def _payment(bpr: tuple[Segment, int], trn: tuple[Segment, int]) -> Payment:
    b, bpos = bpr
    t, tpos = trn
    try:
        handling = required(b, 1, "the transaction handling code")
        amount = req_cents(b, 2, "the payment amount")
        credit_debit = required(b, 3, "C or D")
        method = required(b, 4, "the payment method")
        paid_on = to_date(required(b, 16, "the payment date"), 16)
    except ElementError as exc:
        raise _element_error(exc, b, bpos) from None
    try:
        trace = required(t, 2, "the trace number")
        originator = required(t, 3, "the payer identifier")
    except ElementError as exc:
        raise _element_error(exc, t, tpos) from None
    banking = b[6:16]
    while banking and not banking[-1]:
        banking.pop()
    return Payment(
        handling=handling,
        amount_cents=amount,
        credit_debit=credit_debit,
        method=method,
        format=opt(b, 5),
        banking=tuple(banking),
        date=paid_on,
        trace_number=trace,
        originator_id=originator,
        originator_supplemental=opt(t, 4),
    )


def _parse_plb(seg: Segment, comp: str) -> list[ProviderAdjustment]:
    provider = required(seg, 1, "the provider identifier")
    period = to_date(required(seg, 2, "the fiscal period date"), 2)
    out: list[ProviderAdjustment] = []
    for i in range(3, min(len(seg), 15), 2):
        if not seg[i]:
            continue
        reason, _, reference = seg[i].partition(comp)
        out.append(
            ProviderAdjustment(
                provider_id=provider,
                fiscal_period_end=period,
                reason=reason,
                reference=reference or None,
                amount_cents=req_cents(seg, i + 1, "the amount"),
            )
        )
    return out
