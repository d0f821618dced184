"""Product types and the renewal periods each allows (BIL-1), e.g. a .ch domain for up to ten
years, a hosting plan monthly or yearly."""

from dataclasses import dataclass
from datetime import date

from konto.billing.domain.money import Money


@dataclass(frozen=True)
class ProductType:
    code: str
    name: str
    periods_months: tuple[int, ...]
    price_per_month: dict[str, Money]  # by currency

    def price(self, months: int, currency: str) -> Money:
        if months not in self.periods_months:
            allowed = ", ".join(str(m) for m in self.periods_months)
            raise ValueError(f"{self.code} renews for {allowed} months, not {months}")
        return self.price_per_month[currency].times(months)


def _chf_eur(chf: int, eur: int) -> dict[str, Money]:
    return {"CHF": Money(chf, "CHF"), "EUR": Money(eur, "EUR")}


CATALOG: dict[str, ProductType] = {
    t.code: t
    for t in (
        ProductType(
            "domain.ch", ".ch domain", tuple(12 * y for y in range(1, 11)), _chf_eur(125, 130)
        ),
        ProductType(
            "domain.com", ".com domain", tuple(12 * y for y in range(1, 11)), _chf_eur(150, 155)
        ),
        ProductType("hosting.web", "Web hosting", (1, 12, 24), _chf_eur(990, 1000)),
        ProductType("mail.mailbox", "Mailbox", (1, 12), _chf_eur(300, 310)),
    )
}


def add_months(start: date, months: int) -> date:
    """Same day `months` later, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")
