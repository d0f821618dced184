"""The Stripe adapter of `CardProcessor` (BIL-4), over Stripe's HTTP API: a charge is a
PaymentIntent created and confirmed at once with the card's payment method token, a refund is a
Refund of that PaymentIntent. Every request carries an `Idempotency-Key` (ours for charges, one
per intent for refunds), so a retry, the adapter's own after a 5xx or a timeout or the client's
with the same key, never charges or refunds twice."""

import asyncio
from typing import Any

import httpx
from pydantic import SecretStr

from konto.billing.domain.money import Money
from konto.billing.service.card import CardDeclined, CardUnavailable, Charge

# The API version the answers are parsed for; Stripe keeps old versions working.
STRIPE_VERSION = "2024-06-20"
# A confirmed intent in one of these did not take the money: the card was not accepted.
_NOT_PAID = frozenset({"requires_payment_method", "requires_action", "canceled"})


class StripeRejected(RuntimeError):
    """Stripe refused the request itself (bad key, bad parameters): not the card's fault and
    not worth retrying."""

    def __init__(self, status: int, code: str | None, message: str) -> None:
        super().__init__(f"Stripe answered {status} {code or ''}: {message}")
        self.code = code


class StripeCardProcessor:
    def __init__(
        self,
        *,
        api_url: str,
        secret_key: SecretStr,
        timeout_seconds: float,
        retries: int = 2,
        backoff_seconds: float = 0.5,
    ) -> None:
        self._client = httpx.AsyncClient(
            base_url=api_url,
            timeout=timeout_seconds,
            headers={
                "Authorization": f"Bearer {secret_key.get_secret_value()}",
                "Stripe-Version": STRIPE_VERSION,
            },
        )
        self._retries = retries
        self._backoff = backoff_seconds

    async def aclose(self) -> None:
        await self._client.aclose()

    async def charge(self, amount: Money, card_token: str, idempotency_key: str) -> Charge:
        form = {
            "amount": str(amount.minor),
            "currency": amount.currency.lower(),
            "payment_method": card_token,
            "payment_method_types[]": "card",
            "confirm": "true",
            "expand[]": "latest_charge",
        }
        key = idempotency_key
        while True:
            intent = await self._post("/v1/payment_intents", form, key)
            if not _refunded(intent):
                break
            # Stripe replays the intent of a checkout that failed and was refunded; like the
            # local double, a retry after a refund charges anew, under a key of its own.
            key = f"{idempotency_key}:after:{intent['id']}"
        status = intent.get("status")
        if status == "succeeded":
            return Charge(charge_id=str(intent["id"]), amount=amount)
        if status in _NOT_PAID:
            raise CardDeclined("the card was declined")
        raise CardUnavailable(f"payment {intent.get('id')} is {status}; try again later")

    async def refund(self, charge: Charge) -> None:
        try:
            await self._post(
                "/v1/refunds", {"payment_intent": charge.charge_id}, f"refund:{charge.charge_id}"
            )
        except StripeRejected as exc:
            if exc.code != "charge_already_refunded":  # a retry after the key expired (24 h)
                raise

    async def _post(self, path: str, form: dict[str, str], key: str) -> dict[str, Any]:
        failure = ""
        for attempt in range(self._retries + 1):
            if attempt:
                await asyncio.sleep(self._backoff * 2 ** (attempt - 1))
            try:
                answer = await self._client.post(path, data=form, headers={"Idempotency-Key": key})
            except httpx.TransportError as exc:  # timeouts and broken connections
                failure = type(exc).__name__
                continue
            if answer.status_code < 400:
                body: dict[str, Any] = answer.json()
                return body
            # 409: the same key is still being processed; 429: rate limited.
            if answer.status_code >= 500 or answer.status_code in (409, 429):
                failure = f"HTTP {answer.status_code}"
                continue
            raise _rejection(answer)
        raise CardUnavailable(f"the card processor did not answer ({failure}); try again")


def _refunded(intent: dict[str, Any]) -> bool:
    charge = intent.get("latest_charge")
    return isinstance(charge, dict) and bool(charge.get("refunded"))


def _rejection(answer: httpx.Response) -> Exception:
    try:
        error = answer.json().get("error") or {}
    except ValueError:
        error = {}
    message = str(error.get("message") or answer.reason_phrase)
    if answer.status_code == 402 or error.get("type") == "card_error":
        return CardDeclined(message)
    if error.get("param") == "payment_method":  # an unknown or used-up card token
        return CardDeclined(message)
    return StripeRejected(answer.status_code, error.get("code"), message)
