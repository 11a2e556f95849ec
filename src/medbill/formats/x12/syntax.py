"""X12 characters: delimiters from the ISA, segments and elements, and the typed element readers and writers."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import BinaryIO

from medbill.domain.errors import ValidationError
from medbill.domain.money import parse_cents
from medbill.formats.x12.errors import X12SyntaxError

Segment = list[str]

_INDENTED_BREAK = re.compile(r"[\r\n]+[ \t]*")

ISA_LENGTH = 106  # ISA is fixed width: 105 characters and the segment terminator
# How far to look for ISA16: real ISAs are 105 or 106 characters, a few pad or trim their fields; past this the
# "ISA" is not one, and searching a 100 MB file for a sixteenth separator that is not there would be wasted work.
_ISA_SEARCH = 4 * ISA_LENGTH

# --- limits: what a hostile or broken file cannot make the reader do ------------------------------------------
# ``read`` and ``validate`` hold the whole file and then its domain objects (about ten to twenty times the text) in
# memory. The largest real files are batches of a few thousand claims per ST–SE (the 837 guides advise at most
# 5,000), tens of MB; a file past this cap is refused before it is decoded. ``read_stream`` holds one interchange
# at a time and applies the same cap to each interchange, so a stream with no IEA cannot grow without end.
MAX_INPUT_BYTES = 128 * 1024 * 1024
# The longest 5010 data element is MSG01 (264 characters); composites (SV101) and repeated elements (EB03) stay
# well under this. Binary segments (BIN, BDS) carry their length in the segment and are exempt; the file cap
# still bounds them. An element past this is refused where it is, instead of flowing into a domain object.
MAX_ELEMENT_LENGTH = 1024
# Element references have two digits (CLM01 … CLM99): no X12 segment has more than 99 elements.
MAX_ELEMENTS = 99
_BINARY_SEGMENTS = frozenset({"BIN", "BDS"})


@dataclass(frozen=True, slots=True)
class Delimiters:
    """The four separators a trading partner uses, read from the ISA (ISA01 … ISA16 and the terminator)."""

    element: str = "*"
    repetition: str = "^"
    component: str = ":"
    segment: str = "~"


DEFAULT_DELIMITERS = Delimiters()


class ElementError(Exception):
    """Raised inside a transaction reader; the caller adds the segment and envelope location."""

    def __init__(self, position: int, message: str, expected: str | None = None) -> None:
        super().__init__(message)
        self.position = position
        self.message = message
        self.expected = expected


def shown(char: str) -> str:
    """A delimiter or stray character as an error message can show it: ``'~'``, or ``0x00`` for a control."""
    return f"'{char}'" if char.isprintable() and not char.isspace() else f"0x{ord(char):02X}" if char else "nothing"


def check_size(size: int, what: str = "the file", unit: str = "bytes") -> None:
    """Refuse an input past ``MAX_INPUT_BYTES`` before any work is done on it."""
    if size > MAX_INPUT_BYTES:
        raise X12SyntaxError(
            f"{what} is {size:,} {unit}, more than medbill reads at once",
            code="x12_too_large",
            expected=f"at most {MAX_INPUT_BYTES:,} bytes (split it into several files)",
        )


def decode(data: bytes | str) -> str:
    """Bytes as sent to text: UTF-8 (a byte-order mark is dropped), else Latin-1 so that no byte is lost."""
    check_size(len(data), unit="characters" if isinstance(data, str) else "bytes")
    if isinstance(data, str):
        return data[1:] if data.startswith("\ufeff") else data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_delimiters(text: str, start: int = 0) -> Delimiters:
    """The delimiters of the interchange whose ISA begins at ``start``."""
    if text[start : start + 3] != "ISA":
        head = text[start : start + 8]
        sid = "".join(c for c in head[:3] if c.isalnum()) if head else ""
        raise X12SyntaxError(
            "not an X12 interchange",
            code="x12_not_x12",
            segment_position=1,
            segment_id=sid or None,
            expected="the file to begin with an ISA segment",
        )
    element = text[start + 3 : start + 4]
    if not element or element.isalnum() or element.isspace():
        raise X12SyntaxError(
            f"{shown(element)} cannot be the element separator" if element else "the ISA is truncated",
            segment_position=1,
            segment_id="ISA",
            element_position=1 if element else None,
            expected="the character after 'ISA' (ISA01 … ISA16 follow it): not a letter, digit or space",
        )
    # ISA16 is the 16th element: one character, followed by the segment terminator.
    pos = start
    for n in range(16):
        pos = text.find(element, pos + 1, start + _ISA_SEARCH)
        if pos < 0:
            raise X12SyntaxError(
                f"the ISA is truncated: it ends after {n} of its 16 elements",
                segment_position=1,
                segment_id="ISA",
                element_position=n + 1,
                expected=f"16 elements separated by {shown(element)} and a segment terminator",
            )
    component = text[pos + 1 : pos + 2]
    terminator = text[pos + 2 : pos + 3]
    if not component or not terminator:
        raise X12SyntaxError(
            "the ISA is truncated",
            segment_position=1,
            segment_id="ISA",
            element_position=16,
            expected="a component separator and a segment terminator",
        )
    if component == element or component.isalnum() or component.isspace():
        raise X12SyntaxError(
            f"{shown(component)} cannot be the component separator",
            segment_position=1,
            segment_id="ISA",
            element_position=16,
            expected=f"one character that is not a letter, digit, space or the element separator {shown(element)}",
        )
    if terminator.isalnum() or terminator in (element, component):
        raise X12SyntaxError(
            f"{shown(terminator)} cannot be a segment terminator",
            segment_position=1,
            segment_id="ISA",
            element_position=16,
            expected="one character after ISA16 that is not a letter, digit or another delimiter",
        )
    isa = text[start : pos + 2].split(element)
    repetition = isa[11] if len(isa[11]) == 1 and not isa[11].isalnum() and not isa[11].isspace() else ""
    if repetition in (element, component, terminator):
        repetition = ""
    if not repetition:
        # No usable ISA11 ('U' before 5010, or a delimiter already taken): '^' as the 5010 guides advise. A file
        # whose ISA16 is also '^' reads its repeated elements on it as it always has; only an element separator
        # or terminator '^' (which would split every element or segment on repetitions) moves it elsewhere.
        repetition = next(c for c in "^!{}" if c not in (element, terminator))
    return Delimiters(element=element, repetition=repetition, component=component, segment=terminator)


def _normalise_breaks(text: str, terminator: str) -> str:
    """Line breaks between segments are not data: drop them unless a line break is the terminator."""
    if terminator in ("\n", "\r"):
        text = text.replace("\r" if terminator == "\n" else "\n", "")
        if f"{terminator} " in text or f"{terminator}\t" in text:
            text = re.sub(f"{terminator}[ \t]+", terminator, text)
        return text
    if "\n" in text or "\r" in text:
        if "\n " in text or "\n\t" in text:
            return _INDENTED_BREAK.sub("", text)  # segments laid out one per line and indented
        return text.replace("\r", "").replace("\n", "")
    return text


def split_interchanges(text: str) -> Iterator[tuple[Delimiters, list[Segment]]]:
    """Each interchange in ``text`` with its own delimiters and its segments split into elements."""
    text = decode(text)
    start = len(text) - len(text.lstrip())
    if start >= len(text):
        raise X12SyntaxError("the file is empty", expected="an ISA segment")
    while start < len(text):
        delims = read_delimiters(text, start)
        term, elem = delims.segment, delims.element
        marker = f"IEA{elem}"
        # The IEA closes this interchange; another ISA may follow with other delimiters.
        end = _find_segment(text, marker, start, term)
        if end < 0:
            body = text[start:]
            start = len(text)
        else:
            stop = text.find(term, end)
            stop = len(text) if stop < 0 else stop + 1
            body = text[start:stop]
            start = stop
            while start < len(text) and text[start] in " \r\n\t":
                start += 1
        body = _normalise_breaks(body, term)
        try:
            _refuse_controls(body, delims)
            pieces = body.split(term)
            if pieces and not pieces[-1].strip():
                pieces.pop()
            segments = [piece.split(elem) for piece in pieces]
            # Both limits are checked at C speed over the whole interchange; only a file breaking one is walked.
            if max(map(len, pieces), default=0) > MAX_ELEMENT_LENGTH or max(map(len, segments)) > MAX_ELEMENTS:
                _refuse_oversized(segments)
        except X12SyntaxError as exc:
            isa = body[:ISA_LENGTH].split(elem)
            control = isa[13].strip() if len(isa) > 13 else ""
            raise exc.located(interchange=control if control.isdigit() and control.isascii() else None) from None
        yield delims, segments


_CONTROLS = "".join(chr(c) for c in (*range(0x20), 0x7F) if chr(c) not in "\t\r\n")


@lru_cache(maxsize=32)
def _control_pattern(delimiters: Delimiters) -> re.Pattern[str]:
    used = {delimiters.element, delimiters.component, delimiters.repetition, delimiters.segment}
    return re.compile("[" + re.escape("".join(c for c in _CONTROLS if c not in used)) + "]")


def _refuse_controls(body: str, delims: Delimiters) -> None:
    """X12 text holds printable characters only (control characters only as delimiters): NUL or binary is refused."""
    if body.isprintable():  # the common case, at C speed: no control character at all
        return
    found = _control_pattern(delims).search(body)
    if found is None:
        return
    at = found.start()
    begin = body.rfind(delims.segment, 0, at) + 1
    sid = body[begin:at].split(delims.element, 1)[0].strip()
    raise X12SyntaxError(
        f"a control character ({shown(found.group())}) in the data: the file is binary or damaged",
        code="x12_bad_character",
        segment_position=body.count(delims.segment, 0, at) + 1,
        segment_id=sid if sid.isalnum() and len(sid) <= 3 else None,
        element_position=body.count(delims.element, begin, at),
        expected="printable characters (control characters only as the ISA's delimiters)",
    )


def _refuse_oversized(segments: list[Segment]) -> None:
    """The first segment with more than ``MAX_ELEMENTS`` elements or an element past ``MAX_ELEMENT_LENGTH``."""
    for index, seg in enumerate(segments):
        sid = seg[0].strip()
        shown_id = sid if sid.isalnum() and len(sid) <= 3 else None
        if len(seg) > MAX_ELEMENTS + 1:
            raise X12SyntaxError(
                f"the segment has {len(seg) - 1:,} elements",
                code="x12_too_many_elements",
                segment_position=index + 1,
                segment_id=shown_id,
                element_position=MAX_ELEMENTS + 1,
                expected=f"at most {MAX_ELEMENTS} elements (is the segment terminator missing?)",
            )
        if sid in _BINARY_SEGMENTS:
            continue
        for position, value in enumerate(seg):
            if len(value) > MAX_ELEMENT_LENGTH:
                raise X12SyntaxError(
                    f"the {'element' if position else 'segment identifier'} is {len(value):,} characters long",
                    code="x12_element_too_long",
                    segment_position=index + 1,
                    segment_id=shown_id,
                    element_position=position or None,
                    expected=f"at most {MAX_ELEMENT_LENGTH:,} characters (is a delimiter missing?)",
                )


def _find_segment(text: str, marker: str, start: int, term: str) -> int:
    """Offset of the first segment beginning with ``marker`` after ``start`` (line breaks allowed between)."""
    pos = start
    while True:
        pos = text.find(marker, pos + 1)
        if pos < 0:
            return -1
        before = text[pos - 1]
        if before == term or (before in "\r\n" and text[start:pos].rstrip("\r\n").endswith(term)):
            return pos


def iter_interchanges_from_stream(
    stream: BinaryIO, chunk_size: int = 1 << 20
) -> Iterator[tuple[Delimiters, list[Segment]]]:
    """Interchanges read from a binary file one at a time: a file of many interchanges never sits whole in memory."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
    buffer = ""
    seen = False  # whether anything but white space came: an empty stream is refused as an empty file is
    while True:
        chunk = stream.read(chunk_size)
        eof = not chunk
        buffer += decoder.decode(chunk, final=eof)
        while True:
            stripped = buffer.lstrip()
            if not stripped:
                buffer = ""
                break
            seen = True
            if len(stripped) < ISA_LENGTH and not eof:
                buffer = stripped
                break
            delims = read_delimiters(stripped)
            end = _find_segment(stripped, f"IEA{delims.element}", 0, delims.segment)
            stop = stripped.find(delims.segment, end) if end >= 0 else -1
            if stop < 0:
                check_size(len(stripped), "one interchange", "characters")  # a stream that never closes it
                if not eof:
                    buffer = stripped
                    break
                yield from split_interchanges(stripped)
                buffer = ""
                break
            yield from split_interchanges(stripped[: stop + 1])
            buffer = stripped[stop + 1 :]
        if eof:
            if not seen:
                raise X12SyntaxError("the file is empty", expected="an ISA segment")
            return


