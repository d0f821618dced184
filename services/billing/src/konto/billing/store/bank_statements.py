"""Imported camt.054 statements and every bank credit seen (BIL-4): a credit is booked once, by
the bank's own reference for it, whichever statement brings it again; what did not match stays
here for support."""

from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from konto.billing.store.ledger import Conflict


class BankStatements:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.statements = db["bank_statements"]
        self.credits = db["bank_credits"]

    async def ensure_indexes(self) -> None:
        await self.statements.create_index([("message_id", ASCENDING)], unique=True)
        await self.statements.create_index([("imported_at", DESCENDING), ("_id", DESCENDING)])
        await self.credits.create_index([("outcome", ASCENDING), ("seen_at", DESCENDING)])

    async def by_message(self, message_id: str) -> dict[str, Any] | None:
        return await self.statements.find_one({"message_id": message_id})

    async def get(self, statement_id: str) -> dict[str, Any] | None:
        return await self.statements.find_one({"_id": statement_id})

    async def page(self, *, limit: int, before: str | None) -> list[dict[str, Any]] | None:
        """Newest first; `before` is the id of the previous page's last statement (None when
        no such statement exists)."""
        query: dict[str, Any] = {}
        if before is not None:
            last = await self.get(before)
            if last is None:
                return None
            query = {
                "$or": [
                    {"imported_at": {"$lt": last["imported_at"]}},
                    {"imported_at": last["imported_at"], "_id": {"$lt": last["_id"]}},
                ]
            }
        cursor = (
            self.statements.find(query)
            .sort([("imported_at", DESCENDING), ("_id", DESCENDING)])
            .limit(limit)
        )
        return [doc async for doc in cursor]

    async def put_statement(self, doc: dict[str, Any]) -> dict[str, Any]:
        """The first import of a message id is kept; a concurrent second one gets that one."""
        try:
            await self.statements.insert_one(doc)
        except DuplicateKeyError:
            first = await self.by_message(doc["message_id"])
            assert first is not None
            return first
        return doc

    async def credit(self, entry_id: str, session: AsyncClientSession) -> dict[str, Any] | None:
        return await self.credits.find_one({"_id": entry_id}, session=session)

    async def record_credit(self, doc: dict[str, Any], session: AsyncClientSession) -> None:
        try:
            await self.credits.insert_one(doc, session=session)
        except DuplicateKeyError as exc:  # the same credit raced in another import; retry
            raise Conflict(str(exc)) from exc
