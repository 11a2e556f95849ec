"""Envelopes: control numbers and counts checked on read, versions other than 5010 refused, errors located."""

from __future__ import annotations

import pytest

from medbill.formats import x12
from tests.unit.x12.x12_helpers import REMIT_BODY, build, fixture


def test_several_transaction_sets_in_one_group_are_each_read() -> None:
    ts = x12.read(build(REMIT_BODY, REMIT_BODY, REMIT_BODY))
    assert [t.control_number for t in ts] == ["0001", "0002", "0003"]
    assert {t.group.control_number for t in ts if t.group} == {"7"}


def test_the_envelope_is_exposed_on_each_transaction() -> None:
    (t,) = x12.read(build(REMIT_BODY))
    assert t.interchange.sender_id == "SUBMITTER"
    assert t.interchange.control_number == "000000101"
    assert t.interchange.usage == "T"
    assert t.group is not None and t.group.version == "005010X221A1"
    assert t.type == x12.TransactionType.REMITTANCE


def test_a_wrong_se_count_names_the_transaction_and_the_segment() -> None:
    text = build(REMIT_BODY).replace(f"SE*{len(REMIT_BODY) + 2}*0001", "SE*5*0001")
    with pytest.raises(x12.X12EnvelopeError) as info:
        x12.read(text)
    err = info.value
    assert (err.code, err.interchange, err.transaction, err.segment_id, err.element_position) == (
        "x12_count_mismatch",
        "000000101",
        "0001",
        "SE",
        1,
    )
    assert err.segment_position == len(REMIT_BODY) + 2
    assert err.expected == str(len(REMIT_BODY) + 2)


def test_a_se_control_number_that_differs_from_st_is_refused() -> None:
    text = build(REMIT_BODY).replace(f"SE*{len(REMIT_BODY) + 2}*0001", f"SE*{len(REMIT_BODY) + 2}*0002")
    with pytest.raises(x12.X12EnvelopeError) as info:
        x12.read(text)
    assert info.value.code == "x12_control_number_mismatch"
    assert info.value.expected == "0001"


def test_a_wrong_ge_count_is_refused() -> None:
    with pytest.raises(x12.X12EnvelopeError) as info:
        x12.read(build(REMIT_BODY).replace("GE*1*7", "GE*2*7"))
    assert (info.value.segment_id, info.value.element_position, info.value.expected) == ("GE", 1, "1")


def test_a_ge_control_number_that_differs_from_gs_is_refused() -> None:
    with pytest.raises(x12.X12EnvelopeError, match="GE02 '8' does not match GS06 '7'"):
        x12.read(build(REMIT_BODY).replace("GE*1*7", "GE*1*8"))


def test_a_wrong_iea_count_or_control_number_is_refused() -> None:
    with pytest.raises(x12.X12EnvelopeError, match="IEA01 says 3"):
        x12.read(build(REMIT_BODY).replace("IEA*1*", "IEA*3*"))
    with pytest.raises(x12.X12EnvelopeError, match="does not match ISA13"):
        x12.read(build(REMIT_BODY).replace("IEA*1*000000101", "IEA*1*000000102"))


def test_a_truncated_file_says_what_is_missing() -> None:
    text = build(REMIT_BODY)
    cut = text[: text.index("SVC*HC:85025")]
    with pytest.raises(x12.X12EnvelopeError) as info:
        x12.read(cut)
    assert "no SE" in info.value.reason
    assert info.value.transaction == "0001"


def test_a_missing_iea_is_refused() -> None:
    text = build(REMIT_BODY)
    with pytest.raises(x12.X12EnvelopeError, match="no IEA"):
        x12.read(text[: text.index("IEA")])


def test_a_4010_file_is_refused_naming_the_version() -> None:
    with pytest.raises(x12.X12EnvelopeError) as info:
        x12.read(fixture("835/oopfactory__Example1.txt"))
    assert info.value.code == "x12_unsupported_version"
    assert "4010" in str(info.value)
    assert (info.value.segment_id, info.value.element_position) == ("ISA", 12)


def test_a_4010_group_in_a_5010_interchange_is_refused_naming_the_version() -> None:
    with pytest.raises(x12.X12EnvelopeError, match="4010 \\(GS08 004010X091A1\\)"):
        x12.read(build(REMIT_BODY, version="004010X091A1"))


def test_a_segment_outside_a_transaction_set_is_a_structure_error() -> None:
    text = build(REMIT_BODY).replace("GE*1*7~", "ZZZ*1~GE*1*7~")
    with pytest.raises(x12.X12StructureError) as info:
        x12.read(text)
    assert info.value.segment_id == "ZZZ"


def test_a_bad_gs_date_is_a_syntax_error_at_gs04() -> None:
    with pytest.raises(x12.X12SyntaxError) as info:
        x12.read(build(REMIT_BODY).replace("*20260105*1200*7*", "*20261305*1200*7*"))
    assert (info.value.segment_id, info.value.element_position, info.value.segment_position) == ("GS", 4, 2)


def test_errors_are_format_errors_with_stable_codes() -> None:
    from medbill.domain.errors import FormatError

    for cls, code in (
        (x12.X12SyntaxError, "x12_syntax_error"),
        (x12.X12EnvelopeError, "x12_envelope_error"),
        (x12.X12StructureError, "x12_structure_error"),
    ):
        assert issubclass(cls, FormatError)
        assert cls("x").code == code
