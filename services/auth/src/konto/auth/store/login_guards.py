"""Failed logins (AUTH-5): one row per failure for the sliding windows, and one guard per
identifier with its consecutive-failure count and lock."""

from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from konto.common.events import uuid7

DUPLICATE_KEY = 11000


class LoginGuards:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.failures = db["login_failures"]
        self.guards = db["login_guards"]

    async def ensure_indexes(self) -> None:
        await self.failures.create_index([("key", ASCENDING), ("at", DESCENDING)])
        # Rows only matter inside the window; a day is far longer than any window.
        await self.failures.create_index([("at", ASCENDING)], expireAfterSeconds=86_400)

    async def recent_failures(self, key: str, since: datetime, limit: int) -> list[datetime]:
        cursor = self.failures.find(
            {"key": key, "at": {"$gt": since}}, {"at": 1}, sort=[("at", DESCENDING)], limit=limit
        )
        return [row["at"] async for row in cursor]

    async def add_failure(self, keys: list[str], now: datetime) -> None:
        rows = [{"_id": str(uuid7()), "key": k, "at": now} for k in keys]
        try:
            await self.failures.insert_many(rows, ordered=False)
        except BulkWriteError as exc:
            # The ids are fresh, so a duplicate is this very insert retried by the driver after
            # its first try went through (seen under a parallel brute force, issue 9): counted.
            errors = exc.details.get("writeErrors", [])
            if exc.details.get("writeConcernErrors") or not errors:
                raise
            if any(e["code"] != DUPLICATE_KEY for e in errors):
                raise

    async def guard(self, identifier: str) -> dict[str, Any] | None:
        return await self.guards.find_one({"_id": identifier})

    async def count_failure(self, identifier: str, now: datetime) -> int:
        doc = await self.guards.find_one_and_update(
            {"_id": identifier},
            {"$inc": {"failures": 1}, "$set": {"last_failure_at": now}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        return int(doc["failures"]) if doc else 1

    async def lock(self, identifier: str, now: datetime, session: AsyncClientSession) -> bool:
        """True for the call that locked it (so the event is emitted once)."""
        result = await self.guards.update_one(
            {"_id": identifier, "locked_at": None},
            {"$set": {"locked_at": now}},
            session=session,
        )
        return result.modified_count == 1

    async def clear_failures(self, identifier: str) -> None:
        await self.guards.delete_one({"_id": identifier, "locked_at": None})

    async def unlock(self, identifier: str, session: AsyncClientSession) -> bool:
        result = await self.guards.delete_one({"_id": identifier}, session=session)
        return result.deleted_count == 1
