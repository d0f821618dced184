from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase


class Sessions:
    """Login sessions; a session's refresh tokens form one family (stored hashed)."""

    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["sessions"]

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("refresh_hash", ASCENDING)], unique=True)
        await self.col.create_index([("user_id", ASCENDING), ("created_at", ASCENDING)])

    async def insert(self, doc: dict[str, Any], session: AsyncClientSession) -> None:
        await self.col.insert_one(doc, session=session)
