"""Money as integer cents, and the one place where rate math (Decimal, ROUND_HALF_UP, rounded once) happens."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from medbill.domain.errors import ValidationError

_CENT = Decimal("0.01")
MAX_CENTS = 10**15  # ten trillion dollars: far above any claim, and inside BIGINT and X12 R18


@dataclass(frozen=True, slots=True, order=True)
class Money:
    """An amount of US dollars held as an exact integer number of cents."""

    cents: int

    def __post_init__(self) -> None:
        if isinstance(self.cents, bool) or not isinstance(self.cents, int):
            raise TypeError(f"Money holds integer cents, not {type(self.cents).__name__}")

    @classmethod
    def zero(cls) -> Money:
        return cls(0)

    @classmethod
    def parse(cls, text: str | int | Decimal, *, field: str | None = None) -> Money:
        """Dollars as written by a person or a file ("123.4", "$1,234.56", "-5") to Money; refuses fractions of a cent."""
        if isinstance(text, (bool, float)):
            raise ValidationError("amounts are never floats; give a decimal string", field=field)
        raw = str(text).strip().replace(",", "").replace("$", "")
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise ValidationError(f"'{text}' is not an amount in dollars", field=field) from None
        if not value.is_finite():
            raise ValidationError(f"'{text}' is not an amount in dollars", field=field)
        cents = value * 100
        if abs(cents) >= MAX_CENTS:
            raise ValidationError(f"'{str(text)[:20]}' is larger than any amount medbill handles", field=field)
        if cents != cents.to_integral_value():
            raise ValidationError(f"'{text}' has a fraction of a cent", field=field)
        return cls(int(cents))

    def __add__(self, other: Money) -> Money:
        return Money(self.cents + other.cents)

    def __sub__(self, other: Money) -> Money:
        return Money(self.cents - other.cents)

    def __neg__(self) -> Money:
        return Money(-self.cents)

    def times(self, quantity: int) -> Money:
        """This amount ``quantity`` times over (units of service)."""
        return Money(self.cents * quantity)

    def percent(self, rate: Decimal | str) -> Money:
        """``rate`` percent of this amount (20 → 20 %), rounded once to the cent, half up."""
        return self.scaled(Decimal(rate) / 100)

    def scaled(self, factor: Decimal | str) -> Money:
        """This amount times a Decimal factor, rounded once to the cent, half up."""
        exact = Decimal(self.cents) * Decimal(factor)
        return Money(int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)))

    def allocate(self, weights: list[int]) -> list[Money]:
        """Split into parts proportional to ``weights`` whose sum is exactly this amount (largest remainder)."""
        total = sum(weights)
        if total <= 0 or any(w < 0 for w in weights):
            raise ValueError("weights must be non-negative with a positive sum")
        sign = -1 if self.cents < 0 else 1
        whole = abs(self.cents)
        shares = [whole * w // total for w in weights]
        remainders = sorted(range(len(weights)), key=lambda i: -((whole * weights[i]) % total))
        for i in remainders[: whole - sum(shares)]:
            shares[i] += 1
        return [Money(sign * s) for s in shares]

    @property
    def is_negative(self) -> bool:
        return self.cents < 0

    def to_decimal(self) -> Decimal:
        return (Decimal(self.cents) / 100).quantize(_CENT)

    def __str__(self) -> str:
        """The amount as a decimal string, ``"123.40"``: the form amounts take in JSON and X12."""
        sign = "-" if self.cents < 0 else ""
        whole, cents = divmod(abs(self.cents), 100)
        return f"{sign}{whole}.{cents:02d}"

    def display(self) -> str:
        """For people: ``$1,234.50``, ``-$5.00``."""
        sign = "-" if self.cents < 0 else ""
        whole, cents = divmod(abs(self.cents), 100)
        return f"{sign}${whole:,}.{cents:02d}"


def cents_to_str(cents: int) -> str:
    return str(Money(cents))


def parse_cents(text: str | int | Decimal, *, field: str | None = None) -> int:
    return Money.parse(text, field=field).cents
