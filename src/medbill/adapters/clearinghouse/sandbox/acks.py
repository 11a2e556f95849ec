"""The sandbox payer's acknowledgements: a 999 from what the codec could (or could not) read, and 277CA statuses."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from medbill.domain.acknowledgements import (
    AckCode,
    ElementNote,
    FunctionalAcknowledgement,
    SegmentNote,
    StatusInfo,
    TransactionSetResponse,
)
from medbill.formats.x12 import X12EnvelopeError, X12Error, X12StructureError
from medbill.formats.x12.syntax import Segment

# IK304 segment syntax error codes (005010X231A1)
SEG_UNEXPECTED = "2"
SEG_MISSING = "3"
SEG_HAS_ELEMENT_ERRORS = "8"
# IK403 element syntax error codes
ELEM_REQUIRED_MISSING = "1"
ELEM_INVALID_CHARACTER = "6"
ELEM_INVALID_CODE = "7"
ELEM_INVALID_DATE = "8"
ELEM_INVALID_TIME = "9"
# IK502 transaction set syntax error codes
SET_CONTROL_MISMATCH = "3"
SET_COUNT_MISMATCH = "4"
SET_SEGMENTS_IN_ERROR = "5"


@dataclass(slots=True)
class SetSeen:
    """One ST … SE as found in the file, with the codec's verdict (None: read cleanly)."""

    set_id: str
    control_number: str
    implementation: str
    error: X12Error | None = None


@dataclass(slots=True)
class GroupSeen:
    """One GS … GE: its functional id, control number, version and the transaction sets in it."""

    functional_id: str
    control_number: str
    version: str
    sets: list[SetSeen] = field(default_factory=list)


def scan_groups(segments: list[Segment]) -> list[GroupSeen]:
    """Every functional group and transaction set header of an interchange, whatever the codec makes of them."""
    groups: list[GroupSeen] = []
    for seg in segments:
        if seg[0] == "GS":
            gs = [seg[i] if len(seg) > i else "" for i in (1, 6, 8)]
            groups.append(GroupSeen(functional_id=gs[0], control_number=gs[1], version=gs[2]))
        elif seg[0] == "ST" and groups:
            st = [seg[i] if len(seg) > i else "" for i in (1, 2, 3)]
            groups[-1].sets.append(SetSeen(st[0], st[1], st[2] or groups[-1].version))
    return groups


def _element_code(error: X12Error) -> str:
    text = f"{error.reason} {error.expected or ''}".lower()
    if "missing" in text or "required" in text:
        return ELEM_REQUIRED_MISSING
    if "date" in text:
        return ELEM_INVALID_DATE
    if "time" in text:
        return ELEM_INVALID_TIME
    if "number" in text or "amount" in text or "decimal" in text or "count" in text:
        return ELEM_INVALID_CHARACTER
    return ELEM_INVALID_CODE


def set_response(seen: SetSeen) -> TransactionSetResponse:
    """AK2 … IK5 for one set: accepted, or rejected with the IK3/IK4 (or IK502) that say why."""
    error = seen.error
    base = TransactionSetResponse(
        set_id=seen.set_id,
        control_number=seen.control_number,
        implementation=seen.implementation,
        code=AckCode.ACCEPTED,
    )
    if error is None:
        return base
    if isinstance(error, X12EnvelopeError):
        code = {"x12_count_mismatch": SET_COUNT_MISMATCH, "x12_control_number_mismatch": SET_CONTROL_MISMATCH}
        return replace(base, code=AckCode.REJECTED, error_codes=(code.get(error.code, SET_SEGMENTS_IN_ERROR),))
    position = error.segment_position or 1
    segment_id = error.segment_id or "ST"
    if isinstance(error, X12StructureError) or error.element_position is None:
        missing = error.code == "x12_missing_segment"
        note = SegmentNote(
            segment_id=segment_id, position=position, error_code=SEG_MISSING if missing else SEG_UNEXPECTED
        )
    else:
        note = SegmentNote(
            segment_id=segment_id,
            position=position,
            error_code=SEG_HAS_ELEMENT_ERRORS,
            elements=(ElementNote(position=error.element_position, error_code=_element_code(error)),),
        )
    return replace(base, code=AckCode.REJECTED, error_codes=(SET_SEGMENTS_IN_ERROR,), segments=(note,))


def functional_ack(group: GroupSeen) -> FunctionalAcknowledgement:
    """The 999 for one functional group: A when every set was read, P when some were, R when none."""
    responses = tuple(set_response(s) for s in group.sets)
    accepted = sum(1 for r in responses if r.code is AckCode.ACCEPTED)
    if accepted == len(responses) and responses:
        code = AckCode.ACCEPTED
    else:
        code = AckCode.PARTIALLY_ACCEPTED if accepted else AckCode.REJECTED
    return FunctionalAcknowledgement(
        functional_id=group.functional_id,
        group_control_number=group.control_number,
        version=group.version,
        code=code,
        sets_included=len(responses),
        sets_received=len(responses),
        sets_accepted=accepted,
        responses=responses,
    )


def accepted_status(on: date, charge_cents: int) -> StatusInfo:
    """STC A2:20 accepted into adjudication (action WQ), with the claim's total charge."""
    return StatusInfo(category="A2", code="20", entity="PR", effective_date=on, action="WQ", amount_cents=charge_cents)


def unknown_member_status(on: date, charge_cents: int) -> StatusInfo:
    """STC A7:33:IL rejected for invalid information: subscriber and subscriber ID not found (action U)."""
    return StatusInfo(category="A7", code="33", entity="IL", effective_date=on, action="U", amount_cents=charge_cents)


def wrong_payer_status(on: date, charge_cents: int) -> StatusInfo:
    """STC A3:116 returned as unprocessable: claim submitted to the incorrect payer (action U)."""
    return StatusInfo(category="A3", code="116", entity="PR", effective_date=on, action="U", amount_cents=charge_cents)


def receipt_status(on: date | None, charge_cents: int) -> StatusInfo:
    """STC A1:19:PR: the payer acknowledges receipt, with the total charge (no date at the provider level, 2200C)."""
    return StatusInfo(category="A1", code="19", entity="PR", effective_date=on, action="WQ", amount_cents=charge_cents)
