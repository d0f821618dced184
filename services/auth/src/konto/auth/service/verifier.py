"""Auth checks its own access tokens against its key store, not over HTTP: it is the JWKS
endpoint, and in tests its address is not the configured one."""

import time

import jwt

from konto.auth.store.signing_keys import SigningKeys
from konto.common.jwt import JwksVerifier


class OwnKeysVerifier(JwksVerifier):
    def __init__(self, keys: SigningKeys, issuer: str) -> None:
        super().__init__("local:signing_keys", issuer, cache_seconds=30.0, min_refresh_seconds=1.0)
        self.store = keys

    async def _refresh(self) -> None:
        jwks = jwt.PyJWKSet.from_dict(await self.store.jwks())
        self._keys = {k.key_id: k for k in jwks.keys if k.key_id}
        self._fetched_at = time.monotonic()
