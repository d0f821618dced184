"""The fraud hold's rules (BIL-6), from settings, kept deliberately simple:
- `first_order`: an organization's first order (none completed or held before) whose total is
  above `new_org_max_total_minor`;
- `order_rate`: more than `max_orders_per_hour` orders of the organization checked out (or held)
  in the hour before this one;
- `country_mismatch` (when switched on): the country the buyer checks out from differs from the
  billing address's. Billing sees no login, so the client's country comes from the header an
  edge proxy sets on the checkout request (GeoIP of the address the buyer's logged-in session
  calls from); an unknown one (no header, Cloudflare's `XX` or `T1` for Tor) matches no rule.
A held order is cancelled and refunded in full `unlock_days` after it was blocked."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from konto.billing.domain.money import Money


@dataclass(frozen=True)
class FraudRules:
    new_org_max_total_minor: int
    max_orders_per_hour: int
    unlock_days: int = 10
    country_mismatch: bool = False


def suspicions(
    rules: FraudRules,
    total: Money,
    earlier_orders: int,
    orders_last_hour: int,
    *,
    billing_country: str,
    client_country: str | None,
) -> list[str]:
    """The rules this order matches; empty when it may go through."""
    found = []
    if earlier_orders == 0 and total.minor > rules.new_org_max_total_minor:
        found.append("first_order")
    if orders_last_hour >= rules.max_orders_per_hour:
        found.append("order_rate")
    client = known_country(client_country)
    if rules.country_mismatch and client and client != billing_country.upper():
        found.append("country_mismatch")
    return found


def known_country(header: str | None) -> str | None:
    """An ISO 3166 alpha-2 code from the proxy's header, None when it names no country."""
    code = (header or "").strip().upper()
    # Cloudflare sends `XX` for an unknown origin and `T1` (not alphabetic) for Tor.
    if len(code) != 2 or not code.isalpha() or code == "XX":
        return None
    return code


def cancel_after(rules: FraudRules, blocked_at: datetime) -> datetime:
    return blocked_at + timedelta(days=rules.unlock_days)


def expiry_cutoff(rules: FraudRules, now: datetime) -> datetime:
    """Orders blocked before this moment have waited the whole unlock period."""
    return now - timedelta(days=rules.unlock_days)
