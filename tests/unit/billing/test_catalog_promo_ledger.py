"""BIL-1 renewal periods, BIL-3 promo codes, BIL-8 the balance as a ledger."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from konto.billing.domain.catalog import CATALOG, add_months
from konto.billing.domain.invoice_numbers import invoice_number, parse_invoice_number
from konto.billing.domain.ledger import Entry, InsufficientBalance, balance, check_entry
from konto.billing.domain.money import Money
from konto.billing.domain.promo import PromoCode, PromoRejected, discount

NOW = datetime(2026, 11, 21, tzinfo=UTC)


def test_ch_domain_renews_up_to_ten_years_BIL_1() -> None:
    ch = CATALOG["domain.ch"]
    assert ch.price(120, "CHF") == Money(125 * 120, "CHF")
    with pytest.raises(ValueError, match="renews for"):
        ch.price(132, "CHF")
    with pytest.raises(ValueError, match="renews for"):
        CATALOG["hosting.web"].price(6, "EUR")


def test_add_months_clamps_to_month_end_BIL_1() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2027, 12, 31), 2) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 21), 120) == date(2036, 11, 21)


def _promo(**kw: object) -> PromoCode:
    base: dict[str, object] = dict(
        code="WELCOME",
        kind="percent",
        value=1000,
        currency=None,
        valid_from=NOW - timedelta(days=1),
        valid_until=NOW + timedelta(days=1),
        max_uses=10,
        used=0,
    )
    base.update(kw)
    return PromoCode(**base)  # type: ignore[arg-type]


def test_promo_rules_BIL_3() -> None:
    price = Money(10_000, "CHF")
    assert discount(_promo(), price, "domain.ch", NOW) == Money(1_000, "CHF")
    assert discount(_promo(kind="fixed", value=50_000, currency="CHF"), price, "x", NOW) == price
    for bad in (
        _promo(valid_until=NOW),
        _promo(used=10),
        _promo(product_types=frozenset({"hosting.web"})),
        _promo(kind="fixed", value=100, currency="EUR"),
    ):
        with pytest.raises(PromoRejected):
            discount(bad, price, "domain.ch", NOW)


@given(st.integers(0, 10**9), st.integers(0, 20_000))
def test_discount_never_exceeds_price_BIL_3(price: int, bp: int) -> None:
    off = discount(_promo(value=bp), Money(price, "CHF"), "domain.ch", NOW)
    assert 0 <= off.minor <= price


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["top_up", "spend", "withdraw", "refund"]), st.integers(1, 10**6)
        ),
        max_size=30,
    )
)
def test_balance_is_the_sum_of_entries_and_never_negative_BIL_8(
    ops: list[tuple[str, int]],
) -> None:
    booked: list[Entry] = []
    for kind, minor in ops:
        entry = Entry(kind, Money(minor, "CHF"))  # type: ignore[arg-type]
        try:
            check_entry(balance(booked, "CHF"), entry)
        except InsufficientBalance:
            continue
        booked.append(entry)
        assert balance(booked, "CHF").minor >= 0


def test_invoice_number_format_BIL_5() -> None:
    assert invoice_number(2026, 42) == "2026-000042"
    assert parse_invoice_number("2026-000042") == (2026, 42)
    with pytest.raises(ValueError, match="start at 1"):
        invoice_number(2026, 0)
