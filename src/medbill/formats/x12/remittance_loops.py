"""835 reading, the parts: CAS, shared small values, and the claim and service payment builders."""

from __future__ import annotations

from decimal import Decimal

from medbill.domain.claims import NamedEntity, ProcedureCode, Reference
from medbill.domain.remittance import (
    Adjustment,
    AdjustmentGroup,
    Amount,
    ClaimPayment,
    ClaimStatus,
    DateEntry,
    Quantity,
    Remark,
    ServicePayment,
)
from medbill.formats.x12.common import (
    parse_procedure,
)
from medbill.formats.x12.construct import fast_constructor
from medbill.formats.x12.errors import X12StructureError, X12SyntaxError
from medbill.formats.x12.syntax import (
    ElementError,
    Segment,
    element,
    required,
    to_cents,
    to_date,
    to_decimal,
)

IMPLEMENTATION = "005010X221A1"

_STATUS = {s.value: s for s in ClaimStatus}
_GROUP = {g.value: g for g in AdjustmentGroup}


def parse_cas(seg: Segment) -> list[Adjustment]:
    """CAS: a group code and up to six (reason, amount, quantity) triples."""
    code = seg[1] if len(seg) > 1 else ""
    group = _GROUP.get(code)
    if group is None:
        raise ElementError(1, f"CAS01 '{code}' is not a claim adjustment group", expected="CO, OA, PI or PR")
    out: list[Adjustment] = []
    n = len(seg)
    for i in range(2, min(n, 20), 3):
        reason = seg[i]
        if not reason:
            continue
        amount = seg[i + 1] if i + 1 < n else ""
        if not amount:
            raise ElementError(i + 1, f"CAS{i + 1:02d} amount is missing for reason {reason}", expected="an amount")
        qty = seg[i + 2] if i + 2 < n else ""
        out.append(
            Adjustment(
                group=group,
                carc=reason,
                amount_cents=to_cents(amount, i + 1),
                quantity=to_decimal(qty, i + 2) if qty else None,
            )
        )
    if not out:
        raise ElementError(2, "CAS has no adjustment reason", expected="CAS02 reason code and CAS03 amount")
    return out


_ServicePayment = fast_constructor(ServicePayment)
_ClaimPayment = fast_constructor(ClaimPayment)
_CACHE_LIMIT = 20_000


class _Values:
    """Equal small value objects read once per transaction set and shared (dates, amounts, codes, CAS).

    They are immutable, so sharing is safe; a remittance repeats the same service dates, procedure codes and
    reason codes many times, and building a frozen object costs far more than a dictionary lookup.
    """

    __slots__ = ("amounts", "cas", "cents", "comp", "dates", "numbers", "procedures", "remarks")

    def __init__(self, comp: str) -> None:
        self.comp = comp
        self.cents: dict[str, int] = {}
        self.dates: dict[tuple[str, str], DateEntry] = {}
        self.amounts: dict[tuple[str, str], Amount] = {}
        self.remarks: dict[tuple[str, str], Remark] = {}
        self.procedures: dict[str, ProcedureCode] = {}
        self.cas: dict[tuple[str, ...], list[Adjustment]] = {}
        self.numbers: dict[str, Decimal] = {}

    def amount_cents(self, text: str, index: int) -> int:
        """``to_cents`` of a CLP or SVC amount: charges and payments repeat (fee schedules), parsing costs ten lookups."""
        found = self.cents.get(text)
        if found is None:
            found = to_cents(text, index)
            if len(self.cents) < _CACHE_LIMIT:
                self.cents[text] = found
        return found

    def number(self, text: str, index: int) -> Decimal:
        found = self.numbers.get(text)
        if found is None:
            found = to_decimal(text, index)
            if len(self.numbers) < _CACHE_LIMIT:
                self.numbers[text] = found
        return found

    def date_entry(self, seg: Segment) -> DateEntry:
        key = (element(seg, 1), element(seg, 2))
        found = self.dates.get(key)
        if found is None:
            found = DateEntry(qualifier=key[0], date=to_date(key[1], 2))
            if len(self.dates) < _CACHE_LIMIT:
                self.dates[key] = found
        return found

    def amount(self, seg: Segment) -> Amount:
        key = (element(seg, 1), element(seg, 2))
        found = self.amounts.get(key)
        if found is None:
            found = Amount(qualifier=key[0], amount_cents=to_cents(key[1], 2))
            if len(self.amounts) < _CACHE_LIMIT:
                self.amounts[key] = found
        return found

    def remark(self, seg: Segment) -> Remark:
        key = (element(seg, 1), element(seg, 2))
        found = self.remarks.get(key)
        if found is None:
            found = Remark(qualifier=key[0], code=required(seg, 2, "the remark code"))
            if len(self.remarks) < _CACHE_LIMIT:
                self.remarks[key] = found
        return found

    def procedure(self, text: str, index: int) -> ProcedureCode:
        found = self.procedures.get(text)
        if found is None:
            found = parse_procedure(text, self.comp, index)
            if len(self.procedures) < _CACHE_LIMIT:
                self.procedures[text] = found
        return found

    def adjustments(self, seg: Segment) -> list[Adjustment]:
        key = tuple(seg)
        found = self.cas.get(key)
        if found is None:
            found = parse_cas(seg)
            if len(self.cas) < _CACHE_LIMIT:
                self.cas[key] = found
        return found


