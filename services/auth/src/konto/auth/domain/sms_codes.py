"""One-time SMS codes for a second factor (AUTH-9): 6 digits, a short TTL, a few guesses, a few
sends per purpose. Pure; the store counts attempts and sends and checks the TTL atomically."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass


@dataclass(frozen=True)
class SealedCode:
    salt: str
    hash: str


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def seal(code: str) -> SealedCode:
    """Salted per send, so a resent code's hash says nothing about the one before. Six digits
    are guessable offline anyway: the TTL and the attempt limit are what protect a code."""
    salt = secrets.token_hex(16)
    return SealedCode(salt=salt, hash=_digest(salt, code))


def matches(code: str, sealed: SealedCode) -> bool:
    return hmac.compare_digest(_digest(sealed.salt, normalize(code)), sealed.hash)


def normalize(code: str) -> str:
    return code.strip().replace(" ", "")


def _digest(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()
