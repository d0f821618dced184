"""Unpaid pro-formas over the real servers (BIL-4), with an injected clock: an order checked out
by bank transfer and not paid within the payment period (30 days) lapses — once, even with two
workers at once, with one `proforma.lapsed` event — its order is cancelled and the promo-code
use and free grant it took come back; a transfer arriving later is left to support
(`proforma_lapsed`). A member may cancel an order awaiting its transfer with the same effect.
Support lists the imported statements with their counts."""

import asyncio
import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from konto.billing.cli import stores_over
from konto.billing.config import BillingSettings
from konto.billing.service.proforma_closing import ProformaClosing
from konto.common.broker import make_broker
from konto.common.events import KontoEvent, ProformaCancelledV1, ProformaLapsedV1
from konto.common.mongo import Mongo
from konto.common.outbox import Outbox
from tests.e2e.test_billing_bank_transfer import _import, _staff, camt054, xml_credit
from tests.support.billing import (
    add_address,
    add_product,
    billing_events,
    billing_org,
    get,
    post,
)
from tests.support.identity import Person, new_person
from tests.support.processes import ServiceProcess
from tests.support.servers import KAFKA, MONGO_URL

pytestmark = pytest.mark.servers

PAYMENT_DAYS = 30  # the setting's default, which the e2e billing runs with


def _settings(run_id: str) -> BillingSettings:
    return BillingSettings(
        mongo_url=MONGO_URL, mongo_db=f"t{run_id}_billing", kafka_bootstrap=KAFKA
    )


def _lapse(run_id: str, now: datetime, workers: int = 1) -> list[int]:
    """The job's pass in `workers` workers at once, each with its own Mongo client and Kafka
    producer as separate replicas have (in this process: a CLI start costs seconds)."""
    settings = _settings(run_id)

    async def worker() -> int:
        mongo = Mongo(settings.mongo_url, settings.mongo_db)
        broker = make_broker(settings, "billing-test")
        await broker.connect()
        try:
            closing = ProformaClosing(
                stores_over(settings, mongo), Outbox(mongo, broker), PAYMENT_DAYS
            )
            return await closing.lapse_due(now)
        finally:
            await broker.stop()
            await mongo.close()

    async def all_at_once() -> list[int]:
        return list(await asyncio.gather(*(worker() for _ in range(workers))))

    return asyncio.run(all_at_once())


