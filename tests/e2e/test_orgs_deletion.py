"""Deleting an organization, guarded by billing's state, over the real servers with the real
billing service (ORG-7): orgs follows billing's `account.state_changed` events and refuses with
the list of what blocks; otherwise the organization goes and its members lose it."""

import time
from typing import Any

import httpx
import pytest

from konto.common.events import MembershipRemovedV1, OrganizationDeletedV1
from tests.support.billing import add_address, add_product, billing_org, post
from tests.support.identity import Person, new_person
from tests.support.orgs import create_org, join, my_orgs, wait_for_event
from tests.support.processes import ServiceProcess

pytestmark = pytest.mark.servers


def _check(orgs: ServiceProcess, person: Person, org: str) -> dict[str, Any]:
    answer = httpx.get(f"{orgs.url}/v1/orgs/{org}/deletion", headers=person.headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _wait_for_blockers(
    orgs: ServiceProcess, person: Person, org: str, reasons: set[str], timeout: float = 30.0
) -> None:
    """orgs learns billing's state from billing's events, a moment after billing answered."""
    deadline = time.monotonic() + timeout
    while {b["reason"] for b in _check(orgs, person, org)["blockers"]} != reasons:
        if time.monotonic() > deadline:
            raise AssertionError(f"blockers {_check(orgs, person, org)} are not {reasons}")
        time.sleep(0.2)


def test_deletion_is_refused_while_billing_holds_products_and_money_ORG_7(
    auth: ServiceProcess, orgs: ServiceProcess, billing: ServiceProcess
) -> None:
    owner, org = billing_org(auth, orgs, billing, "Still Busy AG")
    assert _check(orgs, owner, org) == {"deletable": True, "blockers": []}
    add_product(billing, owner, org, "hosting.web", "shop")
    top_up = {"amount": 1500, "currency": "CHF", "card_token": "tok_visa"}
    assert post(billing, owner, f"/v1/orgs/{org}/balance/top-ups", top_up).status_code == 201
    _wait_for_blockers(orgs, owner, org, {"active_products", "prepaid_balance"})

    refused = httpx.delete(f"{orgs.url}/v1/orgs/{org}", headers=owner.headers)
    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    body = refused.json()
    assert body["type"].endswith("/deletion-blocked")
    assert {b["reason"]: b for b in body["blockers"]} == {
        "active_products": {
            "reason": "active_products",
            "message": "1 product(s) not cancelled",
            "count": 1,
        },
        "prepaid_balance": {
            "reason": "prepaid_balance",
            "message": "prepaid balance of 15.00 CHF is not zero",
            "amount": {"minor": 1500, "currency": "CHF"},
        },
    }
    assert org in {o["id"] for o in my_orgs(orgs, owner)}  # still there


def test_a_fresh_org_is_deleted_by_its_legal_rep_and_members_lose_it_ORG_7(
    auth: ServiceProcess, orgs: ServiceProcess
) -> None:
    owner, admin = new_person(auth, name="Olga"), new_person(auth, name="Adam")
    org = create_org(orgs, owner, "Short Lived AG")
    join(orgs, owner, org, admin, "administrator")
    url = f"{orgs.url}/v1/orgs/{org}"

    forbidden = httpx.delete(url, headers=admin.headers)  # legal representatives only
    assert forbidden.status_code == 403, forbidden.text
    assert httpx.delete(url, headers=new_person(auth).headers).status_code == 404
    assert httpx.delete(url, headers=owner.headers).status_code == 204

    for person in (owner, admin):
        assert org not in {o["id"] for o in my_orgs(orgs, person)}
        assert httpx.get(url, headers=person.headers).status_code == 404
    assert httpx.delete(url, headers=owner.headers).status_code == 404

    deleted = wait_for_event(lambda e: isinstance(e, OrganizationDeletedV1), org_id=org)
    assert isinstance(deleted, OrganizationDeletedV1)
    assert (deleted.data.name, deleted.data.actor_id) == ("Short Lived AG", owner.user_id)
    for person in (owner, admin):  # auth's and billing's projections follow these
        removed = wait_for_event(
            lambda e, p=person: isinstance(e, MembershipRemovedV1) and e.data.user_id == p.user_id,
            org_id=org,
        )
        assert isinstance(removed, MembershipRemovedV1)
        assert removed.data.actor_id == owner.user_id


def test_deletion_is_refused_while_a_proforma_awaits_its_transfer_ORG_7_BIL_4(
    auth: ServiceProcess, orgs: ServiceProcess, billing: ServiceProcess
) -> None:
    """An order checked out by bank transfer delivers nothing yet, but its pro-forma is open:
    the organization stays until it is paid, lapses or is cancelled."""
    owner, org = billing_org(auth, orgs, billing, "Awaiting Transfer AG")
    add_address(billing, owner, org)
    lines = [{"product_type": "hosting.web", "months": 1, "label": "shop"}]
    order = post(billing, owner, f"/v1/orgs/{org}/orders", {"lines": lines}).json()["id"]
    checkout = {"method": "bank_transfer"}
    waiting = post(billing, owner, f"/v1/orgs/{org}/orders/{order}/checkout", checkout)
    assert waiting.status_code == 202, waiting.text
    _wait_for_blockers(orgs, owner, org, {"open_proformas"})

    refused = httpx.delete(f"{orgs.url}/v1/orgs/{org}", headers=owner.headers)
    assert refused.status_code == 409, refused.text
    assert refused.json()["blockers"] == [
        {
            "reason": "open_proformas",
            "message": "1 pro-forma invoice(s) awaiting payment by bank transfer",
            "count": 1,
        }
    ]

    cancelled = post(billing, owner, f"/v1/orgs/{org}/orders/{order}/cancel", {})
    assert cancelled.status_code == 200, cancelled.text
    _wait_for_blockers(orgs, owner, org, set())
    deleted = httpx.delete(f"{orgs.url}/v1/orgs/{org}", headers=owner.headers, timeout=60)
    assert deleted.status_code == 204, deleted.text
