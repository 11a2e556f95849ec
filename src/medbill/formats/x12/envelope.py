"""X12 envelopes: ISA/GS/ST … SE/GE/IEA read with their control numbers and counts checked, and written."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time

from medbill.formats.x12.errors import X12EnvelopeError, X12StructureError, X12SyntaxError
from medbill.formats.x12.syntax import (
    DEFAULT_DELIMITERS,
    Delimiters,
    ElementError,
    Segment,
    SegmentWriter,
    fmt_date,
    to_date,
    to_date6,
    to_time,
)

SUPPORTED_ISA_VERSION = "00501"


@dataclass(frozen=True, slots=True, kw_only=True)
class InterchangeHeader:
    """ISA: who sent the interchange to whom, when, and its control number."""

    sender_qualifier: str
    sender_id: str
    receiver_qualifier: str
    receiver_id: str
    date: date
    time: time
    control_number: str
    version: str
    acknowledgment_requested: bool
    usage: str  # ISA15: P production, T test


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupHeader:
    """GS: the functional group (HP 835, HC 837, FA 999 …), its application sender/receiver and version."""

    functional_id: str
    sender: str
    receiver: str
    date: date
    time: time
    control_number: str
    version: str  # GS08, e.g. 005010X221A1


@dataclass(slots=True)
class RawTransaction:
    """One transaction set as segments (ST … SE), with where it sits."""

    set_id: str
    control_number: str
    implementation: str
    interchange: InterchangeHeader
    group: GroupHeader | None
    segments: list[Segment]
    delimiters: Delimiters


def _isa_version_message(version: str) -> str:
    named = {"00401": "4010", "00400": "4010", "00300": "3000", "00200": "2000"}.get(version, version)
    return f"X12 version {named} (ISA12 {version}) is not supported: medbill reads and writes 5010 only"


def parse_isa(seg: Segment) -> InterchangeHeader:
    if len(seg) != 17:
        raise X12SyntaxError(
            f"the ISA has {len(seg) - 1} elements", segment_position=1, segment_id="ISA", expected="16 elements"
        )
    control = seg[13].strip()
    version = seg[12].strip()
    if version != SUPPORTED_ISA_VERSION:
        raise X12EnvelopeError(
            _isa_version_message(version),
            code="x12_unsupported_version",
            interchange=control or None,
            segment_position=1,
            segment_id="ISA",
            element_position=12,
            expected="00501",
        )
    try:
        when = to_date6(seg[9].strip(), 9)
        at = to_time(seg[10].strip(), 10)
    except ElementError as exc:
        raise X12SyntaxError(
            exc.message,
            interchange=control,
            segment_position=1,
            segment_id="ISA",
            element_position=exc.position,
            expected=exc.expected,
        ) from None
    if not (len(control) == 9 and control.isdigit()):
        raise X12EnvelopeError(
            f"ISA13 '{control}' is not a control number",
            interchange=control,
            segment_position=1,
            segment_id="ISA",
            element_position=13,
            expected="nine digits",
        )
    return InterchangeHeader(
        sender_qualifier=seg[5].strip(),
        sender_id=seg[6].strip(),
        receiver_qualifier=seg[7].strip(),
        receiver_id=seg[8].strip(),
        date=when,
        time=at,
        control_number=control,
        version=version,
        acknowledgment_requested=seg[14].strip() == "1",
        usage=seg[15].strip(),
    )


def parse_gs(seg: Segment, interchange: str, position: int) -> GroupHeader:
    if len(seg) < 9:
        raise X12SyntaxError(
            f"the GS has {len(seg) - 1} elements",
            interchange=interchange,
            segment_position=position,
            segment_id="GS",
            expected="8 elements",
        )
    version = seg[8]
    if not version.startswith("005010"):
        named = "4010" if version.startswith("004010") else version
        raise X12EnvelopeError(
            f"X12 version {named} (GS08 {version}) is not supported: medbill reads and writes 5010 only",
            code="x12_unsupported_version",
            interchange=interchange,
            segment_position=position,
            segment_id="GS",
            element_position=8,
            expected="005010…",
        )
    try:
        when = to_date(seg[4], 4)
        at = to_time(seg[5], 5)
    except ElementError as exc:
        raise X12SyntaxError(
            exc.message,
            interchange=interchange,
            segment_position=position,
            segment_id="GS",
            element_position=exc.position,
            expected=exc.expected,
        ) from None
    return GroupHeader(
        functional_id=seg[1], sender=seg[2], receiver=seg[3], date=when, time=at, control_number=seg[6], version=version
    )


def _count(seg: Segment, index: int, interchange: str, position: int, what: str) -> int:
    text = seg[index] if len(seg) > index else ""
    if not (text.isascii() and text.isdigit()):
        raise X12EnvelopeError(
            f"{seg[0]}{index:02d} '{text}' is not a count",
            interchange=interchange,
            segment_position=position,
            segment_id=seg[0],
            element_position=index,
            expected=what,
        )
    return int(text)


def _find_trailer(ids: list[str], start: int, n: int) -> int:
    """Index of the SE closing a set that starts before ``start``, or of the envelope segment that cuts it short."""
    try:
        j = ids.index("SE", start)
    except ValueError:
        j = n
    for cut in ("ST", "GE", "IEA", "GS", "ISA"):
        try:
            j = ids.index(cut, start, j)
        except ValueError:
            continue
    return j


def walk_interchange(delimiters: Delimiters, segments: list[Segment]) -> Iterator[RawTransaction]:
    """The transaction sets of one interchange, each checked against its envelope (counts, control numbers)."""
    if not segments or segments[0][0] != "ISA":
        raise X12SyntaxError("not an X12 interchange", segment_position=1, expected="an ISA segment")
    isa = parse_isa(segments[0])
    icn = isa.control_number
    group: GroupHeader | None = None
    group_count = 0
    sets_in_group = 0
    n = len(segments)
    ids = [s[0] for s in segments]
    i = 1
    closed = False
    while i < n:
        seg = segments[i]
        sid = seg[0]
        position = i + 1
        if sid == "ST":
            if group is None:
                raise X12EnvelopeError(
                    "a transaction set outside a functional group",
                    interchange=icn,
                    segment_position=position,
                    segment_id="ST",
                    expected="GS before ST",
                )
            control = seg[2] if len(seg) > 2 else ""
            if not control:
                raise X12EnvelopeError(
                    "ST02 (transaction set control number) is missing",
                    interchange=icn,
                    segment_position=position,
                    segment_id="ST",
                    element_position=2,
                )
            j = _find_trailer(ids, i + 1, n)
            if j < n and ids[j] != "SE":
                raise X12EnvelopeError(
                    f"transaction set {control} has no SE trailer before {ids[j]}",
                    interchange=icn,
                    transaction=control,
                    segment_position=j - i + 1,
                    segment_id=ids[j],
                    expected="SE",
                )
            if j >= n:
                raise X12EnvelopeError(
                    f"transaction set {control} is truncated: no SE trailer",
                    interchange=icn,
                    transaction=control,
                    segment_position=j - i,
                    expected="SE",
                )
            se = segments[j]
            count = _count(se, 1, icn, j - i + 1, "the number of segments from ST to SE")
            if count != j - i + 1:
                raise X12EnvelopeError(
                    f"SE01 says {count} segments but the transaction set has {j - i + 1}",
                    code="x12_count_mismatch",
                    interchange=icn,
                    transaction=control,
                    segment_position=j - i + 1,
                    segment_id="SE",
                    element_position=1,
                    expected=str(j - i + 1),
                )
            if (se[2] if len(se) > 2 else "") != control:
                raise X12EnvelopeError(
                    f"SE02 '{se[2] if len(se) > 2 else ''}' does not match ST02 '{control}'",
                    code="x12_control_number_mismatch",
                    interchange=icn,
                    transaction=control,
                    segment_position=j - i + 1,
                    segment_id="SE",
                    element_position=2,
                    expected=control,
                )
            implementation = seg[3] if len(seg) > 3 and seg[3] else group.version
            sets_in_group += 1
            yield RawTransaction(
                set_id=seg[1],
                control_number=control,
                implementation=implementation,
                interchange=isa,
                group=group,
                segments=segments[i : j + 1],
                delimiters=delimiters,
            )
            i = j + 1
            continue
        if sid == "GS":
            if group is not None:
                raise X12EnvelopeError(
                    "a functional group opens before the previous one closed",
                    interchange=icn,
                    segment_position=position,
                    segment_id="GS",
                    expected="GE",
                )
            group = parse_gs(seg, icn, position)
            sets_in_group = 0
        elif sid == "GE":
            if group is None:
                raise X12EnvelopeError("GE without GS", interchange=icn, segment_position=position, segment_id="GE")
            count = _count(seg, 1, icn, position, "the number of transaction sets in the group")
            if count != sets_in_group:
                raise X12EnvelopeError(
                    f"GE01 says {count} transaction sets but the group has {sets_in_group}",
                    code="x12_count_mismatch",
                    interchange=icn,
                    segment_position=position,
                    segment_id="GE",
                    element_position=1,
                    expected=str(sets_in_group),
                )
            if (seg[2] if len(seg) > 2 else "") != group.control_number:
                raise X12EnvelopeError(
                    f"GE02 '{seg[2] if len(seg) > 2 else ''}' does not match GS06 '{group.control_number}'",
                    code="x12_control_number_mismatch",
                    interchange=icn,
                    segment_position=position,
                    segment_id="GE",
                    element_position=2,
                    expected=group.control_number,
                )
            group = None
            group_count += 1
        elif sid == "IEA":
            if group is not None:
                raise X12EnvelopeError(
                    f"functional group {group.control_number} has no GE trailer",
                    interchange=icn,
                    segment_position=position,
                    segment_id="IEA",
                    expected="GE",
                )
            count = _count(seg, 1, icn, position, "the number of functional groups")
            if count != group_count:
                raise X12EnvelopeError(
                    f"IEA01 says {count} functional groups but the interchange has {group_count}",
                    code="x12_count_mismatch",
                    interchange=icn,
                    segment_position=position,
                    segment_id="IEA",
                    element_position=1,
                    expected=str(group_count),
                )
            if (seg[2] if len(seg) > 2 else "") != icn:
                raise X12EnvelopeError(
                    f"IEA02 '{seg[2] if len(seg) > 2 else ''}' does not match ISA13 '{icn}'",
                    code="x12_control_number_mismatch",
                    interchange=icn,
                    segment_position=position,
                    segment_id="IEA",
                    element_position=2,
                    expected=icn,
                )
            closed = True
            if i != n - 1:
                raise X12EnvelopeError(
                    "segments after IEA",
                    interchange=icn,
                    segment_position=position + 1,
                    segment_id=segments[i + 1][0],
                    expected="ISA",
                )
        elif sid == "ISA":
            raise X12EnvelopeError(
                f"an interchange opens before interchange {icn} closed",
                interchange=icn,
                segment_position=position,
                segment_id="ISA",
                expected="GE and IEA" if group is not None else "IEA",
            )
        elif sid == "TA1" and group is None:
            yield RawTransaction(
                set_id="TA1",
                control_number=seg[1] if len(seg) > 1 else "",
                implementation="",
                interchange=isa,
                group=None,
                segments=[seg],
                delimiters=delimiters,
            )
        elif not sid.strip():
            raise X12SyntaxError(
                "an empty segment", interchange=icn, segment_position=position, expected="a segment identifier"
            )
        else:
            raise X12StructureError(
                f"segment {sid} outside a transaction set",
                interchange=icn,
                segment_position=position,
                segment_id=sid,
                expected="ST, GE, GS or IEA",
            )
        i += 1
    if not closed:
        raise X12EnvelopeError(
            f"interchange {icn} is truncated: no IEA trailer",
            interchange=icn,
            segment_position=n,
            expected="IEA" if group is None else "GE and IEA",
        )


# --- writing ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Envelope:
    """What the writer needs for ISA/GS: the parties, the time, and control numbers issued by the caller.

    Control numbers are unique and persistent per trading partner: the caller (a service with a counter in
    its repository) issues them; the codec only formats them.
    """

    sender_id: str
    receiver_id: str
    interchange_control_number: int
    group_control_number: int
    created: datetime
    sender_qualifier: str = "ZZ"
    receiver_qualifier: str = "ZZ"
    application_sender: str | None = None
    application_receiver: str | None = None
    usage: str = "P"
    acknowledgment_requested: bool = False
    first_transaction_number: int = 1
    delimiters: Delimiters = DEFAULT_DELIMITERS
    line_breaks: bool = False


def begin_interchange(env: Envelope) -> SegmentWriter:
    d = env.delimiters
    w = SegmentWriter(d, line_breaks=env.line_breaks)
    if not 0 < env.interchange_control_number < 10**9:
        raise ValueError("an interchange control number has at most nine digits and is positive")
    w.seg(
        "ISA",
        "00",
        " " * 10,
        "00",
        " " * 10,
        env.sender_qualifier.ljust(2)[:2],
        env.sender_id.ljust(15)[:15],
        env.receiver_qualifier.ljust(2)[:2],
        env.receiver_id.ljust(15)[:15],
        env.created.strftime("%y%m%d"),
        env.created.strftime("%H%M"),
        d.repetition,
        SUPPORTED_ISA_VERSION,
        f"{env.interchange_control_number:09d}",
        "1" if env.acknowledgment_requested else "0",
        env.usage,
        d.component,
    )
    return w


def begin_group(w: SegmentWriter, env: Envelope, functional_id: str, version: str) -> None:
    w.seg(
        "GS",
        functional_id,
        env.application_sender or env.sender_id,
        env.application_receiver or env.receiver_id,
        fmt_date(env.created.date()),
        env.created.strftime("%H%M"),
        str(env.group_control_number),
        "X",
        version,
    )


def transaction_number(env: Envelope, index: int) -> str:
    return f"{env.first_transaction_number + index:04d}"


def begin_transaction(w: SegmentWriter, set_id: str, control: str, version: str | None) -> int:
    start = w.count
    if version:
        w.seg("ST", set_id, control, version)
    else:
        w.seg("ST", set_id, control)
    return start


def end_transaction(w: SegmentWriter, control: str, start: int) -> None:
    w.seg("SE", str(w.count - start + 1), control)


def end_group(w: SegmentWriter, env: Envelope, sets: int) -> None:
    w.seg("GE", str(sets), str(env.group_control_number))


def end_interchange(w: SegmentWriter, env: Envelope, groups: int = 1) -> str:
    w.seg("IEA", str(groups), f"{env.interchange_control_number:09d}")
    return w.text()
