"""The syntax layer: delimiters from the ISA, line breaks, several interchanges, typed elements."""

from __future__ import annotations

import io

import pytest

from medbill.domain.remittance import Remittance
from medbill.formats import x12
from medbill.formats.x12.syntax import ElementError, fmt_cents, read_delimiters, split_interchanges, to_cents
from tests.unit.x12.x12_helpers import REMIT_BODY, build


def remittance(text: str) -> Remittance:
    (t,) = x12.read(text)
    assert isinstance(t.document, Remittance)
    return t.document


def test_delimiters_are_read_from_the_isa() -> None:
    text = build(REMIT_BODY)
    assert read_delimiters(text) == x12.Delimiters(element="*", repetition="^", component=":", segment="~")


def test_unusual_delimiters_are_honoured() -> None:
    text = build(REMIT_BODY).replace("*", "|").replace(":", "\\").replace("~", "!")
    r = remittance(text)
    assert r.claims[0].lines[0].procedure.modifiers == ("25",)
    assert r.payment.amount_cents == 15050


def test_line_breaks_between_segments_are_not_data() -> None:
    plain = x12.read(build(REMIT_BODY))
    for sep in ("~\n", "~\r\n", "~\n    "):
        assert x12.read(build(REMIT_BODY).replace("~", sep)) == plain


def test_a_line_break_can_be_the_segment_terminator() -> None:
    text = build(REMIT_BODY).replace("~", "\n")
    assert remittance(text).claims[0].paid_cents == 16050


def test_a_byte_order_mark_and_bytes_are_accepted() -> None:
    text = build(REMIT_BODY)
    assert x12.read(b"\xef\xbb\xbf" + text.encode()) == x12.read(text)


def test_several_interchanges_with_different_delimiters_are_read_whole() -> None:
    first = build(REMIT_BODY, icn="000000001")
    second = build(REMIT_BODY, REMIT_BODY, icn="000000002").replace("*", "|").replace("~", "~\n")
    ts = x12.read(first + "\n" + second)
    assert [(t.interchange.control_number, t.control_number) for t in ts] == [
        ("000000001", "0001"),
        ("000000002", "0001"),
        ("000000002", "0002"),
    ]


def test_a_stream_is_read_one_interchange_at_a_time() -> None:
    data = (build(REMIT_BODY, icn="000000001") + build(REMIT_BODY, icn="000000002")).encode()
    got = list(x12.read_stream(io.BytesIO(data)))
    assert len(got) == 2
    assert [t.document for t in got] == [t.document for t in x12.read(data)]


def test_a_stream_read_in_tiny_chunks_gives_the_same_transactions() -> None:
    from medbill.formats.x12.syntax import iter_interchanges_from_stream

    data = build(REMIT_BODY).encode()
    assert list(iter_interchanges_from_stream(io.BytesIO(data), chunk_size=7)) == list(
        split_interchanges(data.decode())
    )


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("0", 0),
        ("12", 1200),
        ("12.5", 1250),
        ("12.05", 1205),
        ("-3.1", -310),
        (".5", 50),
        ("1.500", 150),
        ("1000000", 100000000),
    ],
)
def test_amounts_are_exact_cents(text: str, cents: int) -> None:
    assert to_cents(text, 2) == cents


@pytest.mark.parametrize("text", ["1.005", "1e3", "$5", "1,000", "12.3.4", "-", "", "NaN", "１２"])
def test_amounts_that_are_not_x12_decimals_are_refused(text: str) -> None:
    with pytest.raises(ElementError):
        to_cents(text, 2)


@pytest.mark.parametrize(("cents", "text"), [(0, "0"), (1200, "12"), (1250, "12.5"), (1205, "12.05"), (-310, "-3.1")])
def test_amounts_are_written_without_needless_zeros(cents: int, text: str) -> None:
    assert fmt_cents(cents) == text


def test_an_empty_file_is_a_syntax_error() -> None:
    with pytest.raises(x12.X12SyntaxError, match="empty"):
        x12.read(b"  \n")


def test_a_file_without_isa_is_refused_naming_what_it_found() -> None:
    with pytest.raises(x12.X12SyntaxError) as info:
        x12.read("ST*835*0001~BPR*I~SE*3*0001~")
    assert info.value.code == "x12_not_x12"
    assert info.value.segment_id == "ST"


def test_a_truncated_isa_is_a_syntax_error() -> None:
    with pytest.raises(x12.X12SyntaxError, match="truncated"):
        x12.read("ISA*00*          *00*   ")
