"""999 (005010X231A1) and TA1: functional and interchange acknowledgements, read and written."""

from __future__ import annotations

from medbill.domain.acknowledgements import (
    AckCode,
    ElementNote,
    FunctionalAcknowledgement,
    InterchangeAckCode,
    InterchangeAcknowledgement,
    SegmentNote,
    TransactionSetResponse,
)
from medbill.formats.x12.common import opt
from medbill.formats.x12.envelope import RawTransaction
from medbill.formats.x12.errors import X12StructureError, X12SyntaxError
from medbill.formats.x12.syntax import (
    ElementError,
    Segment,
    SegmentWriter,
    element,
    required,
    to_date6,
    to_int,
    to_time,
)

IMPLEMENTATION_999 = "005010X231A1"
IMPLEMENTATION_277CA = "005010X214"

_ACK = {c.value: c for c in AckCode}
_TA1 = {c.value: c for c in InterchangeAckCode}


def _located(exc: ElementError, seg: Segment, pos: int) -> X12SyntaxError:
    return X12SyntaxError(
        exc.message, segment_position=pos, segment_id=seg[0], element_position=exc.position, expected=exc.expected
    )


def _unexpected(seg: Segment, pos: int, what: str) -> X12StructureError:
    return X12StructureError(
        f"segment {seg[0]} is not expected here in a {what}",
        code="x12_unexpected_segment",
        segment_position=pos,
        segment_id=seg[0],
        expected=f"a segment of the {what} guide",
    )


def _ack(seg: Segment, index: int) -> AckCode:
    code = element(seg, index)
    found = _ACK.get(code)
    if found is None:
        raise ElementError(index, f"'{code}' is not an acknowledgement code", expected="A, E, M, P, R, W or X")
    return found


def _codes(seg: Segment, first: int, last: int) -> tuple[str, ...]:
    return tuple(v for v in seg[first : last + 1] if v)


# --- TA1 --------------------------------------------------------------------------------------------------


def read_ta1(raw: RawTransaction) -> InterchangeAcknowledgement:
    seg = raw.segments[0]
    try:
        code = element(seg, 4)
        if code not in _TA1:
            raise ElementError(4, f"TA104 '{code}' is not an interchange acknowledgement code", expected="A, E or R")
        return InterchangeAcknowledgement(
            control_number=required(seg, 1, "the acknowledged interchange control number"),
            date=to_date6(required(seg, 2, "the interchange date"), 2),
            time=to_time(required(seg, 3, "the interchange time"), 3),
            code=_TA1[code],
            note_code=required(seg, 5, "the interchange note code"),
        )
    except ElementError as exc:
        raise _located(exc, seg, 0) from None


def write_ta1(w: SegmentWriter, ack: InterchangeAcknowledgement) -> None:
    w.seg(
        "TA1", ack.control_number, ack.date.strftime("%y%m%d"), ack.time.strftime("%H%M"), ack.code.value, ack.note_code
    )


# --- 999 --------------------------------------------------------------------------------------------------


class _SetAcc:
    __slots__ = ("seg", "segments")

    def __init__(self, seg: Segment) -> None:
        self.seg = seg
        self.segments: list[SegmentNote] = []


