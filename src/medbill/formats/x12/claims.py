"""837P (005010X222A1) and 837I (005010X223A2): claims read into ClaimBatch objects (writing: ``claims_write``)."""

from __future__ import annotations

from datetime import date

from medbill.domain.claims import (
    Attachment,
    Claim,
    ClaimBatch,
    ClaimKind,
    Insured,
    LineAdjudication,
    NamedEntity,
    Patient,
    Reference,
)
from medbill.formats.x12.claims_loops import (
    _at,
    _bad_lx,
    _build_claim,
    _build_line,
    _cas,
    _ClaimAcc,
    _hi,
    _InsuredAcc,
    _LineAcc,
    _misplaced,
    _SvdAcc,
    _Values,
)
from medbill.formats.x12.common import (
    EntityBuilder,
    opt,
    parse_procedure,
)
from medbill.formats.x12.envelope import RawTransaction
from medbill.formats.x12.errors import X12StructureError
from medbill.formats.x12.syntax import (
    ElementError,
    Segment,
    element,
    opt_decimal,
    req_cents,
    required,
    to_date,
    to_decimal,
)


def read_837(raw: RawTransaction) -> ClaimBatch:
    """The claims in one 837 transaction set (professional or institutional, from the implementation)."""
    kind = ClaimKind.INSTITUTIONAL if "X223" in raw.implementation else ClaimKind.PROFESSIONAL
    segs = raw.segments
    comp = raw.delimiters.component
    values = _Values(comp)
    bht: Segment | None = None
    submitter: EntityBuilder | None = None
    receiver: EntityBuilder | None = None
    level = ""
    billing_b: EntityBuilder | None = None
    pay_to_b: EntityBuilder | None = None
    billing: NamedEntity | None = None
    pay_to: NamedEntity | None = None
    taxonomy: str | None = None
    sub_acc: _InsuredAcc | None = None
    subscriber: Insured | None = None
    pat_rel: str | None = None
    pat_b: EntityBuilder | None = None
    pat_birth: date | None = None
    pat_sex: str | None = None
    patient: Patient | None = None
    claim: _ClaimAcc | None = None
    line: _LineAcc | None = None
    other: _InsuredAcc | None = None
    entity: EntityBuilder | None = None  # the NM1 whose N3/N4/REF/PER/PRV follow
    claims: list[Claim] = []
    claim_pos = 0
    line_pos = 0

    def close_svd() -> None:
        if line is not None and line.svd is not None:
            sv = line.svd.seg
            line.adjudications += (
                LineAdjudication(
                    payer_identifier=required(sv, 1, "the other payer id"),
                    paid_cents=req_cents(sv, 2, "the paid amount"),
                    procedure=parse_procedure(required(sv, 3, "the procedure"), comp, 3),
                    paid_units=to_decimal(required(sv, 5, "the paid units"), 5),
                    adjustments=tuple(line.svd.adjustments),
                    adjudication_date=line.svd.when,
                    bundled_line_number=opt(sv, 6),
                ),
            )
            line.svd = None

    def close_claim() -> None:
        nonlocal claim, line, other
        close_svd()
        if claim is not None:
            if line is not None:
                try:
                    claim.lines.append(_build_line(line, kind, values))
                except ElementError as exc:
                    raise _at(exc, line.seg or ["LX"], line_pos) from None
            assert billing is not None and subscriber is not None
            try:
                claims.append(_build_claim(claim, kind, billing, pay_to, subscriber, patient, comp))
            except ElementError as exc:
                raise _at(exc, claim.seg, claim_pos) from None
        claim = None
        line = None
        other = None

    pos = 0
    seg: Segment = segs[0]
    try:
        for pos in range(1, len(segs) - 1):
            seg = segs[pos]
            sid = seg[0]
            if entity is not None and sid in ("N3", "N4", "REF", "PER", "PRV"):
                entity.add(seg)
                continue
            if sid == "DMG":
                birth = to_date(required(seg, 2, "the birth date"), 2)
                if level == "23" and claim is None:
                    pat_birth, pat_sex = birth, opt(seg, 3)
                elif level == "22" and sub_acc is not None and claim is None:
                    sub_acc.birth, sub_acc.sex = birth, opt(seg, 3)
                elif other is not None:
                    other.extra.append(tuple(seg))
                else:
                    raise _misplaced(seg, "DMG after NM1*IL or NM1*QC")
                continue
            entity = None
            if sid == "NM1":
                role = seg[1] if len(seg) > 1 else ""
                b = EntityBuilder.from_nm1(seg)
                entity = b
                if line is not None:
                    if line.svd is not None:
                        raise _misplaced(seg, "NM1 before SVD in a service line")
                    line.providers += (b,)
                elif other is not None:
                    if role == "IL" and other.subscriber is None:
                        other.subscriber = b
                    elif role == "PR" and other.payer is None:
                        other.payer = b
                    else:
                        other.providers.append(b)
                elif claim is not None:
                    claim.providers.append(b)
                elif level == "":
                    if role == "41" and submitter is None:
                        submitter = b
                    elif role == "40" and receiver is None:
                        receiver = b
                    else:
                        raise _misplaced(seg, "NM1*41 then NM1*40 in the header")
                elif level == "20":
                    if role == "85" and billing_b is None:
                        billing_b = b
                        b.taxonomy = taxonomy
                    elif role in ("87", "PE"):
                        pay_to_b = b
                    else:
                        raise _misplaced(seg, "NM1*85, NM1*87 in 2000A")
                elif level == "22" and sub_acc is not None:
                    if role == "IL" and sub_acc.subscriber is None:
                        sub_acc.subscriber = b
                    elif role == "PR" and sub_acc.payer is None:
                        sub_acc.payer = b
                    else:
                        raise _misplaced(seg, "NM1*IL then NM1*PR in 2000B")
                elif level == "23" and role == "QC" and pat_b is None:
                    pat_b = b
                else:
                    raise _misplaced(seg, "an NM1 in its loop")
            elif sid == "DTP":
                event = values.dtp(seg)
                if line is not None:
                    if line.svd is not None:
                        line.svd.when = event.start
                    elif event.qualifier == "472":
                        line.start, line.end = event.start, event.end
                    else:
                        line.dates += (event,)
                elif other is not None and event.qualifier == "573":
                    other.adjudicated = event.start
                elif claim is not None:
                    claim.dates.append(event)
                else:
                    raise _misplaced(seg, "DTP in a claim or line")
            elif sid == "LX":
                if claim is None:
                    raise _misplaced(seg, "CLM before LX")
                close_svd()
                if line is not None:
                    try:
                        claim.lines.append(_build_line(line, kind, values))
                    except ElementError as exc:
                        raise _at(exc, line.seg or ["LX"], line_pos) from None
                other = None
                number = seg[1] if len(seg) > 1 else ""
                line = _LineAcc(int(number) if number.isdigit() and number.isascii() else _bad_lx(number))
                line_pos = pos
            elif sid in ("SV1", "SV2"):
                if line is None or line.seg is not None:
                    raise _misplaced(seg, f"LX before {sid}")
                if (sid == "SV1") != (kind is ClaimKind.PROFESSIONAL):
                    raise _misplaced(seg, "SV1 in an 837P, SV2 in an 837I")
                line.seg = seg
                line_pos = pos
            elif sid == "REF":
                if len(seg) < 3 or not seg[2]:
                    raise ElementError(2, "REF02 (the reference) is missing", expected="the reference")
                q = seg[1]
                value = seg[2]
                if line is not None:
                    if line.drug is not None and q in ("XZ", "VY") and not line.providers:
                        line.extra += (tuple(seg),)  # 2410 prescription or link sequence number
                    elif q == "6R" and line.lcn is None:
                        line.lcn = value
                    else:
                        line.refs += (Reference(qualifier=q, value=value),)
                elif other is not None:
                    other.extra.append(tuple(seg))
                elif claim is not None:
                    claim.refs.append(Reference(qualifier=q, value=value))
                else:
                    raise _misplaced(seg, "REF after its NM1 or in a claim")
            elif sid == "HL":
                close_claim()
                level = seg[3] if len(seg) > 3 else ""
                if level == "20":
                    billing_b = pay_to_b = None
                    billing = pay_to = None
                    taxonomy = None
                    subscriber = None
                elif level == "22":
                    if billing_b is None:
                        raise _misplaced(seg, "NM1*85 before the subscriber")
                    if billing is None:
                        billing = billing_b.build()
                        pay_to = pay_to_b.build() if pay_to_b else None
                    sub_acc = None
                    subscriber = None
                    patient = None
                elif level == "23":
                    if subscriber is None and sub_acc is not None:
                        subscriber = sub_acc.build()
                    pat_b = None
                    pat_rel = pat_birth = pat_sex = None
                    patient = None
                else:
                    raise ElementError(3, f"HL03 '{level}' is not an 837 level", expected="20, 22 or 23")
            elif sid == "CLM":
                close_claim()
                if level == "22" and sub_acc is not None and subscriber is None:
                    subscriber = sub_acc.build()
                if level == "23":
                    if pat_b is None or pat_rel is None:
                        raise _misplaced(seg, "PAT and NM1*QC before CLM in 2000C")
                    if patient is None:
                        patient = Patient(relationship=pat_rel, person=pat_b.build(), birth_date=pat_birth, sex=pat_sex)
                if subscriber is None or billing is None:
                    raise _misplaced(seg, "the billing provider and subscriber loops before CLM")
                claim = _ClaimAcc(seg)
                claim_pos = pos
            elif sid == "HI":
                if claim is None or line is not None:
                    raise _misplaced(seg, "HI in a claim, before LX")
                _hi(seg, comp, claim)
            elif sid == "CAS":
                adjs = _cas(seg)
                if line is not None and line.svd is not None:
                    line.svd.adjustments += adjs
                elif other is not None:
                    other.adjustments += adjs
                else:
                    raise _misplaced(seg, "CAS after SBR (2320) or SVD (2430)")
            elif sid == "SBR":
                if claim is not None:
                    if line is not None:
                        raise _misplaced(seg, "the other subscriber loops before LX")
                    other = _InsuredAcc(seg, pos)
                    claim.other.append(other)
                elif level == "22" and sub_acc is None:
                    sub_acc = _InsuredAcc(seg, pos)
                else:
                    raise _misplaced(seg, "SBR in 2000B or 2320")
            elif sid == "PAT":
                if level == "23" and claim is None:
                    pat_rel = required(seg, 1, "the patient's relationship to the subscriber")
                elif level == "22" and sub_acc is not None and claim is None:
                    sub_acc.extra.append(tuple(seg))
                else:
                    raise _misplaced(seg, "PAT in 2000B or 2000C")
            elif sid == "AMT":
                if other is not None:
                    q = element(seg, 1)
                    if q == "D":
                        other.paid = req_cents(seg, 2, "the payer paid amount")
                    elif q == "EAF":
                        other.remaining = req_cents(seg, 2, "the remaining liability")
                    else:
                        other.extra.append(tuple(seg))
                elif line is not None and line.svd is None:
                    line.extra += (tuple(seg),)
                elif claim is not None and line is None:
                    claim.extra.append(tuple(seg))
                elif line is not None:
                    continue  # 2430 AMT*EAF: remaining liability after the line adjudication
                else:
                    raise _misplaced(seg, "AMT in a claim")
            elif sid == "OI" and other is not None:
                other.oi = seg
            elif sid == "SVD":
                if line is None:
                    raise _misplaced(seg, "LX before SVD")
                close_svd()
                line.svd = _SvdAcc(seg)
            elif sid == "NTE":
                text = required(seg, 2, "the note")
                if line is not None:
                    line.notes += (text,)
                elif claim is not None:
                    claim.notes.append((element(seg, 1), text))
                else:
                    raise _misplaced(seg, "NTE in a claim or line")
            elif sid == "PWK":
                att = Attachment(
                    report_type=required(seg, 1, "the report type"),
                    transmission=required(seg, 2, "the transmission code"),
                    control_number=opt(seg, 6),
                )
                if line is not None:
                    line.extra += (tuple(seg),)
                elif claim is not None:
                    claim.attachments.append(att)
                else:
                    raise _misplaced(seg, "PWK in a claim or line")
            elif sid == "CL1" and claim is not None and line is None:
                claim.admission = (element(seg, 1), element(seg, 2), element(seg, 3))
            elif sid == "LIN" and line is not None:
                line.drug = (required(seg, 3, "the NDC"), None, None)
            elif sid == "CTP" and line is not None and line.drug is not None:
                unit = element(seg, 5).split(comp)[0] or None
                line.drug = (line.drug[0], opt_decimal(seg, 4), unit)
            elif sid in (
                "CN1",
                "K3",
                "CR1",
                "CR2",
                "CR3",
                "CRC",
                "HCP",
                "PS1",
                "MEA",
                "CN1",
                "QTY",
                "MOA",
                "MIA",
                "HSD",
                "FRM",
                "LQ",
                "CUR",
                "CR4",
                "CR5",
                "CR6",
                "CR7",
            ):
                if line is not None:
                    line.extra += (tuple(seg),)
                elif other is not None:
                    other.extra.append(tuple(seg))
                elif claim is not None:
                    claim.extra.append(tuple(seg))
                else:
                    raise _misplaced(seg, f"{sid} in a claim or line")
            elif sid == "PRV" and level == "20" and billing_b is None:
                taxonomy = opt(seg, 3)
            elif sid == "BHT" and pos == 1:
                bht = seg
            else:
                raise _misplaced(seg, f"a segment of the {kind.value} guide")
        close_claim()
    except ElementError as exc:
        raise _at(exc, seg, pos) from None
    if bht is None or submitter is None or receiver is None:
        raise X12StructureError(
            "the 837 header (BHT, NM1*41, NM1*40) is incomplete",
            code="x12_missing_segment",
            segment_position=2,
            segment_id="BHT",
            expected="BHT then NM1*41 and NM1*40",
        )
    try:
        created = to_date(required(bht, 4, "the creation date"), 4)
    except ElementError as exc:
        raise _at(exc, bht, 1) from None
    return ClaimBatch(
        kind=kind,
        reference=element(bht, 3),
        created=created,
        created_time=element(bht, 5),
        purpose=element(bht, 2),
        claim_or_encounter=element(bht, 6),
        submitter=submitter.build(),
        receiver=receiver.build(),
        claims=tuple(claims),
    )
