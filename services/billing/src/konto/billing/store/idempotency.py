"""Answers to requests sent with an `Idempotency-Key` (BIL-4, BIL-8): stored in the same
transaction as the effect, so a retried request gets the first answer and changes nothing."""

from datetime import datetime
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from konto.billing.store.ledger import Conflict


class IdempotencyRecords:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["idempotency_keys"]

    async def get(
        self, org_id: str, key: str, session: AsyncClientSession | None = None
    ) -> dict[str, Any] | None:
        return await self.col.find_one({"_id": f"{org_id}:{key}"}, session=session)

    async def put(
        self,
        org_id: str,
        key: str,
        *,
        fingerprint: str,
        status: int,
        body: dict[str, Any],
        now: datetime,
        session: AsyncClientSession,
    ) -> None:
        try:
            await self.col.insert_one(
                {
                    "_id": f"{org_id}:{key}",
                    "fingerprint": fingerprint,
                    "status": status,
                    "body": body,
                    "at": now,
                },
                session=session,
            )
        except DuplicateKeyError as exc:  # the same key raced this request; it answers next
            raise Conflict(str(exc)) from exc
