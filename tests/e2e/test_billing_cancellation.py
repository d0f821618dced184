"""Cancelling a product (BIL-7) over the real servers: requested, a link for notify to mail,
confirmed with the link's token; the product keeps working until its paid period ends (nothing
deleted before), renewals past the end are no longer due; the owners are told to delete its
backups and the other administrators get a notice."""

import pytest

from konto.common.events import (
    CancellationNoticeV1,
    CancellationRequestedV1,
    KontoEvent,
    ProductCancelledV1,
)
from tests.support.billing import (
    add_product,
    billing_events,
    billing_org,
    get,
    post,
    wait_for_status,
)
from tests.support.identity import new_person
from tests.support.orgs import join
from tests.support.processes import ServiceProcess

pytestmark = pytest.mark.servers


def test_cancellation_is_requested_then_confirmed_from_the_link_BIL_7(
    auth: ServiceProcess, orgs: ServiceProcess, billing: ServiceProcess
) -> None:
    owner, org = billing_org(auth, orgs, billing, "Cancel AG")
    admin = new_person(auth)
    join(orgs, owner, org, admin, "administrator")
    wait_for_status(billing, admin, org, 200)
    base = f"/v1/orgs/{org}/products"
    product = add_product(billing, owner, org, "hosting.web", "leaving", renews_on="2030-03-01")
    path = f"{base}/{product['id']}/cancellation"

    asked = post(billing, owner, path, {})
    assert asked.status_code == 202, asked.text
    assert asked.json()["status"] == "requested"

    def requested(event: KontoEvent) -> bool:
        return isinstance(event, CancellationRequestedV1)

    [mail] = billing_events(org, requested)
    assert isinstance(mail, CancellationRequestedV1)
    assert (mail.data.requested_by, mail.data.email) == (owner.user_id, owner.email)
    token = mail.data.confirm_url.rsplit("/", 1)[1]

    # Until confirmed nothing changes: the product is listed and its renewal is due.
    [listed] = get(billing, owner, base).json()
    assert listed["cancellation"] == {"status": "requested", "ends_on": None}
    due = get(billing, owner, f"/v1/orgs/{org}/payments/due", to="2030-06-01").json()
    assert [p["id"] for p in due["products"]] == [product["id"]]

    wrong = post(billing, owner, f"{path}/confirm", {"token": "not-the-token"})
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "token"
    confirmed = post(billing, owner, f"{path}/confirm", {"token": token})
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["cancellation"] == {"status": "confirmed", "ends_on": "2030-03-01"}
    assert confirmed.json()["status"] == "active"  # works until the paid period ends
    again = post(billing, owner, f"{path}/confirm", {"token": token})
    assert again.status_code == 409
    assert post(billing, owner, path, {}).status_code == 409

    # Nothing deleted: still listed; the renewal at its end is no longer due.
    assert [p["id"] for p in get(billing, owner, base).json()] == [product["id"]]
    due = get(billing, owner, f"/v1/orgs/{org}/payments/due", to="2030-06-01").json()
    assert due["products"] == []

    [cancelled] = billing_events(org, lambda e: isinstance(e, ProductCancelledV1))
    assert isinstance(cancelled, ProductCancelledV1)
    assert cancelled.data.product_id == product["id"]
    assert cancelled.data.ends_on.isoformat() == "2030-03-01"
    [notice] = billing_events(org, lambda e: isinstance(e, CancellationNoticeV1))
    assert isinstance(notice, CancellationNoticeV1)
    assert notice.data.recipients == [admin.user_id]
    assert notice.data.recipient_emails == [admin.email]
    assert notice.data.cancelled_by == owner.user_id
