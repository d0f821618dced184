"""Password-reset rules (AUTH-6): which recovery route a request takes, links and SMS codes.
Pure."""

import hashlib
import hmac
import secrets
from typing import Literal

Channel = Literal["email", "sms"]
Route = Literal["email", "sms", "case"]


def route(channel: Channel, *, email: str | None, mobile: str | None) -> Route:
    """The option the person chose when the account has it, otherwise an identity
    verification: a reset never falls back to another channel the person did not choose."""
    if channel == "email" and email:
        return "email"
    if channel == "sms" and mobile:
        return "sms"
    return "case"


def new_link_token() -> str:
    """256 random bits: the link alone proves the mail was read."""
    return secrets.token_urlsafe(32)


def hash_link_token(token: str) -> str:
    # Random, not a password: SHA-256 suffices and keeps the lookup indexable.
    return hashlib.sha256(token.encode()).hexdigest()


def reset_url(console_url: str, token: str) -> str:
    return f"{console_url.rstrip('/')}/password-reset/{token}"


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def hash_code(reset_id: str, code: str) -> str:
    """Bound to its reset; six digits are guessable offline, so the code's short TTL and the
    attempt limit, not this hash, are what protect it."""
    return hashlib.sha256(f"{reset_id}:{code}".encode()).hexdigest()


def code_matches(reset_id: str, code: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_code(reset_id, code.strip()), stored_hash)
