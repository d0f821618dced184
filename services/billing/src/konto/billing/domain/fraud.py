"""The fraud hold's rules (BIL-6), from settings, kept deliberately simple:
- `first_order`: an organization's first order (none completed or held before) whose total is
  above `new_org_max_total_minor`;
- `order_rate`: more than `max_orders_per_hour` orders of the organization checked out (or held)
  in the hour before this one;
- a billing country differing from the login country is not checked: billing does not know
  the login country.
A held order is cancelled and refunded in full `unlock_days` after it was blocked."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from konto.billing.domain.money import Money


@dataclass(frozen=True)
class FraudRules:
    new_org_max_total_minor: int
    max_orders_per_hour: int
    unlock_days: int = 10


def suspicions(
    rules: FraudRules, total: Money, earlier_orders: int, orders_last_hour: int
) -> list[str]:
    """The rules this order matches; empty when it may go through."""
    found = []
    if earlier_orders == 0 and total.minor > rules.new_org_max_total_minor:
        found.append("first_order")
    if orders_last_hour >= rules.max_orders_per_hour:
        found.append("order_rate")
    return found


def cancel_after(rules: FraudRules, blocked_at: datetime) -> datetime:
    return blocked_at + timedelta(days=rules.unlock_days)


def expiry_cutoff(rules: FraudRules, now: datetime) -> datetime:
    """Orders blocked before this moment have waited the whole unlock period."""
    return now - timedelta(days=rules.unlock_days)
