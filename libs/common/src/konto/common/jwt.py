"""Access-token verification in any service, from auth's JWKS (cached; refreshed on an unknown
`kid`, at most once per `min_refresh_seconds`, so a flood of forged kids cannot hammer auth).

A client sends the same access token with every request until it expires, and an Ed25519 check
costs more than the rest of a small request: verified tokens are remembered (keyed by the whole
token, signature included, so nothing forged can match) until their `exp`."""

import asyncio
import logging
import time
from typing import Annotated, Any

import httpx
import jwt
from fastapi import Depends, Request
from pydantic import BaseModel

from konto.common.errors import Problem

log = logging.getLogger(__name__)

ALGORITHMS = ["EdDSA", "ES256"]


class Claims(BaseModel):
    sub: str
    sid: str
    org: str | None = None
    role: str | None = None
    amr: list[str] = []
    exp: int
    iat: int
    iss: str


class InvalidToken(Exception):
    pass


class JwksVerifier:
    def __init__(
        self,
        jwks_url: str,
        issuer: str,
        *,
        cache_seconds: float = 300.0,
        min_refresh_seconds: float = 10.0,
        http: httpx.AsyncClient | None = None,
        remember: int = 10_000,
    ) -> None:
        self.jwks_url = jwks_url
        self.issuer = issuer
        self.cache_seconds = cache_seconds
        self.min_refresh_seconds = min_refresh_seconds
        self._http = http or httpx.AsyncClient(timeout=5.0)
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = float("-inf")
        self._lock = asyncio.Lock()
        self._remember = remember
        self._verified: dict[str, Claims] = {}

    async def verify(self, token: str) -> Claims:
        claims = self._verified.get(token)
        if claims is not None and claims.exp > time.time():
            return claims
        self._verified.pop(token, None)
        claims = await self._verify(token)
        if self._remember:
            if len(self._verified) >= self._remember:
                del self._verified[next(iter(self._verified))]  # the oldest
            self._verified[token] = claims
        return claims

    async def _verify(self, token: str) -> Claims:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise InvalidToken("malformed token") from exc
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise InvalidToken("token has no key id")
        key = await self._key(kid)
        try:
            payload: dict[str, Any] = jwt.decode(
                token,
                key=key,
                algorithms=ALGORITHMS,
                issuer=self.issuer,
                options={"require": ["exp", "iat", "sub", "iss"], "verify_aud": False},
            )
        except jwt.PyJWTError as exc:
            raise InvalidToken(str(exc)) from exc
        return Claims.model_validate(payload)

    async def _key(self, kid: str) -> jwt.PyJWK:
        if kid not in self._keys or self._age() > self.cache_seconds:
            async with self._lock:
                age = self._age()
                unknown = kid not in self._keys and age > self.min_refresh_seconds
                if unknown or age > self.cache_seconds:
                    await self._refresh()
        try:
            return self._keys[kid]
        except KeyError:
            raise InvalidToken("unknown signing key") from None

    def _age(self) -> float:
        return time.monotonic() - self._fetched_at

    async def _refresh(self) -> None:
        try:
            response = await self._http.get(self.jwks_url)
            response.raise_for_status()
            jwks = jwt.PyJWKSet.from_dict(response.json())
        except (httpx.HTTPError, jwt.PyJWTError, ValueError) as exc:
            log.warning("JWKS fetch failed", extra={"url": self.jwks_url, "error": str(exc)})
            if not self._keys:
                raise InvalidToken("signing keys unavailable") from exc
            return  # keep serving the keys we have
        self._keys = {k.key_id: k for k in jwks.keys if k.key_id}
        self._fetched_at = time.monotonic()

    async def close(self) -> None:
        await self._http.aclose()


def _verifier(request: Request) -> JwksVerifier:
    verifier: JwksVerifier = request.app.state.jwks
    return verifier


async def current_claims(
    request: Request, verifier: Annotated[JwksVerifier, Depends(_verifier)]
) -> Claims:
    """FastAPI dependency: the verified claims of the bearer token, or 401 problem+json."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Problem(401, "Unauthorized", "a bearer access token is required", code="unauthorized")
    try:
        return await verifier.verify(token)
    except InvalidToken as exc:
        raise Problem(401, "Unauthorized", str(exc), code="invalid-token") from exc


CurrentClaims = Annotated[Claims, Depends(current_claims)]
