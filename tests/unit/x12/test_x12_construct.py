"""The readers' fast constructors build the same frozen objects as the dataclasses' own __init__."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from medbill.domain.claims import ProcedureCode, ServiceLine
from medbill.domain.remittance import ClaimPayment, ClaimStatus
from medbill.formats.x12.construct import fast_constructor


def test_a_fast_constructor_gives_an_equal_frozen_instance_with_defaults() -> None:
    make = fast_constructor(ClaimPayment)
    fast = make(claim_id="PCN-1", status=ClaimStatus.DENIED, charge_cents=100, paid_cents=0, filing_indicator="CI")
    slow = ClaimPayment(
        claim_id="PCN-1", status=ClaimStatus.DENIED, charge_cents=100, paid_cents=0, filing_indicator="CI"
    )
    assert fast == slow and hash(fast.lines) == hash(slow.lines)
    assert type(fast) is ClaimPayment
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.paid_cents = 5  # type: ignore[misc]


def test_a_fast_constructor_requires_the_same_fields() -> None:
    make = fast_constructor(ServiceLine)
    with pytest.raises(TypeError):
        make(number=1, charge_cents=100)  # type: ignore[call-arg]
    line = make(number=1, procedure=ProcedureCode(qualifier="HC", code="99213"), charge_cents=100, units=Decimal(1))
    assert line == ServiceLine(
        number=1, procedure=ProcedureCode(qualifier="HC", code="99213"), charge_cents=100, units=Decimal(1)
    )


def test_a_class_that_validates_in_post_init_is_refused() -> None:
    @dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
    class Checked:
        value: int

        def __post_init__(self) -> None:
            if self.value < 0:
                raise ValueError("negative")

    with pytest.raises(TypeError, match="__post_init__"):
        fast_constructor(Checked)
