"""Invoices (BIL-5): one per payment, numbered without gaps per year (see invoice_numbers)."""

from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase


class Invoices:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["invoices"]

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("number", ASCENDING)], unique=True)
        await self.col.create_index([("org_id", ASCENDING), ("issued_at", DESCENDING)])

    async def insert(self, doc: dict[str, Any], session: AsyncClientSession) -> None:
        await self.col.insert_one(doc, session=session)

    async def of_org(self, org_id: str) -> list[dict[str, Any]]:
        cursor = self.col.find({"org_id": org_id}, {"pdf_key": 0}).sort([("issued_at", DESCENDING)])
        return [doc async for doc in cursor]

    async def get(self, org_id: str, invoice_id: str) -> dict[str, Any] | None:
        return await self.col.find_one({"_id": invoice_id, "org_id": org_id})

    async def count_open(self, org_id: str, session: AsyncClientSession) -> int:
        return await self.col.count_documents({"org_id": org_id, "status": "open"}, session=session)
