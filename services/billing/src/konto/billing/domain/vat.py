"""VAT by the billing address's country, in basis points (1/100 %), so amounts stay integers."""

from dataclasses import dataclass

from konto.billing.domain.money import Money

# Standard rates on 2026-01-01.
STANDARD_RATES_BP: dict[str, int] = {
    "CH": 810,
    "LI": 810,
    "DE": 1900,
    "AT": 2000,
    "FR": 2000,
    "IT": 2200,
}


class UnknownCountry(ValueError):
    pass


@dataclass(frozen=True)
class Taxed:
    net: Money
    vat: Money
    gross: Money
    rate_bp: int


def rate_for(country: str) -> int:
    try:
        return STANDARD_RATES_BP[country.upper()]
    except KeyError:
        raise UnknownCountry(country) from None


def add_vat(net: Money, country: str) -> Taxed:
    rate = rate_for(country)
    vat = net.share(rate, 10_000)
    return Taxed(net=net, vat=vat, gross=net + vat, rate_bp=rate)
