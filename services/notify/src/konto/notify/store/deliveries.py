"""Delivery log: one row per (event, recipient, channel); its id makes a second send impossible.

Life of a row: `sending` (leased by one worker) → `sent`, or → `pending` with `next_attempt_at`
after a transient failure, picked up again by the retry loop → ... → `failed` after the last
try (then dead-lettered once: `dlq_published`). `suppressed` rows record an opted-out message.
A `sending` row whose lease ran out (the process died mid-send) is due again.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from konto.notify.domain.messages import Outgoing

Delivery = dict[str, Any]
STATUSES = ("sending", "pending", "sent", "failed", "suppressed")


@dataclass(frozen=True)
class DeliveryFilter:
    recipient: str | None = None
    event_type: str | None = None
    status: str | None = None

    def query(self) -> dict[str, Any]:
        fields = {"recipient": self.recipient, "event_type": self.event_type, "status": self.status}
        return {name: value for name, value in fields.items() if value is not None}


class Deliveries:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["deliveries"]

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("recipient", ASCENDING), ("created_at", DESCENDING)])
        await self.col.create_index([("status", ASCENDING), ("next_attempt_at", ASCENDING)])
        await self.col.create_index([("status", ASCENDING), ("lease_until", ASCENDING)])

    async def claim(
        self, out: Outgoing, now: datetime, lease: timedelta, *, status: str = "sending"
    ) -> Delivery | None:
        """The new row when this delivery is new and now ours to send; None when it exists
        already (sent, or owned by the retry loop): a redelivered event never sends twice."""
        doc: Delivery = {
            "_id": out.delivery_id,
            "event_id": out.event_id,
            "event_type": out.event_type,
            "recipient": out.recipient,
            "channel": out.channel,
            "template": out.template,
            "locale": out.locale,
            "address": out.address,
            "context": out.context,
            "category": out.category,
            "status": status,
            "attempts": 0,
            "created_at": now,
            "updated_at": now,
            "next_attempt_at": now,
            "lease_until": now + lease,
        }
        try:
            await self.col.insert_one(doc)
        except DuplicateKeyError:
            return None
        return doc

    async def lease_due(self, now: datetime, lease: timedelta) -> Delivery | None:
        """Take one delivery whose retry is due, or whose sender died, for `lease`. Two
        queries rather than one `$or`, so each can use the (status, ...) indexes."""
        take = {"$set": {"status": "sending", "lease_until": now + lease, "updated_at": now}}
        for where, order in (
            ({"status": "pending", "next_attempt_at": {"$lte": now}}, "next_attempt_at"),
            ({"status": "sending", "lease_until": {"$lte": now}}, "lease_until"),
        ):
            doc: Delivery | None = await self.col.find_one_and_update(
                where, take, sort=[(order, ASCENDING)], return_document=ReturnDocument.AFTER
            )
            if doc is not None:
                return doc
        return None

    async def mark_sent(self, delivery_id: str, now: datetime, message_id: str) -> None:
        await self._finish_attempt(
            delivery_id, now, {"status": "sent", "sent_at": now, "message_id": message_id}
        )

    async def reschedule(
        self, delivery_id: str, now: datetime, next_attempt_at: datetime, error: str
    ) -> None:
        await self._finish_attempt(
            delivery_id,
            now,
            {"status": "pending", "next_attempt_at": next_attempt_at, "last_error": error},
        )

    async def mark_failed(self, delivery_id: str, now: datetime, error: str) -> None:
        await self._finish_attempt(
            delivery_id,
            now,
            {"status": "failed", "last_error": error, "dlq_published": False},
        )

    async def _finish_attempt(self, delivery_id: str, now: datetime, fields: Any) -> None:
        await self.col.update_one(
            {"_id": delivery_id},
            {"$set": {**fields, "updated_at": now}, "$inc": {"attempts": 1}},
        )

    async def not_dead_lettered(self, limit: int = 20) -> list[Delivery]:
        cursor = self.col.find({"status": "failed", "dlq_published": False}).limit(limit)
        return [doc async for doc in cursor]

    async def mark_dead_lettered(self, delivery_id: str, now: datetime) -> None:
        await self.col.update_one(
            {"_id": delivery_id}, {"$set": {"dlq_published": True, "dead_lettered_at": now}}
        )

    async def requeue_failed(
        self, delivery_id: str, now: datetime, session: AsyncClientSession
    ) -> bool:
        """A replayed dead letter: the delivery gets a fresh set of attempts. Only a failed
        delivery is requeued, so replaying twice, or a delivery sent since, sends nothing."""
        result = await self.col.update_one(
            {"_id": delivery_id, "status": "failed"},
            {
                "$set": {
                    "status": "pending",
                    "attempts": 0,
                    "next_attempt_at": now,
                    "updated_at": now,
                },
                "$inc": {"replays": 1},
            },
            session=session,
        )
        return result.modified_count == 1

    async def page(self, where: DeliveryFilter, *, skip: int, limit: int) -> list[Delivery]:
        """Newest first; `limit + 1` rows tell the caller whether a next page exists."""
        cursor = (
            self.col.find(where.query())
            .sort([("created_at", DESCENDING), ("_id", DESCENDING)])
            .skip(skip)
            .limit(limit)
        )
        return [doc async for doc in cursor]
