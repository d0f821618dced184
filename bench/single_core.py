"""Figures measured inside the bench process on one thread, so on one core at a time: raw
Argon2id hashing and access-token verification the way a consuming service does it."""

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
from argon2 import PasswordHasher, Type
from jwt.utils import base64url_decode

from bench.suite import Argon2Settings
from konto.common.jwt import JwksVerifier


@dataclass(frozen=True)
class Rate:
    count: int
    cpu_s: float
    wall_s: float

    @property
    def per_core_s(self) -> float:
        return self.count / self.cpu_s if self.cpu_s else 0.0

    def details(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "thread_cpu_s": round(self.cpu_s, 3),
            "wall_s": round(self.wall_s, 3),
            "per_wall_s": round(self.count / self.wall_s, 1) if self.wall_s else 0.0,
        }


def _timed(step: Callable[[], object], seconds: float) -> Rate:
    count = 0
    cpu0, wall0 = time.thread_time(), time.perf_counter()
    while time.perf_counter() - wall0 < seconds or count == 0:
        step()
        count += 1
    return Rate(count, time.thread_time() - cpu0, time.perf_counter() - wall0)


async def _timed_async(step: Callable[[], Awaitable[object]], seconds: float) -> Rate:
    count = 0
    cpu0, wall0 = time.thread_time(), time.perf_counter()
    while time.perf_counter() - wall0 < seconds or count == 0:
        await step()
        count += 1
    return Rate(count, time.thread_time() - cpu0, time.perf_counter() - wall0)


def argon2_hashes(params: Argon2Settings, seconds: float) -> Rate:
    """argon2-cffi as auth configures it (domain/passwords.py); a hash and a verify cost the
    same, the login path runs one verify."""
    hasher = PasswordHasher(
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        type=Type.ID,
    )
    hasher.hash("warm-up")
    return _timed(lambda: hasher.hash("correct horse battery staple"), seconds)


async def jwt_verifications(
    auth_url: str, access_token: str, seconds: float, *, remember: int = 10_000
) -> Rate:
    """konto.common.jwt.JwksVerifier as every service holds it (keys from auth's JWKS, cached),
    verifying a token the running auth issued again and again, as a client's requests bring
    it; `remember=0` turns off the verified-token cache: every call checks the signature."""
    issuer = jwt.decode(access_token, options={"verify_signature": False})["iss"]
    verifier = JwksVerifier(f"{auth_url}/.well-known/jwks.json", issuer, remember=remember)
    try:
        await verifier.verify(access_token)  # fetches the keys once, outside the timing
        return await _timed_async(lambda: verifier.verify(access_token), seconds)
    finally:
        await verifier.close()


async def ed25519_verifications(auth_url: str, access_token: str, seconds: float) -> Rate:
    """The signature check alone (cryptography/OpenSSL), the ceiling of any token verifier."""
    async with httpx.AsyncClient() as client:
        answer = await client.get(f"{auth_url}/.well-known/jwks.json")
        answer.raise_for_status()
    kid = jwt.get_unverified_header(access_token)["kid"]
    key = next(k for k in jwt.PyJWKSet.from_dict(answer.json()).keys if k.key_id == kid).key
    signed, _, signature = access_token.encode().rpartition(b".")
    raw_signature = base64url_decode(signature)
    return _timed(lambda: key.verify(raw_signature, signed), seconds)