class _Line:
    __slots__ = ("adjustments", "amounts", "dates", "lcn", "pos", "quantities", "references", "remarks", "seg")

    def __init__(self, seg: Segment, pos: int) -> None:
        self.seg = seg
        self.pos = pos
        self.dates: list[DateEntry] = []
        self.adjustments: list[Adjustment] = []
        self.references: list[Reference] = []
        self.amounts: list[Amount] = []
        self.quantities: list[Quantity] = []
        self.remarks: list[Remark] = []
        self.lcn: str | None = None


class _Claim:
    __slots__ = (
        "adjustments",
        "amounts",
        "contacts",
        "dates",
        "entities",
        "header",
        "inpatient",
        "lines",
        "outpatient",
        "pos",
        "quantities",
        "references",
        "seg",
    )

    def __init__(self, seg: Segment, pos: int, header: str | None) -> None:
        self.seg = seg
        self.pos = pos
        self.header = header
        self.adjustments: list[Adjustment] = []
        self.entities: list[NamedEntity] = []
        self.inpatient: tuple[str, ...] = ()
        self.outpatient: tuple[str, ...] = ()
        self.references: list[Reference] = []
        self.dates: list[DateEntry] = []
        self.amounts: list[Amount] = []
        self.quantities: list[Quantity] = []
        self.contacts: list[tuple[str, ...]] = []
        self.lines: list[ServicePayment] = []


def _build_line(ln: _Line, values: _Values) -> ServicePayment:
    try:
        return _make_line(ln, values)
    except ElementError as exc:
        raise _element_error(exc, ln.seg, ln.pos) from None


_PAD = [""] * 16


def _make_line(ln: _Line, values: _Values) -> ServicePayment:
    s = ln.seg
    if len(s) < 8:
        s = s + _PAD[: 8 - len(s)]
    if not s[1]:
        raise ElementError(1, "SVC01 (the adjudicated procedure) is missing", expected="qualifier:code")
    original = s[6]
    units = s[5]
    ounits = s[7]
    return _ServicePayment(
        procedure=values.procedure(s[1], 1),
        charge_cents=values.amount_cents(s[2], 2),
        paid_cents=values.amount_cents(s[3], 3),
        revenue_code=s[4] or None,
        units_paid=values.number(units, 5) if units else None,
        original_procedure=values.procedure(original, 6) if original else None,
        original_units=values.number(ounits, 7) if ounits else None,
        dates=tuple(ln.dates),
        adjustments=tuple(ln.adjustments),
        line_control_number=ln.lcn,
        references=tuple(ln.references),
        amounts=tuple(ln.amounts),
        quantities=tuple(ln.quantities),
        remarks=tuple(ln.remarks),
    )


def _build_claim(c: _Claim, values: _Values) -> ClaimPayment:
    try:
        return _make_claim(c, values)
    except ElementError as exc:
        raise _element_error(exc, c.seg, c.pos) from None


def _make_claim(c: _Claim, values: _Values) -> ClaimPayment:
    s = c.seg
    if len(s) < 14:
        s = s + _PAD[: 14 - len(s)]
    status = _STATUS.get(s[2])
    if status is None:
        raise ElementError(2, f"CLP02 '{s[2]}' is not a claim status code", expected="1, 2, 3, 4, 19 … 25")
    if not s[1]:
        raise ElementError(1, "CLP01 (the patient control number) is missing", expected="the patient control number")
    if not s[6]:
        raise ElementError(6, "CLP06 (the claim filing indicator) is missing", expected="a claim filing indicator")
    return _ClaimPayment(
        claim_id=s[1],
        status=status,
        charge_cents=values.amount_cents(s[3], 3),
        paid_cents=values.amount_cents(s[4], 4),
        patient_responsibility_cents=values.amount_cents(s[5], 5) if s[5] else None,
        filing_indicator=s[6],
        payer_claim_number=s[7] or None,
        facility_type=s[8] or None,
        frequency=s[9] or None,
        drg_code=s[11] or None,
        drg_weight=to_decimal(s[12], 12) if s[12] else None,
        discharge_fraction=to_decimal(s[13], 13) if s[13] else None,
        header_number=c.header,
        adjustments=tuple(c.adjustments),
        entities=tuple(c.entities),
        inpatient=c.inpatient,
        outpatient=c.outpatient,
        references=tuple(c.references),
        dates=tuple(c.dates),
        amounts=tuple(c.amounts),
        quantities=tuple(c.quantities),
        contacts=tuple(c.contacts),
        lines=tuple(c.lines),
    )


def _element_error(exc: ElementError, seg: Segment, pos: int) -> Exception:
    if isinstance(exc, _Misplaced):
        return X12StructureError(
            exc.message,
            code="x12_unexpected_segment",
            segment_position=pos + 1,
            segment_id=seg[0],
            expected=exc.expected,
        )
    return X12SyntaxError(
        exc.message, segment_position=pos + 1, segment_id=seg[0], element_position=exc.position, expected=exc.expected
    )


def _misplaced(seg: Segment, expected: str) -> ElementError:
    return _Misplaced(seg[0], expected)


class _Misplaced(ElementError):
    def __init__(self, sid: str, expected: str) -> None:
        super().__init__(0, f"segment {sid} is out of place", expected)
