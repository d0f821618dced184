"""Pricing an order's cart at checkout (BIL-3): each line a new product for a period its type
allows, starting today; a line the buyer marked free needs a free grant of its type; a promo
code takes its discount off the lines it applies to; VAT by the address's country on the sum."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from konto.billing.domain.catalog import CATALOG, add_months
from konto.billing.domain.money import Currency, Money
from konto.billing.domain.payments import Line
from konto.billing.domain.promo import PromoCode, PromoRejected, discount
from konto.billing.domain.vat import Taxed, add_vat


class OrderRejected(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class CartLine:
    product_type: str
    months: int
    label: str
    free: bool = False


@dataclass(frozen=True)
class PricedOrder:
    lines: list[Line]  # product_id empty: the products are created with the order
    taxed: Taxed
    promo_applied: bool
    free_types: list[str]  # one free grant of each of these is used


def check_line(index: int, line: CartLine) -> None:
    """What a cart line must be before it is even priced: a known type and an allowed period."""
    product_type = CATALOG.get(line.product_type)
    if product_type is None:
        raise OrderRejected(
            f"lines.{index}.product_type", f"unknown product type; one of {', '.join(CATALOG)}"
        )
    if line.months not in product_type.periods_months:
        allowed = ", ".join(str(m) for m in product_type.periods_months)
        raise OrderRejected(
            f"lines.{index}.months", f"{line.product_type} renews for {allowed} months"
        )


def price_order(
    cart: list[CartLine],
    currency: Currency,
    country: str,
    *,
    today: date,
    now: datetime,
    promo: PromoCode | None,
    free_grants: Counter[str],
) -> PricedOrder:
    if not cart:
        raise OrderRejected("lines", "the cart is empty")
    grants = Counter(free_grants)
    lines: list[Line] = []
    free_types: list[str] = []
    promo_applied = False
    for index, item in enumerate(cart):
        check_line(index, item)
        product_type = CATALOG[item.product_type]
        price = product_type.price(item.months, currency)
        description = f"{product_type.name} {item.label}"
        if item.free:
            if grants[item.product_type] <= 0:
                raise OrderRejected(f"lines.{index}.free", "no free grant for this product type")
            grants[item.product_type] -= 1
            free_types.append(item.product_type)
            price, description = Money.zero(currency), f"{description} (free grant)"
        elif promo is not None:
            try:
                off = discount(promo, price, item.product_type, now)
                promo_applied = True
            except PromoRejected as exc:
                # A code restricted to other types simply leaves this line alone.
                if promo.product_types and item.product_type not in promo.product_types:
                    off = Money.zero(currency)
                else:
                    raise OrderRejected("promo_code", str(exc)) from None
            if off.minor > 0:
                price = price - off
                description = f"{description} (promo {promo.code} -{off.format()})"
        lines.append(
            Line(
                product_id="",
                description=description,
                months=item.months,
                period_from=today,
                period_to=add_months(today, item.months),
                net=price,
            )
        )
    if promo is not None and not promo_applied:
        raise OrderRejected("promo_code", "this code applies to no line of the cart")
    total = Money.zero(currency)
    for line in lines:
        total = total + line.net
    return PricedOrder(
        lines=lines,
        taxed=add_vat(total, country),
        promo_applied=promo_applied,
        free_types=free_types,
    )
