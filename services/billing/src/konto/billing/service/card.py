"""Card payments behind one provider interface (BIL-4). The real adapter (`stripe_card.py`)
talks to the external card processor; `TestCardProcessor` is its local double (the only kind
of fake the project allows): same interface, idempotent by key like real processors,
deterministic tokens."""

import uuid
from dataclasses import dataclass
from typing import Protocol

from konto.billing.domain.money import Money


class CardDeclined(Exception):
    pass


class CardUnavailable(Exception):
    """The processor did not answer usefully (5xx, timeout, rate limit): nothing is known to
    be charged, and the same request with the same idempotency key may be sent again."""


@dataclass(frozen=True)
class Charge:
    charge_id: str
    amount: Money


class CardProcessor(Protocol):
    async def charge(self, amount: Money, card_token: str, idempotency_key: str) -> Charge:
        """Charges once per idempotency key: a retry returns the first charge."""
        ...

    async def refund(self, charge: Charge) -> None:
        """Gives a charge back in full (the payment it was for did not commit)."""
        ...


class TestCardProcessor:
    """`tok_visa` (and any other `tok_…`) is charged, `tok_declined` is declined."""

    __test__ = False  # not a pytest class

    def __init__(self) -> None:
        self._charges: dict[str, Charge] = {}

    async def charge(self, amount: Money, card_token: str, idempotency_key: str) -> Charge:
        if idempotency_key in self._charges:
            return self._charges[idempotency_key]
        if card_token == "tok_declined" or not card_token.startswith("tok_"):
            raise CardDeclined("the card was declined")
        charge = Charge(charge_id=f"ch_{uuid.uuid4().hex}", amount=amount)
        self._charges[idempotency_key] = charge
        return charge

    async def refund(self, charge: Charge) -> None:
        # A refunded charge no longer answers its key: a retry of the request charges anew.
        self._charges = {k: c for k, c in self._charges.items() if c != charge}
