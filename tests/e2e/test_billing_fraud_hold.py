"""The fraud hold (BIL-6) over the real servers: a suspicious order (a new organization's first
order above the limit) is paid but held without products; the unlock mail (an event for notify,
to the buyer's login address) can be re-sent; billing opens a verification case, and an agent's
approval in the real verification service completes the order. Held past the unlock period, the
order is cancelled and refunded in full exactly once, even with two workers at once."""

import asyncio
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from konto.common.events import CaseOpenedV1, KontoEvent, OrderBlockedV1, OrderCancelledV1
from tests.support.billing import add_address, billing_events, billing_org, get, post
from tests.support.identity import new_person
from tests.support.processes import ServiceProcess
from tests.support.servers import KAFKA, MONGO_URL
from tests.support.verification import CaseClient, opened_by, run_cli, token_of, wait_for_events

pytestmark = pytest.mark.servers

# Three two-year hosting plans: CHF 712.80 net, above the first-order limit of CHF 500.
BIG_CART = [{"product_type": "hosting.web", "months": 24, "label": f"big-{i}"} for i in range(3)]


def _checkout_big(billing: ServiceProcess, owner: Any, org: str, body: dict[str, Any]) -> str:
    created = post(billing, owner, f"/v1/orgs/{org}/orders", {"lines": BIG_CART})
    assert created.status_code == 201, created.text
    order_id: str = created.json()["id"]
    held = post(billing, owner, f"/v1/orgs/{org}/orders/{order_id}/checkout", body)
    assert held.status_code == 202, held.text
    assert held.json()["order"]["status"] == "blocked"
    assert held.json()["order"]["blocked"]["reasons"] == ["first_order"]
    return order_id


def _wait_order(billing: ServiceProcess, owner: Any, org: str, order_id: str, status: str) -> None:
    deadline = time.monotonic() + 90
    while True:
        order = get(billing, owner, f"/v1/orgs/{org}/orders/{order_id}").json()
        if order["status"] == status:
            return
        assert time.monotonic() < deadline, f"order stays {order['status']}, not {status}"
        time.sleep(0.5)


def test_blocked_order_is_unlocked_by_an_approved_verification_BIL_6_VER_1(
    auth: ServiceProcess,
    orgs: ServiceProcess,
    billing: ServiceProcess,
    verification: ServiceProcess,
    run_id: str,
) -> None:
    owner, org = billing_org(auth, orgs, billing, "Held AG")
    add_address(billing, owner, org)
    order_id = _checkout_big(billing, owner, org, {"method": "card", "card_token": "tok_visa"})
    assert get(billing, owner, f"/v1/orgs/{org}/products").json() == []  # paid, nothing yet

    resent = post(billing, owner, f"/v1/orgs/{org}/orders/{order_id}/unlock-mail", {})
    assert resent.status_code == 202, resent.text

    def blocked(event: KontoEvent) -> bool:
        return isinstance(event, OrderBlockedV1) and event.data.order_id == order_id

    mails = billing_events(org, blocked, count=2)
    assert [m.data.resent for m in mails if isinstance(m, OrderBlockedV1)] == [False, True]
    first = mails[0]
    assert isinstance(first, OrderBlockedV1)
    assert (first.data.buyer_id, first.data.buyer_email) == (owner.user_id, owner.email)
    assert first.data.total.minor == 71_280 + 5_774  # 8.1 % VAT

    _decide(auth, verification, run_id, order_id, "approve")

    _wait_order(billing, owner, org, order_id, "completed")
    assert len(get(billing, owner, f"/v1/orgs/{org}/products").json()) == 3
    [invoice] = get(billing, owner, f"/v1/orgs/{org}/invoices").json()
    assert invoice["total"]["minor"] == 71_280 + 5_774
    assert invoice["method"] == "card"