def read_999(raw: RawTransaction) -> FunctionalAcknowledgement:
    """The verdict in one 999 transaction set."""
    segs = raw.segments
    comp = raw.delimiters.component
    ak1: Segment | None = None
    responses: list[TransactionSetResponse] = []
    current: _SetAcc | None = None
    ik3: Segment | None = None
    ik3_ctx: list[tuple[str, ...]] = []
    ik4s: list[ElementNote] = []
    result: FunctionalAcknowledgement | None = None

    def close_segment() -> None:
        nonlocal ik3
        if ik3 is not None and current is not None:
            current.segments.append(
                SegmentNote(
                    segment_id=required(ik3, 1, "the segment id"),
                    position=to_int(required(ik3, 2, "the segment position"), 2, "a segment position"),
                    loop_id=opt(ik3, 3),
                    error_code=opt(ik3, 4),
                    context=tuple(ik3_ctx),
                    elements=tuple(ik4s),
                )
            )
        ik3 = None
        ik3_ctx.clear()
        ik4s.clear()

    pos = 0
    seg = segs[0]
    try:
        for pos in range(1, len(segs) - 1):
            seg = segs[pos]
            sid = seg[0]
            if sid == "AK1" and ak1 is None:
                ak1 = seg
            elif sid == "AK2" and ak1 is not None and current is None:
                current = _SetAcc(seg)
            elif sid == "IK3" and current is not None:
                close_segment()
                ik3 = seg
            elif sid == "CTX" and current is not None:
                ik3_ctx.append(tuple(seg[1:]))
            elif sid == "IK4" and ik3 is not None:
                parts = required(seg, 1, "the element position").split(comp)
                ik4s.append(
                    ElementNote(
                        position=to_int(parts[0], 1, "an element position"),
                        component=to_int(parts[1], 1, "a component position") if len(parts) > 1 and parts[1] else None,
                        repetition=to_int(parts[2], 1, "a repetition") if len(parts) > 2 and parts[2] else None,
                        reference_number=opt(seg, 2),
                        error_code=required(seg, 3, "the element error code"),
                        bad_value=opt(seg, 4),
                    )
                )
            elif sid == "IK5" and current is not None:
                close_segment()
                a = current.seg
                responses.append(
                    TransactionSetResponse(
                        set_id=required(a, 1, "the acknowledged set id"),
                        control_number=required(a, 2, "the acknowledged control number"),
                        implementation=opt(a, 3),
                        code=_ack(seg, 1),
                        error_codes=_codes(seg, 2, 6),
                        segments=tuple(current.segments),
                    )
                )
                current = None
            elif sid == "AK9" and ak1 is not None and current is None and result is None:
                result = FunctionalAcknowledgement(
                    functional_id=required(ak1, 1, "the functional identifier code"),
                    group_control_number=required(ak1, 2, "the group control number"),
                    version=opt(ak1, 3),
                    code=_ack(seg, 1),
                    sets_included=to_int(required(seg, 2, "a count"), 2, "a count"),
                    sets_received=to_int(required(seg, 3, "a count"), 3, "a count"),
                    sets_accepted=to_int(required(seg, 4, "a count"), 4, "a count"),
                    error_codes=_codes(seg, 5, 9),
                    responses=tuple(responses),
                )
            else:
                raise _unexpected(seg, pos + 1, "999")
    except ElementError as exc:
        raise _located(exc, seg, pos + 1) from None
    if result is None:
        raise X12StructureError(
            "the 999 has no AK9",
            code="x12_missing_segment",
            segment_position=len(segs),
            segment_id="SE",
            expected="AK1 … AK9",
        )
    return result


def write_999_body(w: SegmentWriter, ack: FunctionalAcknowledgement) -> None:
    w.seg("AK1", ack.functional_id, ack.group_control_number, ack.version or "")
    for r in ack.responses:
        w.seg("AK2", r.set_id, r.control_number, r.implementation or "")
        for s in r.segments:
            w.seg("IK3", s.segment_id, str(s.position), s.loop_id or "", s.error_code or "")
            for ctx in s.context:
                w.seg("CTX", *ctx)
            for e in s.elements:
                where = w.comp(
                    str(e.position),
                    "" if e.component is None else str(e.component),
                    "" if e.repetition is None else str(e.repetition),
                )
                w.seg("IK4", where, e.reference_number or "", e.error_code, e.bad_value or "")
        w.seg("IK5", r.code.value, *r.error_codes)
    w.seg(
        "AK9", ack.code.value, str(ack.sets_included), str(ack.sets_received), str(ack.sets_accepted), *ack.error_codes
    )
