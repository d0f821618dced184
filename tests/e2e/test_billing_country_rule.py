"""The fraud hold's `country_mismatch` rule (BIL-6) over the real servers: behind a trusted edge
proxy (a billing process of this module's own, `CLIENT_COUNTRY_TRUSTED=true`) a checkout whose
client country (`CF-IPCountry`) differs from the billing address's is held, and the unlock mail
goes to the buyer's login address as for the other rules; a matching one goes through. Without
a trusted proxy (the session's billing) the header is ignored."""

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from konto.common.events import KontoEvent, OrderBlockedV1
from tests.support.billing import add_address, billing_events, billing_org, post
from tests.support.processes import ServiceProcess, start_service

pytestmark = pytest.mark.servers

CART = {"lines": [{"product_type": "hosting.web", "months": 1, "label": "site"}]}


@pytest.fixture(scope="module")
def proxied_billing(auth: ServiceProcess, run_id: str) -> Iterator[ServiceProcess]:
    service = start_service(
        "billing",
        f"{run_id}geo",
        extra_env={
            "KONTO_BILLING_JWKS_URL": f"{auth.url}/.well-known/jwks.json",
            "KONTO_BILLING_CLIENT_COUNTRY_TRUSTED": "true",
        },
    )
    yield service
    service.stop()


def _checkout(billing: ServiceProcess, owner: Any, org: str, country: str) -> httpx.Response:
    created = post(billing, owner, f"/v1/orgs/{org}/orders", CART)
    assert created.status_code == 201, created.text
    return httpx.post(
        f"{billing.url}/v1/orgs/{org}/orders/{created.json()['id']}/checkout",
        json={"method": "card", "card_token": "tok_visa"},
        headers={**owner.headers, "idempotency-key": uuid.uuid4().hex, "CF-IPCountry": country},
        timeout=30,
    )


def test_checkout_from_another_country_is_held_behind_a_trusted_proxy_BIL_6(
    auth: ServiceProcess, orgs: ServiceProcess, proxied_billing: ServiceProcess
) -> None:
    owner, org = billing_org(auth, orgs, proxied_billing, "Geo AG")
    add_address(proxied_billing, owner, org)  # in CH

    matching = _checkout(proxied_billing, owner, org, "CH")
    assert matching.status_code == 201, matching.text
    assert matching.json()["order"]["status"] == "completed"

    held = _checkout(proxied_billing, owner, org, "NG")
    assert held.status_code == 202, held.text
    order = held.json()["order"]
    assert (order["status"], order["blocked"]["reasons"]) == ("blocked", ["country_mismatch"])

    def blocked(event: KontoEvent) -> bool:
        return isinstance(event, OrderBlockedV1) and event.data.order_id == order["id"]

    [mail] = billing_events(org, blocked)
    assert isinstance(mail, OrderBlockedV1)
    assert (mail.data.buyer_id, mail.data.buyer_email) == (owner.user_id, owner.email)
    assert mail.data.reasons == ["country_mismatch"]


def test_header_is_ignored_without_a_trusted_proxy_BIL_6(
    auth: ServiceProcess, orgs: ServiceProcess, billing: ServiceProcess
) -> None:
    owner, org = billing_org(auth, orgs, billing, "Untrusted AG")
    add_address(billing, owner, org)
    passed = _checkout(billing, owner, org, "NG")  # anyone can send the header
    assert passed.status_code == 201, passed.text
