"""Sends one delivery and decides what a failure means (NOT-4): sent; transient failure →
`pending` until `next_attempt_at` (exponential back-off with jitter); last try or a permanent
failure → `failed` and dead-lettered. The retry loop runs in the process, so the Kafka consumer
never waits for a provider: the event is acknowledged once its deliveries are recorded."""

import asyncio
import logging
import random
from datetime import datetime, timedelta
from typing import Any

from konto.common.crypto import SecretBox
from konto.common.events import DeliveryFailedV1, KontoEvent, utcnow
from konto.common.outbox import UnitOfWork
from konto.notify.channels.base import EmailProvider, PermanentFailure, PushProvider, SmsProvider
from konto.notify.domain.retry import RetryPolicy
from konto.notify.events.dead_letters import DeliveryDeadLetters
from konto.notify.rendering import Renderer
from konto.notify.store.deliveries import Deliveries, Delivery

log = logging.getLogger(__name__)

BATCH = 20


class Courier:
    def __init__(
        self,
        *,
        deliveries: Deliveries,
        renderer: Renderer,
        email: EmailProvider,
        sms: SmsProvider,
        push: PushProvider,
        dead_letters: DeliveryDeadLetters,
        policy: RetryPolicy,
        lease: timedelta,
        poll_seconds: float,
        command_box: SecretBox,
    ) -> None:
        self.deliveries = deliveries
        self.renderer = renderer
        self.email = email
        self.sms = sms
        self.push = push
        self.dead_letters = dead_letters
        self.policy = policy
        self.lease = lease
        self.poll_seconds = poll_seconds
        self.command_box = command_box
        self._task: asyncio.Task[None] | None = None

    async def attempt(self, delivery: Delivery) -> str:
        """One try of a delivery this worker holds; returns the resulting status."""
        delivery_id = delivery["_id"]
        attempts = int(delivery.get("attempts", 0)) + 1
        try:
            message_id = await self._send(delivery)
        except PermanentFailure as exc:
            return await self._fail(delivery, attempts, f"permanent: {exc}")
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            if self.policy.gives_up(attempts):
                return await self._fail(delivery, attempts, error)
            now = utcnow()
            jitter = random.uniform(0.5, 1.5)  # noqa: S311 jitter, not a secret
            retry_at = self.policy.next_attempt_at(now, attempts, jitter)
            await self.deliveries.reschedule(delivery_id, now, retry_at, error)
            log.warning(
                "delivery failed, will retry",
                extra={
                    "delivery_id": delivery_id,
                    "attempt": attempts,
                    "error": error,
                    "next_attempt_at": retry_at.isoformat(),
                },
            )
            return "pending"
        await self.deliveries.mark_sent(delivery_id, utcnow(), message_id)
        return "sent"

    async def _send(self, delivery: Delivery) -> str:
        template, locale = delivery["template"], delivery["locale"]
        context = self._opened(delivery.get("context", {}))
        try:
            if delivery["channel"] == "sms":
                text = self.renderer.render_sms(template, locale, context)
            elif delivery["channel"] == "push":
                title, body = self.renderer.render_push(template, locale, context)
            else:
                rendered = self.renderer.render(template, locale, context)
        except Exception as exc:  # a template bug: no retry fixes it, a replay after the fix does
            raise PermanentFailure(f"render {locale}/{template}: {exc}") from exc
        if delivery["channel"] == "push":
            return await self.push.send(
                device_token=context["device_token"],
                title=title,
                body=body,
                data={"kind": template, "approval_id": str(context.get("approval_id", ""))},
                delivery_id=delivery["_id"],
            )
        if delivery["channel"] == "sms":
            return await self.sms.send(
                to=delivery["address"], text=text, delivery_id=delivery["_id"]
            )
        return await self.email.send(
            to=delivery["address"],
            rendered=rendered,
            delivery_id=delivery["_id"],
            headers={
                "X-Konto-Event-Id": delivery["event_id"],
                "X-Konto-Template": template,
                "X-Konto-Delivery-Id": delivery["_id"],
            },
        )

    def _opened(self, context: dict[str, Any]) -> dict[str, Any]:
        """The context with a sealed code (`code`) or push token (`device_token`) opened, in
        memory only; one past its expiry is not worth sending any more."""
        sealed = {"sealed_code": "code", "sealed_token": "device_token"}
        present = [name for name in sealed if name in context]
        if not present:
            return context
        expires_at = context.get("expires_at")
        if isinstance(expires_at, datetime) and expires_at <= utcnow():
            raise PermanentFailure("the code expired before it could be sent")
        opened = dict(context)
        for name in present:
            try:
                secret = self.command_box.open(
                    context[name], str(context.get("sealed_for", "")).encode()
                )
            except Exception as exc:  # wrong key or tampered: no retry opens it
                raise PermanentFailure(
                    f"sealed {sealed[name].replace('device_', '')} does not open: "
                    f"{type(exc).__name__}"
                ) from exc
            opened[sealed[name]] = secret.decode()
        return opened

    async def _fail(self, delivery: Delivery, attempts: int, error: str) -> str:
        await self.deliveries.mark_failed(delivery["_id"], utcnow(), error)
        log.error(
            "delivery failed for good, dead-lettering",
            extra={"delivery_id": delivery["_id"], "attempts": attempts, "error": error},
        )
        await self.flush_dead_letters()
        return "failed"

    async def flush_dead_letters(self) -> int:
        """Publish failed deliveries not yet dead-lettered (Kafka may have been away)."""
        count = 0
        for failed in await self.deliveries.not_dead_lettered():
            try:
                await self.dead_letters.publish(failed)
            except Exception:
                log.warning("dead-letter publish deferred", extra={"delivery_id": failed["_id"]})
                break
            await self.deliveries.mark_dead_lettered(failed["_id"], utcnow())
            count += 1
        return count

    async def run_once(self) -> int:
        """Retry every due delivery (up to a batch); returns how many were tried."""
        tried = 0
        while tried < BATCH:
            due = await self.deliveries.lease_due(utcnow(), self.lease)
            if due is None:
                break
            await self.attempt(due)
            tried += 1
        await self.flush_dead_letters()
        return tried

    async def run(self) -> None:
        while True:
            try:
                tried = await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("delivery retry pass failed", exc_info=True)
                tried = 0
            if tried < BATCH:
                await asyncio.sleep(self.poll_seconds)

    async def start(self) -> None:
        """Startup hook: the retry loop runs beside the consumers for the process's life."""
        if self._task is None:
            self._task = asyncio.create_task(self.run(), name="notify-delivery-retries")

    async def on_replayed(self, event: KontoEvent, uow: UnitOfWork) -> None:
        """Handler of `konto.notify.deliveries`: a dead letter replayed from the DLQ gets a
        fresh set of attempts; the retry loop sends it."""
        if isinstance(event, DeliveryFailedV1):
            requeued = await self.deliveries.requeue_failed(
                event.data.delivery_id, utcnow(), uow.session
            )
            log.info(
                "replayed delivery",
                extra={"delivery_id": event.data.delivery_id, "requeued": requeued},
            )
