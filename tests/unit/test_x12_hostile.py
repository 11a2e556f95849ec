"""Hostile X12 input (huge, unbalanced, binary, truncated, colliding, empty) is refused with a typed error saying where."""

from __future__ import annotations

import io
import random
import time

import pytest

from medbill.domain.errors import FormatError
from medbill.formats import x12
from medbill.formats.x12 import syntax
from medbill.formats.x12.outline import MAX_HL_DEPTH, Outliner
from medbill.services.clearinghouse import x12_kind
from medbill.services.posting import read_remittances
from tests.unit.x12.x12_helpers import ISA, REMIT_BODY, build, fixture

REMIT = build(REMIT_BODY)  # ISA = 1, GS = 2, ST = 3, REMIT_BODY[k] = k + 4, SE, GE, IEA
CLP = REMIT_BODY.index("CLP*PCN-0001*1*250*160.5*20*12*PAYERCLM01*11*1") + 4  # its position in the interchange
ICN = "000000101"
REAL_835 = "835/lfh-x12__demo.835"
REAL_837 = "837P/lfh-x12__demo.837"


def where(err: x12.X12Error) -> tuple[str, str | None, str | None, int | None, str | None, int | None]:
    return (err.code, err.interchange, err.transaction, err.segment_position, err.segment_id, err.element_position)


def refused(data: bytes | str) -> x12.X12Error:
    with pytest.raises(x12.X12Error) as info:
        x12.read(data)
    return info.value


def without(text: str, segment: str) -> str:
    return text.replace(segment, "", 1)


def position(text: str, prefix: str, nth: int = 1) -> int:
    """1-based position in the interchange of the ``nth`` segment that begins with ``prefix``."""
    found = [n for n, seg in enumerate(text.split("~"), start=1) if seg.lstrip().startswith(prefix)]
    return found[nth - 1]


# --- (a) huge input ------------------------------------------------------------------------------------------


def test_a_50_mb_element_is_refused_quickly_where_it_is() -> None:
    data = REMIT.replace("CLP*PCN-0001", "CLP*" + "9" * 50_000_000).encode()
    started = time.perf_counter()
    err = refused(data)
    assert time.perf_counter() - started < 10  # about one second on the 2-core CI machine
    assert isinstance(err, x12.X12SyntaxError)
    assert where(err) == ("x12_element_too_long", ICN, None, CLP, "CLP", 1)
    assert "50,000,000 characters" in err.reason


def test_an_element_just_inside_the_limit_is_read_and_one_past_it_is_not() -> None:
    at_limit = REMIT.replace("NM1*QC*1*TESTPATIENT", "NM1*QC*1*" + "A" * syntax.MAX_ELEMENT_LENGTH)
    (t,) = x12.read(at_limit)
    assert t.document.claims[0].entities[0].name == "A" * syntax.MAX_ELEMENT_LENGTH  # type: ignore[union-attr]
    err = refused(at_limit.replace("NM1*QC*1*", "NM1*QC*1*A"))
    assert where(err) == ("x12_element_too_long", ICN, None, CLP + 1, "NM1", 3)


def test_a_segment_with_a_million_elements_is_refused() -> None:
    started = time.perf_counter()
    err = refused(REMIT.replace("CLP*", "CLP" + "*" * 1_000_000, 1))
    assert time.perf_counter() - started < 5
    assert where(err) == ("x12_too_many_elements", ICN, None, CLP, "CLP", 100)
    assert err.reason == "the segment has 1,000,008 elements"


def test_a_segment_of_99_elements_passes_the_syntax_limit() -> None:
    err = refused(REMIT.replace("CLP*PCN-0001*1*250*160.5*20*12*PAYERCLM01*11*1", "CLP*PCN-0001" + "*" * 98))
    assert where(err) == ("x12_syntax_error", ICN, "0001", CLP - 2, "CLP", 2)  # the 835 reader's own complaint


def test_a_file_past_the_size_cap_is_refused_before_it_is_decoded() -> None:
    err = refused(b"ISA" + b" " * syntax.MAX_INPUT_BYTES)
    assert isinstance(err, x12.X12SyntaxError)
    assert err.code == "x12_too_large"
    assert err.location() == ""
    assert err.reason == f"the file is {syntax.MAX_INPUT_BYTES + 3:,} bytes, more than medbill reads at once"


