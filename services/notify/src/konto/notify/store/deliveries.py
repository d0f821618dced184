"""Delivery log: one row per (event, recipient, channel); its id makes a resend impossible."""

from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from konto.notify.domain.messages import Outgoing


class Deliveries:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["deliveries"]

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("recipient", ASCENDING), ("created_at", ASCENDING)])

    async def claim(self, out: Outgoing, now: datetime) -> bool:
        """True when this delivery is ours to send: new, or an earlier try did not finish."""
        try:
            await self.col.insert_one(
                {
                    "_id": out.delivery_id,
                    "event_id": out.event_id,
                    "event_type": out.event_type,
                    "recipient": out.recipient,
                    "channel": out.channel,
                    "template": out.template,
                    "locale": out.locale,
                    "status": "sending",
                    "attempts": 0,
                    "created_at": now,
                }
            )
        except DuplicateKeyError:
            existing = await self.col.find_one({"_id": out.delivery_id})
            return existing is not None and existing["status"] != "sent"
        return True

    async def mark(self, delivery_id: str, status: str, now: datetime, **fields: Any) -> None:
        await self.col.update_one(
            {"_id": delivery_id},
            {"$set": {"status": status, "updated_at": now, **fields}, "$inc": {"attempts": 1}},
        )
