"""Access-token claims and opaque refresh tokens (AUTH-3)."""

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def hash_refresh_token(token: str) -> str:
    # A 256-bit random token needs no slow hash; SHA-256 keeps lookups indexable.
    return hashlib.sha256(token.encode()).hexdigest()


def access_claims(
    *,
    user_id: str,
    session_id: str,
    issuer: str,
    now: datetime,
    ttl: timedelta,
    amr: list[str],
    org: str | None = None,
    role: str | None = None,
) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "iss": issuer,
        "sub": user_id,
        "sid": session_id,
        "amr": amr,
        "iat": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
    }
    if org:
        claims["org"] = org
        claims["role"] = role
    return claims