# --- typed element readers --------------------------------------------------------------------------------


def element(seg: Segment, index: int) -> str:
    return seg[index] if len(seg) > index else ""


def required(seg: Segment, index: int, what: str) -> str:
    value = seg[index] if len(seg) > index else ""
    if not value:
        raise ElementError(index, f"{seg[0]}{index:02d} ({what}) is missing", expected=what)
    return value


def to_cents(text: str, index: int) -> int:
    """An X12 decimal amount (R) as exact cents: ``-12.5`` → -1250; refuses fractions of a cent and floats."""
    if text.isdigit() and text.isascii():  # the common case first: whole dollars
        return int(text) * 100
    whole, dot, frac = text.partition(".")
    sign = 1
    if whole[:1] == "-":
        whole = whole[1:]
        sign = -1
    n = len(frac)
    if text.isascii() and (whole.isdigit() or (not whole and n)) and (frac.isdigit() or not (dot or frac)):
        if n == 2:
            return sign * int(whole + frac)
        if n == 1:
            return sign * int(whole + frac) * 10
        if n == 0:
            return sign * int(whole) * 100
        try:  # more than two decimals: exact only when the extra digits are zeros ("1.500")
            return parse_cents(text)
        except ValidationError as exc:
            raise ElementError(index, f"'{text}' has a fraction of a cent", expected="an amount in cents") from exc
    if not text:
        raise ElementError(index, "the amount is missing", expected="an amount")
    raise ElementError(index, f"'{text}' is not an X12 decimal amount", expected="digits with an optional '.' and '-'")


