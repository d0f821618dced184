"""Gapless invoice sequence per year: drawn inside the transaction that writes the invoice, so
a rolled-back invoice returns its number (BIL-5)."""

from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase


class InvoiceNumbers:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.counters = db["invoice_counters"]

    async def next(self, year: int, session: AsyncClientSession) -> int:
        """Must run in a transaction: concurrent writers conflict and retry the whole one."""
        doc = await self.counters.find_one_and_update(
            {"_id": f"invoices-{year}"},
            {"$inc": {"last": 1}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
            session=session,
        )
        assert doc is not None
        last: int = doc["last"]
        return last
