"""BIL-6 rules with an injected clock: which orders are held, when a held one expires."""

from datetime import UTC, datetime, timedelta

from konto.billing.domain.fraud import FraudRules, cancel_after, expiry_cutoff, suspicions
from konto.billing.domain.money import Money

RULES = FraudRules(new_org_max_total_minor=50_000, max_orders_per_hour=5, unlock_days=10)
NOW = datetime(2026, 11, 21, 12, tzinfo=UTC)


def test_first_big_order_of_a_new_organization_is_held_BIL_6() -> None:
    assert suspicions(RULES, Money(50_001, "CHF"), 0, 0) == ["first_order"]
    assert suspicions(RULES, Money(50_000, "CHF"), 0, 0) == []
    assert suspicions(RULES, Money(90_000, "EUR"), 1, 0) == []  # not its first order


def test_too_many_orders_in_an_hour_are_held_BIL_6() -> None:
    assert suspicions(RULES, Money(100, "CHF"), 7, 4) == []
    assert suspicions(RULES, Money(100, "CHF"), 7, 5) == ["order_rate"]


def test_held_order_expires_after_ten_days_by_the_injected_clock_BIL_6() -> None:
    blocked_at = NOW
    assert cancel_after(RULES, blocked_at) == NOW + timedelta(days=10)
    # The job cancels orders blocked before the cutoff: not on day 9, on day 10 and later.
    assert not blocked_at < expiry_cutoff(RULES, NOW + timedelta(days=9, hours=23))
    assert blocked_at < expiry_cutoff(RULES, NOW + timedelta(days=10, seconds=1))