def _lapse_cli(run_id: str, now: datetime) -> str:
    """`lapse-proformas-now` as an operator runs it."""
    env = {
        **os.environ,
        "KONTO_BILLING_MONGO_URL": MONGO_URL,
        "KONTO_BILLING_MONGO_DB": f"t{run_id}_billing",
        "KONTO_BILLING_KAFKA_BOOTSTRAP": KAFKA,
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "konto.billing.cli",
            "lapse-proformas-now",
            "--now",
            now.isoformat(),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _promo(billing: ServiceProcess, staff: Person) -> str:
    """A code for one use only: whether it can be used again shows the use came back."""
    now = datetime.now(UTC)
    body = {
        "code": f"L{uuid.uuid4().hex[:10]}",
        "kind": "percent",
        "value": 1000,
        "valid_from": (now - timedelta(days=1)).isoformat(),
        "valid_until": (now + timedelta(days=1)).isoformat(),
        "max_uses": 1,
        "product_types": ["hosting.web"],
    }
    answer = httpx.post(f"{billing.url}/v1/promo-codes", json=body, headers=staff.headers)
    assert answer.status_code == 201, answer.text
    return str(body["code"])


def _order(billing: ServiceProcess, owner: Person, org: str, label: str) -> str:
    lines = [
        {"product_type": "hosting.web", "months": 12, "label": label},
        {"product_type": "domain.ch", "months": 12, "label": f"{label}.ch", "free": True},
    ]
    created = post(billing, owner, f"/v1/orgs/{org}/orders", {"lines": lines})
    assert created.status_code == 201, created.text
    order_id: str = created.json()["id"]
    return order_id


def _checkout(
    billing: ServiceProcess, owner: Person, org: str, order_id: str, body: dict[str, Any]
) -> httpx.Response:
    return post(billing, owner, f"/v1/orgs/{org}/orders/{order_id}/checkout", body)


def _grants(billing: ServiceProcess, owner: Person, org: str) -> list[str]:
    return [g["status"] for g in get(billing, owner, f"/v1/orgs/{org}/free-grants").json()]


def test_unpaid_proforma_lapses_once_and_gives_back_what_the_order_took_BIL_4(
    auth: ServiceProcess, orgs: ServiceProcess, billing: ServiceProcess, run_id: str
) -> None:
    owner, org = billing_org(auth, orgs, billing, "Lapse AG")
    base = f"/v1/orgs/{org}"
    add_address(billing, owner, org)
    staff = _staff(auth, run_id)
    code = _promo(billing, staff)
    granted = httpx.post(
        f"{billing.url}{base}/free-grants",
        json={"product_type": "domain.ch"},
        headers=staff.headers,
    )
    assert granted.status_code == 201, granted.text

    # Checked out by bank transfer: the promo use and the free grant are taken now.
    first = _order(billing, owner, org, "lapse")
    waiting = _checkout(billing, owner, org, first, {"method": "bank_transfer", "promo_code": code})
    assert waiting.status_code == 202, waiting.text
    proforma = waiting.json()["proforma"]
    assert _grants(billing, owner, org) == ["used"]
    used_up = _checkout(
        billing, owner, org, _order(billing, owner, org, "other"), {"method": "bank_transfer"}
    )
    assert used_up.status_code == 422  # the only free grant is taken

    # An injected clock: not before the whole payment period; then two workers at once.
    now = datetime.now(UTC)
    assert "pro-formas lapsed:" in _lapse_cli(run_id, now + timedelta(days=PAYMENT_DAYS - 1))
    assert get(billing, owner, f"{base}/orders/{first}").json()["status"] == "awaiting_payment"
    assert sum(_lapse(run_id, now + timedelta(days=PAYMENT_DAYS, minutes=1), workers=2)) >= 1

    order = get(billing, owner, f"{base}/orders/{first}").json()
    assert (order["status"], order["product_ids"]) == ("cancelled", [])
    assert get(billing, owner, f"{base}/proformas/{proforma['id']}").json()["status"] == "lapsed"
    assert _grants(billing, owner, org) == ["available"]  # the free grant is back
    assert get(billing, owner, f"{base}/products").json() == []

    # The promo code's only use is back: a new order takes it (and the grant) again; cancelled
    # by the buyer before paying, both come back once more.
    second = _order(billing, owner, org, "again")
    again = _checkout(billing, owner, org, second, {"method": "bank_transfer", "promo_code": code})
    assert again.status_code == 202, again.text
    cancelled = post(billing, owner, f"{base}/orders/{second}/cancel", {})
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["order"]["status"] == "cancelled"
    assert cancelled.json()["proforma"]["status"] == "cancelled"
    twice = post(billing, owner, f"{base}/orders/{second}/cancel", {})
    assert twice.status_code == 409
    assert twice.json()["type"].endswith("/not-awaiting-payment")
    assert _grants(billing, owner, org) == ["available"]
    third = _order(billing, owner, org, "paid")
    paid = _checkout(
        billing, owner, org, third, {"method": "card", "card_token": "tok_visa", "promo_code": code}
    )
    assert paid.status_code == 201, paid.text
    assert paid.json()["order"]["promo_code"] == code

    # One lapse event for the first pro-forma (two workers ran), then the buyer's cancellation.
    def closed(event: KontoEvent) -> bool:
        return isinstance(event, ProformaLapsedV1 | ProformaCancelledV1)

    lapsed, withdrawn = billing_events(org, closed, count=2)
    assert isinstance(lapsed, ProformaLapsedV1)
    assert (lapsed.data.proforma_id, lapsed.data.order_id) == (proforma["id"], first)
    assert (lapsed.data.issued_by, lapsed.data.payment_days) == (owner.user_id, PAYMENT_DAYS)
    assert isinstance(withdrawn, ProformaCancelledV1)
    assert (withdrawn.data.order_id, withdrawn.data.cancelled_by) == (second, owner.user_id)

    # The transfer arrives after all: support gets it, nothing is delivered.
    credit = xml_credit(f"BANK-{uuid.uuid4().hex[:12]}", proforma["total"], proforma["payment"])
    late = _import(billing, staff, camt054(f"MSG-{uuid.uuid4().hex}", [credit]))
    assert late.status_code == 201, late.text
    assert late.json()["matched"] == []
    assert [u["reason"] for u in late.json()["unmatched"]] == ["proforma_lapsed"]
    assert get(billing, owner, f"{base}/orders/{first}").json()["status"] == "cancelled"


def test_support_lists_imported_statements_with_counts_page_by_page_BIL_4(
    auth: ServiceProcess, billing: ServiceProcess, run_id: str
) -> None:
    member = new_person(auth)
    staff = _staff(auth, run_id)
    ids = []
    for credits in range(3):
        stray: list[tuple[str, str, str, str | None]] = [
            (f"BANK-{uuid.uuid4().hex[:12]}", "10.00", "CHF", "RF18539007547034")
            for _ in range(credits)
        ]
        imported = _import(billing, staff, camt054(f"MSG-{uuid.uuid4().hex}", stray))
        assert imported.status_code == 201, imported.text
        ids.append(imported.json()["id"])

    url = f"{billing.url}/v1/bank-statements"
    page = httpx.get(url, params={"limit": 2}, headers=staff.headers)
    assert page.status_code == 200, page.text
    newest = page.json()["statements"]
    assert [s["id"] for s in newest] == [ids[2], ids[1]]  # newest first
    assert newest[0]["counts"] == {
        "matched": 0,
        "unmatched": 2,
        "duplicates": 0,
        "ignored_debits": 0,
    }
    following = httpx.get(
        url, params={"limit": 2, "before": page.json()["next_before"]}, headers=staff.headers
    )
    assert following.status_code == 200, following.text
    assert following.json()["statements"][0]["id"] == ids[0]
    assert following.json()["statements"][0]["counts"]["unmatched"] == 0

    assert httpx.get(url, headers=member.headers).status_code == 403  # only staff
    assert httpx.get(url, params={"limit": 0}, headers=staff.headers).status_code == 422
    unknown = httpx.get(url, params={"before": str(uuid.uuid4())}, headers=staff.headers)
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "before"


def test_member_cancels_a_renewal_proforma_before_paying_BIL_4(
    auth: ServiceProcess, orgs: ServiceProcess, billing: ServiceProcess, run_id: str
) -> None:
    owner, org = billing_org(auth, orgs, billing, "Withdrawn AG")
    base = f"/v1/orgs/{org}"
    add_address(billing, owner, org)
    product = add_product(billing, owner, org, "hosting.web", "withdrawn", renews_on="2030-05-01")
    selection = {"items": [{"product_id": product["id"], "months": 1}], "method": "bank_transfer"}
    answer = post(billing, owner, f"{base}/payments", selection)
    assert answer.status_code == 202, answer.text
    proforma = answer.json()["proforma"]

    cancelled = post(billing, owner, f"{base}/proformas/{proforma['id']}/cancel", {})
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json() == {"proforma": cancelled.json()["proforma"]}  # no order
    assert cancelled.json()["proforma"]["status"] == "cancelled"
    assert post(billing, owner, f"{base}/proformas/{proforma['id']}/cancel", {}).status_code == 409
    assert post(billing, owner, f"{base}/proformas/{uuid.uuid4()}/cancel", {}).status_code == 404
    [unchanged] = get(billing, owner, f"{base}/products").json()
    assert unchanged["renews_on"] == "2030-05-01"

    staff = _staff(auth, run_id)
    credit = xml_credit(f"BANK-{uuid.uuid4().hex[:12]}", proforma["total"], proforma["payment"])
    late = _import(billing, staff, camt054(f"MSG-{uuid.uuid4().hex}", [credit])).json()
    assert [u["reason"] for u in late["unmatched"]] == ["proforma_cancelled"]
    assert get(billing, owner, f"{base}/invoices").json() == []
