"""Billing's access rule (issue 5, X-4) and address validation (BIL-2), without servers."""

import pytest

from konto.billing.domain.access import billing_access
from konto.billing.domain.addresses import (
    InvalidField,
    check_country,
    currency_for,
    normalise_iban,
    normalise_vat_id,
)


@pytest.mark.parametrize(
    ("role", "billing", "decision"),
    [
        (None, False, "not_found"),
        (None, True, "not_found"),
        ("legal_representative", False, "allowed"),
        ("administrator", False, "allowed"),
        ("collaborator", True, "allowed"),
        ("collaborator", False, "forbidden"),
        ("external", False, "forbidden"),
        ("external", True, "allowed"),
    ],
)
def test_billing_rights_admins_and_legal_reps_only_X_4(
    role: str | None, billing: bool, decision: str
) -> None:
    assert billing_access(role, billing) == decision


def test_iban_is_checked_and_compacted_BIL_2() -> None:
    assert normalise_iban("ch93 0076 2011 6238 5295 7") == "CH9300762011623852957"
    with pytest.raises(InvalidField) as bad:
        normalise_iban("CH93 0076 2011 6238 5295 8")
    assert bad.value.field == "iban"


def test_vat_ids_by_country_BIL_2() -> None:
    assert normalise_vat_id("CHE-116.281.710 MWST", "CH") == "CHE116281710MWST"
    assert normalise_vat_id("116.281.710 MWST", "CH") == "CHE116281710MWST"
    assert normalise_vat_id("de 136 695 976", "DE") == "DE136695976"
    with pytest.raises(InvalidField) as bad:
        normalise_vat_id("DE136695977", "DE")
    assert bad.value.field == "vat_id"


def test_country_decides_vat_and_currency_BIL_2() -> None:
    assert check_country(" ch ") == "CH"
    assert (currency_for("CH"), currency_for("LI"), currency_for("FR")) == ("CHF", "CHF", "EUR")
    with pytest.raises(InvalidField) as bad:
        check_country("US")
    assert bad.value.field == "country"
