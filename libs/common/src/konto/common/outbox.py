"""Transactional outbox: a state change and its events commit together, then publish.

Fast path: after commit the events go to Kafka at once and are marked sent. Crash path: a relay
re-publishes rows left unsent (older than a grace period, leased so two replicas never send the
same row at once). Kafka's idempotent producer keeps retries from duplicating; consumers are
idempotent for the rare re-publish after a crash between send and mark.
"""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from faststream.kafka import KafkaBroker
from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection

from konto.common.events import Event, utcnow
from konto.common.mongo import Mongo
from konto.common.tracing import SpanKind, current_traceparent, inject, traced

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=30)


@dataclass
class UnitOfWork:
    """What a request writes in one transaction, plus the events that announce it."""

    session: AsyncClientSession
    events: list[Event] = field(default_factory=list)

    def emit(self, event: Event) -> None:
        self.events.append(event)


class Outbox:
    def __init__(self, mongo: Mongo, broker: KafkaBroker, collection: str = "outbox") -> None:
        self.mongo = mongo
        self.broker = broker
        self.rows: AsyncCollection[dict[str, Any]] = mongo.db[collection]

    async def ensure_indexes(self) -> None:
        await self.rows.create_index([("sent_at", ASCENDING), ("created_at", ASCENDING)])

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[UnitOfWork]:
        """Run the block in a transaction; its emitted events are stored in the same one and
        published right after commit. Nothing is published if the block raises."""
        async with self.mongo.transaction() as session:
            uow = UnitOfWork(session)
            yield uow
            await self.stage(session, uow.events)
        await self.publish_now([event.id for event in uow.events])

    async def stage(self, session: AsyncClientSession, events: list[Event]) -> None:
        if not events:
            return
        traceparent = current_traceparent()
        now = utcnow()
        await self.rows.insert_many(
            [
                {
                    "_id": event.id,
                    "topic": event.topic,
                    "key": event.subject,
                    "type": event.type,
                    "traceparent": event.traceparent or traceparent,
                    "payload": event.model_copy(
                        update={"traceparent": event.traceparent or traceparent}
                    ).to_json(),
                    "created_at": now,
                    "sent_at": None,
                    "lease_until": now,
                }
                for event in events
            ],
            session=session,
        )

    async def publish_now(self, ids: list[str]) -> None:
        """Fast path; a failure here only delays the events until the relay's next pass."""
        for event_id in ids:
            row = await self.rows.find_one({"_id": event_id, "sent_at": None})
            if row is None:
                continue
            try:
                await self._send(row)
            except Exception:
                log.warning("outbox publish deferred to relay", extra={"event_id": event_id})
                return

    async def relay_once(self, grace: timedelta) -> int:
        """Publish every row still unsent after `grace`; returns how many were sent."""
        sent = 0
        while True:
            now = utcnow()
            row = await self.rows.find_one_and_update(
                {
                    "sent_at": None,
                    "created_at": {"$lte": now - grace},
                    "lease_until": {"$lte": now},
                },
                {"$set": {"lease_until": now + LEASE}},
                sort=[("created_at", ASCENDING)],
                return_document=ReturnDocument.AFTER,
            )
            if row is None:
                return sent
            await self._send(row)
            sent += 1

    async def run_relay(self, interval: float, grace: timedelta) -> None:
        while True:
            try:
                count = await self.relay_once(grace)
                if count:
                    log.info("outbox relay published leftovers", extra={"count": count})
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("outbox relay pass failed", exc_info=True)
            await asyncio.sleep(interval)

    async def backlog(self) -> int:
        return await self.rows.count_documents({"sent_at": None})

    async def _send(self, row: dict[str, Any]) -> None:
        # The publish span hangs under the span that wrote the event (its stored traceparent),
        # also when the relay sends it later; the consumer continues from this span's header.
        with traced(
            f"{row['topic']} publish",
            kind=SpanKind.PRODUCER,
            remote={"traceparent": row.get("traceparent") or ""},
            attributes={
                "messaging.system": "kafka",
                "messaging.destination.name": row["topic"],
                "messaging.message.id": row["_id"],
            },
        ):
            headers = inject(
                {"content-type": "application/cloudevents+json", "ce-type": row["type"]}
            )
            await self.broker.publish(
                row["payload"],
                topic=row["topic"],
                key=row["key"].encode(),
                headers=headers,
                correlation_id=row["_id"],
            )
        await self.rows.update_one({"_id": row["_id"]}, {"$set": {"sent_at": utcnow()}})
