"""Idempotent Kafka consumer: apply each event once, commit the offset only after the effect is
stored, and after `max_attempts` failures move the message to `<topic>.dlq` with the error."""

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from typing import Any, Literal

from faststream.kafka import KafkaBroker, KafkaMessage
from faststream.kafka.annotations import KafkaMessage as KafkaMessageParam
from faststream.middlewares import AckPolicy
from pydantic import ValidationError
from pymongo import ASCENDING
from pymongo.errors import ConnectionFailure, DuplicateKeyError

from konto.common.events import KontoEvent, UnknownEventType, dlq, parse_event, utcnow
from konto.common.metrics import DLQ_MESSAGES, KAFKA_CONSUMER_LAG
from konto.common.mongo import Mongo
from konto.common.outbox import Outbox, UnitOfWork
from konto.common.tracing import SpanKind, traced

log = logging.getLogger(__name__)

Handler = Callable[[KontoEvent, UnitOfWork], Awaitable[None]]
Accepts = Callable[[KontoEvent], bool]


def accept_all(event: KontoEvent) -> bool:
    return True


class IdempotentConsumer:
    """One named consumer of a service. Its handler runs inside a Mongo transaction together
    with the record of the event id, so an effect and its "done" mark commit as one."""

    def __init__(
        self,
        *,
        name: str,
        mongo: Mongo,
        broker: KafkaBroker,
        outbox: Outbox,
        handler: Handler,
        accepts: Accepts = accept_all,
        max_attempts: int = 5,
        retry_base_seconds: float = 0.2,
        collection: str = "consumed_events",
    ) -> None:
        self.name = name
        self.mongo = mongo
        self.broker = broker
        self.outbox = outbox
        self.handler = handler
        self.accepts = accepts
        self._subscriber: Any = None
        self.max_attempts = max_attempts
        self.retry_base_seconds = retry_base_seconds
        self.consumed = mongo.db[collection]

    async def ensure_indexes(self) -> None:
        await self.consumed.create_index(
            [("consumer", ASCENDING), ("event_id", ASCENDING)], unique=True
        )

    def subscribe(
        self, *topics: str, group_id: str, offset_reset: Literal["earliest", "latest"] = "earliest"
    ) -> None:
        """Register with the broker; call before the broker starts."""

        async def on_message(message: KafkaMessageParam) -> None:
            await self.handle(message)

        self._subscriber = self.broker.subscriber(
            *topics,
            group_id=group_id,
            ack_policy=AckPolicy.MANUAL,
            auto_offset_reset=offset_reset,
            title=f"{self.name}",
        )
        self._subscriber(on_message)

    def assigned(self) -> bool:
        """True once the group coordinator gave this consumer partitions."""
        client = getattr(self._subscriber, "consumer", None)
        return client is not None and bool(client.assignment())

    async def record_lag(self) -> None:
        """Set `konto_kafka_consumer_lag` per assigned partition: highwater - position."""
        client = getattr(self._subscriber, "consumer", None)
        if client is None:
            return
        for tp in client.assignment():
            highwater = client.highwater(tp)
            if highwater is None:
                continue  # no fetch answered yet for this partition
            position = await asyncio.wait_for(client.position(tp), timeout=1.0)
            KAFKA_CONSUMER_LAG.labels(self.name, tp.topic, str(tp.partition)).set(
                max(highwater - position, 0)
            )

    async def handle(self, message: KafkaMessage) -> None:
        # The producer's span (its `traceparent` header) is the parent: one trace per request.
        headers = {
            k: v.decode() if isinstance(v, bytes) else str(v) for k, v in message.headers.items()
        }
        topic = getattr(message.raw_message, "topic", "unknown")
        with traced(
            f"{topic} process",
            kind=SpanKind.CONSUMER,
            remote={"traceparent": headers.get("traceparent", "")},
            attributes={
                "messaging.system": "kafka",
                "messaging.destination.name": topic,
                "messaging.consumer.group.name": self.name,
                "messaging.message.id": str(message.correlation_id or ""),
            },
        ):
            try:
                await self._handle(message)
            except Exception:
                # MongoDB or Kafka itself is away: not the event's fault, so no attempt is
                # counted and nothing goes to the DLQ. Seek back; the message comes again once
                # they answer.
                log.warning(
                    "consumer paused: infrastructure unavailable",
                    exc_info=True,
                    extra={"consumer": self.name},
                )
                await asyncio.sleep(self.retry_base_seconds * 5)
                await message.nack()
                return
        await message.ack()

    async def _handle(self, message: KafkaMessage) -> None:
        try:
            event = parse_event(message.body)
        except UnknownEventType:
            return  # a newer producer's type: not ours to handle
        except ValidationError as exc:
            await self._dead_letter(message, f"malformed event: {exc}", attempts=1)
            return
        if not self.accepts(event):
            return  # nothing to do: no database round trip, just the offset

        error = ""
        for attempt in range(1, self.max_attempts + 1):
            try:
                await self._apply(event)
                return
            except ConnectionFailure:
                raise
            except Exception as exc:
                error = f"{type(exc).__name__}: {exc}"
                log.warning(
                    "consumer attempt failed",
                    extra={
                        "consumer": self.name,
                        "event_id": event.id,
                        "attempt": attempt,
                        "error": error,
                    },
                )
                if attempt < self.max_attempts:
                    delay = self.retry_base_seconds * 2 ** (attempt - 1)
                    await asyncio.sleep(delay * random.uniform(0.5, 1.5))  # noqa: S311 jitter
        await self._dead_letter(message, error, attempts=self.max_attempts, event_id=event.id)

    async def _apply(self, event: KontoEvent) -> None:
        if await self.consumed.find_one({"consumer": self.name, "event_id": event.id}):
            return
        try:
            # The effect, the events it emits and the "done" mark commit as one; the events are
            # published right after the commit, like a request's.
            async with self.outbox.unit_of_work() as uow:
                await self.handler(event, uow)
                await self.consumed.insert_one(
                    {
                        "consumer": self.name,
                        "event_id": event.id,
                        "type": event.type,
                        "at": utcnow(),
                    },
                    session=uow.session,
                )
        except DuplicateKeyError:
            return  # another delivery of the same event committed first

    async def _dead_letter(
        self, message: KafkaMessage, error: str, *, attempts: int, event_id: str | None = None
    ) -> None:
        raw = message.raw_message
        topic = getattr(raw, "topic", "unknown")
        headers = {
            **{k: str(v) for k, v in message.headers.items()},
            "x-konto-error": error[:2000],
            "x-konto-consumer": self.name,
            "x-konto-attempts": str(attempts),
            "x-konto-original-topic": topic,
            "x-konto-original-partition": str(getattr(raw, "partition", "")),
            "x-konto-original-offset": str(getattr(raw, "offset", "")),
        }
        await self.broker.publish(
            message.body, topic=dlq(topic), key=getattr(raw, "key", None), headers=headers
        )
        DLQ_MESSAGES.labels(dlq(topic)).inc()
        log.error(
            "message moved to dead-letter topic",
            extra={"consumer": self.name, "event_id": event_id, "dlq": dlq(topic), "error": error},
        )
