"""Token signing keys: Ed25519, private halves sealed with the service's encryption key."""

import json
import time
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pymongo import DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from konto.common.crypto import SecretBox
from konto.common.events import utcnow, uuid7

# A signer re-reads the active key this often, so a rotation reaches every replica.
_CACHE_SECONDS = 30.0


class SigningKeys:
    def __init__(self, db: AsyncDatabase[dict[str, Any]], box: SecretBox) -> None:
        self.col = db["signing_keys"]
        self.box = box
        self._active: tuple[str, Ed25519PrivateKey] | None = None
        self._loaded_at = float("-inf")

    async def ensure_active(self) -> None:
        if await self.col.find_one({"status": "active"}) is None:
            await self.create()

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
        if self._active is None or time.monotonic() - self._loaded_at > _CACHE_SECONDS:
            doc = await self.col.find_one({"status": "active"}, sort=[("created_at", DESCENDING)])
            if doc is None:
                raise RuntimeError("no active signing key")
            raw = self.box.open(doc["private_sealed"], doc["_id"].encode())
            self._active = (doc["_id"], Ed25519PrivateKey.from_private_bytes(raw))
            self._loaded_at = time.monotonic()
        return self._active

    async def jwks(self) -> dict[str, Any]:
        """Active and retiring keys: tokens signed before a rotation stay verifiable."""
        cursor = self.col.find({"status": {"$in": ["active", "retiring"]}})
        return {"keys": [doc["public_jwk"] async for doc in cursor]}
