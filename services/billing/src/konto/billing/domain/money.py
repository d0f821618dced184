"""Money as integer minor units with a currency; never floats (BIL-*)."""

from dataclasses import dataclass
from typing import Literal

Currency = Literal["CHF", "EUR"]
CURRENCIES: tuple[Currency, ...] = ("CHF", "EUR")


class CurrencyMismatch(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Money:
    minor: int
    currency: Currency

    @classmethod
    def zero(cls, currency: Currency) -> "Money":
        return cls(0, currency)

    def _same(self, other: "Money") -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} and {other.currency}")

    def __add__(self, other: "Money") -> "Money":
        self._same(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        self._same(other)
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> "Money":
        return Money(-self.minor, self.currency)

    def times(self, factor: int) -> "Money":
        return Money(self.minor * factor, self.currency)

    def share(self, numerator: int, denominator: int) -> "Money":
        """`self * numerator / denominator`, rounded half away from zero to a minor unit."""
        if denominator <= 0:
            raise ValueError("denominator must be positive")
        return Money(round_half_up(self.minor * numerator, denominator), self.currency)

    def allocate(self, weights: list[int]) -> list["Money"]:
        """Split into parts proportional to `weights` that add up exactly to the whole; the
        remainder goes to the first parts, one minor unit each."""
        if not weights or any(w < 0 for w in weights) or sum(weights) == 0:
            raise ValueError("weights must be non-negative with a positive sum")
        total = sum(weights)
        parts = [self.minor * w // total for w in weights]
        for i in range(self.minor - sum(parts)):
            parts[i % len(parts)] += 1
        return [Money(p, self.currency) for p in parts]

    def format(self) -> str:
        sign = "-" if self.minor < 0 else ""
        whole, cents = divmod(abs(self.minor), 100)
        return f"{self.currency} {sign}{whole:,}.{cents:02d}".replace(",", "'")


def round_half_up(numerator: int, denominator: int) -> int:
    """Integer division rounding halves away from zero (commercial rounding)."""
    quotient, remainder = divmod(abs(numerator), denominator)
    if remainder * 2 >= denominator:
        quotient += 1
    return quotient if numerator >= 0 else -quotient
