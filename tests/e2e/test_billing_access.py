"""Who sees an organization's billing (issue 5, X-4): billing keeps its own projection of
orgs' memberships from `konto.orgs.events`; billing rights, administrators and legal
representatives pass, other members get 403, everyone else 404 — as problem+json."""

import httpx
import pytest

from tests.support.billing import billing_org, get, wait_for_status
from tests.support.identity import new_person
from tests.support.orgs import join
from tests.support.processes import ServiceProcess

pytestmark = pytest.mark.servers


def test_only_billing_rights_see_billing_BIL_1_X_4(
    auth: ServiceProcess, orgs: ServiceProcess, billing: ServiceProcess
) -> None:
    owner, org = billing_org(auth, orgs, billing, "Access AG")
    admin, clerk, dev, stranger = (new_person(auth) for _ in range(4))
    join(orgs, owner, org, admin, "administrator")
    join(orgs, owner, org, clerk, "collaborator", billing=True)
    join(orgs, owner, org, dev, "collaborator")

    wait_for_status(billing, admin, org, 200)
    wait_for_status(billing, clerk, org, 200)
    wait_for_status(billing, dev, org, 403)
    refused = get(billing, dev, f"/v1/orgs/{org}/balance")
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"].endswith("/no-billing-rights")
    hidden = get(billing, stranger, f"/v1/orgs/{org}/billing-addresses")
    assert hidden.status_code == 404
    assert hidden.headers["content-type"] == "application/problem+json"
    assert get(billing, stranger, f"/v1/orgs/{org}/invoices").status_code == 404
    assert httpx.get(f"{billing.url}/v1/orgs/{org}/products").status_code == 401

    # Rights follow orgs' changes: billing granted, then the member removed.
    granted = httpx.patch(
        f"{orgs.url}/v1/orgs/{org}/members/{dev.user_id}",
        json={"billing": True},
        headers=owner.headers,
    )
    assert granted.status_code == 200, granted.text
    wait_for_status(billing, dev, org, 200)
    removed = httpx.delete(
        f"{orgs.url}/v1/orgs/{org}/members/{clerk.user_id}", headers=owner.headers
    )
    assert removed.status_code in (200, 204), removed.text
    wait_for_status(billing, clerk, org, 404)
