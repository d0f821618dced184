"""The Stripe card adapter inside the real billing service (BIL-4, BIL-8): a billing process of
this module's own with `CARD_PROVIDER=stripe` against the local HTTP double of Stripe's API
(tests/support/stripe_double.py). A top-up charges a confirmed PaymentIntent under the request's
idempotency key; a decline is 402, a processor error is retried with the same key, and a
processor that stays down is 503 for the client to retry with the same key."""

import uuid
from collections.abc import Iterator

import pytest

from tests.support.billing import add_address, billing_org, get, post
from tests.support.processes import ServiceProcess, start_service
from tests.support.stripe_double import SECRET, StripeDouble, running_stripe

pytestmark = pytest.mark.servers


@pytest.fixture(scope="module")
def stripe() -> Iterator[StripeDouble]:
    with running_stripe() as double:
        yield double


@pytest.fixture(scope="module")
def stripe_billing(
    auth: ServiceProcess, run_id: str, stripe: StripeDouble
) -> Iterator[ServiceProcess]:
    service = start_service(
        "billing",
        f"{run_id}stripe",
        extra_env={
            "KONTO_BILLING_JWKS_URL": f"{auth.url}/.well-known/jwks.json",
            "KONTO_BILLING_CARD_PROVIDER": "stripe",
            "KONTO_BILLING_STRIPE_API_URL": stripe.url,
            "KONTO_BILLING_STRIPE_SECRET_KEY": SECRET,
        },
    )
    yield service
    service.stop()


def test_top_ups_are_charged_through_stripe_BIL_4_BIL_8(
    auth: ServiceProcess,
    orgs: ServiceProcess,
    stripe_billing: ServiceProcess,
    stripe: StripeDouble,
) -> None:
    owner, org = billing_org(auth, orgs, stripe_billing, "Stripe AG")
    add_address(stripe_billing, owner, org)
    path = f"/v1/orgs/{org}/balance/top-ups"

    def top_up(token: str, key: str, amount: int = 10_000) -> dict[str, object]:
        body = {"amount": amount, "currency": "CHF", "card_token": token}
        answer = post(stripe_billing, owner, path, body, key=key)
        return {"status": answer.status_code, **answer.json()}

    key = uuid.uuid4().hex
    assert top_up("pm_card_visa", key)["status"] == 201
    charged = stripe.seen[-1]
    assert charged.headers["authorization"] == f"Bearer {SECRET}"
    assert charged.headers["idempotency-key"] == f"{org}:{key}"
    assert (charged.form["amount"], charged.form["currency"]) == ("10000", "chf")
    assert charged.form["payment_method"] == "pm_card_visa"
    assert charged.form["confirm"] == "true"

    declined = top_up("pm_card_chargeDeclined", uuid.uuid4().hex)
    assert (declined["status"], declined["type"]) == (
        402,
        "https://konto.dev/problems/card-declined",
    )

    flaky_key = uuid.uuid4().hex
    assert top_up("pm_flaky", flaky_key, 2_500)["status"] == 201  # a 500, then the retry
    tries = [s for s in stripe.seen if s.form.get("payment_method") == "pm_flaky"]
    assert [s.headers["idempotency-key"] for s in tries] == [f"{org}:{flaky_key}"] * 2

    down = top_up("pm_down", uuid.uuid4().hex)
    assert (down["status"], down["type"]) == (
        503,
        "https://konto.dev/problems/card-processor-unavailable",
    )

    balance = get(stripe_billing, owner, f"/v1/orgs/{org}/balance").json()
    assert balance["balance"]["minor"] == 12_500  # the declined and the failed charged nothing