def _decide(
    auth: ServiceProcess, verification: ServiceProcess, run_id: str, order_id: str, outcome: str
) -> None:
    """The buyer verifies their identity through the case billing asked for; an agent decides."""
    [opened] = asyncio.run(
        wait_for_events(
            opened_by(
                verification,
                lambda e: e.data.reference == order_id and e.data.reason == "blocked_order",
            )
        )
    )
    assert isinstance(opened, CaseOpenedV1)
    assert opened.data.requested_by == "billing"
    case = CaseClient(verification, opened.data.case_id, token_of(opened.data.case_url))
    asyncio.run(case.fill_and_submit("passport"))
    agent = new_person(auth)
    run_cli(run_id, "add-agent", agent.user_id)
    decided = httpx.post(
        f"{verification.url}/v1/review/cases/{opened.data.case_id}/decision",
        json={"outcome": outcome, "reason": "checked the documents"},
        headers=agent.headers,
    )
    assert decided.status_code == 200, decided.text


def test_blocked_order_is_cancelled_and_refunded_when_rejected_BIL_6(
    auth: ServiceProcess,
    orgs: ServiceProcess,
    billing: ServiceProcess,
    verification: ServiceProcess,
    run_id: str,
) -> None:
    owner, org = billing_org(auth, orgs, billing, "Rejected AG")
    add_address(billing, owner, org)
    order_id = _checkout_big(billing, owner, org, {"method": "card", "card_token": "tok_visa"})
    _decide(auth, verification, run_id, order_id, "reject")

    _wait_order(billing, owner, org, order_id, "cancelled")
    assert get(billing, owner, f"/v1/orgs/{org}/products").json() == []
    assert get(billing, owner, f"/v1/orgs/{org}/invoices").json() == []
    [cancelled] = billing_events(org, lambda e: isinstance(e, OrderCancelledV1))
    assert isinstance(cancelled, OrderCancelledV1)
    assert cancelled.data.reason == "verification_rejected"
    assert cancelled.data.refunded.minor == 71_280 + 5_774  # in full


def _expire(run_id: str, now: datetime) -> str:
    env = {
        **os.environ,
        "KONTO_BILLING_MONGO_URL": MONGO_URL,
        "KONTO_BILLING_MONGO_DB": f"t{run_id}_billing",
        "KONTO_BILLING_KAFKA_BOOTSTRAP": KAFKA,
    }
    done = subprocess.run(
        [sys.executable, "-m", "konto.billing.cli", "expire-blocked-now", "--now", now.isoformat()],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_blocked_order_is_cancelled_and_refunded_once_after_ten_days_BIL_6(
    auth: ServiceProcess, orgs: ServiceProcess, billing: ServiceProcess, run_id: str
) -> None:
    owner, org = billing_org(auth, orgs, billing, "Expired AG")
    add_address(billing, owner, org)
    base = f"/v1/orgs/{org}"
    top_up = {"amount": 100_000, "currency": "CHF", "card_token": "tok_visa"}
    assert post(billing, owner, f"{base}/balance/top-ups", top_up).status_code == 201
    order_id = _checkout_big(billing, owner, org, {"method": "balance"})
    assert get(billing, owner, f"{base}/balance").json()["balance"]["minor"] == 100_000 - 77_054

    now = datetime.now(UTC)
    assert "cancelled: 0" in _expire(run_id, now + timedelta(days=9))  # not yet
    # Two workers at once, ten days on (an injected clock): one of them cancels the order.
    with ThreadPoolExecutor(max_workers=2) as pool:
        outputs = list(pool.map(lambda _: _expire(run_id, now + timedelta(days=11)), range(2)))
    assert any("cancelled: 0" not in out for out in outputs), outputs

    _wait_order(billing, owner, org, order_id, "cancelled")
    balance = get(billing, owner, f"{base}/balance").json()
    assert balance["balance"]["minor"] == 100_000  # refunded in full, once
    assert [e["kind"] for e in balance["entries"]].count("refund") == 1
    assert get(billing, owner, f"{base}/products").json() == []
    unlock = post(billing, owner, f"{base}/orders/{order_id}/unlock-mail", {})
    assert unlock.status_code == 409
