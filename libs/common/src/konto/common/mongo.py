"""MongoDB lifecycle through PyMongo's async client; the only place a client is created."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from pymongo import AsyncMongoClient
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

Document = dict[str, object]


class Mongo:
    def __init__(self, url: str, db_name: str, *, timeout_ms: int = 5000) -> None:
        self.client: AsyncMongoClient[Document] = AsyncMongoClient(
            url,
            tz_aware=True,
            serverSelectionTimeoutMS=timeout_ms,
            connectTimeoutMS=timeout_ms,
            retryWrites=True,
        )
        self.db: AsyncDatabase[Document] = self.client[db_name]

    async def ping(self) -> bool:
        try:
            await self.client.admin.command("ping")
        except Exception:
            return False
        return True

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncClientSession]:
        """One multi-document transaction: committed when the block ends, aborted if it raises."""
        async with self.client.start_session() as session, await session.start_transaction():
            yield session

    async def close(self) -> None:
        await self.client.close()
