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


def invitation_reference(token: str) -> str:
    """What auth tells orgs about an invitation a person registered through (ORG-4): orgs keeps
    only SHA-256 hex of its tokens (its `token_hash`), so this finds the invitation there while
    the token itself, a bearer secret, never enters auth's event log."""
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