def opt_cents(seg: Segment, index: int) -> int | None:
    text = seg[index] if len(seg) > index else ""
    return to_cents(text, index) if text else None


def req_cents(seg: Segment, index: int, what: str) -> int:
    return to_cents(required(seg, index, what), index)


def to_decimal(text: str, index: int) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ElementError(index, f"'{text}' is not a number", expected="a decimal number") from None
    if not value.is_finite() or not text.isascii() or "e" in text.lower():
        raise ElementError(index, f"'{text}' is not a number", expected="a decimal number")
    return value


def opt_decimal(seg: Segment, index: int) -> Decimal | None:
    text = seg[index] if len(seg) > index else ""
    return to_decimal(text, index) if text else None


def to_date(text: str, index: int) -> date:
    """CCYYMMDD (DT, D8) as a date."""
    if len(text) == 8 and text.isdigit() and text.isascii():
        try:
            return date.fromisoformat(text)  # 3.11 reads the basic ISO form CCYYMMDD, in C
        except ValueError:
            pass
    raise ElementError(index, f"'{text}' is not a date", expected="a date as CCYYMMDD")


def to_date6(text: str, index: int) -> date:
    """YYMMDD (the ISA09 and TA1 date) as a date in the 2000s."""
    if len(text) == 6 and text.isdigit():
        try:
            return date(2000 + int(text[:2]), int(text[2:4]), int(text[4:]))
        except ValueError:
            pass
    raise ElementError(index, f"'{text}' is not a date", expected="a date as YYMMDD")