def test_a_stream_that_never_closes_its_interchange_stops_at_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(syntax, "MAX_INPUT_BYTES", 50_000)
    endless = (ISA + "GS*HP*S*R*20260105*1200*7*X*005010X221A1~" + "REF*EV*X~" * 10_000).encode()
    with pytest.raises(x12.X12SyntaxError) as info:
        list(x12.read_stream(io.BytesIO(endless)))
    assert info.value.code == "x12_too_large"
    assert info.value.reason.startswith("one interchange is ")


def test_a_deep_hl_chain_does_not_hang_the_outline() -> None:
    chain = "".join(f"HL*{n}*{n - 1 if n > 1 else ''}*22*1~" for n in range(1, 20_001))
    text = build(["BHT*0019*00*1*20260105*1200*CH", *chain.rstrip("~").split("~")], set_id="837")
    started = time.perf_counter()
    with pytest.raises(x12.X12StructureError) as info:
        Outliner().outline(text)
    assert time.perf_counter() - started < 5
    assert where(info.value) == ("x12_hl_too_deep", None, None, 4 + MAX_HL_DEPTH + 1, "HL", 2)


# --- (b) unbalanced envelopes ---------------------------------------------------------------------------------


def test_an_isa_without_iea_is_truncated() -> None:
    err = refused(without(REMIT, f"IEA*1*{ICN}~"))
    assert isinstance(err, x12.X12EnvelopeError)
    assert where(err) == ("x12_envelope_error", ICN, None, position(REMIT, "GE"), None, None)
    assert err.expected == "IEA"


def test_a_gs_without_ge_is_found_at_the_iea() -> None:
    err = refused(without(REMIT, "GE*1*7~"))
    assert where(err) == ("x12_envelope_error", ICN, None, position(REMIT, "IEA") - 1, "IEA", None)
    assert err.expected == "GE"


def test_an_st_without_se_is_found_at_the_ge() -> None:
    err = refused(without(REMIT, f"SE*{len(REMIT_BODY) + 2}*0001~"))
    assert where(err) == ("x12_envelope_error", ICN, "0001", position(REMIT, "SE") - 2, "GE", None)
    assert err.expected == "SE"


@pytest.mark.parametrize(
    ("old", "new", "code", "transaction", "segment", "element"),
    [
        (
            f"SE*{len(REMIT_BODY) + 2}*0001",
            f"SE*{len(REMIT_BODY) + 2}*0002",
            "x12_control_number_mismatch",
            "0001",
            "SE",
            2,
        ),
        ("GE*1*7", "GE*1*8", "x12_control_number_mismatch", None, "GE", 2),
        (f"IEA*1*{ICN}", "IEA*1*000000102", "x12_control_number_mismatch", None, "IEA", 2),
        (f"SE*{len(REMIT_BODY) + 2}*0001", f"SE*{len(REMIT_BODY) + 1}*0001", "x12_count_mismatch", "0001", "SE", 1),
        ("GE*1*7", "GE*2*7", "x12_count_mismatch", None, "GE", 1),
        (f"IEA*1*{ICN}", f"IEA*0*{ICN}", "x12_count_mismatch", None, "IEA", 1),
        (f"IEA*1*{ICN}", f"IEA*X*{ICN}", "x12_envelope_error", None, "IEA", 1),
    ],
)
def test_wrong_control_numbers_and_counts(
    old: str, new: str, code: str, transaction: str | None, segment: str, element: int
) -> None:
    err = refused(REMIT.replace(old, new))
    assert isinstance(err, x12.X12EnvelopeError)
    assert (err.code, err.interchange, err.transaction, err.segment_id, err.element_position) == (
        code,
        ICN,
        transaction,
        segment,
        element,
    )


def test_envelopes_nested_out_of_order() -> None:
    gs = "GS*HP*SUBMITTER*RECEIVER*20260105*1200*7*X*005010X221A1~"
    st_first = REMIT.replace(gs, "").replace("ST*835*0001~", "ST*835*0001~" + gs, 1)
    assert where(refused(st_first)) == ("x12_envelope_error", ICN, None, 2, "ST", None)
    assert where(refused(REMIT.replace(gs, gs + gs))) == ("x12_envelope_error", ICN, None, 3, "GS", None)
    ge_twice = REMIT.replace("IEA*", "GE*1*7~IEA*")
    assert where(refused(ge_twice)) == ("x12_envelope_error", ICN, None, position(ge_twice, "GE", 2), "GE", None)
    stray_se = REMIT.replace("GE*1*7~", "GE*1*7~SE*2*0002~")
    assert where(refused(stray_se)) == ("x12_structure_error", ICN, None, position(stray_se, "SE", 2), "SE", None)
    isa_inside = REMIT.replace("GE*1*7~", ISA + "GE*1*7~")
    err = refused(isa_inside)
    assert isinstance(err, x12.X12EnvelopeError)
    assert where(err) == ("x12_envelope_error", ICN, None, position(isa_inside, "ISA", 2), "ISA", None)
    assert err.reason == f"an interchange opens before interchange {ICN} closed"


