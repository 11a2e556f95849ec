"""835 writing: a Remittance to the segments between ST and SE, CAS and PLB grouped as the guide allows."""

from __future__ import annotations

from medbill.domain.remittance import (
    Adjustment,
    ClaimPayment,
    Remittance,
    ServicePayment,
)
from medbill.formats.x12.common import (
    fmt_procedure,
    write_address,
    write_n1,
    write_nm1,
    write_per,
    write_refs,
)
from medbill.formats.x12.syntax import (
    SegmentWriter,
    fmt_cents,
    fmt_date,
    fmt_decimal,
    fmt_opt_cents,
)


def write_cas(w: SegmentWriter, adjustments: tuple[Adjustment, ...]) -> None:
    """CAS segments: one per group, at most six reasons each, in the order given."""
    i = 0
    n = len(adjustments)
    while i < n:
        group = adjustments[i].group
        items: list[str] = ["CAS", group.value]
        k = 0
        while i < n and adjustments[i].group is group and k < 6:
            a = adjustments[i]
            items += [a.carc, fmt_cents(a.amount_cents), fmt_decimal(a.quantity)]
            i += 1
            k += 1
        w.seg(*items)


# --- writing ----------------------------------------------------------------------------------------------


def write_835_body(w: SegmentWriter, r: Remittance) -> None:
    """The segments between ST and SE for one remittance."""
    p = r.payment
    banking = list(p.banking) + [""] * (10 - len(p.banking))
    w.seg(
        "BPR",
        p.handling,
        fmt_cents(p.amount_cents),
        p.credit_debit,
        p.method,
        p.format or "",
        *banking[:10],
        fmt_date(p.date),
    )
    w.seg("TRN", "1", p.trace_number, p.originator_id, p.originator_supplemental or "")
    if r.currency:
        w.seg("CUR", *r.currency)
    if r.receiver_id:
        w.seg("REF", "EV", r.receiver_id)
    if r.version_id:
        w.seg("REF", "F2", r.version_id)
    if r.production_date:
        w.seg("DTM", "405", fmt_date(r.production_date))
    for entity in (r.payer, r.payee):
        write_n1(w, entity)
        write_address(w, entity)
        write_refs(w, entity.references)
        for c in entity.contacts:
            write_per(w, c)
    current: str | None = None
    for claim in r.claims:
        header = claim.header_number or "1"
        if header != current:
            current = header
            w.seg("LX", header)
            for h, seg in r.summaries:
                if h == header:
                    w.seg(*seg)
        _write_claim(w, claim)
    for plb in _group_plb(w, r):
        w.seg(*plb)


def _write_claim(w: SegmentWriter, c: ClaimPayment) -> None:
    w.seg(
        "CLP",
        c.claim_id,
        c.status.value,
        fmt_cents(c.charge_cents),
        fmt_cents(c.paid_cents),
        fmt_opt_cents(c.patient_responsibility_cents),
        c.filing_indicator,
        c.payer_claim_number or "",
        c.facility_type or "",
        c.frequency or "",
        "",
        c.drg_code or "",
        fmt_decimal(c.drg_weight),
        fmt_decimal(c.discharge_fraction),
    )
    write_cas(w, c.adjustments)
    for e in c.entities:
        write_nm1(w, e)
    if c.inpatient:
        w.seg("MIA", *c.inpatient)
    if c.outpatient:
        w.seg("MOA", *c.outpatient)
    write_refs(w, c.references)
    for d in c.dates:
        w.seg("DTM", d.qualifier, fmt_date(d.date))
    for per in c.contacts:
        w.seg("PER", *per)
    for a in c.amounts:
        w.seg("AMT", a.qualifier, fmt_cents(a.amount_cents))
    for q in c.quantities:
        w.seg("QTY", q.qualifier, fmt_decimal(q.quantity))
    for line in c.lines:
        _write_line(w, line)


def _write_line(w: SegmentWriter, s: ServicePayment) -> None:
    w.seg(
        "SVC",
        fmt_procedure(w, s.procedure),
        fmt_cents(s.charge_cents),
        fmt_cents(s.paid_cents),
        s.revenue_code or "",
        fmt_decimal(s.units_paid),
        fmt_procedure(w, s.original_procedure) if s.original_procedure else "",
        fmt_decimal(s.original_units),
    )
    for d in s.dates:
        w.seg("DTM", d.qualifier, fmt_date(d.date))
    write_cas(w, s.adjustments)
    if s.line_control_number is not None:
        w.seg("REF", "6R", s.line_control_number)
    write_refs(w, s.references)
    for a in s.amounts:
        w.seg("AMT", a.qualifier, fmt_cents(a.amount_cents))
    for q in s.quantities:
        w.seg("QTY", q.qualifier, fmt_decimal(q.quantity))
    for rm in s.remarks:
        w.seg("LQ", rm.qualifier, rm.code)


def _group_plb(w: SegmentWriter, r: Remittance) -> list[list[str]]:
    """PLB segments: adjustments of one provider and fiscal period together, at most six per segment."""
    out: list[list[str]] = []
    current: list[str] | None = None
    key: tuple[str, str] | None = None
    for a in r.provider_adjustments:
        k = (a.provider_id, fmt_date(a.fiscal_period_end))
        if current is None or k != key or len(current) >= 15:
            current = ["PLB", k[0], k[1]]
            out.append(current)
            key = k
        reason = w.comp(a.reason, a.reference or "")
        current += [reason, fmt_cents(a.amount_cents)]
    return out