def to_time(text: str, index: int) -> time:
    """HHMM[SS[D..]] as a time."""
    if len(text) >= 4 and text.isdigit():
        try:
            return time(int(text[:2]), int(text[2:4]), int(text[4:6]) if len(text) >= 6 else 0)
        except ValueError:
            pass
    raise ElementError(index, f"'{text}' is not a time", expected="a time as HHMM")


def opt_date(seg: Segment, index: int) -> date | None:
    text = seg[index] if len(seg) > index else ""
    return to_date(text, index) if text else None


def to_int(text: str, index: int, what: str) -> int:
    if text.isascii() and text.isdigit():
        return int(text)
    raise ElementError(index, f"'{text}' is not a whole number", expected=what)


# --- writers ---------------------------------------------------------------------------------------------


def fmt_cents(cents: int) -> str:
    """Cents as an X12 decimal amount with no needless zeros: 12340 → ``123.4``, 500 → ``5``."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(-cents if cents < 0 else cents, 100)
    if frac == 0:
        return f"{sign}{whole}"
    if frac % 10 == 0:
        return f"{sign}{whole}.{frac // 10}"
    return f"{sign}{whole}.{frac:02d}"


def fmt_opt_cents(cents: int | None) -> str:
    return "" if cents is None else fmt_cents(cents)


def fmt_decimal(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f") if value != value.to_integral_value() else str(int(value))
    if text.startswith("0."):
        text = text[1:]
    elif text.startswith("-0."):
        text = "-" + text[2:]
    return text


def fmt_date(value: date | None) -> str:
    return "" if value is None else value.isoformat().replace("-", "")


class SegmentWriter:
    """Collects segments with the interchange's delimiters; trailing empty elements are dropped."""

    __slots__ = ("_comp", "_elem", "_rep", "_term", "count", "parts")

    def __init__(self, delimiters: Delimiters = DEFAULT_DELIMITERS, *, line_breaks: bool = False) -> None:
        self._elem = delimiters.element
        self._comp = delimiters.component
        self._rep = delimiters.repetition
        self._term = delimiters.segment + ("\n" if line_breaks else "")
        self.parts: list[str] = []
        self.count = 0

    def seg(self, *elements: str) -> None:
        n = len(elements)
        while not elements[n - 1]:
            n -= 1
        self.parts.append(self._elem.join(elements[:n]) + self._term)
        self.count += 1

    def comp(self, *components: str) -> str:
        n = len(components)
        while n and not components[n - 1]:
            n -= 1
        return self._comp.join(components[:n])

    def reps(self, values: list[str] | tuple[str, ...]) -> str:
        return self._rep.join(values)

    def text(self) -> str:
        return "".join(self.parts)
