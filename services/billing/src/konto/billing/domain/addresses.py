"""Billing addresses (BIL-2): the country decides VAT and the invoice currency; an IBAN and a
VAT id, when given, must be valid."""

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from stdnum import vatin
from stdnum.exceptions import ValidationError as StdnumError

from konto.billing.domain.money import Currency
from konto.billing.domain.vat import STANDARD_RATES_BP

CHF_COUNTRIES = frozenset({"CH", "LI"})


class InvalidField(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_country(country: str) -> str:
    code = country.strip().upper()
    if code not in STANDARD_RATES_BP:
        supported = ", ".join(sorted(STANDARD_RATES_BP))
        raise InvalidField("country", f"billing is offered in {supported}, not {country!r}")
    return code


def normalise_iban(raw: str) -> str:
    try:
        return str(IBAN(raw).compact)
    except SchwiftyException as exc:
        raise InvalidField("iban", f"not a valid IBAN: {exc}") from None


def normalise_vat_id(raw: str, country: str) -> str:
    """A VAT id with its country prefix (CHE-123.456.789 MWST, DE123456789, ...)."""
    compact = raw.strip().upper()
    if compact[:1].isdigit():  # given without its prefix: the address's country's
        compact = ("CHE" if country == "CH" else country) + compact
    try:
        return str(vatin.validate(compact))
    except StdnumError as exc:
        raise InvalidField("vat_id", f"not a valid VAT id: {exc}") from None


def currency_for(country: str) -> Currency:
    return "CHF" if country in CHF_COUNTRIES else "EUR"
