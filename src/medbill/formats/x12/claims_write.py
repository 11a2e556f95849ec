"""837P and 837I writing: claims grouped into 2000A/2000B/2000C HL loops, segments in the guides' order."""

from __future__ import annotations

from datetime import date

from medbill.domain.claims import (
    Claim,
    ClaimAdjustment,
    ClaimBatch,
    ClaimKind,
    DatedEvent,
    Insured,
    NamedEntity,
    ServiceLine,
)
from medbill.formats.x12.claims_loops import _PRV_CODE
from medbill.formats.x12.common import (
    fmt_procedure,
    write_address,
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

# --- writing ----------------------------------------------------------------------------------------------

_CLAIM_EXTRA_BEFORE_REF = ("CN1", "AMT")
_CLAIM_EXTRA_AFTER_NTE = ("K3", "CR1", "CR2", "CRC")


def write_837_body(w: SegmentWriter, batch: ClaimBatch) -> None:
    """The segments between ST and SE for one 837 batch; claims grouped into 2000A/2000B/2000C HL loops."""
    w.seg(
        "BHT",
        "0019",
        batch.purpose,
        batch.reference,
        fmt_date(batch.created),
        batch.created_time,
        batch.claim_or_encounter,
    )
    _entity(w, batch.submitter)
    _entity(w, batch.receiver)
    hl = 0
    i = 0
    claims = batch.claims
    n = len(claims)
    while i < n:
        first = claims[i]
        hl += 1
        provider_hl = hl
        w.seg("HL", str(hl), "", "20", "1")
        bp = first.billing_provider
        if bp.taxonomy:
            w.seg("PRV", "BI", "PXC", bp.taxonomy)
        _entity(w, bp, taxonomy=False)
        if first.pay_to_provider is not None:
            _entity(w, first.pay_to_provider)
        while i < n and claims[i].billing_provider == bp and claims[i].pay_to_provider == first.pay_to_provider:
            head = claims[i]
            hl += 1
            sub_hl = hl
            w.seg("HL", str(hl), str(provider_hl), "22", "0" if head.patient is None else "1")
            _subscriber(w, head.subscriber)
            if head.patient is not None:
                hl += 1
                w.seg("HL", str(hl), str(sub_hl), "23", "0")
                p = head.patient
                w.seg("PAT", p.relationship)
                _entity(w, p.person, birth=p.birth_date, sex=p.sex)
            while (
                i < n
                and claims[i].billing_provider == bp
                and claims[i].subscriber == head.subscriber
                and claims[i].patient == head.patient
                and claims[i].pay_to_provider == first.pay_to_provider
            ):
                _claim(w, claims[i])
                i += 1


def _entity(
    w: SegmentWriter, e: NamedEntity, *, taxonomy: bool = True, birth: date | None = None, sex: str | None = None
) -> None:
    write_nm1(w, e)
    write_address(w, e)
    if birth is not None:
        w.seg("DMG", "D8", fmt_date(birth), sex or "")
    if taxonomy and e.taxonomy:
        w.seg("PRV", _PRV_CODE.get(e.role, "PE"), "PXC", e.taxonomy)
    write_refs(w, e.references)
    for c in e.contacts:
        write_per(w, c)


def _subscriber(w: SegmentWriter, s: Insured) -> None:
    w.seg(
        "SBR",
        s.responsibility,
        s.relationship or "",
        s.group_number or "",
        s.group_name or "",
        "",
        "",
        "",
        "",
        s.filing_indicator or "",
    )
    for x in s.extra:
        w.seg(*x)
    _entity(w, s.subscriber, birth=s.birth_date, sex=s.sex)
    _entity(w, s.payer)


def _dtp_out(w: SegmentWriter, d: DatedEvent) -> None:
    if d.qualifier == "096" and d.time is not None:
        w.seg("DTP", "096", "TM", d.time)  # 837I 2300 discharge hour: the time alone
    elif d.end is not None:
        w.seg("DTP", d.qualifier, "RD8", f"{fmt_date(d.start)}-{fmt_date(d.end)}")
    elif d.time is not None:
        w.seg("DTP", d.qualifier, "DT", fmt_date(d.start) + d.time)
    else:
        w.seg("DTP", d.qualifier, "D8", fmt_date(d.start))


def _hi_out(w: SegmentWriter, c: Claim) -> None:
    items: list[tuple[str, str]] = []
    for d in c.diagnoses:
        family = "dx" if c.kind is ClaimKind.PROFESSIONAL else ("dx" if d.qualifier in ("ABF", "BF") else d.qualifier)
        items.append((family, w.comp(d.qualifier, d.code, "", "", "", "", "", "", d.present_on_admission or "")))
    for e in c.codes:
        items.append(
            (
                e.qualifier,
                w.comp(e.qualifier, e.code, e.date_format or "", e.date_value or "", fmt_opt_cents(e.amount_cents)),
            )
        )
    k = 0
    while k < len(items):
        family = items[k][0]
        chunk = [items[k][1]]
        k += 1
        while k < len(items) and items[k][0] == family and len(chunk) < 12:
            chunk.append(items[k][1])
            k += 1
        w.seg("HI", *chunk)


def _claim(w: SegmentWriter, c: Claim) -> None:
    inst = c.kind is ClaimKind.INSTITUTIONAL
    w.seg(
        "CLM",
        c.patient_control_number,
        fmt_cents(c.total_charge_cents),
        "",
        "",
        w.comp(c.facility_code, "A" if inst else "B", c.frequency.value),
        "" if c.provider_signature is None else ("Y" if c.provider_signature else "N"),
        c.assignment,
        c.benefits_assigned,
        c.release_of_information,
        c.patient_signature_source or "",
        w.comp(*c.related_causes) if c.related_causes else "",
    )
    for d in c.dates:
        _dtp_out(w, d)
    if c.admission is not None:
        w.seg("CL1", *c.admission)
    for a in c.attachments:
        w.seg("PWK", a.report_type, a.transmission, "", "", "AC" if a.control_number else "", a.control_number or "")
    for x in c.extra:
        if x[0] in _CLAIM_EXTRA_BEFORE_REF:
            w.seg(*x)
    if c.original_claim_number is not None:
        w.seg("REF", "F8", c.original_claim_number)
    if c.prior_authorization is not None:
        w.seg("REF", "G1", c.prior_authorization)
    write_refs(w, c.references)
    for q, text in c.notes:
        w.seg("NTE", q, text)
    for x in c.extra:
        if x[0] in _CLAIM_EXTRA_AFTER_NTE:
            w.seg(*x)
    _hi_out(w, c)
    for x in c.extra:
        if x[0] not in _CLAIM_EXTRA_BEFORE_REF and x[0] not in _CLAIM_EXTRA_AFTER_NTE:
            w.seg(*x)
    for p in c.providers:
        _entity(w, p)
    for o in c.other_insurance:
        _other(w, o)
    for line in c.lines:
        _line(w, line, inst)


def _other(w: SegmentWriter, o: Insured) -> None:
    w.seg(
        "SBR",
        o.responsibility,
        o.relationship or "",
        o.group_number or "",
        o.group_name or "",
        "",
        "",
        "",
        "",
        o.filing_indicator or "",
    )
    _write_cas(w, o.adjustments)
    if o.paid_cents is not None:
        w.seg("AMT", "D", fmt_cents(o.paid_cents))
    refs = [x for x in o.extra if x[0] == "REF"]
    for x in o.extra:
        if x[0] == "AMT":
            w.seg(*x)
    if o.remaining_cents is not None:
        w.seg("AMT", "EAF", fmt_cents(o.remaining_cents))
    w.seg("OI", "", "", o.benefits_assigned or "", "", "", o.release_of_information or "")
    for x in o.extra:
        if x[0] not in ("AMT", "REF"):
            w.seg(*x)
    _entity(w, o.subscriber)
    _entity(w, o.payer)
    if o.adjudication_date is not None:
        w.seg("DTP", "573", "D8", fmt_date(o.adjudication_date))
    for x in refs:
        w.seg(*x)
    for p in o.providers:
        _entity(w, p)


def _write_cas(w: SegmentWriter, adjs: tuple[ClaimAdjustment, ...]) -> None:
    i = 0
    while i < len(adjs):
        group = adjs[i].group
        items = ["CAS", group]
        k = 0
        while i < len(adjs) and adjs[i].group == group and k < 6:
            a = adjs[i]
            items += [a.carc, fmt_cents(a.amount_cents), fmt_decimal(a.quantity)]
            i += 1
            k += 1
        w.seg(*items)


def _line(w: SegmentWriter, s: ServiceLine, inst: bool) -> None:
    w.seg("LX", str(s.number))
    if inst:
        w.seg(
            "SV2",
            s.revenue_code or "",
            fmt_procedure(w, s.procedure) if s.procedure else "",
            fmt_cents(s.charge_cents),
            s.unit_basis,
            fmt_decimal(s.units),
            "",
            fmt_opt_cents(s.non_covered_cents),
        )
    else:
        assert s.procedure is not None
        w.seg(
            "SV1",
            fmt_procedure(w, s.procedure),
            fmt_cents(s.charge_cents),
            s.unit_basis,
            fmt_decimal(s.units),
            s.place_of_service or "",
            "",
            w.comp(*(str(p) for p in s.diagnosis_pointers)),
            "",
            "Y" if s.emergency else "",
        )
    extra = s.extra
    if extra:
        _extras(w, extra, 0, 5)
    if s.service_date is not None:
        if s.service_date_end is None:
            w.seg("DTP", "472", "D8", fmt_date(s.service_date))
        else:
            w.seg("DTP", "472", "RD8", f"{fmt_date(s.service_date)}-{fmt_date(s.service_date_end)}")
    for d in s.dates:
        _dtp_out(w, d)
    if extra:
        _extras(w, extra, 5, 9)
    if s.line_control_number is not None:
        w.seg("REF", "6R", s.line_control_number)
    if s.references:
        write_refs(w, s.references)
    if extra:
        _extras(w, extra, 9, 12)
    for note in s.notes:
        w.seg("NTE", "ADD", note)
    if extra:
        _extras(w, extra, 12, 15)
    if s.drug_code is not None:
        w.seg("LIN", "", "N4", s.drug_code)
        w.seg("CTP", "", "", "", fmt_decimal(s.drug_quantity), s.drug_unit or "")
    if extra:
        _extras(w, extra, 15, 16)
    for p in s.providers:
        _entity(w, p)
    for a in s.other_payer_adjudications:
        w.seg(
            "SVD",
            a.payer_identifier,
            fmt_cents(a.paid_cents),
            fmt_procedure(w, a.procedure),
            "",
            fmt_decimal(a.paid_units),
            a.bundled_line_number or "",
        )
        _write_cas(w, a.adjustments)
        if a.adjudication_date is not None:
            w.seg("DTP", "573", "D8", fmt_date(a.adjudication_date))
    if extra:
        _extras(w, extra, 18, 99)


# 2400 segment order (837P guide): what a line keeps as sent is written back in its place
_LINE_RANK = {
    "PWK": 1,
    "CR1": 2,
    "CR3": 3,
    "CRC": 4,
    "QTY": 6,
    "MEA": 7,
    "CN1": 8,
    "AMT": 10,
    "K3": 11,
    "PS1": 13,
    "HCP": 14,
    "REF": 15,
    "LQ": 18,
    "FRM": 19,
}


def _extras(w: SegmentWriter, extra: tuple[tuple[str, ...], ...], lo: int, hi: int) -> None:
    for x in extra:
        if lo <= _LINE_RANK.get(x[0], 50) < hi:
            w.seg(*x)
