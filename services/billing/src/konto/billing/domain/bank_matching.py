"""Whether a credit from a bank statement pays a pro-forma invoice (BIL-4): only a booked credit
whose structured reference names an open pro-forma, for exactly its amount in its currency.
Anything else is left to support, with the reason, and nothing is booked."""

from dataclasses import dataclass
from typing import Literal

from konto.billing.domain.camt054 import Transaction

Reason = Literal[
    "not_booked",
    "no_reference",
    "unknown_reference",
    "not_open",
    "proforma_lapsed",
    "proforma_cancelled",
    "currency_mismatch",
    "amount_mismatch",
    "unreadable_amount",
]


@dataclass(frozen=True)
class Expected:
    """What the pro-forma asks for."""

    status: str
    minor: int
    currency: str


def why_unmatched(tx: Transaction, expected: Expected | None) -> Reason | None:
    """None when `tx` pays the pro-forma in full; else why it does not."""
    if not tx.booked:
        return "not_booked"  # pending money may still bounce
    if tx.reference is None:
        return "no_reference"
    if expected is None:
        return "unknown_reference"
    if expected.status != "awaiting_payment":
        return closed_reason(expected.status)
    if tx.minor is None:
        return "unreadable_amount"
    if tx.currency != expected.currency:
        return "currency_mismatch"
    if tx.minor != expected.minor:
        return "amount_mismatch"  # part or over payments are settled by support
    return None


def closed_reason(status: str) -> Reason:
    """Why a pro-forma no longer open takes no money: a lapsed or cancelled one is void (the
    order is gone, support refunds or re-issues), a paid one is paid."""
    if status == "lapsed":
        return "proforma_lapsed"
    if status == "cancelled":
        return "proforma_cancelled"
    return "not_open"