# --- (c) binary garbage, NUL, non-ASCII ---------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(20))
def test_random_bytes_are_not_x12(seed: int) -> None:
    garbage = random.Random(seed).randbytes(4096)
    err = refused(garbage)
    assert isinstance(err, x12.X12SyntaxError)
    assert (err.code, err.segment_position) == ("x12_not_x12", 1)


def test_a_nul_byte_inside_an_element_is_refused_where_it_is() -> None:
    err = refused(REMIT.replace("TESTPATIENT", "TEST\x00PATIENT").encode())
    assert where(err) == ("x12_bad_character", ICN, None, CLP + 1, "NM1", 3)
    assert err.reason == "a control character (0x00) in the data: the file is binary or damaged"


def test_binary_after_a_good_isa_is_refused_at_its_segment() -> None:
    data = (ISA + "GS*HP*S*R*2026").encode() + bytes(range(256)) * 4
    err = refused(data)
    assert where(err) == ("x12_bad_character", ICN, None, 2, "GS", 4)


def test_invalid_utf8_is_read_as_latin1_not_a_decode_error() -> None:
    data = REMIT.encode().replace(b"TESTPATIENT", b"TESTP\xc9TIENT\xff")
    (t,) = x12.read(data)
    assert t.document.claims[0].entities[0].name == "TESTPÉTIENTÿ"  # type: ignore[union-attr]


def test_non_ascii_digits_in_an_amount_are_a_syntax_error() -> None:
    err = refused(REMIT.replace("CLP*PCN-0001*1*250*", "CLP*PCN-0001*1*２５０*"))
    assert where(err) == ("x12_syntax_error", ICN, "0001", CLP - 2, "CLP", 3)


def test_a_utf16_file_is_not_x12() -> None:
    err = refused(REMIT.encode("utf-16"))
    assert (err.code, err.segment_position) == ("x12_not_x12", 1)


def test_a_byte_order_mark_is_dropped() -> None:
    assert [t.type for t in x12.read(b"\xef\xbb\xbf" + REMIT.encode())] == [x12.TransactionType.REMITTANCE]


# --- (d) truncation at every offset ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", [REAL_835, REAL_837])
def test_a_real_file_cut_anywhere_is_refused_with_an_x12_error(name: str) -> None:
    data = fixture(name)
    end = len(data.rstrip())
    cuts = sorted({*range(0, 300), *range(300, end, 7), *range(end - 40, end)})
    for cut in cuts:
        if data[cut:].strip() == data[end - 1 : end]:
            continue  # only the last terminator is missing: the file is whole, and read
        err = refused(data[:cut])
        assert err.code.startswith("x12_"), cut
        assert err.location() or err.reason == "the file is empty", cut
    assert x12.read(data[:end])  # the whole file still reads


def test_cuts_inside_the_isa_the_set_and_the_trailers_say_where() -> None:
    data = fixture(REAL_835)
    text = data.decode()
    assert where(refused(data[:50])) == ("x12_syntax_error", None, None, 1, "ISA", 7)
    assert where(refused(data[:104])) == ("x12_syntax_error", None, None, 1, "ISA", 16)
    in_claim = text.index("CLP*")
    err = refused(data[: in_claim + 7])
    assert isinstance(err, x12.X12EnvelopeError)
    assert (err.interchange, err.transaction, err.expected) == ("000000907", "1234", "SE")
    after_se = text.index("GE*")
    err = refused(data[:after_se])
    assert (err.code, err.interchange, err.transaction, err.expected) == (
        "x12_envelope_error",
        "000000907",
        None,
        "GE and IEA",
    )
    in_iea = text.index("IEA*") + 8
    iea = position(text, "IEA")
    assert where(refused(data[:in_iea])) == ("x12_control_number_mismatch", "000000907", None, iea, "IEA", 2)


