"""Gapless number series per year (invoices BIL-5, pro-formas BIL-4): drawn inside the
transaction that writes the numbered document, so a rolled-back document returns its number."""

from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase


class YearlyNumberSeries:
    def __init__(self, db: AsyncDatabase[dict[str, Any]], collection: str, series: str) -> None:
        self.counters = db[collection]
        self.series = series

    async def next(self, year: int, session: AsyncClientSession) -> int:
        """Must run in a transaction: concurrent writers conflict and retry the whole one."""
        doc = await self.counters.find_one_and_update(
            {"_id": f"{self.series}-{year}"},
            {"$inc": {"last": 1}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
            session=session,
        )
        assert doc is not None
        last: int = doc["last"]
        return last
