"""Patient payments: oldest first or chosen visits, credit on overpayment, spreading over lines, references, refunds."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medbill.domain.errors import ValidationError
from medbill.domain.payments import (
    OpenItem,
    PatientPaymentDraft,
    PaymentMethod,
    apply_payment,
    looks_like_card_number,
    refund_allowed,
    small_balance_write_off,
    spread,
    validate_reference,
)

VISITS = (
    OpenItem(key="v3", responsible_on=date(2024, 3, 1), balance_cents=5_000),
    OpenItem(key="v1", responsible_on=date(2024, 1, 15), balance_cents=2_500),
    OpenItem(key="v2", responsible_on=date(2024, 1, 15), balance_cents=1_000),
)


def test_payment_goes_to_the_oldest_balance_first_then_by_key() -> None:
    allocation = apply_payment(4_000, VISITS)

    assert allocation.applied == (("v1", 2_500), ("v2", 1_000), ("v3", 500))
    assert allocation.credit_cents == 0
    assert allocation.applied_cents == 4_000


def test_payment_goes_only_to_the_chosen_visits_in_the_order_given() -> None:
    allocation = apply_payment(5_500, VISITS, chosen=["v3", "v2"])

    assert allocation.applied == (("v3", 5_000), ("v2", 500))
    assert allocation.credit_cents == 0


def test_payment_beyond_the_chosen_visits_becomes_credit_not_applied_elsewhere() -> None:
    allocation = apply_payment(3_000, VISITS, chosen=["v2"])

    assert allocation.applied == (("v2", 1_000),)
    assert allocation.credit_cents == 2_000


def test_overpayment_leaves_an_unapplied_credit() -> None:
    allocation = apply_payment(10_001, VISITS)

    assert allocation.applied == (("v1", 2_500), ("v2", 1_000), ("v3", 5_000))
    assert allocation.credit_cents == 1_501


def test_payment_with_no_open_items_is_all_credit() -> None:
    allocation = apply_payment(1_234, [])

    assert allocation.applied == ()
    assert allocation.credit_cents == 1_234


def test_zero_balance_items_receive_nothing() -> None:
    items = [OpenItem(key="paid", responsible_on=date(2023, 1, 1), balance_cents=0), *VISITS]

    assert apply_payment(100, items).applied == (("v1", 100),)


@pytest.mark.parametrize("amount", [0, -1, -5_000])
def test_zero_or_negative_payment_is_refused_naming_the_amount(amount: int) -> None:
    with pytest.raises(ValidationError) as caught:
        apply_payment(amount, VISITS)

    assert caught.value.code == "invalid_input"
    assert caught.value.field == "amount_cents"


def test_unknown_chosen_visit_is_refused_naming_its_position() -> None:
    with pytest.raises(ValidationError) as caught:
        apply_payment(1_000, VISITS, chosen=["v1", "v9"])

    assert caught.value.field == "chosen[1]"
    assert "'v9' is not one of the account's open items" in caught.value.message


def test_visit_chosen_twice_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        apply_payment(1_000, VISITS, chosen=["v1", "v1"])

    assert caught.value.field == "chosen[1]"


def test_empty_choice_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        apply_payment(1_000, VISITS, chosen=[])

    assert caught.value.field == "chosen"


def test_open_item_with_a_negative_balance_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        OpenItem(key="v1", responsible_on=date(2024, 1, 1), balance_cents=-1)

    assert caught.value.field == "balance_cents"


items_strategy = st.lists(
    st.builds(
        OpenItem,
        key=st.text(alphabet="abcdefgh", min_size=1, max_size=4),
        responsible_on=st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 12, 31)),
        balance_cents=st.integers(min_value=0, max_value=10**7),
    ),
    max_size=8,
    unique_by=lambda item: item.key,
)


@given(st.integers(min_value=1, max_value=10**8), items_strategy)
def test_applied_plus_credit_is_the_amount_and_no_item_is_over_applied(amount: int, items: list[OpenItem]) -> None:
    allocation = apply_payment(amount, items)

    balances = {item.key: item.balance_cents for item in items}
    assert allocation.applied_cents + allocation.credit_cents == amount
    assert allocation.credit_cents >= 0
    assert all(0 < cents <= balances[key] for key, cents in allocation.applied)
    assert len({key for key, _ in allocation.applied}) == len(allocation.applied)
    owed = sum(balances.values())
    assert allocation.applied_cents == min(amount, owed)


@given(st.integers(min_value=1, max_value=10**8), items_strategy, st.data())
def test_chosen_items_only_receive_money(amount: int, items: list[OpenItem], data: st.DataObject) -> None:
    keys = [item.key for item in items]
    chosen = data.draw(st.lists(st.sampled_from(keys), min_size=1, unique=True) if keys else st.nothing())

    allocation = apply_payment(amount, items, chosen=chosen)

    assert {key for key, _ in allocation.applied} <= set(chosen)
    assert allocation.applied_cents + allocation.credit_cents == amount


def test_spread_fills_the_first_line_first_never_above_a_line_balance() -> None:
    assert spread(7_000, [("line1", 5_000), ("line2", 3_000), ("line3", 1_000)]) == (("line1", 5_000), ("line2", 2_000))


def test_spread_skips_lines_with_no_balance_or_a_credit() -> None:
    assert spread(1_500, [("a", 0), ("b", -200), ("c", 1_000), ("d", 900)]) == (("c", 1_000), ("d", 500))


def test_spread_of_more_than_the_lines_owe_is_refused_with_both_amounts() -> None:
    with pytest.raises(ValidationError) as caught:
        spread(3_001, [("a", 1_000), ("b", 2_000)])

    assert caught.value.field == "amount_cents"
    assert "30.01 is more than the lines owe (30.00)" in caught.value.message


@given(
    st.lists(st.tuples(st.text(min_size=1, max_size=3), st.integers(min_value=-500, max_value=10**6)), max_size=6),
    st.data(),
)
def test_spread_sums_to_the_amount_and_respects_each_line(balances: list[tuple[str, int]], data: st.DataObject) -> None:
    owed = sum(max(cents, 0) for _, cents in balances)
    amount = data.draw(st.integers(min_value=0, max_value=owed))

    parts = spread(amount, balances)

    assert sum(cents for _, cents in parts) == amount
    owing = [(key, cents) for key, cents in balances if cents > 0]
    assert [key for key, _ in parts] == [key for key, _ in owing[: len(parts)]]  # first lines first
    assert all(0 < cents <= owing[i][1] for i, (_, cents) in enumerate(parts))
    assert all(cents == owing[i][1] for i, (_, cents) in enumerate(parts[:-1]))  # only the last is partial


@pytest.mark.parametrize(
    "reference",
    ["4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111", "card 378282246310005 visa", "6011111111111117"],
)
@pytest.mark.parametrize("method", [PaymentMethod.CARD, PaymentMethod.CHECK, PaymentMethod.CASH, PaymentMethod.OTHER])
def test_full_card_number_is_refused_whatever_the_method(method: PaymentMethod, reference: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_reference(method, reference)

    assert caught.value.field == "reference"
    assert "full card number" in caught.value.message
    assert "last 4 digits" in caught.value.message


def test_digits_that_fail_luhn_are_not_a_card_number() -> None:
    assert looks_like_card_number("4111111111111112") is False
    assert looks_like_card_number("4111111111111111") is True
    assert looks_like_card_number("411111111111") is False  # 12 digits: too short for a card


def test_ach_trace_number_is_not_mistaken_for_a_card() -> None:
    luhn_valid_15_digits = "378282246310005"

    assert validate_reference(PaymentMethod.ACH, luhn_valid_15_digits) == luhn_valid_15_digits


@pytest.mark.parametrize(
    ("reference", "kept"), [("1234", "1234"), (" AUTH-0A1B2C ", "AUTH-0A1B2C"), ("0A1B2C", "0A1B2C")]
)
def test_card_payment_keeps_last_four_or_authorization_code(reference: str, kept: str) -> None:
    assert validate_reference(PaymentMethod.CARD, reference) == kept


@pytest.mark.parametrize("reference", [None, "", "   ", "4111111111111112", "12"])
def test_card_payment_without_last_four_or_authorization_is_refused(reference: str | None) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_reference(PaymentMethod.CARD, reference)

    assert caught.value.field == "reference"


@pytest.mark.parametrize("reference", [None, "", "  "])
def test_check_payment_needs_the_check_number(reference: str | None) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_reference(PaymentMethod.CHECK, reference)

    assert caught.value.message == "a check payment needs the check number"


def test_cash_payment_needs_no_reference() -> None:
    assert validate_reference(PaymentMethod.CASH, None) is None
    assert validate_reference(PaymentMethod.CASH, "receipt 88") == "receipt 88"


def test_draft_accepts_a_method_by_name_and_cleans_the_reference() -> None:
    draft = PatientPaymentDraft(amount_cents=2_500, method="check", received_on=date(2024, 5, 1), reference=" 1042 ")  # type: ignore[arg-type]

    assert draft.method is PaymentMethod.CHECK
    assert draft.reference == "1042"


def test_draft_with_an_unknown_method_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        PatientPaymentDraft(amount_cents=2_500, method="bitcoin", received_on=date(2024, 5, 1))  # type: ignore[arg-type]

    assert caught.value.field == "method"


@pytest.mark.parametrize(
    ("balance", "threshold", "expected"),
    [(500, 500, True), (1, 500, True), (501, 500, False), (0, 500, False), (-300, 500, False), (100, 0, False)],
)
def test_small_balance_is_written_off_at_or_under_the_threshold(balance: int, threshold: int, expected: bool) -> None:
    assert small_balance_write_off(balance, threshold) is expected


def test_negative_write_off_threshold_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        small_balance_write_off(100, -1)

    assert caught.value.field == "threshold_cents"


def test_refund_up_to_the_credit_is_allowed_and_returns_what_is_left() -> None:
    assert refund_allowed(5_000, 1_250) == 3_750
    assert refund_allowed(5_000, 5_000) == 0


def test_refund_above_the_credit_is_refused_naming_the_available_credit() -> None:
    with pytest.raises(ValidationError) as caught:
        refund_allowed(1_500, 2_000)

    assert caught.value.field == "amount_cents"
    assert caught.value.message == (
        "a refund of 20.00 is more than the available credit of 15.00; refund at most 15.00"
    )


def test_refund_with_no_credit_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        refund_allowed(-700, 100)

    assert "available credit of 0.00" in caught.value.message


def test_card_number_inside_a_long_note_is_refused_as_a_card_number() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_reference(PaymentMethod.OTHER, "paid by phone, card 4111 1111 1111 1111 exp 12/27")

    assert "full card number" in caught.value.message
