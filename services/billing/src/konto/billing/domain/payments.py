"""Pricing a selection of renewals paid as one (BIL-4): each product for a period its type
allows, VAT by the billing address's country on the sum (BIL-5 invoice lines)."""

from dataclasses import dataclass
from datetime import date

from konto.billing.domain.catalog import CATALOG, add_months
from konto.billing.domain.money import Currency, Money
from konto.billing.domain.vat import Taxed, add_vat


class SelectionRejected(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Renewal:
    """One product the buyer selected, as the store knows it."""

    product_id: str
    type: str
    label: str
    renews_on: date
    months: int


@dataclass(frozen=True)
class Line:
    product_id: str
    description: str
    months: int
    period_from: date
    period_to: date  # the new renewal date
    net: Money


@dataclass(frozen=True)
class Priced:
    lines: list[Line]
    taxed: Taxed


def price_selection(renewals: list[Renewal], currency: Currency, country: str) -> Priced:
    if not renewals:
        raise SelectionRejected("items", "select at least one product")
    seen: set[str] = set()
    lines: list[Line] = []
    for index, renewal in enumerate(renewals):
        if renewal.product_id in seen:
            raise SelectionRejected(f"items.{index}.product_id", "selected twice")
        seen.add(renewal.product_id)
        product_type = CATALOG[renewal.type]
        try:
            net = product_type.price(renewal.months, currency)
        except ValueError as exc:
            raise SelectionRejected(f"items.{index}.months", str(exc)) from None
        lines.append(
            Line(
                product_id=renewal.product_id,
                description=f"{product_type.name} {renewal.label}",
                months=renewal.months,
                period_from=renewal.renews_on,
                period_to=add_months(renewal.renews_on, renewal.months),
                net=net,
            )
        )
    total = Money.zero(currency)
    for line in lines:
        total = total + line.net
    return Priced(lines=lines, taxed=add_vat(total, country))
