"""BIL-3 pricing of a cart at checkout: free grants, promo codes restricted to types, VAT."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from konto.billing.domain.catalog import CATALOG
from konto.billing.domain.money import Money
from konto.billing.domain.orders import CartLine, OrderRejected, PricedOrder, price_order
from konto.billing.domain.promo import PromoCode

NOW = datetime(2026, 11, 21, 12, tzinfo=UTC)
TODAY = NOW.date()


def _promo(**fields: object) -> PromoCode:
    base: dict[str, object] = {
        "code": "SAVE",
        "kind": "percent",
        "value": 1000,
        "currency": None,
        "valid_from": NOW - timedelta(days=1),
        "valid_until": NOW + timedelta(days=1),
        "max_uses": 3,
        "used": 0,
    }
    return PromoCode(**(base | fields))  # type: ignore[arg-type]


def _price(
    cart: list[CartLine], promo: PromoCode | None = None, grants: Counter[str] | None = None
) -> PricedOrder:
    return price_order(
        cart, "CHF", "CH", today=TODAY, now=NOW, promo=promo, free_grants=grants or Counter()
    )


def test_free_line_needs_a_grant_of_its_type_BIL_3() -> None:
    cart = [CartLine("domain.ch", 12, "a.ch", free=True), CartLine("domain.ch", 12, "b.ch", True)]
    with pytest.raises(OrderRejected) as refused:
        _price(cart, grants=Counter({"domain.ch": 1}))
    assert refused.value.field == "lines.1.free"
    priced = _price(cart[:1], grants=Counter({"domain.ch": 1}))
    assert priced.taxed.gross == Money(0, "CHF")
    assert priced.free_types == ["domain.ch"]
    assert priced.lines[0].period_to == date(2027, 11, 21)


def test_promo_restricted_to_types_leaves_other_lines_BIL_3() -> None:
    cart = [CartLine("hosting.web", 12, "web"), CartLine("mail.mailbox", 1, "box")]
    priced = _price(cart, _promo(product_types=frozenset({"hosting.web"})))
    assert [line.net.minor for line in priced.lines] == [11880 - 1188, 300]
    assert priced.promo_applied
    with pytest.raises(OrderRejected, match="no line"):
        _price(cart[1:], _promo(product_types=frozenset({"hosting.web"})))


@pytest.mark.parametrize(
    ("promo", "message"),
    [
        (_promo(valid_until=NOW), "not valid"),
        (_promo(used=3), "used up"),
        (_promo(kind="fixed", value=500, currency="EUR"), "in EUR"),
    ],
)
def test_unusable_promo_is_refused_on_the_code_BIL_3(promo: PromoCode, message: str) -> None:
    with pytest.raises(OrderRejected, match=message) as refused:
        _price([CartLine("hosting.web", 1, "web")], promo)
    assert refused.value.field == "promo_code"


def test_unknown_type_and_period_name_the_line_BIL_3() -> None:
    with pytest.raises(OrderRejected) as refused:
        _price([CartLine("hosting.web", 1, "w"), CartLine("domain.xx", 12, "x")])
    assert refused.value.field == "lines.1.product_type"
    with pytest.raises(OrderRejected) as refused:
        _price([CartLine("domain.ch", 6, "x.ch")])
    assert refused.value.field == "lines.0.months"


lines = st.lists(
    st.sampled_from(
        [(code, months) for code, t in CATALOG.items() for months in t.periods_months[:3]]
    ),
    min_size=1,
    max_size=6,
)


@given(lines, st.integers(min_value=1, max_value=10_000), st.integers(0, 50_000))
def test_discounts_never_make_a_line_negative_and_totals_add_up_BIL_3(
    items: list[tuple[str, int]], percent_bp: int, fixed: int
) -> None:
    cart = [CartLine(code, months, f"l{i}") for i, (code, months) in enumerate(items)]
    for promo in (_promo(value=percent_bp), _promo(kind="fixed", value=fixed or 1, currency="CHF")):
        priced = _price(cart, promo)
        full = [CATALOG[c].price(m, "CHF") for c, m in items]
        assert all(
            0 <= line.net.minor <= f.minor for line, f in zip(priced.lines, full, strict=True)
        )
        assert priced.taxed.net.minor == sum(line.net.minor for line in priced.lines)
        assert priced.taxed.gross == priced.taxed.net + priced.taxed.vat
