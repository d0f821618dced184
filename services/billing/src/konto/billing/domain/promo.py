"""Promo codes applied at checkout (BIL-3): percent or fixed, valid between dates, limited in
uses, optionally restricted to product types."""

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from konto.billing.domain.money import Money


class PromoRejected(ValueError):
    pass


@dataclass(frozen=True)
class PromoCode:
    code: str
    kind: Literal["percent", "fixed"]
    value: int  # basis points for percent (1000 = 10 %), minor units for fixed
    currency: str | None
    valid_from: datetime
    valid_until: datetime
    max_uses: int
    used: int
    product_types: frozenset[str] = frozenset()  # empty: every type


def discount(promo: PromoCode, price: Money, product_type: str, now: datetime) -> Money:
    """The discount on one line; never more than the line's price."""
    if not promo.valid_from <= now < promo.valid_until:
        raise PromoRejected("this code is not valid now")
    if promo.used >= promo.max_uses:
        raise PromoRejected("this code has been used up")
    if promo.product_types and product_type not in promo.product_types:
        raise PromoRejected(f"this code does not apply to {product_type}")
    if promo.kind == "percent":
        off = price.share(promo.value, 10_000)
    else:
        if promo.currency != price.currency:
            raise PromoRejected(f"this code is in {promo.currency}")
        off = Money(promo.value, price.currency)
    return min(off, price)