# --- (e) short ISA and colliding delimiters -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("isa", "element", "reason"),
    [
        (ISA[:-1] + "*", 16, "'*' cannot be a segment terminator"),
        (ISA[:-2] + "**", 16, "'*' cannot be the component separator"),
        (ISA[:-2] + "~~", 16, "'~' cannot be a segment terminator"),
        (ISA[:-1] + "A", 16, "'A' cannot be a segment terminator"),
        ("ISA0" + ISA[4:].replace("*", "0"), 1, "'0' cannot be the element separator"),
        ("ISA " + ISA[4:].replace("*", " "), 1, "0x20 cannot be the element separator"),
        (ISA[:60], 9, "the ISA is truncated: it ends after 8 of its 16 elements"),
        (ISA[:105], 16, "the ISA is truncated"),
        ("ISA", None, "the ISA is truncated"),
    ],
)
def test_short_isas_and_colliding_delimiters(isa: str, element: int | None, reason: str) -> None:
    err = refused(isa if len(isa) < 106 else isa + "GS*HP*S*R*20260105*1200*7*X*005010X221A1~")
    assert isinstance(err, x12.X12SyntaxError)
    assert (err.segment_position, err.segment_id, err.element_position, err.reason) == (1, "ISA", element, reason)


def test_a_repetition_separator_that_collides_falls_back() -> None:
    d = syntax.read_delimiters(ISA.replace("*^*", "*:*", 1))
    assert d == syntax.Delimiters(element="*", repetition="^", component=":", segment="~")
    d = syntax.read_delimiters(ISA.replace("*", "^").replace("^^^", "^U^", 1))
    assert (d.element, d.repetition) == ("^", "!")


def test_an_unpadded_isa_is_still_read() -> None:
    short = "ISA*00**00**ZZ*SUBMITTER*ZZ*RECEIVER*260105*1200*^*00501*000000101*0*T*:~"
    assert [t.type for t in x12.read(REMIT.replace(ISA, short))] == [x12.TransactionType.REMITTANCE]


# --- (f) empty -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", "", b"   \r\n\t", b"\xef\xbb\xbf", "\ufeff\n"])
def test_empty_input(data: bytes | str) -> None:
    err = refused(data)
    assert isinstance(err, x12.X12SyntaxError)
    assert (err.code, err.reason, err.location()) == ("x12_syntax_error", "the file is empty", "")


# --- the entry points services use ------------------------------------------------------------------------


HOSTILE = {
    "empty": (b"", "x12_syntax_error"),
    "garbage": (random.Random(7).randbytes(2000), "x12_not_x12"),
    "nul": (REMIT.replace("TESTPATIENT", "TEST\x00").encode(), "x12_bad_character"),
    "huge": (REMIT.replace("PCN-0001", "9" * 2_000_000).encode(), "x12_element_too_long"),
    "truncated": (REMIT[: REMIT.index("CLP*")].encode(), "x12_envelope_error"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_posting_read_remittances_refuses_with_a_format_error(case: str) -> None:
    data, code = HOSTILE[case]
    with pytest.raises(FormatError) as info:
        read_remittances(data, "era.835")
    assert info.value.code == code
    assert info.value.message.startswith("era.835: ")


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_validate_reports_the_fault_instead_of_raising(case: str) -> None:
    data, code = HOSTILE[case]
    report = x12.validate(data)
    assert not report.ok
    assert report.findings is not None
    assert report.findings[0].code == code


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_the_stream_reader_and_x12_kind_behave(case: str) -> None:
    data, code = HOSTILE[case]
    with pytest.raises(x12.X12Error) as info:
        list(x12.read_stream(io.BytesIO(data)))
    assert info.value.code == code
    assert x12_kind(data) in (None, "835")


@pytest.mark.parametrize(
    "name",
    [
        REAL_837,
        "837I/lfh-x12__demo.837i",
        "999/pyx12__834_lui_id_5010.999.txt",
        "277CA/imsweb__x12_277CA_accepted.txt",
        "277/lfh-x12__demo.277",
        "271/lfh-x12__demo.271",
        "270/lfh-x12__dependent-health-benefit-check.270",
        "276/lfh-x12__demo.276",
    ],
)
def test_each_reader_refuses_hostile_variants_of_its_real_file(name: str) -> None:
    data = fixture(name)
    assert x12.read(data)
    text = data.decode("utf-8-sig").lstrip()
    term = text[105]
    second = text.index(term) + 1  # the segment after the ISA
    sid = text[second:].lstrip().split("*", 1)[0]
    long = text[:second] + text[second:].replace(f"{sid}*", f"{sid}*{'X' * 5000}", 1)
    assert where(refused(long))[0::3] == ("x12_element_too_long", 2)
    nul = text[:second] + text[second:].replace(f"{sid}*", f"{sid}*\x00", 1)
    assert where(refused(nul))[0::3] == ("x12_bad_character", 2)
    err = refused(text[: len(text) // 2])
    assert isinstance(err, x12.X12EnvelopeError)
    assert err.interchange == text[90:99]
