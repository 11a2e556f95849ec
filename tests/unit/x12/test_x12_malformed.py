"""Our malformed fixture files: each fails with the right error class, code and location."""

from __future__ import annotations

import pytest

from medbill.formats import x12
from tests.unit.x12.x12_helpers import fixture

CASES = [
    ("835_wrong_se_count.835", x12.X12EnvelopeError, "x12_count_mismatch", "0001", "SE", 1),
    ("835_wrong_ge_count.835", x12.X12EnvelopeError, "x12_count_mismatch", None, "GE", 1),
    ("835_wrong_iea_control.835", x12.X12EnvelopeError, "x12_control_number_mismatch", None, "IEA", 2),
    ("835_truncated.835", x12.X12EnvelopeError, "x12_envelope_error", "0001", None, None),
    ("835_bad_service_date.835", x12.X12SyntaxError, "x12_syntax_error", "0001", "DTM", 2),
    ("835_unknown_segment.835", x12.X12StructureError, "x12_unexpected_segment", "0001", "ZZZ", None),
    ("835_fraction_of_cent.835", x12.X12SyntaxError, "x12_syntax_error", "0001", "CAS", 3),
    ("835_4010.835", x12.X12EnvelopeError, "x12_unsupported_version", None, "ISA", 12),
]


@pytest.mark.parametrize(("name", "error", "code", "transaction", "segment", "element"), CASES)
def test_malformed_files_fail_with_the_right_error_and_location(
    name: str,
    error: type[x12.X12Error],
    code: str,
    transaction: str | None,
    segment: str | None,
    element: int | None,
) -> None:
    with pytest.raises(error) as info:
        x12.read(fixture(f"malformed/{name}"))
    err = info.value
    assert (err.code, err.interchange, err.transaction, err.segment_id, err.element_position) == (
        code,
        "000000101",
        transaction,
        segment,
        element,
    )
    assert err.location() in str(err)


def test_a_file_with_pipes_and_crlf_line_breaks_is_not_malformed() -> None:
    (t,) = x12.read(fixture("malformed/835_line_breaks_pipes_ok.835"))
    assert t.type == x12.TransactionType.REMITTANCE
