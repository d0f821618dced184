"""The prepaid balance is a ledger (BIL-8): the balance is the sum of its entries, never a field
that is overwritten."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from konto.billing.domain.money import Currency, Money

EntryKind = Literal["top_up", "spend", "withdraw", "refund"]
_SIGN: dict[EntryKind, int] = {"top_up": 1, "refund": 1, "spend": -1, "withdraw": -1}


class InsufficientBalance(ValueError):
    pass


@dataclass(frozen=True)
class Entry:
    kind: EntryKind
    amount: Money  # always positive; the kind gives the direction

    @property
    def signed(self) -> Money:
        return self.amount.times(_SIGN[self.kind])


def balance(entries: Iterable[Entry], currency: Currency) -> Money:
    total = Money.zero(currency)
    for entry in entries:
        total = total + entry.signed
    return total


def check_entry(current: Money, entry: Entry) -> None:
    """Raises unless the entry may be booked on top of `current`."""
    if entry.amount.minor <= 0:
        raise ValueError("an entry's amount must be positive")
    if (current + entry.signed).minor < 0:
        raise InsufficientBalance(f"balance {current.format()} is too low")
