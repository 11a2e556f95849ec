"""Identifiers: NPI Luhn check over 80840, EIN/SSN, ZIP, state, phone, payer and member IDs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medbill.domain.errors import InvalidIdentifier
from medbill.domain.identifiers import (
    npi_check_digit,
    validate_ein,
    validate_member_id,
    validate_npi,
    validate_payer_id,
    validate_phone,
    validate_ssn,
    validate_state,
    validate_taxonomy,
    validate_zip,
)


@pytest.mark.parametrize("npi", ["1234567893", "1245319599", "1003000126", "2000000002"])
def test_accepts_npis_whose_check_digit_is_right(npi: str) -> None:
    assert validate_npi(npi) == npi


def test_refuses_a_wrong_check_digit_and_says_so() -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        validate_npi("1234567890")
    assert caught.value.field == "npi"
    assert "check digit" in caught.value.message
    assert "gives 3, not 0" in caught.value.message


@pytest.mark.parametrize(
    ("npi", "reason"),
    [
        ("123456789", "10 digits"),
        ("12345678901", "10 digits"),
        ("12345A7893", "10 digits"),
        ("3234567893", "starts with 1"),
    ],
)
def test_refuses_npis_of_the_wrong_shape(npi: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier, match=reason):
        validate_npi(npi)


@given(st.text(alphabet="0123456789", min_size=8, max_size=8), st.sampled_from("12"))
def test_exactly_one_check_digit_completes_any_nine_digits(rest: str, first: str) -> None:
    body = first + rest
    valid = [d for d in "0123456789" if _accepted(body + d)]
    assert valid == [str(npi_check_digit(body))]


def _accepted(npi: str) -> bool:
    try:
        validate_npi(npi)
    except InvalidIdentifier:
        return False
    return True


@pytest.mark.parametrize(("value", "kept"), [("47-1234567", "471234567"), ("471234567", "471234567")])
def test_ein_is_kept_as_nine_digits(value: str, kept: str) -> None:
    assert validate_ein(value) == kept


@pytest.mark.parametrize("value", ["4712345", "00-1234567", "47-12345678", "AB-1234567"])
def test_refuses_bad_eins(value: str) -> None:
    with pytest.raises(InvalidIdentifier):
        validate_ein(value)


@pytest.mark.parametrize("value", ["000-12-3456", "666-12-3456", "912-12-3456", "123-00-4567", "123-45-0000"])
def test_refuses_ssns_never_issued(value: str) -> None:
    with pytest.raises(InvalidIdentifier):
        validate_ssn(value)


@pytest.mark.parametrize(
    ("value", "kept"), [("62701", "62701"), ("62701-1234", "627011234"), ("627011234", "627011234")]
)
def test_zip_is_five_or_nine_digits(value: str, kept: str) -> None:
    assert validate_zip(value) == kept


@pytest.mark.parametrize("value", ["6270", "627011", "62701-12", "ABCDE", "00000"])
def test_refuses_bad_zips(value: str) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        validate_zip(value, field="address.zip")
    assert caught.value.field == "address.zip"


def test_states_and_territories() -> None:
    assert validate_state("il") == "IL"
    assert validate_state("PR") == "PR"
    with pytest.raises(InvalidIdentifier):
        validate_state("XX")


@pytest.mark.parametrize(("value", "kept"), [("(217) 555-0142", "2175550142"), ("+1 217 555 0142", "2175550142")])
def test_phone_numbers_are_ten_digits(value: str, kept: str) -> None:
    assert validate_phone(value) == kept


@pytest.mark.parametrize("value", ["555-0142", "017-555-0142", "217-155-0142"])
def test_refuses_bad_phone_numbers(value: str) -> None:
    with pytest.raises(InvalidIdentifier):
        validate_phone(value)


def test_payer_member_and_taxonomy_shapes() -> None:
    assert validate_payer_id("acme1") == "ACME1"
    assert validate_member_id("abc-123") == "ABC-123"
    assert validate_taxonomy("207q00000x") == "207Q00000X"
    for bad, check in (("A", validate_payer_id), ("AB 12", validate_member_id), ("207Q00000", validate_taxonomy)):
        with pytest.raises(InvalidIdentifier):
            check(bad)
