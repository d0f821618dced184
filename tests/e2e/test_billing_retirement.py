"""Retiring cancelled products (BIL-7) over the real servers, with an injected clock: a product
whose cancellation was confirmed keeps working until its paid period ends; on that date the
job retires it (status `ended`, no renewal due), once even with two workers at the same time,
with one `product.ended` (its backups are deleted now) and a new account state for orgs
(ORG-7 counts active products). A fee overdue at the confirmation stays due after the end."""

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from konto.billing.cli import stores_over
from konto.billing.config import BillingSettings
from konto.billing.service.retirement import Retirement
from konto.common.broker import make_broker
from konto.common.events import (
    AccountStateChangedV1,
    CancellationRequestedV1,
    KontoEvent,
    ProductEndedV1,
)
from konto.common.mongo import Mongo
from konto.common.outbox import Outbox
from tests.support.billing import add_address, add_product, billing_events, billing_org, get, post
from tests.support.processes import ServiceProcess
from tests.support.servers import KAFKA, MONGO_URL

pytestmark = pytest.mark.servers


def _retire_cli(run_id: str, now: datetime) -> int:
    """`retire-ended-now` as an operator runs it; how many it retired."""
    env = {
        **os.environ,
        "KONTO_BILLING_MONGO_URL": MONGO_URL,
        "KONTO_BILLING_MONGO_DB": f"t{run_id}_billing",
        "KONTO_BILLING_KAFKA_BOOTSTRAP": KAFKA,
    }
    done = subprocess.run(
        [sys.executable, "-m", "konto.billing.cli", "retire-ended-now", "--now", now.isoformat()],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return int(done.stdout.rsplit(":", 1)[1])


def _retire(run_id: str, now: datetime, workers: int = 1) -> list[int]:
    """The job's pass in `workers` workers at once, each with its own Mongo client and Kafka
    producer as separate replicas have (in this process: a CLI start costs seconds)."""
    settings = BillingSettings(
        mongo_url=MONGO_URL, mongo_db=f"t{run_id}_billing", kafka_bootstrap=KAFKA
    )

    async def worker() -> int:
        mongo = Mongo(settings.mongo_url, settings.mongo_db)
        broker = make_broker(settings, "billing-test")
        await broker.connect()
        try:
            retirement = Retirement(stores_over(settings, mongo), Outbox(mongo, broker))
            return await retirement.retire_due(now)
        finally:
            await broker.stop()
            await mongo.close()

    async def all_at_once() -> list[int]:
        return list(await asyncio.gather(*(worker() for _ in range(workers))))

    return asyncio.run(all_at_once())


def _cancel(billing: ServiceProcess, owner: Any, org: str, product_id: str) -> str:
    """Asks and confirms from the mailed link; returns the end date billing set."""
    path = f"/v1/orgs/{org}/products/{product_id}/cancellation"
    assert post(billing, owner, path, {}).status_code == 202

    def requested(event: KontoEvent) -> bool:
        return isinstance(event, CancellationRequestedV1) and event.data.product_id == product_id

    [mail] = billing_events(org, requested)
    assert isinstance(mail, CancellationRequestedV1)
    token = mail.data.confirm_url.rsplit("/", 1)[1]
    confirmed = post(billing, owner, f"{path}/confirm", {"token": token})
    assert confirmed.status_code == 200, confirmed.text
    ends_on: str = confirmed.json()["cancellation"]["ends_on"]
    return ends_on


def test_cancelled_product_is_retired_once_at_its_end_date_BIL_7_ORG_7(
    auth: ServiceProcess, orgs: ServiceProcess, billing: ServiceProcess, run_id: str
) -> None:
    owner, org = billing_org(auth, orgs, billing, "Retire AG")
    add_address(billing, owner, org)
    now = datetime.now(UTC)
    today = now.date()
    ending = add_product(
        billing, owner, org, "hosting.web", "ending", renews_on=str(today + timedelta(days=30))
    )
    overdue = add_product(
        billing, owner, org, "domain.ch", "overdue", renews_on=str(today - timedelta(days=10))
    )
    staying = add_product(billing, owner, org, "mail.mailbox", "staying")
    assert _cancel(billing, owner, org, ending["id"]) == str(today + timedelta(days=30))
    assert _cancel(billing, owner, org, overdue["id"]) == str(today)  # ends at once

    def listed() -> list[str]:
        return [p["id"] for p in get(billing, owner, f"/v1/orgs/{org}/products").json()]

    # Today the overdue one ends; its open fee stays due and payable after the end.
    assert _retire(run_id, now)[0] >= 1
    assert overdue["id"] not in listed()
    due = get(billing, owner, f"/v1/orgs/{org}/payments/due").json()["products"]
    [still_due] = [p for p in due if p["id"] == overdue["id"]]
    assert still_due["status"] == "ended"
    paid = post(
        billing,
        owner,
        f"/v1/orgs/{org}/payments",
        {
            "items": [{"product_id": overdue["id"], "months": 12}],
            "method": "card",
            "card_token": "tok_visa",
        },
    )
    assert paid.status_code == 201, paid.text
    due = get(billing, owner, f"/v1/orgs/{org}/payments/due").json()["products"]
    assert overdue["id"] not in [p["id"] for p in due]

    # The day before its end the other one still works.
    _retire(run_id, now + timedelta(days=29))
    assert sorted(listed()) == sorted([ending["id"], staying["id"]])

    # On its end date two workers at once (an injected clock): it is retired exactly once.
    counts = _retire(run_id, now + timedelta(days=30), workers=2)
    assert sum(counts) >= 1, counts
    assert listed() == [staying["id"]]
    # The operators' trigger, a day later: nothing of this organization's is left to retire
    # (other tests' products share the database: the count is not checked, the events are).
    _retire_cli(run_id, now + timedelta(days=31))

    def ended(event: KontoEvent) -> bool:
        return isinstance(event, ProductEndedV1) and event.data.product_id == ending["id"]

    [event] = billing_events(org, ended)
    assert isinstance(event, ProductEndedV1)
    assert event.data.ended_on.isoformat() == str(today + timedelta(days=30))
    assert event.data.confirmed_by == owner.user_id
    with pytest.raises(AssertionError, match="1 of 2"):
        billing_events(org, ended, count=2, timeout=5)
    # No renewal of the ended product is due any more; orgs hears the active count drop:
    # 1, 2, 3 as they were added, 2 and 1 as they ended (the second 1 is this retirement).
    due = get(billing, owner, f"/v1/orgs/{org}/payments/due", to="2030-12-31").json()
    assert [p["id"] for p in due["products"]] == [staying["id"]]
    states = billing_events(
        org, lambda e: isinstance(e, AccountStateChangedV1) and e.data.active_products == 1, count=2
    )
    assert len(states) == 2
