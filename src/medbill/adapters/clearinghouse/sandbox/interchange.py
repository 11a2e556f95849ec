"""The sandbox payer's front door: a TA1 for an interchange whose envelope is broken (or that asks for one).

Like a real clearinghouse front end, the envelope (ISA … IEA) is checked before anything inside it is read. An
interchange that cannot be identified (no ISA, no nine-digit ISA13) is not answered at all; one whose ISA or IEA is
wrong, that ends early, or that has segments outside its functional groups, is rejected whole with a TA1 (TA104 R and
the TA105 note code) and nothing else; one that asks for a TA1 (ISA14 = 1) and is sound gets TA104 A. Errors inside a
functional group (GE counts, SE counts, the transactions' syntax) are the 999's business, not the TA1's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time

from medbill.adapters.clearinghouse.sandbox.adjudicator import SandboxState
from medbill.domain.acknowledgements import InterchangeAckCode, InterchangeAcknowledgement
from medbill.formats.x12 import X12Error, X12StructureError
from medbill.formats.x12.envelope import Envelope, InterchangeHeader, parse_isa, walk_interchange
from medbill.formats.x12.syntax import Delimiters, Segment
from medbill.formats.x12.writer import write_ta1

# TA105 note codes (see medbill.domain.ack_codes.INTERCHANGE_NOTES for their words)
NO_ERROR = "000"
CONTROL_NUMBERS_DIFFER = "001"  # ISA13 ≠ IEA02
INVALID_DATE = "014"
INVALID_TIME = "015"
INVALID_VERSION = "017"
INVALID_CONTROL_NUMBER = "018"
INVALID_GROUP_COUNT = "021"  # IEA01
INVALID_CONTROL_STRUCTURE = "022"
PREMATURE_END = "023"  # no IEA
INVALID_CONTENT = "024"  # segments outside a functional group


def _isa_note(error: X12Error) -> str:
    return {9: INVALID_DATE, 10: INVALID_TIME, 12: INVALID_VERSION, 13: INVALID_CONTROL_NUMBER}.get(
        error.element_position or 0, INVALID_CONTROL_STRUCTURE
    )


def _envelope_note(error: X12Error) -> str | None:
    """The TA105 for an error of the interchange's own envelope; None for one inside a functional group."""
    if error.segment_id == "IEA" and error.element_position == 1:
        return INVALID_GROUP_COUNT
    if error.segment_id == "IEA" and error.element_position == 2:
        return CONTROL_NUMBERS_DIFFER
    if error.segment_id is None and error.expected in ("IEA", "GE and IEA"):
        return PREMATURE_END
    if error.expected == "ISA":  # segments after the IEA
        return INVALID_CONTROL_STRUCTURE
    if error.expected == "GS before ST" or (error.segment_id == "GE" and error.expected is None):
        return INVALID_CONTENT
    if isinstance(error, X12StructureError) and error.transaction is None:
        return INVALID_CONTENT  # a segment outside any transaction set
    if error.expected == "a segment identifier":
        return INVALID_CONTENT
    return None


def raw_header(isa: Segment, now: datetime) -> InterchangeHeader | None:
    """The ISA read leniently (its own date and time when they parse, else now) to answer it; None if unidentifiable."""
    if len(isa) < 17:
        return None
    control = isa[13].strip()
    if not (len(control) == 9 and control.isdigit()):
        return None
    try:
        on = date(2000 + int(isa[9][:2]), int(isa[9][2:4]), int(isa[9][4:6]))
        at = time(int(isa[10][:2]), int(isa[10][2:4]))
    except ValueError:
        on, at = now.date(), now.time().replace(second=0, microsecond=0, tzinfo=None)
    usage = isa[15].strip()
    return InterchangeHeader(
        sender_qualifier=isa[5].strip() or "ZZ",
        sender_id=isa[6].strip(),
        receiver_qualifier=isa[7].strip() or "ZZ",
        receiver_id=isa[8].strip(),
        date=on,
        time=at,
        control_number=control,
        version=isa[12].strip(),
        acknowledgment_requested=isa[14].strip() == "1",
        usage=usage if usage in ("P", "T") else "P",
    )


def check_interchange(
    delimiters: Delimiters, segments: list[Segment], now: datetime
) -> tuple[InterchangeHeader, InterchangeAcknowledgement | None] | None:
    """(the header, its TA1 when one is due) for one interchange; None when it cannot be identified to answer."""
    header = raw_header(segments[0], now) if segments and segments[0][0] == "ISA" else None
    if header is None:
        return None
    note: str | None = None
    try:
        parse_isa(segments[0])
    except X12Error as exc:
        note = _isa_note(exc)
    if note is None:
        try:
            for _ in walk_interchange(delimiters, segments):
                pass
        except X12Error as exc:
            note = _envelope_note(exc)
    if note is None and not header.acknowledgment_requested:
        return header, None
    ack = InterchangeAcknowledgement(
        control_number=header.control_number,
        date=header.date,
        time=header.time,
        code=InterchangeAckCode.ACCEPTED if note is None else InterchangeAckCode.REJECTED,
        note_code=note or NO_ERROR,
    )
    return header, ack


def ta1_answer(
    interchange: tuple[Delimiters, list[Segment]],
    state: SandboxState,
    now: datetime,
    envelope_for: Callable[[InterchangeHeader, int, datetime], Envelope],
) -> tuple[str | None, bool]:
    """(the TA1 interchange to send back, or None; whether the interchange is rejected whole)."""
    checked = check_interchange(*interchange, now)
    if checked is None:
        return None, False
    header, ack = checked
    if ack is None:
        return None, False
    state.interchanges += 1
    text = write_ta1([ack], envelope_for(header, state.interchanges, now))
    return text, ack.code is InterchangeAckCode.REJECTED
