"""Orders (BIL-3) over the real servers: a cart checked out once (idempotent by key) creates the
products and the invoice; promo codes and free grants are recorded by billing support staff
(added with the CLI); a promo code's last use goes to one checkout only, even concurrently."""

import os
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from konto.billing.domain.catalog import add_months
from konto.common.events import AccountStateChangedV1, InvoiceIssuedV1
from tests.support.billing import add_address, billing_events, billing_org, get, post
from tests.support.identity import Person, new_person
from tests.support.processes import ServiceProcess
from tests.support.servers import MONGO_URL

pytestmark = pytest.mark.servers


def _billing_cli(run_id: str, *args: str) -> str:
    env = {
        **os.environ,
        "KONTO_BILLING_MONGO_URL": MONGO_URL,
        "KONTO_BILLING_MONGO_DB": f"t{run_id}_billing",
    }
    done = subprocess.run(
        [sys.executable, "-m", "konto.billing.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _staff(auth: ServiceProcess, run_id: str) -> Person:
    agent = new_person(auth)
    assert "staff added" in _billing_cli(run_id, "add-staff", agent.user_id)
    return agent


def _promo(billing: ServiceProcess, staff: Person, **fields: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    body = {
        "code": f"P{uuid.uuid4().hex[:10]}",
        "kind": "percent",
        "value": 1000,
        "valid_from": (now - timedelta(days=1)).isoformat(),
        "valid_until": (now + timedelta(days=1)).isoformat(),
        "max_uses": 5,
        **fields,
    }
    answer = httpx.post(f"{billing.url}/v1/promo-codes", json=body, headers=staff.headers)
    assert answer.status_code == 201, answer.text
    promo: dict[str, Any] = answer.json()
    return promo


def _order(billing: ServiceProcess, person: Person, org: str, *lines: dict[str, Any]) -> str:
    answer = post(billing, person, f"/v1/orgs/{org}/orders", {"lines": list(lines)})
    assert answer.status_code == 201, answer.text
    assert answer.json()["status"] == "cart"
    order_id: str = answer.json()["id"]
    return order_id


def test_checkout_with_promo_code_and_free_grant_BIL_3(
    auth: ServiceProcess, orgs: ServiceProcess, billing: ServiceProcess, run_id: str
) -> None:
    owner, org = billing_org(auth, orgs, billing, "Order AG")
    base = f"/v1/orgs/{org}"
    add_address(billing, owner, org)

    # Only billing support staff create promo codes and free grants.
    refused = httpx.post(
        f"{billing.url}/v1/promo-codes",
        json={
            "code": "NOPE1",
            "kind": "percent",
            "value": 1000,
            "valid_from": "2026-01-01",
            "valid_until": "2099-01-01",
            "max_uses": 1,
        },
        headers=owner.headers,
    )
    assert refused.status_code == 403
    assert refused.json()["type"].endswith("/not-staff")
    staff = _staff(auth, run_id)
    promo = _promo(billing, staff, product_types=["hosting.web"])
    grant = httpx.post(
        f"{billing.url}{base}/free-grants",
        json={"product_type": "domain.ch"},
        headers=staff.headers,
    )
    assert grant.status_code == 201, grant.text
    assert get(billing, owner, f"{base}/free-grants").json()[0]["status"] == "available"

    bad = post(
        billing,
        owner,
        f"{base}/orders",
        {"lines": [{"product_type": "domain.ch", "months": 5, "label": "x.ch"}]},
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "lines.0.months"

    order_id = _order(
        billing,
        owner,
        org,
        {"product_type": "domain.ch", "months": 12, "label": "order.ch", "free": True},
        {"product_type": "hosting.web", "months": 12, "label": "order-web"},
    )
    checkout = {"method": "card", "card_token": "tok_visa", "promo_code": promo["code"]}
    key = uuid.uuid4().hex
    done = post(billing, owner, f"{base}/orders/{order_id}/checkout", checkout, key=key)
    assert done.status_code == 201, done.text
    again = post(billing, owner, f"{base}/orders/{order_id}/checkout", checkout, key=key)
    assert again.json() == done.json()  # a retry buys nothing twice
    other_key = post(billing, owner, f"{base}/orders/{order_id}/checkout", checkout)
    assert other_key.status_code == 409
    assert other_key.json()["type"].endswith("/order-not-open")

    # The domain is free, the hosting 10 % off; VAT 8.1 % on the rest.
    net = 990 * 12 - 1188
    vat = (net * 810 + 5_000) // 10_000
    invoice = done.json()["invoice"]
    assert invoice["total"] == {"minor": net + vat, "currency": "CHF"}
    assert [line["net"]["minor"] for line in invoice["lines"]] == [0, net]
    renews = add_months(date.today(), 12).isoformat()
    products = get(billing, owner, f"{base}/products").json()
    assert sorted((p["label"], p["renews_on"]) for p in products) == [
        ("order-web", renews),
        ("order.ch", renews),
    ]
    shown = get(billing, owner, f"{base}/orders/{order_id}").json()
    assert shown["status"] == "completed"
    assert shown["invoice_id"] == invoice["id"]
    assert get(billing, owner, f"{base}/free-grants").json()[0]["status"] == "used"

    # The grant is used up: a second free domain is refused.
    second = _order(
        billing,
        owner,
        org,
        {"product_type": "domain.ch", "months": 12, "label": "b.ch", "free": True},
    )
    no_grant = post(
        billing,
        owner,
        f"{base}/orders/{second}/checkout",
        {"method": "card", "card_token": "tok_visa"},
    )
    assert no_grant.status_code == 422
    assert no_grant.json()["errors"][0]["field"] == "lines.0.free"

    [issued] = billing_events(org, lambda e: isinstance(e, InvoiceIssuedV1))
    assert isinstance(issued, InvoiceIssuedV1)
    assert issued.data.invoice_id == invoice["id"]
    [state] = billing_events(
        org, lambda e: isinstance(e, AccountStateChangedV1) and e.data.active_products == 2
    )
    assert isinstance(state, AccountStateChangedV1)


def test_promo_code_last_use_goes_to_one_checkout_BIL_3(
    auth: ServiceProcess, orgs: ServiceProcess, billing: ServiceProcess, run_id: str
) -> None:
    owner, org = billing_org(auth, orgs, billing, "Promo Race AG")
    base = f"/v1/orgs/{org}"
    add_address(billing, owner, org, country="DE", iban=None, vat_id=None)
    staff = _staff(auth, run_id)
    now = datetime.now(UTC)
    expired = _promo(
        billing,
        staff,
        valid_from=(now - timedelta(days=9)).isoformat(),
        valid_until=(now - timedelta(days=1)).isoformat(),
    )
    once = _promo(billing, staff, kind="fixed", value=500, currency="EUR", max_uses=1)
    mailbox = {"product_type": "mail.mailbox", "months": 12, "label": "box"}

    first = _order(billing, owner, org, mailbox)
    stale = post(
        billing,
        owner,
        f"{base}/orders/{first}/checkout",
        {"method": "card", "card_token": "tok_visa", "promo_code": expired["code"]},
    )
    assert stale.status_code == 422
    assert stale.json()["errors"][0]["field"] == "promo_code"

    second = _order(billing, owner, org, mailbox)
    body = {"method": "card", "card_token": "tok_visa", "promo_code": once["code"]}
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(
            pool.map(
                lambda order: post(billing, owner, f"{base}/orders/{order}/checkout", body),
                [first, second],
            )
        )
    assert sorted(a.status_code for a in answers) == [201, 422], [a.text for a in answers]
    [won] = [a for a in answers if a.status_code == 201]
    net = 310 * 12 - 500  # EUR, 5.00 off
    assert won.json()["invoice"]["net"] == {"minor": net, "currency": "EUR"}
    assert len(get(billing, owner, f"{base}/products").json()) == 1
