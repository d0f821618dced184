"""The prepaid balance as a ledger (BIL-8): top up by card (idempotent by key), withdraw to the
default address's IBAN, never below zero even under concurrent withdrawals; its state is
announced for ORG-7."""

import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from konto.common.events import AccountStateChangedV1
from tests.support.billing import add_address, billing_events, billing_org, get, post
from tests.support.processes import ServiceProcess

pytestmark = pytest.mark.servers


def test_top_up_withdraw_and_never_below_zero_BIL_8(
    auth: ServiceProcess, orgs: ServiceProcess, billing: ServiceProcess
) -> None:
    owner, org = billing_org(auth, orgs, billing, "Ledger AG")
    top_ups = f"/v1/orgs/{org}/balance/top-ups"
    withdrawals = f"/v1/orgs/{org}/balance/withdrawals"
    card = {"amount": 1000, "currency": "CHF", "card_token": "tok_visa"}

    no_key = httpx.post(f"{billing.url}{top_ups}", json=card, headers=owner.headers)
    assert no_key.status_code == 422
    assert no_key.json()["errors"][0]["field"] == "Idempotency-Key"
    declined = post(billing, owner, top_ups, card | {"card_token": "tok_declined"})
    assert declined.status_code == 402

    key = uuid.uuid4().hex
    first = post(billing, owner, top_ups, card, key=key)
    again = post(billing, owner, top_ups, card, key=key)  # a retry: same answer, one entry
    assert first.status_code == again.status_code == 201, first.text
    assert first.json() == again.json()
    assert first.json()["balance"] == {"minor": 1000, "currency": "CHF"}
    other = post(billing, owner, top_ups, card | {"amount": 5}, key=key)
    assert other.status_code == 422  # same key, different request

    # No address with an IBAN yet: nowhere to pay out to.
    assert post(billing, owner, withdrawals, {"amount": 100}).status_code == 409
    add_address(billing, owner, org)

    # Five concurrent withdrawals of 3.00 from 10.00: three pass, the balance stays >= 0.
    with ThreadPoolExecutor(max_workers=5) as pool:
        answers = list(
            pool.map(lambda _: post(billing, owner, withdrawals, {"amount": 300}), range(5))
        )
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201, 201, 201, 409, 409], [a.text for a in answers]
    assert all(
        a.json()["type"].endswith("/insufficient-balance") for a in answers if a.status_code == 409
    )

    shown = get(billing, owner, f"/v1/orgs/{org}/balance", limit=3)
    assert shown.status_code == 200
    body = shown.json()
    assert body["balance"] == {"minor": 100, "currency": "CHF"}
    assert body["entry_count"] == 4
    assert [e["kind"] for e in body["entries"]] == ["withdraw"] * 3
    assert body["entries"][0]["reference"]["iban"] == "CH9300762011623852957"
    rest = get(billing, owner, f"/v1/orgs/{org}/balance", limit=3, before=body["next_before"])
    assert [e["kind"] for e in rest.json()["entries"]] == ["top_up"]
    assert rest.json()["next_before"] is None

    # ORG-7: every change of the balance is announced, the last one with what is left.
    states = billing_events(org, lambda e: isinstance(e, AccountStateChangedV1), count=4)
    last = states[-1]
    assert isinstance(last, AccountStateChangedV1)
    assert last.subject == org
    assert last.data.balance.minor == 100
    assert (last.data.active_products, last.data.open_invoices) == (0, 0)
