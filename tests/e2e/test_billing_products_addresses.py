"""The catalog and an organization's products (BIL-1); billing addresses with one default,
validated IBAN and VAT id, the country deciding VAT (BIL-2)."""

import httpx
import pytest

from tests.support.billing import CH_ADDRESS, add_address, add_product, billing_org, get, post
from tests.support.processes import ServiceProcess

pytestmark = pytest.mark.servers


def test_catalog_and_products_with_renewal_dates_BIL_1(
    auth: ServiceProcess, orgs: ServiceProcess, billing: ServiceProcess
) -> None:
    catalog = httpx.get(f"{billing.url}/v1/catalog")
    assert catalog.status_code == 200
    by_type = {t["type"]: t for t in catalog.json()}
    assert by_type["domain.ch"]["periods_months"] == [12 * y for y in range(1, 11)]
    ten_years = next(p for p in by_type["domain.ch"]["prices"] if p["months"] == 120)
    assert ten_years["CHF"] == 125 * 120

    owner, org = billing_org(auth, orgs, billing, "Products AG")
    add_product(billing, owner, org, "hosting.web", "web-1", renews_on="2030-03-01")
    add_product(billing, owner, org, "domain.ch", "muster.ch", renews_on="2030-01-31")
    listed = get(billing, owner, f"/v1/orgs/{org}/products")
    assert listed.status_code == 200
    assert [(p["label"], p["renews_on"]) for p in listed.json()] == [
        ("muster.ch", "2030-01-31"),
        ("web-1", "2030-03-01"),
    ]
    assert listed.json()[0]["periods_months"][-1] == 120

    unknown = post(billing, owner, f"/v1/orgs/{org}/products", {"type": "nope", "label": "x"})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "type"


def test_addresses_one_default_validated_BIL_2(
    auth: ServiceProcess, orgs: ServiceProcess, billing: ServiceProcess
) -> None:
    owner, org = billing_org(auth, orgs, billing, "Addresses AG")
    path = f"/v1/orgs/{org}/billing-addresses"
    first = add_address(billing, owner, org)
    assert first["default"] is True  # the first address is the default
    assert first["iban"] == "CH9300762011623852957"
    assert first["vat_id"] == "CHE116281710MWST"
    assert (first["currency"], first["vat_rate_bp"]) == ("CHF", 810)

    german = add_address(
        billing, owner, org, country="DE", iban="DE89 3704 0044 0532 0130 00", vat_id="DE136695976"
    )
    assert german["default"] is False
    assert (german["currency"], german["vat_rate_bp"]) == ("EUR", 1900)

    for field, value in (("iban", "CH93 0076 2011 6238 5295 8"), ("vat_id", "CHE-116.281.711")):
        bad = post(billing, owner, path, CH_ADDRESS | {field: value})
        assert bad.status_code == 422, bad.text
        assert bad.json()["errors"][0]["field"] == field
    bad_country = post(billing, owner, path, CH_ADDRESS | {"country": "US"})
    assert bad_country.status_code == 422
    assert bad_country.json()["errors"][0]["field"] == "country"

    # Making the German address the default leaves exactly one default.
    switched = httpx.patch(
        f"{billing.url}{path}/{german['id']}", json={"default": True}, headers=owner.headers
    )
    assert switched.status_code == 200, switched.text
    listed = get(billing, owner, path).json()
    assert [a["id"] for a in listed if a["default"]] == [german["id"]]

    # The default cannot be deleted while others exist; another one can.
    refused = httpx.delete(f"{billing.url}{path}/{german['id']}", headers=owner.headers)
    assert refused.status_code == 409
    deleted = httpx.delete(f"{billing.url}{path}/{first['id']}", headers=owner.headers)
    assert deleted.status_code == 204
    renamed = httpx.patch(
        f"{billing.url}{path}/{german['id']}", json={"city": "Berlin"}, headers=owner.headers
    )
    assert renamed.json()["city"] == "Berlin"
    assert [a["id"] for a in get(billing, owner, path).json()] == [german["id"]]
