"""Money: an amount in one currency, the shared kernel's sample value object."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .errors import ValidationError
from .value_object import ValueObject

_ZERO = Decimal(0)
_CENT = Decimal("0.01")
_MAX_AMOUNT = Decimal("1e12")
_CURRENCY = re.compile("[A-Z]{3}")


@dataclass(frozen=True, slots=True)
class Money(ValueObject):
    """A non-negative amount with at most two decimals, in an ISO-4217 currency code."""

    amount: Decimal
    currency: str

    def validate(self) -> None:
        """Refuse negative, oversized or over-precise amounts and malformed currencies."""
        amount = self.amount
        if not (amount.is_finite() and _ZERO <= amount < _MAX_AMOUNT):
            msg = f"amount must be between 0 and {_MAX_AMOUNT:,.0f}, got {amount}"
            raise ValidationError(msg)
        if amount != amount.quantize(_CENT):
            msg = f"amount must have at most two decimals, got {amount}"
            raise ValidationError(msg)
        if _CURRENCY.fullmatch(self.currency) is None:
            msg = f"currency must be a three-letter code such as EUR, got {self.currency!r}"
            raise ValidationError(msg)

    @classmethod
    def of(cls, amount: str | int | Decimal, currency: str) -> "Money":
        """Build from text or a number, e.g. ``Money.of("9.99", "EUR")``."""
        try:
            value = Decimal(amount)
        except (InvalidOperation, ValueError) as error:
            msg = f"amount must be a number, got {amount!r}"
            raise ValidationError(msg) from error
        return cls(value, currency.strip().upper())

    @classmethod
    def zero(cls, currency: str) -> "Money":
        """No money in ``currency``."""
        return cls(_ZERO, currency)

    def __add__(self, other: "Money") -> "Money":
        if other.currency != self.currency:
            msg = f"cannot add {other.currency} to {self.currency}"
            raise ValidationError(msg)
        return Money(self.amount + other.amount, self.currency)

    def times(self, factor: int) -> "Money":
        """This amount, ``factor`` times."""
        return Money(self.amount * factor, self.currency)

    def __str__(self) -> str:
        return f"{self.amount:.2f} {self.currency}"
