"""Money is integers with a currency (BIL-4, BIL-8); properties checked with hypothesis."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from konto.billing.domain.money import CurrencyMismatch, Money, round_half_up
from konto.billing.domain.vat import add_vat

amounts = st.integers(min_value=-(10**12), max_value=10**12)
currencies = st.sampled_from(["CHF", "EUR"])


@given(amounts, amounts, amounts, currencies)
def test_addition_is_exact_and_associative_BIL_8(a: int, b: int, c: int, cur: str) -> None:
    x, y, z = Money(a, cur), Money(b, cur), Money(c, cur)  # type: ignore[arg-type]
    assert (x + y) + z == x + (y + z)
    assert (x + y - y) == x


def test_currencies_never_mix_BIL_4() -> None:
    with pytest.raises(CurrencyMismatch):
        Money(100, "CHF") + Money(100, "EUR")


@given(
    st.integers(min_value=0, max_value=10**12),
    st.lists(st.integers(0, 1000), min_size=1, max_size=12).filter(lambda w: sum(w) > 0),
)
def test_allocation_adds_up_to_the_whole_BIL_4(total: int, weights: list[int]) -> None:
    parts = Money(total, "CHF").allocate(weights)
    assert sum(p.minor for p in parts) == total
    assert all(p.minor >= 0 for p in parts)


@given(st.integers(-(10**9), 10**9), st.integers(1, 10**6))
def test_round_half_up_is_within_half_a_unit(numerator: int, denominator: int) -> None:
    rounded = round_half_up(numerator, denominator)
    assert abs(rounded * denominator - numerator) * 2 <= denominator


@given(st.integers(min_value=0, max_value=10**10), st.sampled_from(["CH", "DE", "FR", "IT", "AT"]))
def test_vat_adds_up_and_is_not_negative_BIL_5(net: int, country: str) -> None:
    taxed = add_vat(Money(net, "EUR"), country)
    assert taxed.gross == taxed.net + taxed.vat
    assert 0 <= taxed.vat.minor <= net


def test_vat_examples_BIL_5() -> None:
    assert add_vat(Money(10_000, "CHF"), "ch").vat == Money(810, "CHF")
    assert add_vat(Money(1_999, "EUR"), "DE").vat == Money(380, "EUR")  # 379.81 → 380
    assert Money(-123456, "CHF").format() == "CHF -1'234.56"
