"""837 reading, the parts: loop accumulators, composite parsers, shared values and the claim and line builders."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from medbill.domain.claims import (
    Attachment,
    Claim,
    ClaimAdjustment,
    ClaimFrequency,
    ClaimKind,
    CodeEntry,
    DatedEvent,
    Diagnosis,
    Insured,
    LineAdjudication,
    NamedEntity,
    Patient,
    ProcedureCode,
    Reference,
    ServiceLine,
)
from medbill.formats.x12.common import (
    EntityBuilder,
    opt,
    parse_procedure,
)
from medbill.formats.x12.construct import fast_constructor
from medbill.formats.x12.errors import X12StructureError, X12SyntaxError
from medbill.formats.x12.syntax import (
    ElementError,
    Segment,
    element,
    req_cents,
    required,
    to_cents,
    to_date,
    to_decimal,
    to_int,
)

PROFESSIONAL = "005010X222A1"
INSTITUTIONAL = "005010X223A2"

_FREQ = {f.value: f for f in ClaimFrequency}
_Claim = fast_constructor(Claim)
_ServiceLine = fast_constructor(ServiceLine)
_Insured = fast_constructor(Insured)
_DIAGNOSIS_QUALIFIERS = frozenset({"ABK", "ABF", "ABJ", "APR", "ABN", "BK", "BF", "BJ", "PR", "BN"})
_GROUPS = frozenset({"CO", "OA", "PI", "PR", "CR"})
_PRV_CODE = {"85": "BI", "82": "PE", "71": "AT", "72": "OP", "ZZ": "OT", "DN": "RF", "DK": "OR", "DQ": "SU"}


def _misplaced(seg: Segment, expected: str) -> ElementError:
    exc = ElementError(0, f"segment {seg[0]} is out of place", expected)
    exc.position = -1
    return exc


# --- reading ----------------------------------------------------------------------------------------------


class _InsuredAcc:
    __slots__ = (
        "adjudicated",
        "adjustments",
        "birth",
        "extra",
        "oi",
        "paid",
        "payer",
        "pos",
        "providers",
        "remaining",
        "sbr",
        "sex",
        "subscriber",
    )

    def __init__(self, sbr: Segment, pos: int = 0) -> None:
        self.sbr = sbr
        self.pos = pos
        self.subscriber: EntityBuilder | None = None
        self.payer: EntityBuilder | None = None
        self.birth: date | None = None
        self.sex: str | None = None
        self.paid: int | None = None
        self.remaining: int | None = None
        self.adjustments: list[ClaimAdjustment] = []
        self.adjudicated: date | None = None
        self.oi: Segment | None = None
        self.providers: list[EntityBuilder] = []
        self.extra: list[tuple[str, ...]] = []

    def build(self) -> Insured:
        s = self.sbr
        if self.subscriber is None or self.payer is None:
            raise ElementError(
                0,
                "a subscriber loop without its subscriber (NM1*IL) or payer (NM1*PR)",
                expected="NM1*IL and NM1*PR after SBR",
            )
        if len(s) < 10:
            s = s + _PAD[: 10 - len(s)]
        if not s[1]:
            raise ElementError(1, "SBR01 (the payer responsibility sequence) is missing", expected="P, S, T …")
        return _Insured(
            responsibility=s[1],
            relationship=s[2] or None,
            group_number=s[3] or None,
            group_name=s[4] or None,
            filing_indicator=s[9] or None,
            subscriber=self.subscriber.build(),
            payer=self.payer.build(),
            birth_date=self.birth,
            sex=self.sex,
            paid_cents=self.paid,
            remaining_cents=self.remaining,
            adjustments=tuple(self.adjustments),
            adjudication_date=self.adjudicated,
            benefits_assigned=opt(self.oi, 3) if self.oi else None,
            release_of_information=opt(self.oi, 6) if self.oi else None,
            providers=tuple([p.build() for p in self.providers]) if self.providers else (),
            extra=tuple(self.extra),
        )


class _SvdAcc:
    __slots__ = ("adjustments", "seg", "when")

    def __init__(self, seg: Segment) -> None:
        self.seg = seg
        self.adjustments: list[ClaimAdjustment] = []
        self.when: date | None = None


class _LineAcc:
    __slots__ = (
        "adjudications",
        "dates",
        "drug",
        "end",
        "extra",
        "lcn",
        "notes",
        "number",
        "providers",
        "refs",
        "seg",
        "start",
        "svd",
    )

    def __init__(self, number: int) -> None:
        self.number = number
        self.seg: Segment | None = None
        self.start: date | None = None
        self.end: date | None = None
        # tuples, grown by concatenation: most lines have none of these, so no list is made for them
        self.dates: tuple[DatedEvent, ...] = ()
        self.lcn: str | None = None
        self.refs: tuple[Reference, ...] = ()
        self.notes: tuple[str, ...] = ()
        self.drug: tuple[str, Decimal | None, str | None] | None = None
        self.providers: tuple[EntityBuilder, ...] = ()
        self.adjudications: tuple[LineAdjudication, ...] = ()
        self.svd: _SvdAcc | None = None
        self.extra: tuple[tuple[str, ...], ...] = ()


class _ClaimAcc:
    __slots__ = (
        "admission",
        "attachments",
        "codes",
        "dates",
        "diagnoses",
        "extra",
        "lines",
        "notes",
        "other",
        "providers",
        "refs",
        "seg",
    )

    def __init__(self, seg: Segment) -> None:
        self.seg = seg
        self.dates: list[DatedEvent] = []
        self.refs: list[Reference] = []
        self.notes: list[tuple[str, str]] = []
        self.attachments: list[Attachment] = []
        self.diagnoses: list[Diagnosis] = []
        self.codes: list[CodeEntry] = []
        self.admission: tuple[str, str, str] | None = None
        self.providers: list[EntityBuilder] = []
        self.other: list[_InsuredAcc] = []
        self.lines: list[ServiceLine] = []
        self.extra: list[tuple[str, ...]] = []


def _dtp(seg: Segment) -> DatedEvent:
    fmt = element(seg, 2)
    value = required(seg, 3, "the date")
    if fmt == "RD8":
        start, _, end = value.partition("-")
        return DatedEvent(qualifier=seg[1], start=to_date(start, 3), end=to_date(end, 3))
    if fmt == "DT":
        return DatedEvent(qualifier=seg[1], start=to_date(value[:8], 3), time=value[8:] or None)
    if fmt == "D8":
        return DatedEvent(qualifier=seg[1], start=to_date(value, 3))
    if fmt == "TM" and seg[1] == "096":  # 837I discharge hour carries no date: date.min stands for "not sent"
        return DatedEvent(qualifier="096", start=date.min, time=value)
    raise ElementError(2, f"DTP02 '{fmt}' is not a date format", expected="D8, RD8, DT (or TM for DTP*096)")


def _cas(seg: Segment) -> list[ClaimAdjustment]:
    group = element(seg, 1)
    if group not in _GROUPS:
        raise ElementError(1, f"CAS01 '{group}' is not a claim adjustment group", expected="CO, OA, PI or PR")
    out: list[ClaimAdjustment] = []
    for i in range(2, min(len(seg), 20), 3):
        if seg[i]:
            qty = element(seg, i + 2)
            out.append(
                ClaimAdjustment(
                    group=group,
                    carc=seg[i],
                    amount_cents=req_cents(seg, i + 1, "the amount"),
                    quantity=to_decimal(qty, i + 2) if qty else None,
                )
            )
    return out


def _hi(seg: Segment, comp: str, claim: _ClaimAcc) -> None:
    for i in range(1, min(len(seg), 13)):
        text = seg[i]
        if not text:
            continue
        parts = text.split(comp)
        if len(parts) < 2 or not parts[1]:
            raise ElementError(i, f"HI{i:02d} '{text}' is not a code composite", expected="qualifier:code")
        q = parts[0]
        if q in _DIAGNOSIS_QUALIFIERS:
            poa = parts[8] if len(parts) > 8 and parts[8] else None
            claim.diagnoses.append(Diagnosis(qualifier=q, code=parts[1], present_on_admission=poa))
        else:
            amount = parts[4] if len(parts) > 4 else ""
            claim.codes.append(
                CodeEntry(
                    qualifier=q,
                    code=parts[1],
                    date_format=parts[2] if len(parts) > 2 and parts[2] else None,
                    date_value=parts[3] if len(parts) > 3 and parts[3] else None,
                    amount_cents=req_cents(parts, 4, "the value amount") if amount else None,
                )
            )


class _Values:
    """Equal small values read once per transaction set and shared: procedures, units, pointers, dates."""

    __slots__ = ("comp", "dates", "numbers", "pointers", "procedures")

    def __init__(self, comp: str) -> None:
        self.comp = comp
        self.procedures: dict[str, ProcedureCode] = {}
        self.numbers: dict[str, Decimal] = {}
        self.pointers: dict[str, tuple[int, ...]] = {}
        self.dates: dict[tuple[str, ...], DatedEvent] = {}

    def procedure(self, text: str, index: int) -> ProcedureCode:
        found = self.procedures.get(text)
        if found is None:
            found = self.procedures[text] = parse_procedure(text, self.comp, index)
        return found

    def number(self, text: str, index: int) -> Decimal:
        found = self.numbers.get(text)
        if found is None:
            found = self.numbers[text] = to_decimal(text, index)
        return found

    def pointer_list(self, text: str) -> tuple[int, ...]:
        found = self.pointers.get(text)
        if found is None:
            found = self.pointers[text] = tuple(to_int(p, 7, "a diagnosis pointer 1-12") for p in text.split(self.comp))
        return found

    def dtp(self, seg: Segment) -> DatedEvent:
        key = tuple(seg)
        found = self.dates.get(key)
        if found is None:
            found = _dtp(seg)
            if len(self.dates) < 20_000:
                self.dates[key] = found
        return found


_PAD = [""] * 16


def _build_line(acc: _LineAcc, kind: ClaimKind, values: _Values) -> ServiceLine:
    s = acc.seg
    if s is None:
        raise ElementError(0, f"service line {acc.number} has no SV1/SV2", expected="SV1 or SV2 after LX")
    if len(s) < 10:
        s = s + _PAD[: 10 - len(s)]
    drug_code, drug_qty, drug_unit = acc.drug if acc.drug else (None, None, None)
    if s[0] == "SV1":
        if not s[1]:
            raise ElementError(1, "SV101 (the procedure) is missing", expected="qualifier:code")
        if not s[3] or not s[4]:
            raise ElementError(
                3 if not s[3] else 4,
                "SV103/SV104 (unit basis and units) are missing",
                expected="UN or MJ and a quantity",
            )
        return _ServiceLine(
            number=acc.number,
            procedure=values.procedure(s[1], 1),
            charge_cents=to_cents(s[2], 2),
            unit_basis=s[3],
            units=values.number(s[4], 4),
            place_of_service=s[5] or None,
            diagnosis_pointers=values.pointer_list(s[7]) if s[7] else (),
            emergency=s[9] == "Y",
            service_date=acc.start,
            service_date_end=acc.end,
            line_control_number=acc.lcn,
            references=acc.refs,
            notes=acc.notes,
            drug_code=drug_code,
            drug_quantity=drug_qty,
            drug_unit=drug_unit,
            dates=acc.dates,
            providers=tuple([p.build() for p in acc.providers]) if acc.providers else (),
            other_payer_adjudications=acc.adjudications,
            extra=acc.extra,
        )
    if not s[1]:
        raise ElementError(1, "SV201 (the revenue code) is missing", expected="a revenue code")
    if not s[4] or not s[5]:
        raise ElementError(
            4 if not s[4] else 5, "SV204/SV205 (unit basis and units) are missing", expected="UN or DA and a quantity"
        )
    return _ServiceLine(
        number=acc.number,
        revenue_code=s[1],
        procedure=values.procedure(s[2], 2) if s[2] else None,
        charge_cents=to_cents(s[3], 3),
        unit_basis=s[4],
        units=values.number(s[5], 5),
        non_covered_cents=to_cents(s[7], 7) if s[7] else None,
        service_date=acc.start,
        service_date_end=acc.end,
        line_control_number=acc.lcn,
        references=acc.refs,
        notes=acc.notes,
        drug_code=drug_code,
        drug_quantity=drug_qty,
        drug_unit=drug_unit,
        dates=acc.dates,
        providers=tuple([p.build() for p in acc.providers]) if acc.providers else (),
        other_payer_adjudications=acc.adjudications,
        extra=acc.extra,
    )


def _build_claim(
    acc: _ClaimAcc,
    kind: ClaimKind,
    billing: NamedEntity,
    pay_to: NamedEntity | None,
    subscriber: Insured,
    patient: Patient | None,
    comp: str,
) -> Claim:
    s = acc.seg
    facility = required(s, 5, "the facility code").split(comp)
    freq_code = facility[2] if len(facility) > 2 else ""
    frequency = _FREQ.get(freq_code)
    if frequency is None:
        raise ElementError(5, f"CLM05-3 '{freq_code}' is not a claim frequency", expected="1, 7, 8 …")
    f8 = g1 = None
    refs: list[Reference] = []
    for r in acc.refs:
        if r.qualifier == "F8" and f8 is None:
            f8 = r.value
        elif r.qualifier == "G1" and g1 is None:
            g1 = r.value
        else:
            refs.append(r)
    sig = element(s, 6)
    return _Claim(
        kind=kind,
        patient_control_number=required(s, 1, "the patient control number"),
        total_charge_cents=req_cents(s, 2, "the total charge"),
        facility_code=facility[0],
        frequency=frequency,
        provider_signature=(sig == "Y") if sig else None,
        assignment=element(s, 7),
        benefits_assigned=element(s, 8),
        release_of_information=element(s, 9),
        patient_signature_source=opt(s, 10),
        related_causes=tuple(c for c in element(s, 11).split(comp) if c),
        billing_provider=billing,
        pay_to_provider=pay_to,
        subscriber=subscriber,
        patient=patient,
        diagnoses=tuple(acc.diagnoses),
        codes=tuple(acc.codes),
        dates=tuple(acc.dates),
        original_claim_number=f8,
        prior_authorization=g1,
        references=tuple(refs),
        notes=tuple(acc.notes),
        attachments=tuple(acc.attachments),
        admission=acc.admission,
        providers=tuple([p.build() for p in acc.providers]) if acc.providers else (),
        other_insurance=tuple([_build_other(o) for o in acc.other]) if acc.other else (),
        extra=tuple(acc.extra),
        lines=tuple(acc.lines),
    )


def _bad_lx(number: str) -> int:
    raise ElementError(1, f"LX01 '{number}' is not a line number", expected="a whole number 1, 2, 3 …")


def _build_other(o: _InsuredAcc) -> Insured:
    try:
        return o.build()
    except ElementError as exc:
        raise _at(exc, o.sbr, o.pos) from None


def _at(exc: ElementError, seg: Segment, pos: int) -> X12StructureError | X12SyntaxError:
    if exc.position < 0:
        return X12StructureError(
            exc.message,
            code="x12_unexpected_segment",
            segment_position=pos + 1,
            segment_id=seg[0],
            expected=exc.expected,
        )
    if exc.position == 0:
        return X12StructureError(
            exc.message, code="x12_missing_segment", segment_position=pos + 1, segment_id=seg[0], expected=exc.expected
        )
    return X12SyntaxError(
        exc.message, segment_position=pos + 1, segment_id=seg[0], element_position=exc.position, expected=exc.expected
    )
