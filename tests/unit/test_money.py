"""Money: integer cents, exact parsing, rate math rounded once half-up."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medbill.domain.errors import ValidationError
from medbill.domain.money import Money, parse_cents

cents = st.integers(min_value=-(10**12), max_value=10**12)


@given(cents, cents)
def test_addition_is_exact_and_commutative(a: int, b: int) -> None:
    assert (Money(a) + Money(b)).cents == a + b
    assert Money(a) + Money(b) == Money(b) + Money(a)


@given(cents, cents, cents)
def test_addition_is_associative(a: int, b: int, c: int) -> None:
    assert (Money(a) + Money(b)) + Money(c) == Money(a) + (Money(b) + Money(c))


@given(cents)
def test_zero_is_the_identity_and_negation_the_inverse(a: int) -> None:
    assert Money(a) + Money.zero() == Money(a)
    assert Money(a) + (-Money(a)) == Money.zero()
    assert Money(a) - Money(a) == Money.zero()


@given(cents)
def test_decimal_string_round_trips(a: int) -> None:
    assert Money.parse(str(Money(a))) == Money(a)


@given(
    st.integers(min_value=0, max_value=10**10),
    st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=12).filter(lambda w: sum(w) > 0),
)
def test_allocation_parts_sum_to_the_whole(amount: int, weights: list[int]) -> None:
    parts = Money(amount).allocate(weights)
    assert sum(p.cents for p in parts) == amount
    assert all(p.cents >= 0 for p in parts)


@given(st.integers(min_value=0, max_value=10**10), st.integers(min_value=0, max_value=10000))
def test_percent_is_rounded_once_half_up(amount: int, basis_points: int) -> None:
    rate = Decimal(basis_points) / 100
    exact = Decimal(amount) * rate / 100
    result = Money(amount).percent(rate).cents
    assert abs(Decimal(result) - exact) <= Decimal("0.5")
    assert result == int((exact + Decimal("0.5")).to_integral_value(rounding="ROUND_FLOOR"))


@pytest.mark.parametrize(
    ("amount", "rate", "expected"),
    [(12345, "20", 2469), (12345, "12.5", 1543), (5, "50", 3), (15, "10", 2), (14, "10", 1), (-12345, "20", -2469)],
)
def test_coinsurance_examples_round_half_up(amount: int, rate: str, expected: int) -> None:
    assert Money(amount).percent(rate).cents == expected


@pytest.mark.parametrize(("text", "expected"), [("123.4", 12340), ("$1,234.56", 123456), ("-5", -500), ("0.07", 7)])
def test_parses_dollars_as_people_write_them(text: str, expected: int) -> None:
    assert parse_cents(text) == expected


@pytest.mark.parametrize("text", ["12.345", "abc", "", "NaN", "1e400"])
def test_refuses_what_is_not_whole_cents(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Money.parse(text, field="charge")
    assert caught.value.field == "charge"


def test_never_takes_a_float() -> None:
    with pytest.raises(TypeError):
        Money(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Money.parse(1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("cents_", "text", "shown"),
    [
        (12340, "123.40", "$123.40"),
        (-500, "-5.00", "-$5.00"),
        (123456789, "1234567.89", "$1,234,567.89"),
        (7, "0.07", "$0.07"),
    ],
)
def test_formats_as_decimal_string_and_for_people(cents_: int, text: str, shown: str) -> None:
    assert str(Money(cents_)) == text
    assert Money(cents_).display() == shown
