"""BIL-4: the Stripe card adapter against a local HTTP double of Stripe's API
(tests/support/stripe_double.py), started on a free port: the double checks what a real Stripe
would (secret key, form fields, idempotency key) and answers like it (a confirmed PaymentIntent,
a 402 `card_declined`, a 500 before a success, a timeout, replays per `Idempotency-Key`). The
e2e suite keeps the in-process double, except tests/e2e/test_billing_stripe.py."""

from collections.abc import Iterator

import pytest
from pydantic import SecretStr, ValidationError

from konto.billing.config import BillingSettings
from konto.billing.domain.money import Money
from konto.billing.service.card import CardDeclined, CardUnavailable, Charge, TestCardProcessor
from konto.billing.service.card_provider import card_processor
from konto.billing.service.stripe_card import StripeCardProcessor, StripeRejected
from tests.support.stripe_double import SECRET, StripeDouble, running_stripe

CHF_77 = Money(7_705, "CHF")


@pytest.fixture
def stripe() -> Iterator[StripeDouble]:
    with running_stripe() as double:
        yield double


def _adapter(stripe: StripeDouble, secret: str = SECRET) -> StripeCardProcessor:
    return StripeCardProcessor(
        api_url=stripe.url,
        secret_key=SecretStr(secret),
        timeout_seconds=0.2,
        retries=2,
        backoff_seconds=0.01,
    )


async def test_card_is_charged_by_a_confirmed_payment_intent_BIL_4(stripe: StripeDouble) -> None:
    card = _adapter(stripe)
    charge = await card.charge(CHF_77, "pm_card_visa", "org-1:key-1")
    assert charge == Charge(charge_id="pi_1", amount=CHF_77)
    [seen] = stripe.seen
    assert seen.path == "/v1/payment_intents"
    assert seen.headers["authorization"] == f"Bearer {SECRET}"
    assert seen.headers["idempotency-key"] == "org-1:key-1"
    assert seen.headers["stripe-version"]
    assert seen.form == {
        "amount": "7705",
        "currency": "chf",
        "payment_method": "pm_card_visa",
        "payment_method_types[]": "card",
        "confirm": "true",
        "expand[]": "latest_charge",
    }
    # A retry with the same key is Stripe's replay of the same intent: charged once.
    assert await card.charge(CHF_77, "pm_card_visa", "org-1:key-1") == charge
    assert len(stripe.intents) == 1
    await card.aclose()


async def test_declined_card_raises_card_declined_BIL_4(stripe: StripeDouble) -> None:
    card = _adapter(stripe)
    with pytest.raises(CardDeclined, match="declined"):
        await card.charge(CHF_77, "pm_card_chargeDeclined", "org-1:key-2")
    assert len(stripe.seen) == 1  # a decline is an answer, not retried
    await card.aclose()


async def test_server_error_is_retried_with_the_same_key_BIL_4(stripe: StripeDouble) -> None:
    card = _adapter(stripe)
    charge = await card.charge(CHF_77, "pm_flaky", "org-1:key-3")
    assert charge.charge_id == "pi_1"
    assert [s.headers["idempotency-key"] for s in stripe.seen] == ["org-1:key-3"] * 2
    await card.aclose()


async def test_processor_down_or_slow_is_a_retryable_error_BIL_4(stripe: StripeDouble) -> None:
    card = _adapter(stripe)
    with pytest.raises(CardUnavailable, match="HTTP 500"):
        await card.charge(CHF_77, "pm_down", "org-1:key-4")
    assert len(stripe.seen) == 3  # the first try and two retries
    with pytest.raises(CardUnavailable, match="Timeout"):
        await card.charge(CHF_77, "pm_slow", "org-1:key-5")
    await card.aclose()


async def test_refund_gives_the_intent_back_once_BIL_4(stripe: StripeDouble) -> None:
    card = _adapter(stripe)
    charge = await card.charge(CHF_77, "pm_card_visa", "org-1:key-6")
    await card.refund(charge)
    await card.refund(charge)  # a retry: replayed by its key
    refunds = [s for s in stripe.seen if s.path == "/v1/refunds"]
    assert [(s.form, s.headers["idempotency-key"]) for s in refunds] == [
        ({"payment_intent": "pi_1"}, "refund:pi_1")
    ] * 2
    assert stripe.intents["pi_1"]["latest_charge"]["refunded"]

    # The checkout failed and was refunded: its retry with the same key pays anew, once.
    again = await card.charge(CHF_77, "pm_card_visa", "org-1:key-6")
    assert again.charge_id == "pi_2"
    assert stripe.seen[-1].headers["idempotency-key"] == "org-1:key-6:after:pi_1"
    assert await card.charge(CHF_77, "pm_card_visa", "org-1:key-6") == again
    assert len(stripe.intents) == 2

    stripe.replies.clear()  # Stripe forgets keys after 24 h: "already refunded" is fine too
    await card.refund(charge)
    await card.aclose()


async def test_wrong_secret_key_is_rejected_not_retried_BIL_4(stripe: StripeDouble) -> None:
    card = _adapter(stripe, secret="sk_test_wrong")
    with pytest.raises(StripeRejected, match="401"):
        await card.charge(CHF_77, "pm_card_visa", "org-1:key-7")
    assert len(stripe.seen) == 1
    await card.aclose()


def test_settings_choose_the_card_provider_BIL_4() -> None:
    assert isinstance(card_processor(BillingSettings()), TestCardProcessor)
    stripe = BillingSettings(card_provider="stripe", stripe_secret_key=SecretStr("sk_live_x"))
    assert isinstance(card_processor(stripe), StripeCardProcessor)
    with pytest.raises(ValidationError, match="card_provider=test"):
        BillingSettings(environment="prod")
    with pytest.raises(ValidationError, match="stripe_secret_key"):
        BillingSettings(environment="prod", card_provider="stripe")
    BillingSettings(
        environment="prod", card_provider="stripe", stripe_secret_key=SecretStr("sk_live_x")
    )
