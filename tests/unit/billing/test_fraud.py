"""BIL-6 rules with an injected clock: which orders are held, when a held one expires."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from konto.billing.domain.fraud import (
    FraudRules,
    cancel_after,
    expiry_cutoff,
    known_country,
    suspicions,
)
from konto.billing.domain.money import Money

RULES = FraudRules(new_org_max_total_minor=50_000, max_orders_per_hour=5, unlock_days=10)
NOW = datetime(2026, 11, 21, 12, tzinfo=UTC)
SWISS = {"billing_country": "CH", "client_country": "CH"}


def test_first_big_order_of_a_new_organization_is_held_BIL_6() -> None:
    assert suspicions(RULES, Money(50_001, "CHF"), 0, 0, **SWISS) == ["first_order"]
    assert suspicions(RULES, Money(50_000, "CHF"), 0, 0, **SWISS) == []
    assert suspicions(RULES, Money(90_000, "EUR"), 1, 0, **SWISS) == []  # not its first order


def test_too_many_orders_in_an_hour_are_held_BIL_6() -> None:
    assert suspicions(RULES, Money(100, "CHF"), 7, 4, **SWISS) == []
    assert suspicions(RULES, Money(100, "CHF"), 7, 5, **SWISS) == ["order_rate"]


def test_checkout_from_another_country_than_the_billing_address_is_held_BIL_6() -> None:
    rules = replace(RULES, country_mismatch=True)

    def held(client: str | None, billing: str = "CH") -> list[str]:
        return suspicions(
            rules, Money(100, "CHF"), 3, 0, billing_country=billing, client_country=client
        )

    assert held("CH") == []
    assert held("ch") == []  # the header's case does not matter
    assert held("NG") == ["country_mismatch"]
    assert held("DE", billing="AT") == ["country_mismatch"]
    # No country known: no header, Cloudflare's unknown (XX) or Tor (T1), garbage.
    assert held(None) == held("") == held("XX") == held("T1") == held("Nigeria") == []
    # Switched off (the default, and without a trusted proxy): never held for it.
    off = suspicions(RULES, Money(100, "CHF"), 3, 0, billing_country="CH", client_country="NG")
    assert off == []
    big = suspicions(rules, Money(60_000, "CHF"), 0, 0, billing_country="CH", client_country="US")
    assert big == ["first_order", "country_mismatch"]


def test_only_two_letter_country_codes_are_known_BIL_6() -> None:
    assert known_country(" li ") == "LI"
    assert known_country("XX") is None
    assert known_country("T1") is None
    assert known_country("CHE") is None


def test_held_order_expires_after_ten_days_by_the_injected_clock_BIL_6() -> None:
    blocked_at = NOW
    assert cancel_after(RULES, blocked_at) == NOW + timedelta(days=10)
    # The job cancels orders blocked before the cutoff: not on day 9, on day 10 and later.
    assert not blocked_at < expiry_cutoff(RULES, NOW + timedelta(days=9, hours=23))
    assert blocked_at < expiry_cutoff(RULES, NOW + timedelta(days=10, seconds=1))
