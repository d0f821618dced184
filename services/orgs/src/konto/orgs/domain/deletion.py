"""When an organization may be deleted (ORG-7): all products cancelled, prepaid balance zero,
no open invoice, no pro-forma awaiting a bank transfer. Pure: the caller passes orgs'
projection of billing's state."""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class BillingState:
    """What billing last announced of an organization (`account.state_changed`)."""

    active_products: int = 0
    balance_minor: int = 0
    currency: str = "CHF"
    open_invoices: int = 0
    open_proformas: int = 0  # pro-formas awaiting a bank transfer (BIL-4)


@dataclass(frozen=True)
class Blocker:
    """One thing that still blocks the deletion, with how much of it."""

    reason: str  # active_products | prepaid_balance | open_invoices | open_proformas
    message: str
    count: int | None = None
    amount_minor: int | None = None
    currency: str | None = None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"reason": self.reason, "message": self.message}
        if self.count is not None:
            out["count"] = self.count
        if self.amount_minor is not None:
            out["amount"] = {"minor": self.amount_minor, "currency": self.currency}
        return out


def blockers(state: BillingState | None) -> list[Blocker]:
    """Everything that blocks deletion; empty means it may go. No state: billing never
    announced anything for the organization, so it has neither products, money nor invoices."""
    if state is None:
        return []
    found: list[Blocker] = []
    if state.active_products > 0:
        found.append(
            Blocker(
                "active_products",
                f"{state.active_products} product(s) not cancelled",
                count=state.active_products,
            )
        )
    # Any non-zero balance blocks: credit must be withdrawn, a debt settled (BIL-8).
    if state.balance_minor != 0:
        found.append(
            Blocker(
                "prepaid_balance",
                f"prepaid balance of {state.balance_minor / 100:.2f} {state.currency} is not zero",
                amount_minor=state.balance_minor,
                currency=state.currency,
            )
        )
    if state.open_invoices > 0:
        found.append(
            Blocker(
                "open_invoices",
                f"{state.open_invoices} invoice(s) not paid",
                count=state.open_invoices,
            )
        )
    if state.open_proformas > 0:
        found.append(
            Blocker(
                "open_proformas",
                f"{state.open_proformas} pro-forma invoice(s) awaiting payment by bank transfer",
                count=state.open_proformas,
            )
        )
    return found
