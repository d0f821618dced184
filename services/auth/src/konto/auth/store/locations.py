from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from konto.auth.domain.locations import Location


class KnownLocations:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["known_locations"]

    async def ensure_indexes(self) -> None:
        await self.col.create_index(
            [("user_id", ASCENDING), ("fingerprint", ASCENDING)], unique=True
        )

    async def record(
        self, user_id: str, location: Location, now: datetime, session: AsyncClientSession
    ) -> bool:
        """Remember the location; True when it was not known before."""
        result = await self.col.update_one(
            {"user_id": user_id, "fingerprint": location.fingerprint},
            {
                "$setOnInsert": {
                    "first_seen": now,
                    "device_id": location.device_id,
                    "network": location.network,
                    "user_agent_family": location.user_agent_family,
                },
                "$set": {"last_seen": now},
            },
            upsert=True,
            session=session,
        )
        return result.upserted_id is not None
