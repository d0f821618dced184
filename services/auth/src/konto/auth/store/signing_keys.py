"""Token signing keys: Ed25519, private halves sealed with the service's encryption key."""

import json
import time
from datetime import timedelta
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pymongo import DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from konto.common.crypto import SecretBox
from konto.common.events import utcnow, uuid7


class SigningKeys:
    """Statuses: `active` signs; `retiring` only verifies, until `retiring_until` (tokens it
    signed have expired by then); `retired` is kept for the record only."""

    def __init__(
        self, db: AsyncDatabase[dict[str, Any]], box: SecretBox, *, cache_seconds: float = 30.0
    ) -> None:
        self.col = db["signing_keys"]
        self.box = box
        # A signer re-reads the active key this often, so a rotation reaches every replica.
        self.cache_seconds = cache_seconds
        self._active: tuple[str, Ed25519PrivateKey] | None = None
        self._loaded_at = float("-inf")

    async def ensure_active(self) -> None:
        await self.retire_expired()
        if await self.col.find_one({"status": "active"}) is None:
            await self.create()

    async def rotate(self, overlap: timedelta) -> tuple[str, list[str]]:
        """A new active key; the previous ones keep verifying for `overlap` (the access-token
        lifetime plus the signers' cache), then retire. Returns the new and the retiring kids.
        The new key is written first: there is always an active key."""
        await self.retire_expired()
        previous = [doc["_id"] async for doc in self.col.find({"status": "active"}, {"_id": 1})]
        kid = await self.create()
        await self.col.update_many(
            {"_id": {"$in": previous}},
            {"$set": {"status": "retiring", "retiring_until": utcnow() + overlap}},
        )
        return kid, previous

    async def retire_expired(self) -> int:
        result = await self.col.update_many(
            {"status": "retiring", "retiring_until": {"$lte": utcnow()}},
            {"$set": {"status": "retired"}},
        )
        return result.modified_count

    async def create(self) -> str:
        key = Ed25519PrivateKey.generate()
        kid = str(uuid7())
        public = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(key.public_key()))
        public.update({"kid": kid, "alg": "EdDSA", "use": "sig"})
        private_raw = key.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        await self.col.insert_one(
            {
                "_id": kid,
                "status": "active",
                "public_jwk": public,
                "private_sealed": self.box.seal(private_raw, kid.encode()),
                "created_at": utcnow(),
            }
        )
        return kid

    async def signer(self) -> tuple[str, Ed25519PrivateKey]:
        if self._active is None or time.monotonic() - self._loaded_at > self.cache_seconds:
            doc = await self.col.find_one({"status": "active"}, sort=[("created_at", DESCENDING)])
            if doc is None:
                raise RuntimeError("no active signing key")
            raw = self.box.open(doc["private_sealed"], doc["_id"].encode())
            self._active = (doc["_id"], Ed25519PrivateKey.from_private_bytes(raw))
            self._loaded_at = time.monotonic()
        return self._active

    async def jwks(self) -> dict[str, Any]:
        """Active and retiring keys: tokens signed before a rotation stay verifiable."""
        cursor = self.col.find(
            {
                "$or": [
                    {"status": "active"},
                    {"status": "retiring", "retiring_until": {"$gt": utcnow()}},
                ]
            }
        )
        return {"keys": [doc["public_jwk"] async for doc in cursor]}
