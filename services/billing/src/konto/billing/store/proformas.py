"""Pro-forma invoices (BIL-4): what a bank transfer must pay, found again by its payment
reference when the bank statement arrives. Numbered in their own series per year."""

from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from konto.billing.store.number_series import YearlyNumberSeries


class Proformas:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["proformas"]
        self.numbers = YearlyNumberSeries(db, "proforma_counters", "proformas")

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("reference", ASCENDING)], unique=True)
        await self.col.create_index([("number", ASCENDING)], unique=True)
        await self.col.create_index([("org_id", ASCENDING), ("issued_at", DESCENDING)])
        await self.col.create_index([("status", ASCENDING), ("issued_at", ASCENDING)])

    async def insert(self, doc: dict[str, Any], session: AsyncClientSession) -> None:
        await self.col.insert_one(doc, session=session)

    async def get(self, org_id: str, proforma_id: str) -> dict[str, Any] | None:
        return await self.col.find_one({"_id": proforma_id, "org_id": org_id})

    async def of_org(self, org_id: str) -> list[dict[str, Any]]:
        cursor = self.col.find({"org_id": org_id}).sort([("issued_at", DESCENDING)]).limit(100)
        return [doc async for doc in cursor]

    async def by_reference(
        self, reference: str, session: AsyncClientSession
    ) -> dict[str, Any] | None:
        return await self.col.find_one({"reference": reference}, session=session)

    async def mark_paid(
        self, proforma_id: str, *, entry_id: str, now: datetime, session: AsyncClientSession
    ) -> bool:
        """Only from `awaiting_payment`: of two credits for one pro-forma, one pays it."""
        result = await self.col.update_one(
            {"_id": proforma_id, "status": "awaiting_payment"},
            {"$set": {"status": "paid", "paid_at": now, "entry_id": entry_id}},
            session=session,
        )
        return result.modified_count == 1

    async def attach_invoice(
        self, proforma_id: str, invoice_id: str, session: AsyncClientSession
    ) -> None:
        """The invoice the payment issued, in the transaction that marked it paid."""
        await self.col.update_one(
            {"_id": proforma_id}, {"$set": {"invoice_id": invoice_id}}, session=session
        )

    async def count_open(self, org_id: str, session: AsyncClientSession) -> int:
        return await self.col.count_documents(
            {"org_id": org_id, "status": "awaiting_payment"}, session=session
        )

    async def awaiting_since(self, cutoff: datetime, limit: int = 100) -> list[dict[str, Any]]:
        """Unpaid pro-formas issued at or before `cutoff`, oldest first."""
        cursor = (
            self.col.find({"status": "awaiting_payment", "issued_at": {"$lte": cutoff}})
            .sort([("issued_at", ASCENDING)])
            .limit(limit)
        )
        return [doc async for doc in cursor]

    async def close(
        self,
        proforma_id: str,
        status: str,
        *,
        by: str | None,
        now: datetime,
        session: AsyncClientSession,
    ) -> bool:
        """`lapsed` or `cancelled`, only from `awaiting_payment`: of a lapse, a cancellation
        and a credit racing for one pro-forma, exactly one moves it on."""
        result = await self.col.update_one(
            {"_id": proforma_id, "status": "awaiting_payment"},
            {"$set": {"status": status, "closed_at": now, "closed_by": by}},
            session=session,
        )
        return result.modified_count == 1
