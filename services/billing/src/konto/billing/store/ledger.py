"""The prepaid balance's ledger (BIL-8): entries only; the balance is their sum.

An organization's account document holds its currency and how many entries it has. Booking an
entry moves that count on from the value the balance was computed at, so two concurrent
withdrawals cannot both pass the "not below zero" check: the second finds the count moved and
its transaction is retried on the new balance.
"""

from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from konto.billing.domain.ledger import Entry, balance, check_entry
from konto.billing.domain.money import Currency, Money


class Conflict(Exception):
    """Another transaction changed what this one read; retry it whole."""


class Ledger:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.accounts = db["balance_accounts"]
        self.entries = db["balance_entries"]

    async def ensure_indexes(self) -> None:
        await self.entries.create_index([("org_id", ASCENDING), ("seq", DESCENDING)], unique=True)

    async def account(
        self, org_id: str, session: AsyncClientSession | None = None
    ) -> dict[str, Any] | None:
        return await self.accounts.find_one({"_id": org_id}, session=session)

    async def balance(
        self, org_id: str, default_currency: Currency, session: AsyncClientSession | None = None
    ) -> tuple[Money, int]:
        """The sum of the entries and how many there are."""
        account = await self.account(org_id, session)
        currency: Currency = account["currency"] if account else default_currency
        cursor = self.entries.find({"org_id": org_id}, {"kind": 1, "minor": 1}, session=session)
        entries = [Entry(e["kind"], Money(e["minor"], currency)) async for e in cursor]
        return balance(entries, currency), len(entries)

    async def book(
        self,
        org_id: str,
        entry: Entry,
        *,
        reference: dict[str, Any],
        now: datetime,
        session: AsyncClientSession,
    ) -> Money:
        """Checks and books `entry` in the caller's transaction; returns the new balance."""
        account = await self.account(org_id, session)
        if account and account["currency"] != entry.amount.currency:
            raise ValueError(f"this balance is kept in {account['currency']}")
        current, count = await self.balance(org_id, entry.amount.currency, session)
        check_entry(current, entry)
        try:
            result = await self.accounts.update_one(
                {"_id": org_id, "entries": count},
                {"$inc": {"entries": 1}, "$setOnInsert": {"currency": entry.amount.currency}},
                upsert=True,
                session=session,
            )
            await self.entries.insert_one(
                {
                    "org_id": org_id,
                    "seq": count + 1,
                    "kind": entry.kind,
                    "minor": entry.amount.minor,
                    "currency": entry.amount.currency,
                    "at": now,
                    **reference,
                },
                session=session,
            )
        except DuplicateKeyError as exc:  # the account or the entry's seq was taken meanwhile
            raise Conflict(str(exc)) from exc
        if result.matched_count == 0 and result.upserted_id is None:
            raise Conflict("balance changed meanwhile")
        return current + entry.signed

    async def page(
        self, org_id: str, *, limit: int, before_seq: int | None
    ) -> list[dict[str, Any]]:
        """Newest first; `before_seq` is the cursor of the next page."""
        query: dict[str, Any] = {"org_id": org_id}
        if before_seq is not None:
            query["seq"] = {"$lt": before_seq}
        cursor = self.entries.find(query).sort([("seq", DESCENDING)]).limit(limit)
        return [doc async for doc in cursor]
